// The fast path answers requests in an established session exactly as the SDK's Streamable HTTP transport does: two
// endpoints over the same tools, one with the fast path and one without, must give byte-identical responses to the
// real SDK client and to raw HTTP, including every error; and the fast path must really be the one answering.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { TOOL_NAMES } from '../../shared/mcp/tools';
import { Logger, MemorySink } from '../logging/logger';
import { startTestCore, type TestCore } from '../testing/harness';
import { McpHttpServer } from './mcp-http-server';
import { connectClient, initializeBody, rawRequest } from './testing';

let t: TestCore;
let fast: McpHttpServer;
let sdk: McpHttpServer;
const clients: Client[] = [];
/** Fixed so tool errors (whose shape carries the correlation id) compare equal. */
const CID = 'fast-path-test-cid';

beforeEach(async () => {
  t = await startTestCore();
  const mcp = t.core.get('mcp');
  const logger = new Logger([new MemorySink()], 'debug');
  const createServer = () => mcp.createServer();
  fast = McpHttpServer.start({ port: 0, logger, createServer, dispatch: mcp.dispatch });
  sdk = McpHttpServer.start({ port: 0, logger, createServer });
  await Promise.all([fast.ready, sdk.ready]);
});

afterEach(async () => {
  await Promise.allSettled(clients.splice(0).map((c) => c.close()));
  await Promise.all([fast.close(), sdk.close()]);
  await t.core.shutdown('test');
});

async function client(server: McpHttpServer): Promise<Client> {
  const c = await connectClient(server.url, server.token, { 'x-correlation-id': CID });
  clients.push(c);
  return c;
}

/** The outcome of a client call: its result, or the error it threw (message and code). */
async function outcome(p: Promise<unknown>): Promise<unknown> {
  try {
    return { ok: await p };
  } catch (err) {
    return { error: (err as Error).message, code: (err as { code?: unknown }).code };
  }
}

describe('MCP fast path, real SDK client', () => {
  it('gives the same results and errors as the SDK path, and answers them itself', async () => {
    const [a, b] = await Promise.all([client(fast), client(sdk)]);
    if (!a || !b) throw new Error('no clients');
    const before = fast.fastPathCount;
    const calls: ((c: Client) => Promise<unknown>)[] = [
      (c) => c.listTools(),
      (c) => c.ping(),
      (c) => c.callTool({ name: TOOL_NAMES.getOpenFiles, arguments: {} }),
      (c) => c.callTool({ name: TOOL_NAMES.getActiveSession, arguments: {} }),
      // A tool error result (no session is active): isError with the error shape.
      (c) => c.callTool({ name: TOOL_NAMES.getSessionState, arguments: {} }),
      // Protocol errors: an unknown tool, and arguments the tool's schema refuses.
      (c) => c.callTool({ name: 'paige_no_such_tool', arguments: {} }),
      (c) => c.callTool({ name: TOOL_NAMES.getBuffer, arguments: { path: 5 } }),
    ];
    for (const call of calls) {
      expect(await outcome(call(a))).toEqual(await outcome(call(b)));
    }
    expect(fast.fastPathCount - before).toBe(calls.length);
    expect(sdk.fastPathCount).toBe(0);
    // The SDK path still serves what the fast path leaves to it (logging/setLevel).
    expect(await outcome(a.setLoggingLevel('info'))).toEqual(await outcome(b.setLoggingLevel('info')));
    expect(fast.fastPathCount - before).toBe(calls.length);
  });
});

interface RawCase {
  name: string;
  body: unknown;
  headers?: Record<string, string>;
  /** Whether the fast path should answer it (else the SDK transport or the guards do). */
  fastPath: boolean;
  /** Leave out the session id header, or send a made-up one. */
  session?: 'none' | 'unknown';
}

const call = (id: unknown, params: unknown): unknown => ({ jsonrpc: '2.0', id, method: 'tools/call', params });
const openFiles = { name: TOOL_NAMES.getOpenFiles, arguments: {} };

