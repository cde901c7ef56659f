// The MCP endpoint: the HTTP server, and one low-level SDK `Server` per MCP session answering `tools/list` and
// `tools/call` from the tools the present modules contribute (public SDK API only).
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ActionType } from '../activity/action-types';
import type { Logger } from '../logging/logger';
import type { McpDispatch } from './fast-path';
import { McpHttpServer, type ToolDeniedReport } from './mcp-http-server';
import { loadMcpSdk } from './sdk';
import { runTool, type PaigeTool } from './tool-kit';

interface McpServiceDeps {
  appVersion: string;
  logger: Logger;
  /** The contributed tools, read when an MCP session starts. */
  tools(): readonly PaigeTool[];
  /** Logs a catalog action against the active session (dropped when none is active). */
  record(type: ActionType, data: unknown): void;
  /** A hook reported a tool call it refused (logged by the safety module). */
  onToolDenied?: (report: ToolDeniedReport) => void;
  /** Check tool results against their output schemas (AppCore's `validateOutput`: development and tests). */
  validateOutput: boolean;
}

/** A tool's entry in `tools/list`: JSON Schemas drawn once from its zod schemas (draft-07, input and output views). */
function describeTool(tool: PaigeTool): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: z.toJSONSchema(tool.input, { target: 'draft-7', io: 'input' }) as Tool['inputSchema'],
    outputSchema: z.toJSONSchema(tool.output, { target: 'draft-7', io: 'output' }) as Tool['outputSchema'],
    annotations: { title: tool.title, readOnlyHint: tool.readOnly, destructiveHint: false, openWorldHint: false },
  };
}

/** The SDK's InvalidParams error (the SDK is already loaded whenever a session exists). */
async function invalidParams(message: string): Promise<Error> {
  const { McpError, ErrorCode } = await loadMcpSdk();
  return new McpError(ErrorCode.InvalidParams, message);
}

export class McpService {
  private server: McpHttpServer | null = null;
  private catalog: { tools: readonly PaigeTool[]; byName: Map<string, PaigeTool>; listed: Tool[] } | null = null;
  /** What every tool call shares, built once. */
  private readonly callContext: Parameters<typeof runTool>[2];

  constructor(private readonly deps: McpServiceDeps) {
    this.callContext = {
      logger: deps.logger.child({ component: 'mcp-tools' }),
      record: deps.record,
      validateOutput: deps.validateOutput,
    };
  }

  private tools(): NonNullable<McpService['catalog']> {
    const tools = this.deps.tools();
    if (this.catalog?.tools !== tools) {
      this.catalog = { tools, byName: new Map(tools.map((t) => [t.name, t])), listed: tools.map(describeTool) };
    }
    return this.catalog;
  }

  /**
   * `tools/list` and `tools/call` as every session's SDK server answers them. The HTTP server's fast path calls the
   * same two functions for plain requests in an established session (fast-path.ts).
   */
  readonly dispatch: McpDispatch = {
    listTools: () => ({ tools: this.tools().listed }),
    callTool: async (params) => {
      const { name } = params;
      const tool = this.tools().byName.get(name);
      // Unknown tools and malformed arguments are protocol errors (JSON-RPC -32602), not tool results.
      if (!tool) throw await invalidParams(`Unknown tool: ${name}`);
      const parsed = tool.input.safeParse(params.arguments ?? {});
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(arguments)'}: ${i.message}`).join('; ');
        throw await invalidParams(`Invalid arguments for ${name}: ${issues}`);
      }
      return runTool(tool, parsed.data, this.callContext);
    },
  };

  /** A fresh SDK server with every contributed tool, for one MCP session (also used by tests and the benchmark). */
  async createServer(): Promise<Server> {
    const { Server, ListToolsRequestSchema, CallToolRequestSchema } = await loadMcpSdk();
    const server = new Server(
      { name: 'paige', title: 'Paige coding coach', version: this.deps.appVersion },
      // logging: clients may set a level (logging/setLevel); Paige sends no log notifications.
      { capabilities: { tools: { listChanged: true }, logging: {} } },
    );
    server.setRequestHandler(ListToolsRequestSchema, () => this.dispatch.listTools());
    server.setRequestHandler(CallToolRequestSchema, (request) => this.dispatch.callTool(request.params));
    // The SDK answers logging/setLevel itself once the capability is declared.
    return server;
  }

  /** Starts the endpoint on `port` (0 = any free port); resolves when it listens, rejects when it cannot. */
  start(port: number, token?: string): Promise<void> {
    this.server = McpHttpServer.start({
      port,
      ...(token !== undefined ? { token } : {}),
      logger: this.deps.logger,
      createServer: () => this.createServer(),
      dispatch: this.dispatch,
      ...(this.deps.onToolDenied ? { onToolDenied: this.deps.onToolDenied } : {}),
    });
    return this.server.ready;
  }

  /**
   * Loads the SDK now: called once the app has announced it is ready, so neither the ready line waits for the SDK nor
   * does the first MCP request (often a plugin hook on a 300 ms budget) pay for loading it.
   */
  preload(): void {
    loadMcpSdk().catch((err: unknown) => this.deps.logger.warn('loading the MCP SDK failed', { err }));
  }

  /** Resolves once the endpoint listens (true) or failed to (false); never rejects. */
  async whenReady(): Promise<boolean> {
    if (!this.server) return false;
    return this.server.ready.then(
      () => true,
      () => false,
    );
  }

  /** What Claude Code needs to connect (the PTY env, runtime.json), or null when the endpoint is not listening. */
  connection(): { url: string; token: string; port: number } | null {
    const s = this.server;
    if (!s?.listening) return null;
    return { url: s.url, token: s.token, port: s.port };
  }

  connectionCounts(): { active: number; total: number } {
    return this.server?.connectionCounts() ?? { active: 0, total: 0 };
  }

  stopAccepting(): void {
    this.server?.stopAccepting();
  }

  async close(): Promise<void> {
    await this.server?.close();
  }
}
