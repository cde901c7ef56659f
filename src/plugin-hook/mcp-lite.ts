// A minimal MCP Streamable HTTP client for the plugin hooks: initialize → tools/call → DELETE over plain
// fetch, all under one deadline, so a hook never waits on Paige longer than its budget. No dependencies. It skips
// `notifications/initialized`: Paige's server answers tools/call without it, and each round trip counts against the
// hook's 300 ms budget.

/** The MCP protocol revision Paige's server speaks. */
export const MCP_PROTOCOL_VERSION = '2025-06-18';
/** The MCP session is closed after the call; this bounds that last request so it cannot hold the hook open. */
const CLOSE_TIMEOUT_MS = 200;

export interface McpEndpoint {
  url: string;
  token: string;
}

export interface ToolCallResult {
  isError: boolean;
  structuredContent: Record<string, unknown> | null;
  text: string;
}

interface JsonRpcResponse {
  result?: unknown;
  error?: { code?: number; message?: string };
}

export class McpLiteError extends Error {}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The JSON-RPC response in a JSON body, or in the first `data:` line of an SSE body. */
function parseRpcBody(body: string, contentType: string): JsonRpcResponse {
  let json = body;
  if (contentType.includes('text/event-stream')) {
    const line = body.split(/\r?\n/).find((l) => l.startsWith('data:'));
    if (line === undefined) throw new McpLiteError('empty event stream');
    json = line.slice('data:'.length).trim();
  }
  const parsed: unknown = JSON.parse(json);
  if (!isObject(parsed)) throw new McpLiteError('response is not a JSON-RPC object');
  return parsed as JsonRpcResponse;
}

class McpLiteSession {
  private sessionId: string | null = null;
  private nextId = 1;

  constructor(
    private readonly endpoint: McpEndpoint,
    private readonly signal: AbortSignal,
  ) {}

  private headers(): Record<string, string> {
    const h: Record<string, string> = {
      authorization: `Bearer ${this.endpoint.token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    };
    if (this.sessionId !== null) {
      h['mcp-session-id'] = this.sessionId;
      h['mcp-protocol-version'] = MCP_PROTOCOL_VERSION;
    }
    return h;
  }

  async request(method: string, params: unknown): Promise<unknown> {
    const res = await fetch(this.endpoint.url, {
      method: 'POST',
      headers: this.headers(),
      body: JSON.stringify({ jsonrpc: '2.0', id: this.nextId++, method, params }),
      signal: this.signal,
    });
    const body = await res.text();
    if (!res.ok) throw new McpLiteError(`${method}: HTTP ${res.status}`);
    const sid = res.headers.get('mcp-session-id');
    if (sid !== null && this.sessionId === null) this.sessionId = sid;
    const rpc = parseRpcBody(body, res.headers.get('content-type') ?? '');
    if (rpc.error) throw new McpLiteError(`${method}: ${rpc.error.message ?? 'JSON-RPC error'}`);
    return rpc.result;
  }

  /** Ends the MCP session so hook calls do not pile up against the server's session cap; errors are ignored. */
  async close(): Promise<void> {
    if (this.sessionId === null) return;
    const headers = this.headers();
    this.sessionId = null;
    try {
      const res = await fetch(this.endpoint.url, {
        method: 'DELETE',
        headers,
        signal: AbortSignal.timeout(CLOSE_TIMEOUT_MS),
      });
      await res.text();
    } catch {
      // The server drops idle sessions itself.
    }
  }
}

/**
 * Calls one tool: initialize, tools/call, then DELETE. Rejects when the server cannot be
 * reached, answers with an HTTP or JSON-RPC error, or `timeoutMs` passes; a tool error is a result with isError.
 */
export async function callTool(
  endpoint: McpEndpoint,
  name: string,
  args: Record<string, unknown>,
  timeoutMs: number,
): Promise<ToolCallResult> {
  const session = new McpLiteSession(endpoint, AbortSignal.timeout(timeoutMs));
  try {
    await session.request('initialize', {
      protocolVersion: MCP_PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: 'paige-plugin-hook', version: '1' },
    });
    const result = await session.request('tools/call', { name, arguments: args });
    if (!isObject(result)) throw new McpLiteError('tools/call: no result');
    const content = Array.isArray(result.content) ? (result.content as unknown[]) : [];
    const first = content[0];
    return {
      isError: result.isError === true,
      structuredContent: isObject(result.structuredContent) ? result.structuredContent : null,
      text: isObject(first) && typeof first.text === 'string' ? first.text : '',
    };
  } finally {
    // Not awaited here: the hook prints its decision first, then waits for this in drainMcpLite().
    pending.add(session.close());
  }
}

/** Requests that finish after the hook has answered: session DELETEs and reports. */
const pending = new Set<Promise<void>>();

/** Waits for requests still under way (each bounded by its own timeout); call before the process exits. */
export async function drainMcpLite(): Promise<void> {
  await Promise.all([...pending]);
  pending.clear();
}

/** Paige's hook route beside its MCP endpoint (McpHttpServer's HOOK_TOOL_DENIED_PATH). */
export function toolDeniedUrl(mcpUrl: string): string {
  return `${mcpUrl.replace(/\/+$/, '')}/hook/tool-denied`;
}

/**
 * Tells Paige that the hook denied a file-writing tool, so the attempt is in the action log. Fire and forget: it
 * runs after the decision is printed (drainMcpLite waits for it) and a failure is ignored.
 */
export function reportToolDenied(
  endpoint: McpEndpoint,
  report: { tool_name: string; target?: string },
  timeoutMs: number,
): void {
  const sent = (async () => {
    try {
      const res = await fetch(toolDeniedUrl(endpoint.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${endpoint.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(report),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.text();
    } catch {
      // Paige is down or slow: the denial itself does not depend on it.
    }
  })();
  pending.add(sent);
}
