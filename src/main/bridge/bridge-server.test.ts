import http from 'node:http';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { BridgeServer } from './bridge-server';
import { startTestBridge, startTestCore, type TestCore } from '../testing/harness';
import { NodeBridgeTransport } from '../testing/bridge-client';
import { PaigeClient } from '../../shared/ipc/client';
import { waitFor } from '../terminal/terminal-test-kit';

const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuvwxyz';

let env: { t: TestCore; bridge: BridgeServer } | null = null;

async function start(opts: { authTimeoutMs?: number; maxUnsentBytes?: number } = {}) {
  const t = await startTestCore();
  const bridge = await startTestBridge(t.core, TOKEN, opts);
  env = { t, bridge };
  return env;
}

afterEach(async () => {
  await env?.t.core.shutdown('test end');
  env = null;
});

function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function closeCodeOf(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

describe('BridgeServer', () => {
  it('listens on 127.0.0.1 only', async () => {
    const { bridge } = await start();
    expect(bridge.address.address).toBe('127.0.0.1');
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (external) {
      const refused = await new Promise<boolean>((resolve) => {
        const req = http.get({ host: external.address, port: bridge.port, path: '/healthz', timeout: 1000 }, () =>
          resolve(false),
        );
        req.on('error', () => resolve(true));
        req.on('timeout', () => {
          req.destroy();
          resolve(true);
        });
      });
      expect(refused).toBe(true);
    }
  });

  it('serves /healthz without auth and refuses a foreign Host or Origin with 403', async () => {
    const { bridge } = await start();
    const ok = await get(bridge.port, '/healthz');
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ status: 'ok' });
    expect((await get(bridge.port, '/healthz', { Host: `evil.example:${bridge.port}` })).status).toBe(403);
    expect((await get(bridge.port, '/', { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await get(bridge.port, '/bridge')).status).toBe(401);
  });

  it('refuses a WebSocket upgrade from a foreign Host or Origin with 403', async () => {
    const { bridge } = await start();
    const url = `ws://127.0.0.1:${bridge.port}/bridge`;
    await expect(
      NodeBridgeTransport.connect({ url, token: TOKEN, headers: { Origin: 'http://evil.example' } }),
    ).rejects.toMatchObject({ statusCode: 403 });
    await expect(
      NodeBridgeTransport.connect({ url, token: TOKEN, headers: { Host: `evil.example:${bridge.port}` } }),
    ).rejects.toMatchObject({ statusCode: 403 });
  });

  it('closes with 4401 on a wrong token or a non-auth first frame, and with 4400 on no auth in time', async () => {
    const { bridge } = await start({ authTimeoutMs: 200 });
    const url = `ws://127.0.0.1:${bridge.port}/bridge`;
    await expect(NodeBridgeTransport.connect({ url, token: 'wrong-token' })).rejects.toMatchObject({ closeCode: 4401 });

    const ws1 = new WebSocket(url);
    await new Promise((r) => ws1.once('open', r));
    ws1.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'app:health' }));
    expect(await closeCodeOf(ws1)).toBe(4401);

    // A page too busy to send its token in time is not refused for good: 4400 tells it to reconnect.
    const ws2 = new WebSocket(url);
    expect(await closeCodeOf(ws2)).toBe(4400);
  });

  it('answers invokes with the envelope and pushes events to authenticated clients', async () => {
    const { t, bridge } = await start();
    const transport = await NodeBridgeTransport.connect({ url: `ws://127.0.0.1:${bridge.port}/bridge`, token: TOKEN });
    const client = new PaigeClient(transport);
    const hello = await client.invoke('connection:hello', {
      clientVersion: 'test',
      platform: 'linux',
      windowSize: { width: 1, height: 1 },
      transport: 'bridge',
    });
    expect(hello.projectDir).toBe(t.projectDir);
    expect(hello.appVersion).toBe('0.0.0-test');

    await expect(client.invoke('project:pick_folder')).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
    const bad = await transport.invoke('project:open', { path: 42 });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.code).toBe('VALIDATION_FAILED');
    const unknown = await transport.invoke('nope:nothing', {});
    expect(!unknown.ok && unknown.error.code).toBe('UNKNOWN_CHANNEL');

    const changed = new Promise<unknown>((resolve) => client.on('settings:changed', resolve));
    await client.invoke('settings:update', { patch: { observer: { enabled: false } } });
    expect(await changed).toEqual({ changedKeys: ['observer.enabled'], restartRequired: [] });
    expect(bridge.connectionCounts()).toEqual({ active: 1, total: 1 });
    await transport.close();
  });

  it('caps connections at 8', async () => {
    const { bridge } = await start();
    const url = `ws://127.0.0.1:${bridge.port}/bridge`;
    const clients = await Promise.all(
      Array.from({ length: 8 }, () => NodeBridgeTransport.connect({ url, token: TOKEN })),
    );
    await expect(NodeBridgeTransport.connect({ url, token: TOKEN })).rejects.toMatchObject({ statusCode: 503 });
    await Promise.all(clients.map((c) => c.close()));
  });

  it('idle sockets that never authenticate, renewed as they expire, never keep a real client out', async () => {
    // The attack run: 8 idle sockets reopened as each is closed, against the 2 s auth deadline for 10 s. Here the
    // deadline is 300 ms and the run 3 s: the same 10 renewal cycles, with 20 idle sockets (more than the waiting cap).
    const authTimeoutMs = 300;
    const runMs = 3_000;
    const { bridge } = await start({ authTimeoutMs });
    const url = `ws://127.0.0.1:${bridge.port}/bridge`;
    let running = true;
    const idle = new Set<WebSocket>();
    const openIdle = (): void => {
      if (!running) return;
      const ws = new WebSocket(url);
      idle.add(ws);
      ws.on('error', () => undefined);
      ws.once('close', () => {
        idle.delete(ws);
        openIdle();
      });
    };
    for (let i = 0; i < 20; i++) openIdle();
    const results: string[] = [];
    const started = performance.now();
    while (performance.now() - started < runMs) {
      const attempt = await NodeBridgeTransport.connect({ url, token: TOKEN }).then(
        async (c) => {
          await c.close();
          return 'ok';
        },
        (err: { statusCode?: number; closeCode?: number }) => `refused ${err.statusCode ?? err.closeCode}`,
      );
      results.push(attempt);
      await new Promise((r) => setTimeout(r, 200));
    }
    running = false;
    for (const ws of idle) ws.terminate();
    expect(results.length).toBeGreaterThanOrEqual(10);
    expect(results.filter((r) => r !== 'ok')).toEqual([]);
  });

  it('cuts a client that stops reading once its unsent output passes the cap; it reconnects and carries on', async () => {
    const maxUnsentBytes = 1024 * 1024;
    const { t, bridge } = await start({ maxUnsentBytes });
    const url = `ws://127.0.0.1:${bridge.port}/bridge`;
    const stalled = await NodeBridgeTransport.connect({ url, token: TOKEN });
    const healthy = await NodeBridgeTransport.connect({ url, token: TOKEN });
    const closed = closeCodeOf(stalled.ws);
    // Stop reading: the kernel buffers fill, then the server's queue for this socket grows.
    (stalled.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const chunk = 'y\n'.repeat(8 * 1024);
    const ptyId = '00000000-0000-4000-8000-000000000000';
    let seq = 0;
    const rssBefore = process.memoryUsage().rss;
    // Up to 512 MiB offered, a turn of the event loop after each so the healthy client keeps reading; the cut must
    // come long before (kernel buffers + the 1 MiB cap).
    while (bridge.droppedForBacklog === 0 && seq < 32_768) {
      t.core.events.emit('terminal:data', { ptyId, seq: ++seq, data: chunk });
      await new Promise((r) => setImmediate(r));
    }
    expect(bridge.droppedForBacklog).toBe(1);
    const offeredMiB = (seq * chunk.length) / 2 ** 20;
    console.log(
      `cut after ${offeredMiB.toFixed(1)} MiB offered; rss +${((process.memoryUsage().rss - rssBefore) / 2 ** 20).toFixed(1)} MiB`,
    );
    (stalled.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await closed).toBe(1006);
    // The healthy client kept up and is still connected; a fresh connection works.
    await waitFor(() => healthy.events.length === seq, 5_000, 'the healthy client to read everything');
    const again = await NodeBridgeTransport.connect({ url, token: TOKEN });
    expect(bridge.connectionCounts().active).toBe(2);
    await Promise.all([again.close(), healthy.close()]);
  });

  it('answers SHUTTING_DOWN once shutdown has begun and closes sockets', async () => {
    const { t, bridge } = await start();
    const transport = await NodeBridgeTransport.connect({ url: `ws://127.0.0.1:${bridge.port}/bridge`, token: TOKEN });
    const closed = closeCodeOf(transport.ws);
    t.core.router.stopAccepting();
    const res = await transport.invoke('app:health', undefined);
    expect(!res.ok && res.error).toMatchObject({ code: 'SHUTTING_DOWN', retryable: true });
    expect(await t.core.shutdown('test')).toBe(0);
    expect(await closed).toBe(4503);
    env = null;
  });
});
