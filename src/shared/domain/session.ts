// Coaching-session entities as they cross IPC (camelCase); lifecycle in docs/sessions.md.
import { z } from 'zod';
import { ErrorCodeSchema } from '../ipc/errors';

/** Hint levels from none to the most help, in order (their index is the level 0–3). */
export const HINT_LEVELS = ['off', 'low', 'medium', 'high'] as const;
export const HintLevelSchema = z.enum(HINT_LEVELS);
export type HintLevel = z.infer<typeof HintLevelSchema>;

export const SessionStatusSchema = z.enum(['active', 'wrapping_up', 'completed', 'completed_with_errors']);
export type SessionStatus = z.infer<typeof SessionStatusSchema>;

export const EndReasonSchema = z.enum(['claude_exit', 'user', 'orphan_recovered', 'forced', 'shutdown']);
export type EndReason = z.infer<typeof EndReasonSchema>;

export const WrapUpAgentSchema = z.enum(['reflection', 'knowledge_gap', 'dreyfus']);
export type WrapUpAgent = z.infer<typeof WrapUpAgentSchema>;

export const SessionSchema = z.object({
  id: z.number().int().positive(),
  projectDir: z.string(),
  issueNumber: z.number().int().nullable(),
  issueTitle: z.string().nullable(),
  issueUrl: z.string().nullable(),
  status: SessionStatusSchema,
  hintLevel: HintLevelSchema,
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  lastActivityAt: z.string(),
  totalDurationMs: z.number().int().nullable(),
  endReason: EndReasonSchema.nullable(),
  branchName: z.string().nullable(),
  stashName: z.string().nullable(),
  claudeSessionId: z.string().nullable(),
  resumedFromSessionId: z.number().int().nullable(),
});
export type Session = z.infer<typeof SessionSchema>;

export const IssueContextSchema = z.object({
  number: z.number().int().optional(),
  title: z.string(),
  summary: z.string(),
  labels: z.array(z.string()).optional(),
  url: z.string().optional(),
});
export type IssueContext = z.infer<typeof IssueContextSchema>;

export const PhaseStatusSchema = z.enum(['pending', 'active', 'complete']);
export const HintStyleSchema = z.enum(['suggested', 'warning', 'error']);

const PhaseTaskSchema = z.object({
  id: z.number().int(),
  number: z.number().int(),
  title: z.string(),
  description: z.string(),
  targetFiles: z.array(z.string()),
  hintLow: z.string(),
  hintMedium: z.string(),
  hintHigh: z.string(),
  completedAt: z.string().nullable(),
});

const PhaseHintSchema = z.object({
  id: z.number().int(),
  type: z.enum(['file', 'line']),
  path: z.string(),
  lineStart: z.number().int().nullable(),
  lineEnd: z.number().int().nullable(),
  style: HintStyleSchema,
  hoverText: z.string().nullable(),
  requiredLevel: z.enum(['low', 'medium', 'high']),
});

const PhaseSchema = z.object({
  id: z.number().int(),
  number: z.number().int(),
  title: z.string(),
  description: z.string(),
  hint: z.string(),
  hintLevel: HintLevelSchema,
  expectedFiles: z.array(z.string()),
  status: PhaseStatusSchema,
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  tasks: z.array(PhaseTaskSchema),
  hints: z.array(PhaseHintSchema),
});

export const PlanSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  summary: z.string(),
  totalPhases: z.number().int(),
  estimatedDifficulty: z.enum(['beginner', 'intermediate', 'advanced']).nullable(),
  memoryConnection: z.string().nullable(),
  phases: z.array(PhaseSchema),
});
export type Plan = z.infer<typeof PlanSchema>;

const CursorPositionSchema = z.object({
  line: z.number().int().nonnegative(),
  column: z.number().int().nonnegative(),
});

/** The coaching pipeline's steps as the UI shows them. */
export const PlanningPhaseSchema = z.enum(['fetching', 'exploring', 'planning', 'writing_hints']);
export type PlanningPhase = z.infer<typeof PlanningPhaseSchema>;

export const PlanningErrorSchema = z.object({ code: ErrorCodeSchema, message: z.string(), retryable: z.boolean() });

export const SessionSnapshotSchema = z.object({
  session: SessionSchema,
  issueContext: IssueContextSchema.nullable(),
  plan: PlanSchema.nullable(),
  hintLevel: HintLevelSchema,
  openFiles: z.array(
    z.object({ path: z.string(), dirty: z.boolean(), cursorPosition: CursorPositionSchema.nullable() }),
  ),
  observer: z.object({ active: z.boolean(), muted: z.boolean() }),
  lastReview: z.unknown().nullable(),
  planning: z.object({
    state: z.enum(['idle', 'running', 'failed']),
    phase: z.string().nullable(),
    progress: z.number().min(0).max(100),
    /** While running: the issue's title and the files read so far; after a failure: why. */
    issueTitle: z.string().optional(),
    files: z.array(z.string()).optional(),
    error: PlanningErrorSchema.optional(),
  }),
});
export type SessionSnapshot = z.infer<typeof SessionSnapshotSchema>;
