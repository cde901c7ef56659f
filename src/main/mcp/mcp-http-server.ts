// The MCP endpoint Claude Code talks to (docs/mcp.md): Streamable HTTP on 127.0.0.1, guarded by Host and Origin
// checks, a bearer token, a body cap and a session cap, with one SDK server and one transport per MCP session.
import http from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import { bridgeOrigins, isAllowedHost, isAllowedOrigin, tokensEqual } from '../bridge/http-guards';
import { newCid, runWithContext } from '../logging/context';
import type { Logger } from '../logging/logger';
import { answerFast, fastHeaders, fastRequest, type McpDispatch } from './fast-path';
import { loadMcpSdk, type McpSdk } from './sdk';

/** Limits: 1 MiB bodies, 16 MCP sessions, 30 min idle expiry. */
const MAX_BODY_BYTES = 1024 * 1024;
/** @visibleForTesting */
export const MAX_MCP_SESSIONS = 16;
const SESSION_IDLE_MS = 30 * 60_000;
/** How often idle sessions are looked for; a minute's slack on a 30-minute expiry is fine. */
const IDLE_SWEEP_MS = 60_000;
/** Seconds a client refused for the session cap should wait. */
const RETRY_AFTER_S = 1;
/** Bytes of randomness in the bearer token. */
const TOKEN_BYTES = 32;
const MCP_PATH = '/mcp';
/**
 * Where the plugin's PreToolUse hook reports a file-writing tool it denied locally (Write, Edit, …), so the attempt
 * reaches the action log. Same guards and token as MCP_PATH; not an MCP endpoint.
 */
const HOOK_TOOL_DENIED_PATH = '/mcp/hook/tool-denied';
/** What the hook reports: a tool name and the file it targeted, bounded like other names and paths. */
const ToolDeniedBody = z.object({
  tool_name: z.string().min(1).max(100),
  target: z.string().max(4096).optional(),
});
const SESSION_HEADER = 'mcp-session-id';
/** JSON-RPC codes used in HTTP-level refusals; -32001 is what the SDK uses for an unknown session. */
const JSONRPC_INVALID_REQUEST = -32600;
const JSONRPC_PARSE_ERROR = -32700;
const JSONRPC_SESSION_NOT_FOUND = -32001;
const JSONRPC_SERVER_ERROR = -32000;

interface McpHttpServerOptions {
  port: number;
  /** Defaults to 32 random bytes, base64url. */
  token?: string;
  /** Browser origins allowed besides the server's own; empty by default, so a request from any web page is refused. */
  allowedOrigins?: readonly string[];
  logger: Logger;
  /** Builds the SDK server (tools registered) for one new MCP session. */
  createServer: () => Promise<Server>;
  /**
   * The handlers the sessions' SDK servers use for `tools/list` and `tools/call`. When given, plain requests in an
   * established session are answered from them directly (fast-path.ts); without it every request goes to the SDK.
   */
  dispatch?: McpDispatch;
  /** The plugin hook denied a file-writing tool (HOOK_TOOL_DENIED_PATH); 404 when absent. */
  onToolDenied?: (report: ToolDeniedReport) => void;
  maxSessions?: number;
  idleMs?: number;
  maxBodyBytes?: number;
  now?: () => number;
}

export interface ToolDeniedReport {
  toolName: string;
  /** The file the tool would have written, when the hook input named one. */
  target: string | null;
}

interface SessionEntry {
  id: string;
  server: Server;
  transport: StreamableHTTPServerTransport;
  lastActivity: number;
}

class BodyTooLarge extends Error {}

export class McpHttpServer {
  readonly token: string;
  /** Resolves once the socket listens; rejects when it cannot (port in use). */
  readonly ready: Promise<void>;
  private readonly http: http.Server;
  private readonly sessions = new Map<string, SessionEntry>();
  /** Initialize requests being handled: they hold a session slot before their id exists. */
  private initializing = 0;
  private created = 0;
  /** Requests answered by the fast path (tests check which path a request took). */
  private fastAnswered = 0;
  /** The SDK, once the first initialize has loaded it; every established session implies it is set. */
  private sdk: McpSdk | null = null;
  private accepting = true;
  private closed: Promise<void> | null = null;
  private readonly sweeper: NodeJS.Timeout;
  private readonly maxSessions: number;
  private readonly idleMs: number;
  private readonly maxBodyBytes: number;
  private readonly now: () => number;
  private readonly allowedOrigins: readonly string[];

  /** Starts listening; `port` and `url` are valid once `ready` resolves. */
  static start(opts: McpHttpServerOptions): McpHttpServer {
    return new McpHttpServer(opts);
  }

