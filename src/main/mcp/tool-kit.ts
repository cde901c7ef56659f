// What every MCP tool shares: its dependencies, and one wrapper that gives each call a correlation id, a log line, an
// `mcp_tool_call` action, `structuredContent` plus a text copy, and errors in the shared error shape.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
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
  now(): Date;
}

export interface ToolDef<I extends z.ZodObject, O extends z.ZodObject> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  readOnly: boolean;
}

/** Each server's tool input schemas by name, so malformed arguments can be refused as JSON-RPC -32602 up front. */
const inputSchemas = new WeakMap<McpServer, Map<string, z.ZodType>>();

export function inputSchemasOf(server: McpServer): ReadonlyMap<string, z.ZodType> {
  return inputSchemas.get(server) ?? new Map();
}

export function toolResult(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
}

export function toolError(err: PaigeError, cid: string): CallToolResult {
  const error = err.toShape(cid);
  return {
    isError: true,
    content: [{ type: 'text', text: `${error.code}: ${error.message}` }],
    structuredContent: { error },
  };
}

export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(
  server: McpServer,
  deps: McpToolDeps,
  def: ToolDef<I, O>,
  handler: (input: z.output<I>) => z.input<O> | Promise<z.input<O>>,
): void {
  let schemas = inputSchemas.get(server);
  if (!schemas) {
    schemas = new Map();
    inputSchemas.set(server, schemas);
  }
  schemas.set(def.name, def.input);
  const annotations: ToolAnnotations = {
    title: def.title,
    readOnlyHint: def.readOnly,
    destructiveHint: false,
    openWorldHint: false,
  };
  const log = deps.logger.child({ component: 'mcp-tools' });
  // registerTool's callback type is generic over the schema; the handler re-parses its input itself, so a plain
  // `(args: unknown)` callback is accurate.
  const register = server.registerTool.bind(server) as unknown as (
    name: string,
    config: Record<string, unknown>,
    cb: (args: unknown) => Promise<CallToolResult>,
  ) => unknown;
  register(
    def.name,
    { title: def.title, description: def.description, inputSchema: def.input, outputSchema: def.output, annotations },
    async (args: unknown) => {
      const outer = currentContext();
      const cid = outer?.cid ?? newCid();
      return runWithContext({ ...outer, cid }, async () => {
        const t0 = performance.now();
        let errorCode: string | undefined;
        try {
          const value = await handler(def.input.parse(args));
          return toolResult(def.output.parse(value) as Record<string, unknown>);
        } catch (err) {
          const paige = isPaigeError(err) ? err : null;
          errorCode = paige?.code ?? 'INTERNAL';
          if (!paige) log.error('tool failed', { tool: def.name, err });
          return toolError(paige ?? new PaigeError('INTERNAL', 'Paige hit an internal error; see its log.'), cid);
        } finally {
          const durationMs = Math.round((performance.now() - t0) * 1000) / 1000;
          log.info('tool call', { tool: def.name, ok: errorCode === undefined, durationMs, errorCode });
          deps.record('mcp_tool_call', {
            toolName: def.name,
            ok: errorCode === undefined,
            durationMs,
            ...(errorCode !== undefined ? { errorCode } : {}),
          });
        }
      });
    },
  );
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
