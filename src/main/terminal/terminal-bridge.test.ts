// The terminal channels end to end over the real bridge: two clients share one pty, acks flow per client, and a
// client whose socket closes stops holding the pty back.
import { afterEach, describe, expect, it } from 'vitest';
import { BridgeServer } from '../bridge/bridge-server';
import { startTestCore, type TestCore } from '../testing/harness';
import { NodeBridgeTransport } from '../testing/bridge-client';
import { PaigeClient } from '../../shared/ipc/client';
import type { EventPayload } from '../../shared/ipc/contract';
import { ACK_UNIT_CHARS, HIGH_WATER_CHARS } from './flow-control';
import { waitFor } from './terminal-test-kit';

const TOKEN = 'terminal-test-token-0123456789abcdefghijklmnop';
let env: { t: TestCore; clients: NodeBridgeTransport[] } | null = null;

async function start(opts: { noTerminal?: boolean } = {}) {
  const t = await startTestCore({ env: { PATH: process.env.PATH, PAIGE_TERMINAL_COMMAND: '/bin/sh' }, ...opts });
  const bridge = await BridgeServer.listen({
    port: 0,
    token: TOKEN,
    rendererDir: null,
    router: t.core.router,
    events: t.core.events,
    logger: t.core.logger,
  });
  t.core.registerTransport('bridge', { stopAccepting: () => bridge.stopAccepting(), close: () => bridge.close() });
  env = { t, clients: [] };
  const connect = async () => {
    const transport = await NodeBridgeTransport.connect({ url: `ws://127.0.0.1:${bridge.port}/bridge`, token: TOKEN });
    env?.clients.push(transport);
    return { transport, client: new PaigeClient(transport) };
  };
  return { t, connect };
}

afterEach(async () => {
  for (const c of env?.clients ?? []) await c.close();
  await env?.t.core.shutdown('test end');
  env = null;
});

/** Collects a pty's output from events and, unless told not to, acks it in units of 5 000. */
function consume(transport: NodeBridgeTransport, client: PaigeClient, ptyId: string, ack = true) {
  const state = { text: '', chars: 0, owed: 0, ack };
  transport.onEvent((channel, payload) => {
    if (channel !== 'terminal:data') return;
    const p = payload as EventPayload<'terminal:data'>;
    if (p.ptyId !== ptyId) return;
    state.text += p.data;
    state.chars += p.data.length;
    state.owed += p.data.length;
    if (state.ack && state.owed >= ACK_UNIT_CHARS) {
      const chars = state.owed - (state.owed % ACK_UNIT_CHARS);
      state.owed -= chars;
      void client.invoke('terminal:ack', { ptyId, chars });
    }
  });
  return state;
}

describe('terminal over the bridge', () => {
  it('two clients share one pty; health and capabilities report it', async () => {
    const { connect } = await start();
    const a = await connect();
    const b = await connect();
    const attachA = await a.client.invoke('terminal:attach', { cols: 80, rows: 24 });
    const attachB = await b.client.invoke('terminal:attach', { cols: 80, rows: 24 });
    expect(attachB.ptyId).toBe(attachA.ptyId);
    const outA = consume(a.transport, a.client, attachA.ptyId);
    const outB = consume(b.transport, b.client, attachA.ptyId);
    await b.client.invoke('terminal:input', { ptyId: attachA.ptyId, data: 'echo shared-$((20+1))\r' });
    await waitFor(() => outA.text.includes('shared-21') && outB.text.includes('shared-21'), 5_000, 'both see it');
    const health = await a.client.invoke('app:health');
    expect(health.pty.state).toBe('running');
    const hello = await a.client.invoke('connection:hello', {
      clientVersion: 'test',
      platform: 'test',
      windowSize: { width: 800, height: 600 },
      transport: 'bridge',
    });
    expect(hello.capabilities.pty).toBe(true);
  });

  it('a client that never acks pauses the pty until its socket closes', async () => {
    const { t, connect } = await start();
    const a = await connect();
    const silent = await connect();
    const { ptyId } = await a.client.invoke('terminal:attach', { cols: 80, rows: 24 });
    await silent.client.invoke('terminal:attach', { cols: 80, rows: 24 });
    const out = consume(a.transport, a.client, ptyId);
    const paused = new Promise<void>((resolve) =>
      a.transport.onEvent((channel, payload) => {
        if (channel === 'terminal:status' && (payload as EventPayload<'terminal:status'>).state === 'paused') resolve();
      }),
    );
    await a.client.invoke('terminal:input', { ptyId, data: 'yes\r' });
    await paused;
    const before = out.chars;
    await silent.transport.close();
    await waitFor(() => out.chars > before + HIGH_WATER_CHARS, 5_000, 'output resumes');
    await a.client.invoke('terminal:input', { ptyId, data: '\x03' });
    expect(t.core.get('terminal').session?.stats.maxUnacked).toBeGreaterThan(HIGH_WATER_CHARS);
  });

  it('gives the pty the running MCP server’s URL and token for the plugin', async () => {
    const { t, connect } = await start();
    await waitFor(() => t.core.get('mcp').connection() !== null, 5_000, 'MCP server listening');
    const mcp = t.core.get('mcp').connection();
    const a = await connect();
    const { ptyId } = await a.client.invoke('terminal:attach', { cols: 200, rows: 24 });
    const out = consume(a.transport, a.client, ptyId);
    await a.client.invoke('terminal:input', { ptyId, data: 'echo "mcp=$PAIGE_MCP_URL|$PAIGE_MCP_TOKEN"\r' });
    await waitFor(() => out.text.includes(`mcp=${mcp?.url}|${mcp?.token}`), 5_000, 'MCP env in the pty');
  });

  it('shutdown hangs up the pty and reports its exit as app-initiated', async () => {
    const { t, connect } = await start();
    const a = await connect();
    const { ptyId } = await a.client.invoke('terminal:attach', { cols: 80, rows: 24 });
    const pid = t.core.get('terminal').session?.pid ?? 0;
    const exited: EventPayload<'terminal:exit'>[] = [];
    t.core.events.subscribe((channel, payload) => {
      if (channel === 'terminal:exit') exited.push(payload as EventPayload<'terminal:exit'>);
    });
    expect(await t.core.shutdown('test')).toBe(0);
    expect(exited).toEqual([expect.objectContaining({ ptyId, appInitiated: true })]);
    expect(() => process.kill(pid, 0)).toThrow();
    expect(t.core.get('terminal').isAppInitiated(ptyId)).toBe(true);
  });

  it('--no-terminal: no pty capability and attach explains why', async () => {
    const { connect } = await start({ noTerminal: true });
    const a = await connect();
    await expect(a.client.invoke('terminal:attach', { cols: 80, rows: 24 })).rejects.toMatchObject({
      code: 'NOT_SUPPORTED',
      message: expect.stringMatching(/--no-terminal/),
    });
  });

  it('rejects input to an unknown pty, and out-of-range sizes at the boundary', async () => {
    const { connect } = await start();
    const a = await connect();
    await expect(a.client.invoke('terminal:input', { ptyId: 'nope', data: 'x' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(a.client.invoke('terminal:attach', { cols: 0, rows: 24 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});