  private constructor(private readonly opts: McpHttpServerOptions) {
    this.token = opts.token ?? randomBytes(TOKEN_BYTES).toString('base64url');
    this.maxSessions = opts.maxSessions ?? MAX_MCP_SESSIONS;
    this.idleMs = opts.idleMs ?? SESSION_IDLE_MS;
    this.maxBodyBytes = opts.maxBodyBytes ?? MAX_BODY_BYTES;
    this.now = opts.now ?? Date.now;
    this.allowedOrigins = opts.allowedOrigins ?? [];
    this.http = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        opts.logger.error('mcp request failed', { err });
        if (!res.headersSent) this.refuse(res, 500, JSONRPC_SERVER_ERROR, 'Internal error');
        else res.end();
      });
    });
    // The MCP server never keeps the process alive by itself; AppCore owns its lifetime.
    this.http.unref();
    this.ready = new Promise<void>((resolve, reject) => {
      this.http.once('listening', resolve);
      this.http.once('error', reject);
    });
    this.ready.catch((err: unknown) => opts.logger.error('mcp server could not listen', { err }));
    this.http.listen(opts.port, '127.0.0.1');
    this.sweeper = setInterval(() => this.closeIdle(), Math.min(IDLE_SWEEP_MS, this.idleMs));
    this.sweeper.unref();
  }

  get port(): number {
    const addr = this.http.address() as AddressInfo | null;
    return addr?.port ?? 0;
  }

  get listening(): boolean {
    return this.http.listening;
  }

  get address(): string | null {
    return (this.http.address() as AddressInfo | null)?.address ?? null;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}${MCP_PATH}`;
  }

  connectionCounts(): { active: number; total: number } {
    return { active: this.sessions.size, total: this.created };
  }

  /** @visibleForTesting How many requests the fast path answered. */
  get fastPathCount(): number {
    return this.fastAnswered;
  }

  /** Shutdown step 1: new requests get 503 SHUTTING_DOWN. */
  stopAccepting(): void {
    this.accepting = false;
  }

  /** Closes every MCP session's transport and server, then the HTTP server. Idempotent. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.accepting = false;
      clearInterval(this.sweeper);
      const entries = [...this.sessions.values()];
      this.sessions.clear();
      await Promise.allSettled(entries.map((e) => this.closeEntry(e)));
      await new Promise<void>((resolve) => {
        this.http.close(() => resolve());
        this.http.closeAllConnections();
      });
      this.opts.logger.info('mcp server closed', { sessionsClosed: entries.length });
    })();
    return this.closed;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // DNS-rebinding and web-page protection come first: a foreign page learns nothing, not even that a token is needed.
    if (!isAllowedHost(req.headers.host, this.port)) {
      return this.refuse(res, 403, JSONRPC_INVALID_REQUEST, 'Forbidden: Host header not allowed');
    }
    // The server's own origin is allowed: only a page this server served could carry it, and it serves none.
    const origin = req.headers.origin;
    if (!isAllowedOrigin(origin, [...this.allowedOrigins, ...bridgeOrigins(this.port)])) {
      return this.refuse(res, 403, JSONRPC_INVALID_REQUEST, 'Forbidden: Origin not allowed');
    }
    const pathname = (req.url ?? '/').split('?')[0];
    const hookRoute = pathname === HOOK_TOOL_DENIED_PATH && this.opts.onToolDenied !== undefined;
    if (pathname !== MCP_PATH && !hookRoute) return this.refuse(res, 404, JSONRPC_INVALID_REQUEST, 'Not found');
    if (!this.authorized(req.headers.authorization)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return this.refuse(res, 401, JSONRPC_INVALID_REQUEST, 'Unauthorized: a valid bearer token is required');
    }
    if (!this.accepting) {
      return this.refuse(res, 503, JSONRPC_SERVER_ERROR, 'SHUTTING_DOWN: Paige is shutting down');
    }

    if (hookRoute) return this.toolDenied(req, res);

    const sessionId = req.headers[SESSION_HEADER];
    const cidHeader = req.headers['x-correlation-id'];
    const cid = typeof cidHeader === 'string' && cidHeader.length > 0 && cidHeader.length <= 128 ? cidHeader : newCid();

    if (req.method === 'POST') {
      let body: unknown;
      try {
        body = await this.readJson(req);
      } catch (err) {
        if (err instanceof BodyTooLarge) {
          res.setHeader('Connection', 'close');
          return this.refuse(res, 413, JSONRPC_INVALID_REQUEST, 'Request body exceeds 1 MiB');
        }
        return this.refuse(res, 400, JSONRPC_PARSE_ERROR, 'Parse error: the body is not JSON');
      }
      if (typeof sessionId === 'string') return this.forward(sessionId, req, res, body, cid);
      // Only a request that may start a session needs the SDK before the session exists.
      const sdk = await loadMcpSdk();
      if (!isInitialize(sdk, body)) {
        return this.refuse(res, 400, JSONRPC_INVALID_REQUEST, 'Bad Request: No valid session ID provided');
      }
      return this.initialize(sdk, req, res, body, cid);
    }
    if (req.method === 'GET' || req.method === 'DELETE') {
      if (typeof sessionId !== 'string') {
        return this.refuse(res, 400, JSONRPC_INVALID_REQUEST, 'Bad Request: Mcp-Session-Id header is required');
      }
      return this.forward(sessionId, req, res, undefined, cid);
    }
    res.setHeader('Allow', 'GET, POST, DELETE');
    return this.refuse(res, 405, JSONRPC_INVALID_REQUEST, 'Method not allowed');
  }

  private async toolDenied(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return this.refuse(res, 405, JSONRPC_INVALID_REQUEST, 'Method not allowed');
    }
    let body: unknown;
    try {
      body = await this.readJson(req);
    } catch {
      return this.refuse(res, 400, JSONRPC_PARSE_ERROR, 'Parse error: the body is not JSON');
    }
    const parsed = ToolDeniedBody.safeParse(body);
    if (!parsed.success) return this.refuse(res, 400, JSONRPC_INVALID_REQUEST, 'Expected {tool_name, target?}');
    const report = { toolName: parsed.data.tool_name, target: parsed.data.target ?? null };
    runWithContext({ cid: newCid() }, () => this.opts.onToolDenied?.(report));
    res.writeHead(204).end();
  }

  private authorized(header: string | undefined): boolean {
    if (header === undefined) return false;
    const m = /^Bearer (\S+)$/.exec(header);
    return m !== null && tokensEqual(m[1] as string, this.token);
  }

  private async forward(
    sessionId: string,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: unknown,
    cid: string,
  ): Promise<void> {
    const entry = this.sessions.get(sessionId);
    if (!entry) return this.refuse(res, 404, JSONRPC_SESSION_NOT_FOUND, 'Session not found');
    entry.lastActivity = this.now();
    const dispatch = this.opts.dispatch;
    if (dispatch !== undefined && body !== undefined && req.method === 'POST' && this.sdk !== null) {
      const fast = fastHeaders(req.headers, this.sdk.SUPPORTED_PROTOCOL_VERSIONS) ? fastRequest(body) : null;
      if (fast !== null) {
        this.fastAnswered++;
        return runWithContext({ cid, mcpSessionId: sessionId }, () => answerFast(fast, dispatch, sessionId, res));
      }
    }
    await runWithContext({ cid, mcpSessionId: sessionId }, () => entry.transport.handleRequest(req, res, body));
  }

  private async initialize(
    sdk: McpSdk,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: unknown,
    cid: string,
  ) {
    if (this.sessions.size + this.initializing >= this.maxSessions) {
      res.setHeader('Retry-After', String(RETRY_AFTER_S));
      return this.refuse(res, 503, JSONRPC_SERVER_ERROR, `Too many MCP sessions (at most ${this.maxSessions})`);
    }
    this.sdk = sdk;
    this.initializing++;
    let registered = false;
    let server: Server;
    try {
      server = await this.opts.createServer();
    } catch (err) {
      this.initializing--;
      throw err;
    }
    const transport = new sdk.StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: true,
      onsessioninitialized: (id) => {
        registered = true;
        this.initializing--;
        this.created++;
        this.sessions.set(id, { id, server, transport, lastActivity: this.now() });
        this.opts.logger.info('mcp session opened', { mcpSessionId: id, active: this.sessions.size });
      },
    });
    transport.onclose = () => {
      const id = transport.sessionId;
      if (id !== undefined && this.sessions.delete(id)) {
        this.opts.logger.info('mcp session closed', { mcpSessionId: id, active: this.sessions.size });
      }
    };
    try {
      await server.connect(transport);
      await runWithContext({ cid }, () => transport.handleRequest(req, res, body));
    } finally {
      if (!registered) {
        // A refused initialize never became a session: release its slot and its server.
        this.initializing--;
        await server.close().catch(() => undefined);
      }
    }
  }

  private async closeEntry(e: SessionEntry): Promise<void> {
    try {
      await e.transport.close();
    } finally {
      await e.server.close().catch(() => undefined);
    }
  }

  private closeIdle(): void {
    const cutoff = this.now() - this.idleMs;
    for (const e of [...this.sessions.values()]) {
      if (e.lastActivity > cutoff) continue;
      this.sessions.delete(e.id);
      this.opts.logger.info('mcp session expired (idle)', { mcpSessionId: e.id, active: this.sessions.size });
      this.closeEntry(e).catch((err: unknown) => this.opts.logger.warn('closing an idle session failed', { err }));
    }
  }

  /** Sweeps idle sessions now (tests drive the clock). */
  sweepIdle(): void {
    this.closeIdle();
  }

  private readJson(req: http.IncomingMessage): Promise<unknown> {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > this.maxBodyBytes) {
      // Let the client finish sending, so it reads our 413 instead of a reset connection.
      req.resume();
      return Promise.reject(new BodyTooLarge());
    }
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      req.on('data', (chunk: Buffer) => {
        if (tooLarge) return;
        size += chunk.length;
        if (size > this.maxBodyBytes) {
          tooLarge = true;
          chunks.length = 0;
          reject(new BodyTooLarge());
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => {
        if (tooLarge) return;
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
      req.on('error', reject);
    });
  }

  private refuse(res: http.ServerResponse, status: number, code: number, message: string): void {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
  }
}

function isInitialize(sdk: McpSdk, body: unknown): boolean {
  if (Array.isArray(body)) return body.some((m) => sdk.isInitializeRequest(m));
  return sdk.isInitializeRequest(body);
}
