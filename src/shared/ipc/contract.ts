// The IPC channel registry (docs/ipc.md). Every transport (Electron preload, headless bridge) is built from it.
import { z } from 'zod';
import { ErrorCodeSchema } from './errors';
import {
  HintLevelSchema,
  SessionSchema,
  SessionSnapshotSchema,
  SessionStatusSchema,
  EndReasonSchema,
  IssueContextSchema,
  PlanSchema,
  PlanningErrorSchema,
  PlanningPhaseSchema,
  HintStyleSchema,
  WrapUpAgentSchema,
} from '../domain/session';
import { RecentProjectSchema } from '../domain/project';
import {
  BufferUpdateSchema,
  MAX_FILE_BYTES,
  MAX_SELECTED_TEXT,
  OpenedFileSchema,
  RangeSchema,
  SaveInputSchema,
  SaveResultSchema,
  SearchPageSchema,
  SearchQuerySchema,
  TreeChangeSchema,
  TreeNodeSchema,
  WirePathSchema,
} from '../domain/workspace';
import { SettingsPatchSchema, SettingsViewSchema } from '../settings/schema';
import {
  ClearHighlightsEventSchema,
  ClearHintsEventSchema,
  CoachingClearEventSchema,
  CoachingMessageEventSchema,
  HighlightLinesEventSchema,
  HintFilesEventSchema,
  IssueContextEventSchema,
  MessageIdSchema,
  OpenFileEventSchema,
  PhaseUpdateEventSchema,
  SessionCompletedEventSchema,
} from '../domain/coaching';
import {
  ApiKeyTestResultSchema,
  BudgetWarningEventSchema,
  ExplainInputSchema,
  ExplanationSchema,
  LlmUsageSchema,
} from '../domain/llm';
import { ChatEventSchema, chatSchemas as chat } from '../domain/chat';
import { WrapUpProgressEventSchema, WrapUpSummarySchema } from '../domain/wrap-up';
import { SafetyValidateInputSchema, ValidateCommandOutputSchema } from '../safety/schema';
import { MemoryStatusSchema, SearchMemoriesInputSchema, SearchMemoriesOutputSchema } from '../domain/memory';
import { IdleEndSchema, IdleStartSchema, ObserverNudgeEventSchema, ObserverStatusSchema } from '../domain/observer';
import { InProgressEventSchema, IssuesErrorEventSchema, IssuesEventSchema } from '../domain/issues';

/** Client-side invoke timeouts: 30 s by default, longer where a channel opts in with `timeoutMs`. */
const DEFAULT_INVOKE_TIMEOUT_MS = 30_000;
const LONG_INVOKE_TIMEOUT_MS = 180_000;
/** Channels that wait on the model: retries with backoff and a fallback model can take a while. */
const LLM_INVOKE_TIMEOUT_MS = 120_000;

/** Bumped when a channel changes incompatibly. */
export const PROTOCOL_VERSION = 1;

export interface InvokeDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly kind: 'invoke';
  readonly input: I;
  readonly output: O;
  /** `E`: only the Electron transport serves it; the bridge answers NOT_SUPPORTED. */
  readonly electronOnly?: boolean;
  readonly timeoutMs?: number;
}

interface EventDef<P extends z.ZodType = z.ZodType> {
  readonly kind: 'event';
  readonly payload: P;
}

function invoke<I extends z.ZodType, O extends z.ZodType>(
  input: I,
  output: O,
  opts: { electronOnly?: boolean; timeoutMs?: number } = {},
): InvokeDef<I, O> {
  return { kind: 'invoke', input, output, ...opts };
}

function event<P extends z.ZodType>(payload: P): EventDef<P> {
  return { kind: 'event', payload };
}

/** A channel that takes no input accepts `undefined`, `null` or `{}`. */
const NoInput = z.union([z.undefined(), z.null(), z.object({}).strict()]);

const CapabilitiesSchema = z.object({
  llm: z.enum(['ready', 'no_key', 'invalid_key']),
  memory: z.enum(['chroma', 'fts', 'none']),
  gh: z.boolean(),
  git: z.boolean(),
  claude: z.boolean(),
  pty: z.boolean(),
  channels: z.boolean(),
});
export type Capabilities = z.infer<typeof CapabilitiesSchema>;

const LatencySchema = z.object({
  count: z.number().int(),
  errors: z.number().int(),
  p50Ms: z.number(),
  p95Ms: z.number(),
});

