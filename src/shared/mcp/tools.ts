// Input and output schemas of Paige's MCP tools (docs/mcp.md), shared by the server and the tests. Tool arguments and
// results are snake_case on the wire (what Claude Code sees); IPC events stay camelCase.
import { z } from 'zod';
import { ErrorShapeSchema } from '../ipc/errors';
import { HighlightStyleSchema, MessageTypeSchema } from '../domain/coaching';
import {
  EndReasonSchema,
  HintLevelSchema,
  HintStyleSchema,
  PhaseStatusSchema,
  SessionStatusSchema,
  WrapUpAgentSchema,
} from '../domain/session';
import { ValidateCommandInputSchema, ValidateCommandOutputSchema } from '../safety/schema';
import { SearchMemoriesInputSchema, SearchMemoriesOutputSchema } from '../domain/memory';

export const TOOL_NAMES = {
  startSession: 'paige_start_session',
  endSession: 'paige_end_session',
  getActiveSession: 'paige_get_active_session',
  retryWrapUp: 'paige_retry_wrap_up',
  getBuffer: 'paige_get_buffer',
  getOpenFiles: 'paige_get_open_files',
  getDiff: 'paige_get_diff',
  getSessionState: 'paige_get_session_state',
  openFile: 'paige_open_file',
  highlightLines: 'paige_highlight_lines',
  clearHighlights: 'paige_clear_highlights',
  hintFiles: 'paige_hint_files',
  clearHints: 'paige_clear_hints',
  updatePhase: 'paige_update_phase',
  showMessage: 'paige_show_message',
  showIssueContext: 'paige_show_issue_context',
  validateCommand: 'paige_validate_command',
  runCoachingPipeline: 'paige_run_coaching_pipeline',
  searchMemories: 'paige_search_memories',
} as const;

/** At most this many ranges or paths per UI call. */
const MAX_UI_ITEMS = 50;
/** Longest `paige_show_message` text. */
const MAX_MESSAGE_CHARS = 4_000;
const MAX_PATH = 4_096;
const MAX_TEXT = 2_000;
const MAX_TITLE = 500;
const MAX_SUMMARY = 20_000;

/** What `structuredContent.error` holds when `isError` is true (the shared error shape, docs/ipc.md). @visibleForTesting */
export const ToolErrorSchema = z.object({ error: ErrorShapeSchema });

const McpSessionSchema = z.object({
  id: z.number().int(),
  project_dir: z.string(),
  issue_number: z.number().int().nullable(),
  issue_title: z.string().nullable(),
  issue_url: z.string().nullable(),
  status: SessionStatusSchema,
  started_at: z.string(),
  hint_level: HintLevelSchema,
  claude_session_id: z.string().nullable(),
});
export type McpSession = z.infer<typeof McpSessionSchema>;

// 1 paige_start_session
export const StartSessionInput = z.object({
  project_dir: z.string().min(1).max(MAX_PATH),
  issue_number: z.number().int().positive().optional(),
  issue_title: z.string().max(MAX_TITLE).optional(),
  claude_session_id: z.string().min(1).max(200).optional(),
  force: z.boolean().default(false),
});
export const StartSessionOutput = z.object({
  session: McpSessionSchema,
  attached: z.boolean(),
  persona: z.string(),
  state_summary: z.string(),
});

// 2 paige_end_session
export const EndSessionInput = z.object({
  reason: z.string().max(200).optional(),
  transcript_path: z.string().max(MAX_PATH).optional(),
  claude_session_id: z.string().min(1).max(200).optional(),
  pty_id: z.string().min(1).max(200).optional(),
  wait: z.boolean().default(false),
});
const WrapUpCountsSchema = z.object({
  memories_added: z.number().int(),
  gaps_identified: z.number().int(),
  katas_generated: z.number().int(),
  assessments_updated: z.number().int(),
  errors: z.array(z.object({ agent: WrapUpAgentSchema, message: z.string() })),
});
export const EndSessionOutput = z.object({
  session_id: z.number().int().nullable(),
  status: z.enum(['wrapping_up', 'completed', 'completed_with_errors', 'detached', 'noop']),
  end_reason: EndReasonSchema.optional(),
  counts: WrapUpCountsSchema.optional(),
});

// 3 paige_get_active_session
export const GetActiveSessionInput = z.object({});
export const GetActiveSessionOutput = z.object({
  session: McpSessionSchema.nullable(),
  plan: z
    .object({
      id: z.number().int(),
      title: z.string(),
      total_phases: z.number().int(),
      active_phase: z.object({ number: z.number().int(), title: z.string() }).nullable(),
    })
    .nullable(),
  observer: z.object({ active: z.boolean(), muted: z.boolean() }),
});

