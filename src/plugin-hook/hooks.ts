// What each Claude Code hook of the Paige plugin decides (docs/safety.md), apart from process I/O: the entry (main.ts)
// reads stdin, calls runHook and prints the result. A tool call the hook cannot check is denied; only "Paige is not
// reachable" falls back, and then to the bundled validator.
import type { McpEndpoint, ToolCallResult } from './mcp-lite';
import {
  MAX_COMMAND_LENGTH,
  type SafetyMode,
  type ValidateOptions,
  type ValidationResult,
} from '../shared/safety/validator';

export type HookEvent = 'session-start' | 'session-end' | 'pre-tool-use';

/**
 * The file-writing tools Claude Code must not use while Paige coaches, in every safety mode (the mode only decides how
 * Bash is judged; read-only adds Claude Code's own `--disallowedTools` backstop).
 */
const WRITE_TOOLS: ReadonlySet<string> = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);
/** @visibleForTesting */
export const WRITE_DENY_REASON = 'Paige is in coaching mode: you write the code; I can point and explain.';
/** Session-start waits this long (from process start) for Paige before it falls back to persona.md. */
const SESSION_START_BUDGET_MS = 1_500;
/** Session-end's total budget from process start, so it always exits within 1 s. */
const SESSION_END_BUDGET_MS = 800;
/** Default PAIGE_HOOK_TIMEOUT_MS for validating a Bash command in the app (so the decision is logged there). */
const DEFAULT_VALIDATE_BUDGET_MS = 300;
/** Upper bound on a configured PAIGE_HOOK_TIMEOUT_MS, so a typo cannot stall every Bash call. */
const MAX_VALIDATE_BUDGET_MS = 2_000;

/** @visibleForTesting */
export type HookEnv = Readonly<Record<string, string | undefined>>;

/** @visibleForTesting */
export interface HookDeps {
  callTool(
    endpoint: McpEndpoint,
    name: string,
    args: Record<string, unknown>,
    timeoutMs: number,
  ): Promise<ToolCallResult>;
  /** Fire and forget: tells Paige a file-writing tool was denied here, so the attempt is logged. */
  reportToolDenied(endpoint: McpEndpoint, report: { tool_name: string; target?: string }, timeoutMs: number): void;
  validateCommand(command: string, opts: ValidateOptions): ValidationResult;
  /** The fallback persona (persona.md); may throw, then a built-in sentence is used. */
  readPersona(): string;
  warn(message: string): void;
}

interface PreToolUseOutput {
  hookSpecificOutput: {
    hookEventName: 'PreToolUse';
    permissionDecision: 'deny' | 'ask';
    permissionDecisionReason: string;
  };
}

interface SessionStartOutput {
  hookSpecificOutput: { hookEventName: 'SessionStart'; additionalContext: string };
}

export type HookOutput = PreToolUseOutput | SessionStartOutput;

/** Used when persona.md itself cannot be read. */
const MINIMAL_PERSONA =
  'You are Paige, a coding coach. Never write or edit files: the learner writes the code. Guide with questions and hints.';

function str(input: Record<string, unknown>, key: string): string | undefined {
  const v = input[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** @visibleForTesting */
export function endpointFrom(env: HookEnv): McpEndpoint | null {
  const url = env.PAIGE_MCP_URL;
  const token = env.PAIGE_MCP_TOKEN;
  return url && token ? { url, token } : null;
}

/** @visibleForTesting */
export function safetyModeFrom(env: HookEnv): SafetyMode {
  return env.PAIGE_SAFETY_MODE === 'standard' ? 'standard' : 'read_only';
}

/** @visibleForTesting */
export function validateBudgetFrom(env: HookEnv): number {
  const n = Number.parseInt(env.PAIGE_HOOK_TIMEOUT_MS ?? '', 10);
  return Number.isFinite(n) && n > 0 ? Math.min(n, MAX_VALIDATE_BUDGET_MS) : DEFAULT_VALIDATE_BUDGET_MS;
}

/** Floor for a budget already mostly spent on start-up: still enough for a local round trip. */
const MIN_BUDGET_MS = 100;

/** What is left of a budget counted from process start (Node's own start-up counts against it). @visibleForTesting */
export function remainingOf(budgetMs: number): number {
  return Math.max(MIN_BUDGET_MS, Math.round(budgetMs - performance.now()));
}

function persona(deps: HookDeps): string {
  try {
    const text = deps.readPersona().trim();
    return text === '' ? MINIMAL_PERSONA : text;
  } catch {
    return MINIMAL_PERSONA;
  }
}

function sessionStartOutput(additionalContext: string): SessionStartOutput {
  return { hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext } };
}

export function decision(permissionDecision: 'deny' | 'ask', reason: string): PreToolUseOutput {
  return {
    hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision, permissionDecisionReason: reason },
  };
}