const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded', 'shutting_down']),
  appVersion: z.string(),
  runtime: z.enum(['electron', 'node']),
  uptimeS: z.number(),
  startupMs: z.number(),
  db: z.object({ ok: z.boolean(), path: z.string(), schemaVersion: z.number().int(), sizeBytes: z.number().int() }),
  mcp: z.object({ active: z.number().int(), total: z.number().int() }),
  bridge: z.object({ active: z.number().int(), total: z.number().int() }),
  invokes: z.record(z.string(), LatencySchema),
  pty: z.object({ state: z.enum(['none', 'starting', 'running', 'paused', 'exited']) }),
  memory: z.object({ backend: z.enum(['chroma', 'fts', 'none']) }),
  llm: z.object({ state: z.enum(['ready', 'no_key', 'invalid_key']) }),
});
export type Health = z.infer<typeof HealthSchema>;

// --- terminal schemas ---
const PtyIdSchema = z.string().min(1).max(64);
const PtyStateSchema = z.enum(['starting', 'running', 'paused', 'exited']);
/** Terminal input per invoke (≤ 64 KiB); the renderer splits bigger pastes. */
export const TERMINAL_INPUT_MAX_CHARS = 65_536;
/** Renderers ack terminal output in units of this many chars (docs/terminal.md); the host counts owed acks by it. */
export const TERMINAL_ACK_UNIT_CHARS = 5_000;
/** Any sane size; the host clamps to cols 2–500, rows 1–200 (docs/terminal.md). */
const TerminalDimension = z.number().int().min(1).max(10_000);
// --- end terminal schemas ---