// 4 paige_retry_wrap_up
export const RetryWrapUpInput = z.object({
  session_id: z.number().int().positive(),
  agent: WrapUpAgentSchema.optional(),
});
export const RetryWrapUpOutput = z.object({
  session_id: z.number().int(),
  status: z.enum(['completed', 'completed_with_errors']),
  ran: z.array(WrapUpAgentSchema),
  counts: WrapUpCountsSchema,
  unresolved: z.array(WrapUpAgentSchema),
});

const CursorSchema = z.object({ line: z.number().int(), column: z.number().int() });

// 5 paige_get_buffer
export const GetBufferInput = z.object({ path: z.string().min(1).max(MAX_PATH) });
export const GetBufferOutput = z.object({
  buffer: z
    .object({
      path: z.string(),
      content: z.string(),
      cursorPosition: CursorSchema,
      dirty: z.boolean(),
      /** ISO timestamp of the last edit or read. */
      lastUpdated: z.string(),
    })
    .nullable(),
});

// 6 paige_get_open_files
export const GetOpenFilesInput = z.object({});
const OpenFileEntrySchema = z.object({ path: z.string(), dirty: z.boolean(), active: z.boolean() });
export const GetOpenFilesOutput = z.object({ files: z.array(OpenFileEntrySchema) });

// 7 paige_get_diff
export const GetDiffInput = z.object({ path: z.string().min(1).max(MAX_PATH).optional() });
const FileDiffSchema = z.object({ path: z.string(), diff: z.string() });
export const GetDiffOutput = z.object({ diffs: z.array(FileDiffSchema) });

// 8 paige_get_session_state
export const STATE_ITEMS = [
  'session',
  'plan',
  'phase',
  'progress',
  'hints',
  'dreyfus',
  'gaps',
  'katas',
  'actions',
  'diffs',
  'open_files',
  'buffers',
] as const;
const StateItemSchema = z.enum(STATE_ITEMS);
export type StateItem = z.infer<typeof StateItemSchema>;
export const GetSessionStateInput = z.object({
  include: z
    .array(StateItemSchema)
    .max(STATE_ITEMS.length * 2)
    .optional(),
});
const RequiredLevel = z.enum(['low', 'medium', 'high']);
const SessionStateSchemas = {
  session: z
    .object({
      id: z.number().int(),
      project_dir: z.string(),
      issue_number: z.number().int().nullable(),
      issue_title: z.string().nullable(),
      status: SessionStatusSchema,
      started_at: z.string(),
      hint_level: HintLevelSchema,
    })
    .nullable(),
  plan: z
    .object({
      id: z.number().int(),
      title: z.string(),
      summary: z.string(),
      phases: z.array(z.object({ number: z.number().int(), title: z.string(), status: PhaseStatusSchema })),
    })
    .nullable(),
  phase: z
    .object({
      id: z.number().int(),
      number: z.number().int(),
      title: z.string(),
      description: z.string(),
      status: PhaseStatusSchema,
      hint_level: HintLevelSchema,
      expected_files: z.array(z.string()),
      tasks: z.array(
        z.object({
          number: z.number().int(),
          title: z.string(),
          description: z.string(),
          target_files: z.array(z.string()),
          completed_at: z.string().nullable(),
        }),
      ),
    })
    .nullable(),
  progress: z.array(z.object({ event_type: z.string(), data: z.unknown(), created_at: z.string() })),
  hints: z.object({
    file_hints: z.array(z.object({ path: z.string(), style: HintStyleSchema, required_level: RequiredLevel })),
    line_hints: z.array(
      z.object({
        path: z.string(),
        line_start: z.number().int(),
        line_end: z.number().int(),
        style: HintStyleSchema,
        hover_text: z.string().nullable(),
        required_level: RequiredLevel,
      }),
    ),
  }),
  dreyfus: z.array(z.object({ skill_area: z.string(), stage: z.string(), confidence: z.number() })),
  gaps: z.array(z.object({ topic: z.string(), severity: z.enum(['low', 'medium', 'high']), frequency: z.number() })),
  katas: z.array(
    z.object({ id: z.number().int(), title: z.string(), attempts: z.number().int(), max_level: z.number().int() }),
  ),
  actions: z.array(z.object({ action_type: z.string(), data: z.unknown(), created_at: z.string() })),
  diffs: z.array(FileDiffSchema),
  open_files: z.array(OpenFileEntrySchema),
  buffers: z.array(
    z.object({ path: z.string(), dirty: z.boolean(), cursorPosition: CursorSchema, charCount: z.number().int() }),
  ),
} satisfies Record<StateItem, z.ZodType>;
/** Every key optional: the result holds exactly the requested items. */
export const GetSessionStateOutput = z.strictObject(SessionStateSchemas).partial();
export type SessionState = z.infer<typeof GetSessionStateOutput>;

