// The MCP endpoint's guards (docs/mcp.md) and session handling, with real HTTP and the real SDK client.
import net from 'node:net';
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { TOOL_NAMES, ValidateCommandToolOutput } from '../../shared/mcp/tools';
import { Logger, MemorySink } from '../logging/logger';
import { startTestCore, type TestCore } from '../testing/harness';
import { MAX_MCP_SESSIONS, McpHttpServer } from './mcp-http-server';
import { connectClient, initializeBody, rawRequest } from './testing';

let t: TestCore;
let url: string;
let token: string;
let port: number;
const clients: Client[] = [];

beforeEach(async () => {
  t = await startTestCore();
  expect(await t.core.get('mcp').whenReady()).toBe(true);
  const c = t.core.get('mcp').connection();
  if (!c) throw new Error('mcp not listening');
  ({ url, token, port } = c);
});

afterEach(async () => {
  await Promise.allSettled(clients.splice(0).map((c) => c.close()));
  await t.core.shutdown('test');
});

async function client(): Promise<Client> {
  const c = await connectClient(url, token);
  clients.push(c);
  return c;
}

const auth = (): Record<string, string> => ({ authorization: `Bearer ${token}` });

describe('MCP HTTP guards', () => {
  it('uses a 32-byte base64url token and records the connection in runtime.json', async () => {
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(url).toBe(`http://127.0.0.1:${port}/mcp`);
    expect(t.core.get('mcp').connection()).toMatchObject({ url, token });
  });

  it('answers 401 without a token or with a wrong one', async () => {
    const none = await rawRequest(port, { body: initializeBody() });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    const wrong = await rawRequest(port, {
      headers: { authorization: `Bearer ${'x'.repeat(43)}` },
      body: initializeBody(),
    });
    expect(wrong.status).toBe(401);
    const shortWrong = await rawRequest(port, { headers: { authorization: 'Bearer abc' }, body: initializeBody() });
    expect(shortWrong.status).toBe(401);
    const basic = await rawRequest(port, { headers: { authorization: `Basic ${token}` }, body: initializeBody() });
    expect(basic.status).toBe(401);
    expect(t.core.get('mcp').connectionCounts().total).toBe(0);
  });

  it('answers 403 to a foreign Host (DNS rebinding), even with the token', async () => {
    const r = await rawRequest(port, { headers: { ...auth(), host: `evil.example:${port}` }, body: initializeBody() });
    expect(r.status).toBe(403);
    const wrongPort = await rawRequest(port, {
      headers: { ...auth(), host: `127.0.0.1:${port + 1}` },
      body: initializeBody(),
    });
    expect(wrongPort.status).toBe(403);
    const ok = await rawRequest(port, { headers: { ...auth(), host: `localhost:${port}` }, body: initializeBody() });
    expect(ok.status).toBe(200);
  });

  it('answers 403 to a browser Origin, even with the token', async () => {
    const r = await rawRequest(port, { headers: { ...auth(), origin: 'http://evil.example' }, body: initializeBody() });
    expect(r.status).toBe(403);
    const sameSite = await rawRequest(port, {
      headers: { ...auth(), origin: `http://localhost:${port + 1}` },
      body: initializeBody(),
    });
    expect(sameSite.status).toBe(403);
    // The server's own origin is not a foreign page (the conformance suite's DNS-rebinding check sends it).
    const self = await rawRequest(port, {
      headers: { ...auth(), origin: `http://127.0.0.1:${port}` },
      body: initializeBody(),
    });
    expect(self.status).toBe(200);
  });

  it('answers 413 to a 2 MiB body', async () => {
    const big = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/list',
      params: { pad: 'x'.repeat(2 * 1024 * 1024) },
    });
    const r = await rawRequest(port, { headers: auth(), body: big });
    expect(r.status).toBe(413);
    // Without Content-Length (chunked), the cap applies while reading.
    const chunked = await rawRequest(port, { headers: { ...auth(), 'transfer-encoding': 'chunked' }, body: big });
    expect(chunked.status).toBe(413);
  });

  it('answers 404 to an unknown session and 400 to a request without one', async () => {
    const r = await rawRequest(port, {
      headers: { ...auth(), 'mcp-session-id': randomUUID(), 'mcp-protocol-version': '2025-06-18' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(r.status).toBe(404);
    const noSession = await rawRequest(port, {
      headers: auth(),
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(noSession.status).toBe(400);
    const get = await rawRequest(port, { method: 'GET', headers: { ...auth(), accept: 'text/event-stream' } });
    expect(get.status).toBe(400);
    const notJson = await rawRequest(port, { headers: auth(), body: '{nope' });
    expect(notJson.status).toBe(400);
    const otherPath = await rawRequest(port, { path: '/other', headers: auth(), body: initializeBody() });
    expect(otherPath.status).toBe(404);
  });

  it(`caps concurrent sessions at ${MAX_MCP_SESSIONS}: the next initialize gets 503 with Retry-After`, async () => {
    await Promise.all(Array.from({ length: MAX_MCP_SESSIONS }, () => client()));
    expect(t.core.get('mcp').connectionCounts().active).toBe(MAX_MCP_SESSIONS);
    const r = await rawRequest(port, { headers: auth(), body: initializeBody() });
    expect(r.status).toBe(503);
    expect(r.headers['retry-after']).toBe('1');
    // Ending one session (DELETE) frees a slot.
    const last = clients.pop();
    await (last?.transport as StreamableHTTPClientTransport).terminateSession();
    await last?.close();
    expect(t.core.get('mcp').connectionCounts().active).toBe(MAX_MCP_SESSIONS - 1);
    await client();
    expect(t.core.health().mcp).toEqual({ active: MAX_MCP_SESSIONS, total: MAX_MCP_SESSIONS + 1 });
  });

  it('gives two clients sending identical JSON-RPC ids at once only their own answers', async () => {
    const [a, b] = await Promise.all([client(), client()]);
    if (!a || !b) throw new Error('no clients');
    const rounds = 20;
    const calls: Promise<[string, string]>[] = [];
    for (let i = 0; i < rounds; i++) {
      // Both SDK clients number requests from 0, so each pair of calls carries the same JSON-RPC id.
      for (const [c, cmd] of [
        [a, `echo a${i}`],
        [b, `rm -rf /tmp/b${i}`],
      ] as const) {
        calls.push(
          c
            .callTool({ name: TOOL_NAMES.validateCommand, arguments: { command: cmd, mode: 'standard' } })
            .then((r) => [cmd, ValidateCommandToolOutput.parse(r.structuredContent).risk_level]),
        );
      }
    }
    for (const [cmd, risk] of await Promise.all(calls)) {
      expect(risk, cmd).toBe(cmd.startsWith('echo') ? 'safe' : 'high');
    }
  });

  it('listens on 127.0.0.1 only', async () => {
    expect(new URL(t.core.get('mcp').connection()?.url ?? 'http://x').hostname).toBe('127.0.0.1');
    const refused = (host: string) =>
      new Promise<boolean>((resolve) => {
        const s = net.connect({ host, port }, () => {
          s.destroy();
          resolve(false);
        });
        s.on('error', () => resolve(true));
      });
    expect(await refused('::1')).toBe(true);
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (external) expect(await refused(external.address)).toBe(true);
  });

  it('closes every transport on shutdown and refuses requests while stopping', async () => {
    const c = await client();
    expect(t.core.health().mcp).toEqual({ active: 1, total: 1 });
    t.core.get('mcp').stopAccepting();
    const stopping = await rawRequest(port, { headers: auth(), body: initializeBody() });
    expect(stopping.status).toBe(503);
    await t.core.get('mcp').close();
    expect(t.core.get('mcp').connectionCounts().active).toBe(0);
    await expect(c.listTools()).rejects.toThrow();
    await expect(rawRequest(port, { headers: auth(), body: initializeBody() })).rejects.toThrow();
  });
});

describe('MCP session expiry', () => {
  it('closes sessions idle for 30 minutes', async () => {
    const clock = { t: 1_000_000 };
    const server = McpHttpServer.start({
      port: 0,
      logger: new Logger([new MemorySink()], 'debug'),
      createServer: () => t.core.get('mcp').createServer(),
      now: () => clock.t,
    });
    await server.ready;
    const c = await connectClient(server.url, server.token);
    try {
      expect(server.connectionCounts().active).toBe(1);
      clock.t += 29 * 60_000;
      server.sweepIdle();
      expect(server.connectionCounts().active).toBe(1);
      await c.listTools();
      clock.t += 31 * 60_000;
      server.sweepIdle();
      expect(server.connectionCounts().active).toBe(0);
      const sessionId = (c.transport as { sessionId?: string } | undefined)?.sessionId ?? '';
      const r = await rawRequest(server.port, {
        headers: { authorization: `Bearer ${server.token}`, 'mcp-session-id': sessionId },
        body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
      });
      expect(r.status).toBe(404);
    } finally {
      await c.close().catch(() => undefined);
      await server.close();
    }
  });
});