const CASES: RawCase[] = [
  { name: 'tools/call, integer id', body: call(7, openFiles), fastPath: true },
  { name: 'tools/call, string id', body: call('abc', openFiles), fastPath: true },
  { name: 'tools/call without arguments', body: call(8, { name: TOOL_NAMES.getOpenFiles }), fastPath: true },
  {
    name: 'tools/call with a progress token',
    body: call(9, { ...openFiles, _meta: { progressToken: 'p1' } }),
    fastPath: true,
  },
  { name: 'tools/call, unknown tool', body: call(10, { name: 'nope', arguments: {} }), fastPath: true },
  {
    name: 'tools/call, bad arguments',
    body: call(11, { name: TOOL_NAMES.validateCommand, arguments: { command: 42 } }),
    fastPath: true,
  },
  {
    name: 'tools/call, tool error result',
    body: call(12, { name: TOOL_NAMES.getSessionState, arguments: {} }),
    fastPath: true,
  },
  { name: 'tools/list', body: { jsonrpc: '2.0', id: 13, method: 'tools/list' }, fastPath: true },
  {
    name: 'tools/list with a cursor',
    body: { jsonrpc: '2.0', id: 14, method: 'tools/list', params: { cursor: 'c' } },
    fastPath: true,
  },
  { name: 'ping', body: { jsonrpc: '2.0', id: 15, method: 'ping' }, fastPath: true },
  {
    name: 'no protocol version header',
    body: call(16, openFiles),
    headers: { 'mcp-protocol-version': '' },
    fastPath: true,
  },
  // Left to the SDK transport:
  {
    name: 'wrong content type',
    body: call(20, openFiles),
    headers: { 'content-type': 'text/plain' },
    fastPath: false,
  },
  {
    name: 'JSON content type with a charset',
    body: call(21, openFiles),
    headers: { 'content-type': 'application/json; charset=utf-8' },
    fastPath: false,
  },
  { name: 'accepts JSON only', body: call(22, openFiles), headers: { accept: 'application/json' }, fastPath: false },
  {
    name: 'accepts SSE only',
    body: call(23, openFiles),
    headers: { accept: 'text/event-stream' },
    fastPath: false,
  },
  {
    name: 'unsupported protocol version',
    body: call(24, openFiles),
    headers: { 'mcp-protocol-version': '1999-01-01' },
    fastPath: false,
  },
  { name: 'batch', body: [call(25, openFiles), { jsonrpc: '2.0', id: 26, method: 'ping' }], fastPath: false },
  { name: 'notification', body: { jsonrpc: '2.0', method: 'notifications/initialized' }, fastPath: false },
  { name: 'extra top-level key', body: { ...(call(27, openFiles) as object), extra: 1 }, fastPath: false },
  { name: 'fractional id', body: call(1.5, openFiles), fastPath: false },
  {
    name: 'arguments not an object',
    body: call(28, { name: TOOL_NAMES.getOpenFiles, arguments: [] }),
    fastPath: false,
  },
  { name: 'task-augmented call', body: call(29, { ...openFiles, task: { ttl: 1000 } }), fastPath: false },
  { name: 'name missing', body: call(30, { arguments: {} }), fastPath: false },
  {
    name: 'related-task _meta',
    body: call(31, { ...openFiles, _meta: { 'io.modelcontextprotocol/related-task': { taskId: 't' } } }),
    fastPath: false,
  },
  { name: 'unknown method', body: { jsonrpc: '2.0', id: 32, method: 'resources/list' }, fastPath: false },
  {
    name: 'logging/setLevel',
    body: { jsonrpc: '2.0', id: 33, method: 'logging/setLevel', params: { level: 'info' } },
    fastPath: false,
  },
  { name: 'a second initialize', body: JSON.parse(initializeBody(34)) as unknown, fastPath: false },
  { name: 'body not JSON', body: '{nope', fastPath: false },
  {
    name: 'oversized body',
    body: call(35, { ...openFiles, arguments: { pad: 'x'.repeat(2 * 1024 * 1024) } }),
    fastPath: false,
  },
  { name: 'unknown session', body: call(36, openFiles), fastPath: false, session: 'unknown' },
  { name: 'no session', body: call(37, openFiles), fastPath: false, session: 'none' },
];

/** Opens a session with raw HTTP (initialize + initialized), as a client would, and returns its id. */
async function rawSession(server: McpHttpServer): Promise<string> {
  const auth = { authorization: `Bearer ${server.token}` };
  const init = await rawRequest(server.port, { headers: auth, body: initializeBody() });
  const id = init.headers['mcp-session-id'];
  if (typeof id !== 'string') throw new Error(`no session: ${init.status} ${init.body}`);
  const initialized = await rawRequest(server.port, {
    headers: { ...auth, 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  expect(initialized.status).toBe(202);
  return id;
}

async function send(server: McpHttpServer, sessionId: string, c: RawCase) {
  const headers: Record<string, string> = {
    authorization: `Bearer ${server.token}`,
    'x-correlation-id': CID,
    'mcp-protocol-version': '2025-06-18',
    ...c.headers,
  };
  if (headers['mcp-protocol-version'] === '') delete headers['mcp-protocol-version'];
  if (c.session === undefined) headers['mcp-session-id'] = sessionId;
  if (c.session === 'unknown') headers['mcp-session-id'] = '00000000-0000-4000-8000-000000000000';
  const body = typeof c.body === 'string' ? c.body : JSON.stringify(c.body);
  const before = server.fastPathCount;
  const r = await rawRequest(server.port, { headers, body });
  const sid = r.headers['mcp-session-id'];
  return {
    status: r.status,
    contentType: r.headers['content-type'],
    contentLength: r.headers['content-length'],
    // Each endpoint has its own session id; what must match is whether the response names the caller's session.
    sessionHeader: sid === undefined ? 'absent' : sid === sessionId ? 'own session' : sid,
    body: r.body,
    fastPath: server.fastPathCount > before,
  };
}

describe('MCP fast path, raw HTTP', () => {
  it('answers every case byte for byte as the SDK path does', async () => {
    const [fastSession, sdkSession] = await Promise.all([rawSession(fast), rawSession(sdk)]);
    for (const c of CASES) {
      const viaFast = await send(fast, fastSession, c);
      const viaSdk = await send(sdk, sdkSession, c);
      expect({ ...viaFast, fastPath: undefined }, c.name).toEqual({ ...viaSdk, fastPath: undefined });
      expect(viaFast.fastPath, c.name).toBe(c.fastPath);
      expect(viaSdk.fastPath, c.name).toBe(false);
    }
  });

  it('keeps the session alive and counted like the SDK path', async () => {
    const clock = { t: 1_000_000 };
    const server = McpHttpServer.start({
      port: 0,
      logger: new Logger([new MemorySink()], 'debug'),
      createServer: () => t.core.get('mcp').createServer(),
      dispatch: t.core.get('mcp').dispatch,
      now: () => clock.t,
    });
    await server.ready;
    try {
      const id = await rawSession(server);
      clock.t += 29 * 60_000;
      const r = await send(server, id, CASES[0] as RawCase);
      expect(r.fastPath).toBe(true);
      clock.t += 29 * 60_000;
      server.sweepIdle();
      // 58 minutes after the session started, but 29 after the fast-path call: still open.
      expect(server.connectionCounts()).toEqual({ active: 1, total: 1 });
    } finally {
      await server.close();
    }
  });
});