// 9 paige_open_file
export const OpenFileInput = z.object({ path: z.string().min(1).max(MAX_PATH) });
export const OpenFileOutput = z.object({ success: z.boolean(), path: z.string() });

// 10 paige_highlight_lines
export const HighlightLinesInput = z.object({
  path: z.string().min(1).max(MAX_PATH),
  ranges: z
    .array(
      z
        .object({
          start: z.number().int().min(1),
          end: z.number().int().min(1),
          style: HighlightStyleSchema,
          hover_text: z.string().max(MAX_TEXT).optional(),
        })
        .refine((r) => r.end >= r.start, { message: 'end must be ≥ start' }),
    )
    .min(1)
    .max(MAX_UI_ITEMS),
});
export const HighlightLinesOutput = z.object({ success: z.boolean(), count: z.number().int() });

// 11 paige_clear_highlights
export const ClearHighlightsInput = z.object({ path: z.string().min(1).max(MAX_PATH).optional() });
export const SuccessOutput = z.object({ success: z.boolean() });

// 12 paige_hint_files
export const HintFilesInput = z.object({
  paths: z.array(z.string().min(1).max(MAX_PATH)).min(1).max(MAX_UI_ITEMS),
  style: HintStyleSchema,
  directories: z.array(z.string().min(1).max(MAX_PATH)).max(MAX_UI_ITEMS).optional(),
});

// 13 paige_clear_hints
export const ClearHintsInput = z.object({});

// 14 paige_update_phase
export const UpdatePhaseInput = z.object({
  phase: z.number().int().min(1),
  status: z.enum(['active', 'complete']),
});
export const UpdatePhaseOutput = z.object({
  success: z.boolean(),
  phase: z.object({
    id: z.number().int(),
    number: z.number().int(),
    title: z.string(),
    status: PhaseStatusSchema,
    started_at: z.string().nullable(),
    completed_at: z.string().nullable(),
  }),
});

// 15 paige_show_message
export const ShowMessageInput = z.object({
  message: z.string().min(1).max(MAX_MESSAGE_CHARS),
  type: MessageTypeSchema,
  anchor: z
    .object({
      path: z.string().min(1).max(MAX_PATH),
      start_line: z.number().int().min(1),
      end_line: z.number().int().min(1),
    })
    .refine((a) => a.end_line >= a.start_line, { message: 'end_line must be ≥ start_line' })
    .optional(),
});
export const ShowMessageOutput = z.object({ success: z.boolean(), message_id: z.string() });

// 16 paige_show_issue_context
export const ShowIssueContextInput = z.object({
  title: z.string().min(1).max(MAX_TITLE),
  summary: z.string().max(MAX_SUMMARY),
  number: z.number().int().positive().optional(),
  labels: z.array(z.string().max(100)).max(MAX_UI_ITEMS).optional(),
  url: z
    .url({ protocol: /^https?$/ })
    .max(MAX_PATH)
    .optional(),
});

// 18 paige_validate_command
export const ValidateCommandToolInput = ValidateCommandInputSchema;
export const ValidateCommandToolOutput = ValidateCommandOutputSchema;

// --- coaching pipeline ---
/** Longest plan text Claude Code may hand to `paige_run_coaching_pipeline`. */
const MAX_PLAN_TEXT = 200_000;
export const RunCoachingPipelineInput = z.object({
  plan_text: z.string().min(1).max(MAX_PLAN_TEXT),
  issue_summary: z.string().min(1).max(MAX_SUMMARY),
  issue_number: z.number().int().positive().optional(),
});
export const RunCoachingPipelineOutput = z.object({
  plan_id: z.number().int(),
  title: z.string(),
  total_phases: z.number().int(),
  phases: z.array(z.object({ number: z.number().int(), title: z.string(), hint_level: HintLevelSchema })),
  memory_connection: z.string().nullable(),
  estimated_difficulty: z.enum(['beginner', 'intermediate', 'advanced']),
});
// --- end coaching pipeline ---

// --- memory ---
// 19 paige_search_memories
export const SearchMemoriesToolInput = SearchMemoriesInputSchema;
export const SearchMemoriesToolOutput = SearchMemoriesOutputSchema;
// --- end memory ---
