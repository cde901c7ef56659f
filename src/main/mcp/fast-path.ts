// The fast path for requests in an established MCP session (docs/mcp.md): a POST carrying one plain JSON-RPC request
// for `tools/call`, `tools/list` or `ping` is answered here, from the same handlers the session's SDK `Server` uses,
// and written straight to Node's response. Everything else goes to the SDK's Streamable HTTP transport. The checks
// below only decide whether a request is one the SDK would accept and answer in JSON; any doubt means the SDK path.
import type http from 'node:http';
import type { CallToolResult, ListToolsResult } from '@modelcontextprotocol/sdk/types.js';

/** What the session's SDK server answers `tools/list` and `tools/call` with; the fast path calls the same functions. */
export interface McpDispatch {
  listTools(): ListToolsResult;
  callTool(params: { name: string; arguments?: Record<string, unknown> }): Promise<CallToolResult>;
}

/** A request the fast path answers: its id, method and (for `tools/call`) the tool's name and arguments. */
interface FastRequest {
  id: string | number;
  method: 'tools/call' | 'tools/list' | 'ping';
  name: string;
  arguments: Record<string, unknown> | undefined;
}

/** The SDK's key for a request that belongs to a task; such requests take the SDK path. */
const RELATED_TASK_META_KEY = 'io.modelcontextprotocol/related-task';
const REQUEST_KEYS = new Set(['jsonrpc', 'id', 'method', 'params']);
const JSONRPC_INTERNAL_ERROR = -32603;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

const isRequestId = (v: unknown): v is string | number =>
  typeof v === 'string' || (typeof v === 'number' && Number.isSafeInteger(v));

/** `_meta` as the SDK accepts it without a task: absent, or an object whose progress token (if any) is valid. */
function plainMeta(meta: unknown): boolean {
  if (meta === undefined) return true;
  if (!isPlainObject(meta) || RELATED_TASK_META_KEY in meta) return false;
  return meta.progressToken === undefined || isRequestId(meta.progressToken);
}

/**
 * The request the fast path can answer exactly as the SDK would, or null: a single JSON-RPC request object with only
 * the four JSON-RPC keys, an integer or string id, one of the three methods, and params the SDK's schemas take as they
 * are (no task augmentation, no cursor of the wrong type, arguments an object).
 */
export function fastRequest(body: unknown): FastRequest | null {
  if (!isPlainObject(body) || body.jsonrpc !== '2.0' || !isRequestId(body.id)) return null;
  for (const key in body) if (!REQUEST_KEYS.has(key)) return null;
  const { method, params } = body;
  if (method !== 'tools/call' && method !== 'tools/list' && method !== 'ping') return null;
  if (params !== undefined && (!isPlainObject(params) || !plainMeta(params._meta))) return null;
  if (method === 'tools/list') {
    if (params?.cursor !== undefined && typeof params.cursor !== 'string') return null;
    return { id: body.id, method, name: '', arguments: undefined };
  }
  if (method === 'ping') return { id: body.id, method, name: '', arguments: undefined };
  if (params === undefined || typeof params.name !== 'string' || params.task !== undefined) return null;
  const args = params.arguments;
  if (args !== undefined && !isPlainObject(args)) return null;
  return { id: body.id, method, name: params.name, arguments: args };
}

/**
 * Whether the headers are ones the SDK transport accepts for a POST in an established session and answers in JSON:
 * Accept lists both JSON and SSE, Content-Type is exactly `application/json` (anything else, even an equivalent, goes
 * to the SDK's own media-type parsing), and a protocol version header, when sent, is one the SDK supports.
 */
export function fastHeaders(headers: http.IncomingHttpHeaders, supportedVersions: readonly string[]): boolean {
  const accept = headers.accept;
  if (accept === undefined || !accept.includes('application/json') || !accept.includes('text/event-stream')) {
    return false;
  }
  if (headers['content-type'] !== 'application/json') return false;
  const version = headers['mcp-protocol-version'];
  return version === undefined || (typeof version === 'string' && supportedVersions.includes(version));
}

/**
 * A tool result with its keys in the order the SDK's result schema emits them (`_meta`, `content`,
 * `structuredContent`, `isError`, then any others), so the bytes match the SDK path's.
 */
function sdkOrderedResult(result: CallToolResult): Record<string, unknown> {
  const { _meta, content, structuredContent, isError, ...rest } = result;
  return {
    ...(_meta !== undefined ? { _meta } : {}),
    content,
    ...(structuredContent !== undefined ? { structuredContent } : {}),
    ...(isError !== undefined ? { isError } : {}),
    ...rest,
  };
}

/** The JSON-RPC error the SDK's protocol layer makes of a handler's exception. */
function errorResponse(id: string | number, err: unknown): string {
  const e = (err ?? {}) as { code?: unknown; message?: unknown; data?: unknown };
  const error = {
    code: typeof e.code === 'number' && Number.isSafeInteger(e.code) ? e.code : JSONRPC_INTERNAL_ERROR,
    message: typeof e.message === 'string' ? e.message : 'Internal error',
    ...(e.data !== undefined ? { data: e.data } : {}),
  };
  return JSON.stringify({ jsonrpc: '2.0', id, error });
}

/** Answers a request `fastRequest` accepted: the result (or error) as one JSON body, with the SDK's headers. */
export async function answerFast(
  request: FastRequest,
  dispatch: McpDispatch,
  sessionId: string,
  res: http.ServerResponse,
): Promise<void> {
  let body: string;
  try {
    let result: unknown;
    if (request.method === 'tools/call') {
      const params =
        request.arguments !== undefined ? { name: request.name, arguments: request.arguments } : { name: request.name };
      result = sdkOrderedResult(await dispatch.callTool(params));
    } else if (request.method === 'tools/list') {
      result = dispatch.listTools();
    } else {
      result = {};
    }
    body = JSON.stringify({ result, jsonrpc: '2.0', id: request.id });
  } catch (err) {
    body = errorResponse(request.id, err);
  }
  res.writeHead(200, {
    'content-type': 'application/json',
    'mcp-session-id': sessionId,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