export const invokeChannels = {
  'connection:hello': invoke(
    z.object({
      clientVersion: z.string().max(64),
      platform: z.string().max(64),
      windowSize: z.object({ width: z.number().int().nonnegative(), height: z.number().int().nonnegative() }),
      transport: z.enum(['electron', 'bridge']),
    }),
    z.object({
      appVersion: z.string(),
      protocolVersion: z.number().int(),
      projectDir: z.string().nullable(),
      session: SessionSchema.nullable(),
      capabilities: CapabilitiesSchema,
      featureFlags: z.object({
        observer: z.boolean(),
        practice: z.boolean(),
        chat: z.boolean(),
        localTests: z.boolean(),
      }),
      hintLevel: HintLevelSchema,
    }),
  ),
  'app:health': invoke(NoInput, HealthSchema),
  'app:open_external': invoke(
    z.object({ url: z.url({ protocol: /^https?$/ }).max(4096) }),
    z.object({ opened: z.boolean(), url: z.string().optional() }),
  ),
  'project:recent': invoke(NoInput, z.object({ projects: z.array(RecentProjectSchema) })),
  'project:open': invoke(
    z.object({ path: z.string().min(1).max(4096) }),
    z.object({
      projectDir: z.string(),
      owner: z.string().optional(),
      repo: z.string().optional(),
      cloned: z.boolean(),
    }),
    { timeoutMs: LONG_INVOKE_TIMEOUT_MS },
  ),
  'project:pick_folder': invoke(NoInput, z.object({ path: z.string().nullable() }), { electronOnly: true }),
  'session:snapshot': invoke(NoInput, SessionSnapshotSchema.nullable()),
  'session:list': invoke(
    z
      .object({
        status: SessionStatusSchema.optional(),
        limit: z.number().int().min(1).max(100).optional(),
        cursor: z.string().max(64).optional(),
      })
      .optional(),
    z.object({ sessions: z.array(SessionSchema), nextCursor: z.string().nullable(), hasMore: z.boolean() }),
  ),
  'settings:get': invoke(NoInput, SettingsViewSchema),
  'settings:update': invoke(z.object({ patch: SettingsPatchSchema }), SettingsViewSchema),
  'settings:reset': invoke(
    z.object({ keys: z.array(z.string().max(64)).max(64).optional() }).optional(),
    SettingsViewSchema,
  ),
  // --- workspace channels (files, buffers, tree, search) ---
  'fs:tree': invoke(NoInput, z.object({ root: TreeNodeSchema, truncated: z.boolean() })),
  'file:open': invoke(z.object({ path: WirePathSchema }), OpenedFileSchema),
  'file:save': invoke(SaveInputSchema, SaveResultSchema),
  'file:close': invoke(z.object({ path: WirePathSchema }), z.null()),
  'file:create': invoke(
    z.object({ path: WirePathSchema, content: z.string().max(MAX_FILE_BYTES).optional() }),
    z.object({ path: z.string() }),
  ),
  'file:delete': invoke(z.object({ path: WirePathSchema }), z.object({ path: z.string() })),
  'buffer:update': invoke(BufferUpdateSchema, z.null()),
  'editor:tab_switch': invoke(z.object({ fromPath: WirePathSchema.nullable(), toPath: WirePathSchema }), z.null()),
  'editor:selection': invoke(
    z.object({ path: WirePathSchema, range: RangeSchema, selectedText: z.string().max(MAX_SELECTED_TEXT) }),
    z.null(),
  ),
  'search:query': invoke(SearchQuerySchema, SearchPageSchema),
  // --- end workspace channels ---
  // --- terminal channels ---
  'terminal:attach': invoke(
    z.object({ cols: TerminalDimension, rows: TerminalDimension }),
    z.object({
      ptyId: PtyIdSchema,
      state: PtyStateSchema,
      command: z.string(),
      fallback: z.boolean(),
      snapshot: z.string(),
      seq: z.number().int().nonnegative(),
      exit: z.object({ exitCode: z.number().int(), signal: z.number().int().nullable() }).nullable(),
    }),
  ),
  'terminal:input': invoke(z.object({ ptyId: PtyIdSchema, data: z.string().max(TERMINAL_INPUT_MAX_CHARS) }), z.null()),
  'terminal:resize': invoke(
    z.object({ ptyId: PtyIdSchema, cols: TerminalDimension, rows: TerminalDimension }),
    z.null(),
  ),
  'terminal:ack': invoke(z.object({ ptyId: PtyIdSchema, chars: z.number().int().positive() }), z.null()),
  'terminal:restart': invoke(
    z.object({ cols: TerminalDimension.optional(), rows: TerminalDimension.optional() }).optional(),
    z.object({ ptyId: PtyIdSchema }),
  ),
  'terminal:detach': invoke(z.object({ ptyId: PtyIdSchema }), z.null()),
  // --- end terminal channels ---
  // --- mcp and safety channels ---
  'safety:validate': invoke(SafetyValidateInputSchema, ValidateCommandOutputSchema),
  'coaching:dismiss': invoke(z.object({ messageId: MessageIdSchema }), z.null()),
  // --- end mcp and safety channels ---
  // --- model layer channels ---
  'settings:set_api_key': invoke(
    z.object({ apiKey: z.string().trim().min(1).max(512) }),
    z.object({ stored: z.boolean() }),
  ),
  'settings:clear_api_key': invoke(NoInput, z.object({ cleared: z.boolean() })),
  'settings:test_api_key': invoke(NoInput, ApiKeyTestResultSchema, { timeoutMs: LLM_INVOKE_TIMEOUT_MS }),
  'user:explain': invoke(ExplainInputSchema, ExplanationSchema, { timeoutMs: LLM_INVOKE_TIMEOUT_MS }),
  'llm:usage': invoke(NoInput, LlmUsageSchema),
  // --- end model layer channels ---
  // --- coach chat channels ---
  'chat:session_create': invoke(chat.sessionCreate.input, chat.sessionCreate.output),
  'chat:session_list': invoke(chat.sessionList.input, chat.sessionList.output),
  'chat:session_delete': invoke(chat.sessionDelete.input, chat.sessionDelete.output),
  'chat:send': invoke(chat.send.input, chat.send.output),
  'chat:interrupt': invoke(chat.interrupt.input, chat.interrupt.output),
  'chat:dequeue': invoke(chat.dequeue.input, chat.dequeue.output),
  'chat:history': invoke(chat.history.input, chat.history.output),
  'chat:state': invoke(chat.state.input, chat.state.output),
  'chat:turns': invoke(chat.turns.input, chat.turns.output),
  // --- end coach chat channels ---
  // --- wrap-up channels ---
  'session:retry_wrap_up': invoke(
    z.object({ sessionId: z.number().int().positive(), agent: WrapUpAgentSchema.optional() }),
    SessionCompletedEventSchema.omit({ errors: true }).extend({
      status: z.enum(['completed', 'completed_with_errors']),
      ran: z.array(WrapUpAgentSchema),
      unresolved: z.array(WrapUpAgentSchema),
    }),
    { timeoutMs: LLM_INVOKE_TIMEOUT_MS },
  ),
  // --- end wrap-up channels ---
  // --- wrap-up UI channels ---
  /** Ends the active session from the UI; `runWrapUp: false` ends it without a wrap-up (a retry can run it later). */
  'session:end': invoke(
    z.object({ runWrapUp: z.boolean().optional() }).optional(),
    z.object({ sessionId: z.number().int(), status: SessionStatusSchema }),
  ),
  /** What a session's wrap-up produced, from SQLite; without `sessionId`, the newest ended session (null: none). */
  'session:wrap_up_summary': invoke(
    z.object({ sessionId: z.number().int().positive().optional() }).optional(),
    WrapUpSummarySchema.nullable(),
  ),
  // --- end wrap-up UI channels ---
  // --- observer channels ---
  'observer:mute': invoke(z.object({ muted: z.boolean() }), ObserverStatusSchema),
  'observer:get_status': invoke(NoInput, ObserverStatusSchema),
  'user:idle_start': invoke(IdleStartSchema, z.null()),
  'user:idle_end': invoke(IdleEndSchema, z.null()),
  // --- end observer channels ---
  // --- coaching pipeline channels ---
  /**
   * Starts a session on a GitHub issue and plans it in the background (`planning:*` events), or resumes the issue's
   * unfinished plan without a model call. `force` ends an active session on another issue normally first.
   */
  'session:select_issue': invoke(
    z.object({
      issueNumber: z.number().int().positive(),
      // The issue as the Issues view already has it: used when `gh issue view` cannot read it.
      issueTitle: z.string().min(1).max(1_000).optional(),
      issueBody: z.string().max(65_536).optional(),
      issueLabels: z.array(z.string().max(200)).max(100).optional(),
      issueUrl: z.string().max(2_000).optional(),
      force: z.boolean().optional(),
    }),
    z.object({
      sessionId: z.number().int().positive(),
      issueNumber: z.number().int().positive(),
      planning: z.enum(['started', 'resumed']),
    }),
    { timeoutMs: LONG_INVOKE_TIMEOUT_MS },
  ),
  /** Resumes a session's (or an issue's newest) unfinished plan in a new session; the active one answers as is. */
  'session:resume': invoke(
    z.union([
      z.object({ sessionId: z.number().int().positive() }).strict(),
      z.object({ issueNumber: z.number().int().positive() }).strict(),
    ]),
    SessionSnapshotSchema,
    { timeoutMs: LONG_INVOKE_TIMEOUT_MS },
  ),
  /** Runs the failed pipeline of the active session again. */
  'planning:retry': invoke(z.object({ sessionId: z.number().int().positive() }), z.object({ started: z.boolean() })),
  /** The learner changed the hint level (the renderer already shows it): spans and escalations are recorded. */
  'hints:level_change': invoke(
    z.object({ from: HintLevelSchema, to: HintLevelSchema }),
    z.object({ level: HintLevelSchema }),
  ),
  /** Thumbs up or down on a coaching message or the plan. */
  'coaching:feedback': invoke(z.object({ messageId: MessageIdSchema, helpful: z.boolean() }), z.null()),
  // --- end coaching pipeline channels ---
  // --- issues channels ---
  /** Re-runs the in-progress and issues flows; their events carry the returned `requestId`. */
  'dashboard:refresh_issues': invoke(NoInput, z.object({ requestId: z.string() })),
  // --- end issues channels ---
  // --- memory channels ---
  'search:memories': invoke(SearchMemoriesInputSchema, SearchMemoriesOutputSchema),
  'memory:status': invoke(NoInput, MemoryStatusSchema),
  // --- end memory channels ---
} as const;