function toolErrorMessage(r: ToolCallResult): string {
  const err = r.structuredContent?.error;
  if (typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string') {
    return (err as { message: string }).message;
  }
  return r.text.slice(0, 300);
}

async function sessionStart(input: Record<string, unknown>, env: HookEnv, deps: HookDeps): Promise<HookOutput | null> {
  const endpoint = endpointFrom(env);
  // Outside Paige (no endpoint) the plugin adds nothing to the conversation.
  if (endpoint === null) return null;
  const args: Record<string, unknown> = { project_dir: env.PAIGE_PROJECT_DIR || str(input, 'cwd') || process.cwd() };
  const claudeSessionId = str(input, 'session_id');
  if (claudeSessionId !== undefined) args.claude_session_id = claudeSessionId;
  try {
    const r = await deps.callTool(endpoint, 'paige_start_session', args, remainingOf(SESSION_START_BUDGET_MS));
    const sc = r.structuredContent;
    if (!r.isError && sc && typeof sc.persona === 'string') {
      const summary = typeof sc.state_summary === 'string' ? sc.state_summary : '';
      return sessionStartOutput(summary === '' ? sc.persona : `${sc.persona}\n\n${summary}`);
    }
    return sessionStartOutput(
      `${persona(deps)}\n\nPaige could not start a coaching session: ${toolErrorMessage(r)}`.trimEnd(),
    );
  } catch (err) {
    deps.warn(`Paige is not reachable (${(err as Error).message}); using the built-in coaching persona.`);
    return sessionStartOutput(persona(deps));
  }
}

async function sessionEnd(input: Record<string, unknown>, env: HookEnv, deps: HookDeps): Promise<null> {
  const endpoint = endpointFrom(env);
  if (endpoint === null) return null;
  const args: Record<string, unknown> = {};
  const fields: [string, string | undefined][] = [
    ['reason', str(input, 'reason')],
    ['transcript_path', str(input, 'transcript_path')],
    ['claude_session_id', str(input, 'session_id')],
    ['pty_id', env.PAIGE_PTY_ID || undefined],
  ];
  for (const [k, v] of fields) if (v !== undefined) args[k] = v;
  try {
    // The wrap-up runs in the app; the call returns as soon as it is scheduled.
    await deps.callTool(endpoint, 'paige_end_session', args, remainingOf(SESSION_END_BUDGET_MS));
  } catch (err) {
    deps.warn(`Paige could not be told that the session ended (${(err as Error).message}).`);
  }
  return null;
}

function asValidation(sc: Record<string, unknown> | null): { decision: string; reason: string } | null {
  if (sc === null || typeof sc.decision !== 'string' || typeof sc.reason !== 'string') return null;
  return { decision: sc.decision, reason: sc.reason };
}

/** Reasons for tool calls the hook cannot check; each says what happened and what to do. */
export const UNREADABLE_INPUT_REASON =
  'Paige could not read this tool call (the hook input was not valid JSON), so it is blocked to be safe ' +
  '(hook.unreadable_input). Try again with a simpler request.';
/** @visibleForTesting */
export const MISSING_TOOL_REASON =
  'Paige could not tell which tool this call is for (no tool_name in the hook input), so it is blocked to be safe ' +
  '(hook.unreadable_input).';
/** @visibleForTesting */
export const MISSING_COMMAND_REASON =
  'Paige could not find the command in this Bash call (tool_input.command is missing), so it is blocked to be safe ' +
  '(hook.unreadable_input).';
export function hookFailedReason(message: string): string {
  return `Paige's safety check failed (${message}), so this tool call is blocked to be safe (hook.check_failed). Try again.`;
}

