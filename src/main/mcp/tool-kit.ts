// What every MCP tool shares: its dependencies, and one wrapper that gives each call a correlation id, a log line, an
// `mcp_tool_call` action, `structuredContent` plus a text copy, and errors in the shared error shape.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { PaigeError, isPaigeError } from '../../shared/ipc/errors';
import type { ActionType } from '../activity/action-types';
import type { SettingsService } from '../config/settings-service';
import { HOST_CASE_INSENSITIVE, resolveInProject } from '../fs/path-guard';
import type { EventHub } from '../ipc/event-hub';
import { currentContext, newCid, runWithContext } from '../logging/context';
import type { Logger } from '../logging/logger';
import type { ProjectService } from '../projects/project-service';
import type { CommandValidator } from '../safety/command-validation';
import type { WorkspaceService } from '../fs/workspace-service';
import type { SessionService } from '../sessions/session-service';
import type { SessionStateReader } from '../sessions/session-state';
import type { PlanStore } from '../sessions/plan-store';
import type { WrapUpRunner } from '../sessions/wrap-up-runner';

export interface McpToolDeps {
  sessions: SessionService;
  projects: ProjectService;
  settings: SettingsService;
  events: EventHub;
  logger: Logger;
  plans: PlanStore;
  wrapUp: WrapUpRunner;
  /** Buffers, diffs, the open set and confined file reads (docs/workspace.md). */
  workspace: WorkspaceService;
  /** Plan, progress, skills, gaps, katas and actions of a session as the read tools report them. */
  state: SessionStateReader;
  /** Logs a catalog action against the active session (dropped when none is active). */
  record(type: ActionType, data: unknown): void;
  /** Whether Paige itself is ending this PTY (restart, project switch, shutdown): its session stays active. */
  isPtyDetaching(ptyId: string): boolean;
  validateCommand: CommandValidator;
  /** The observer's state; absent when no observer module is present. */
  observer?(): { active: boolean; muted: boolean };
  now(): Date;
}

interface ToolDef<I extends z.ZodObject, O extends z.ZodObject> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  readOnly: boolean;
}

/** A tool as a module contributes it: its declaration plus a handler that takes parsed input. */
export interface PaigeTool extends ToolDef<z.ZodObject, z.ZodObject> {
  handle(input: unknown): unknown;
}

export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(
  def: ToolDef<I, O>,
  handler: (input: z.output<I>) => z.input<O> | Promise<z.input<O>>,
): PaigeTool {
  return { ...def, handle: (input) => handler(input as z.output<I>) };
}

function toolResult(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
}

function toolError(err: PaigeError, cid: string): CallToolResult {
  const error = err.toShape(cid);
  return {
    isError: true,
    content: [{ type: 'text', text: `${error.code}: ${error.message}` }],
    structuredContent: { error },
  };
}

interface ToolCallContext {
  logger: Logger;
  record(type: ActionType, data: unknown): void;
  /**
   * Check each result against the tool's output schema (development and tests; AppCore's `validateOutput`). Off in
   * production builds, where the handlers' types stand for the schema; with it on, a result the schema would change
   * (a field outside it, a wrong type) is a bug and fails the call.
   */
  validateOutput: boolean;
}

/** JSON with object keys sorted, to compare a result with its parsed form regardless of key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

function checkedOutput(tool: PaigeTool, value: unknown): Record<string, unknown> {
  const parsed = tool.output.parse(value) as Record<string, unknown>;
  if (canonicalJson(parsed) !== canonicalJson(value)) {
    throw new Error(`${tool.name} returned a result its output schema changes (a field outside the schema?)`);
  }
  return parsed;
}

/**
 * Runs one call of a tool whose arguments already passed its input schema: a correlation id, a log line, an
 * `mcp_tool_call` action, the output checked against its schema when `validateOutput` is on, and `structuredContent` with a text copy. A failure
 * becomes an `isError` result with the error shape (code, message, cid) a model can act on.
 */
export function runTool(tool: PaigeTool, input: unknown, ctx: ToolCallContext): Promise<CallToolResult> {
  const outer = currentContext();
  // The HTTP layer already gave the request a correlation id; only a call from elsewhere needs its own context.
  if (outer?.cid !== undefined) return callTool(tool, input, ctx, outer.cid);
  const cid = newCid();
  return runWithContext({ ...outer, cid }, () => callTool(tool, input, ctx, cid));
}

async function callTool(tool: PaigeTool, input: unknown, ctx: ToolCallContext, cid: string): Promise<CallToolResult> {
  const t0 = performance.now();
  let errorCode: string | undefined;
  try {
    const value = await tool.handle(input);
    return toolResult(ctx.validateOutput ? checkedOutput(tool, value) : (value as Record<string, unknown>));
  } catch (err) {
    const paige = isPaigeError(err) ? err : null;
    errorCode = paige?.code ?? 'INTERNAL';
    if (!paige) ctx.logger.error('tool failed', { tool: tool.name, err });
    return toolError(paige ?? new PaigeError('INTERNAL', 'Paige hit an internal error; see its log.'), cid);
  } finally {
    const durationMs = Math.round((performance.now() - t0) * 1000) / 1000;
    ctx.logger.info('tool call', { tool: tool.name, ok: errorCode === undefined, durationMs, errorCode });
    ctx.record('mcp_tool_call', {
      toolName: tool.name,
      ok: errorCode === undefined,
      durationMs,
      ...(errorCode !== undefined ? { errorCode } : {}),
    });
  }
}

/** Normalizes a path from Claude Code to the project-relative key the UI uses (the path gate). */
export function projectPath(deps: McpToolDeps, input: string): string {
  const root = deps.projects.projectDir ?? deps.sessions.getActive()?.projectDir ?? null;
  if (root === null) throw new PaigeError('INVALID_STATE', 'No project is open in Paige; open one first.');
  return resolveInProject(root, input, { caseInsensitive: HOST_CASE_INSENSITIVE }).rel;
}

export function requireSession(deps: McpToolDeps): NonNullable<ReturnType<SessionService['getActive']>> {
  const s = deps.sessions.getActive();
  if (!s) {
    throw new PaigeError(
      'NO_ACTIVE_SESSION',
      'No coaching session is active. Call paige_start_session with the project directory first.',
    );
  }
  return s;
}