export const eventChannels = {
  'app:error': event(
    z.object({
      code: ErrorCodeSchema,
      message: z.string(),
      cid: z.string().optional(),
      context: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
  'app:capabilities': event(CapabilitiesSchema),
  'settings:changed': event(z.object({ changedKeys: z.array(z.string()), restartRequired: z.array(z.string()) })),
  'project:changed': event(z.object({ projectDir: z.string().nullable() })),
  'session:started': event(
    z.object({
      session: SessionSchema,
      issueContext: IssueContextSchema.nullable(),
      plan: PlanSchema.nullable(),
      hintLevel: HintLevelSchema,
    }),
  ),
  'session:ended': event(
    z.object({ sessionId: z.number().int(), status: SessionStatusSchema, reason: EndReasonSchema }),
  ),
  // --- workspace events ---
  'fs:tree_update': event(z.object({ changes: z.array(TreeChangeSchema) })),
  'buffer:external_change': event(z.object({ path: z.string(), mtimeMs: z.number(), deleted: z.boolean() })),
  // --- end workspace events ---
  // --- terminal events ---
  'terminal:data': event(z.object({ ptyId: PtyIdSchema, seq: z.number().int().positive(), data: z.string() })),
  'terminal:exit': event(
    z.object({
      ptyId: PtyIdSchema,
      exitCode: z.number().int(),
      signal: z.number().int().nullable(),
      /** Paige ended it (restart, project switch, shutdown): its SessionEnd hook reports `detached`. */
      appInitiated: z.boolean(),
    }),
  ),
  'terminal:status': event(
    z.object({ ptyId: PtyIdSchema, state: PtyStateSchema, fallback: z.boolean(), command: z.string() }),
  ),
  // --- end terminal events ---
  // --- mcp, editor, explorer, coaching and session events ---
  'editor:open_file': event(OpenFileEventSchema),
  'editor:highlight_lines': event(HighlightLinesEventSchema),
  'editor:clear_highlights': event(ClearHighlightsEventSchema),
  'explorer:hint_files': event(HintFilesEventSchema),
  'explorer:clear_hints': event(ClearHintsEventSchema),
  'coaching:message': event(CoachingMessageEventSchema),
  'coaching:clear': event(CoachingClearEventSchema),
  'coaching:issue_context': event(IssueContextEventSchema),
  'coaching:phase_update': event(PhaseUpdateEventSchema),
  'session:completed': event(SessionCompletedEventSchema),
  // --- end mcp, editor, explorer, coaching and session events ---
  // --- model layer events ---
  'llm:budget_warning': event(BudgetWarningEventSchema),
  // --- end model layer events ---
  // --- coach chat events ---
  'chat:event': event(ChatEventSchema),
  // --- end coach chat events ---
  // --- observer events ---
  'observer:status': event(ObserverStatusSchema),
  'observer:nudge': event(ObserverNudgeEventSchema),
  // --- end observer events ---
  // --- wrap-up UI events ---
  'session:wrap_up_progress': event(WrapUpProgressEventSchema),
  // --- end wrap-up UI events ---
  // --- coaching pipeline events ---
  'planning:started': event(z.object({ sessionId: z.number().int(), issueTitle: z.string() })),
  /** The pipeline's step and overall progress 0–100. */
  'planning:phase_update': event(
    z.object({ sessionId: z.number().int(), phase: PlanningPhaseSchema, progress: z.number().int().min(0).max(100) }),
  ),
  /** A line of progress; `filePath` names a file being read. */
  'planning:progress': event(
    z.object({ sessionId: z.number().int(), message: z.string(), filePath: z.string().optional() }),
  ),
  'planning:complete': event(
    z.object({
      sessionId: z.number().int(),
      plan: PlanSchema,
      fileHints: z.array(z.object({ path: z.string(), style: HintStyleSchema, phase: z.number().int() })),
      issueContext: z.object({
        number: z.number().int().nullable(),
        title: z.string(),
        body: z.string(),
        labels: z.array(z.string()),
        url: z.string().nullable(),
      }),
    }),
  ),
  /** Nothing was stored; `retryable` runs are offered `planning:retry`. */
  'planning:error': event(PlanningErrorSchema.extend({ sessionId: z.number().int() })),
  /** A new plan is stored and active: the sidebar shows it whole. */
  'coaching:plan_ready': event(z.object({ sessionId: z.number().int(), plan: PlanSchema })),
  // --- end coaching pipeline events ---
  // --- issues events ---
  'dashboard:in_progress': event(InProgressEventSchema),
  'dashboard:issues': event(IssuesEventSchema),
  'dashboard:issues_error': event(IssuesErrorEventSchema),
  // --- end issues events ---
} as const;

type InvokeChannels = typeof invokeChannels;
type EventChannels = typeof eventChannels;
export type InvokeChannel = keyof InvokeChannels;
export type EventChannel = keyof EventChannels;

export type InvokeInput<C extends InvokeChannel> = z.output<InvokeChannels[C]['input']>;
/** What a caller may pass (before zod defaults/transforms). */
export type InvokeInputArg<C extends InvokeChannel> = z.input<InvokeChannels[C]['input']>;
export type InvokeOutput<C extends InvokeChannel> = z.output<InvokeChannels[C]['output']>;
export type EventPayload<E extends EventChannel> = z.output<EventChannels[E]['payload']>;

/** Arguments of a typed invoke call: the input is optional when the channel accepts `undefined`. */
export type InvokeArgs<C extends InvokeChannel> =
  undefined extends InvokeInputArg<C> ? [input?: InvokeInputArg<C>] : [input: InvokeInputArg<C>];

export const INVOKE_CHANNEL_NAMES = Object.keys(invokeChannels) as InvokeChannel[];
export const EVENT_CHANNEL_NAMES = Object.keys(eventChannels) as EventChannel[];

export function isInvokeChannel(name: string): name is InvokeChannel {
  return Object.prototype.hasOwnProperty.call(invokeChannels, name);
}

export function invokeTimeoutMs(channel: InvokeChannel): number {
  const def: InvokeDef = invokeChannels[channel];
  return def.timeoutMs ?? DEFAULT_INVOKE_TIMEOUT_MS;
}