/**
 * Largest hook input the hook parses. Claude Code sends a Write's whole content and a Bash command with its
 * description; 64 MiB covers any real one while keeping the hook's memory bounded.
 */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export function tooBigReason(bytes: number): string {
  const mib = (n: number): string => `${Math.round(n / (1024 * 1024))} MiB`;
  return (
    `This tool call is too large for Paige to check (${mib(bytes)}; the limit is ${mib(MAX_INPUT_BYTES)}), ` +
    'so it is blocked (hook.input_too_large). ' +
    'Split the change into smaller steps.'
  );
}

const RANK: Record<string, number> = { allow: 0, ask: 1, deny: 2 };

async function preToolUse(input: Record<string, unknown>, env: HookEnv, deps: HookDeps): Promise<HookOutput | null> {
  const tool = str(input, 'tool_name');
  // The hook only runs for Write, Edit, MultiEdit, NotebookEdit and Bash: a call it cannot name is not let through.
  if (tool === undefined) return decision('deny', MISSING_TOOL_REASON);
  const mode = safetyModeFrom(env);
  const toolInput = (
    typeof input.tool_input === 'object' && input.tool_input !== null ? input.tool_input : {}
  ) as Record<string, unknown>;
  if (tool !== undefined && WRITE_TOOLS.has(tool)) {
    // Decided here without asking the app, so it holds when Paige is down; the report only feeds the action log.
    const endpoint = endpointFrom(env);
    if (endpoint !== null) {
      const target = str(toolInput, 'file_path') ?? str(toolInput, 'notebook_path');
      deps.reportToolDenied(
        endpoint,
        target === undefined ? { tool_name: tool } : { tool_name: tool, target },
        validateBudgetFrom(env),
      );
    }
    return decision('deny', WRITE_DENY_REASON);
  }
  if (tool !== 'Bash') return null;
  const command = toolInput.command;
  if (typeof command !== 'string') return decision('deny', MISSING_COMMAND_REASON);
  const cwd = str(input, 'cwd');

  // The bundled validator always decides too, and the stricter answer wins: the app can log and add rules, never
  // loosen them.
  const local = deps.validateCommand(command, { mode, cwd });
  let verdict: { decision: string; reason: string } | null = null;
  const endpoint = endpointFrom(env);
  // The app refuses commands over its length limit; the local verdict for those is already final (never allow).
  if (endpoint !== null && command.length <= MAX_COMMAND_LENGTH) {
    const args: Record<string, unknown> = { command, mode };
    if (cwd !== undefined) args.cwd = cwd;
    try {
      // In the app, so the decision is logged against the session (command_validated).
      const r = await deps.callTool(endpoint, 'paige_validate_command', args, validateBudgetFrom(env));
      if (!r.isError) verdict = asValidation(r.structuredContent);
    } catch (err) {
      // Unreachable or slower than the budget: the bundled validator decides below.
      deps.warn(`Paige did not validate the command (${(err as Error).message}); decided locally.`);
    }
  }
  if (verdict === null || (RANK[local.decision] ?? 2) > (RANK[verdict.decision] ?? 2)) {
    verdict = { decision: local.decision, reason: local.reason };
  }
  if (verdict.decision === 'deny' || verdict.decision === 'ask') return decision(verdict.decision, verdict.reason);
  if (verdict.decision !== 'allow') return decision('deny', hookFailedReason(`unknown decision "${verdict.decision}"`));
  // allow: no decision, so Claude Code's normal permission flow applies.
  return null;
}

/** Runs one hook; never rejects. An internal error denies a PreToolUse call and is only a warning elsewhere. */
export async function runHook(event: string, input: unknown, env: HookEnv, deps: HookDeps): Promise<HookOutput | null> {
  const record = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  try {
    switch (event) {
      case 'session-start':
        return await sessionStart(record, env, deps);
      case 'session-end':
        return await sessionEnd(record, env, deps);
      case 'pre-tool-use':
        return await preToolUse(record, env, deps);
      default:
        deps.warn(`unknown hook event "${event}"`);
        return null;
    }
  } catch (err) {
    deps.warn(`hook ${event} failed: ${(err as Error).message}`);
    return event === 'pre-tool-use' ? decision('deny', hookFailedReason((err as Error).message)) : null;
  }
}
