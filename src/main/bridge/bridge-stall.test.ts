// A bridge client that stops reading while `yes` floods the terminal: the server cuts it once 8 MiB wait unsent, so
// memory stays bounded, and when it reads again it re-attaches (replay) and Ctrl-C stops the output within 1 s.
// The attack run stalled a client for 60 s after the 10 s stale cut-off; here the stalled client never attached, so
// flow control never waits for it and the flood reaches its socket at once: the same unbounded queue, in seconds.
import { afterEach, describe, expect, it } from 'vitest';
import { PaigeClient } from '../../shared/ipc/client';
import type { EventPayload } from '../../shared/ipc/contract';
import { NodeBridgeTransport } from '../testing/bridge-client';
import { startTestBridge, startTestCore, type TestCore } from '../testing/harness';
import { ACK_UNIT_CHARS } from '../terminal/flow-control';
import { waitFor } from '../terminal/terminal-test-kit';

const TOKEN = 'stall-test-token-0123456789abcdefghijklmnopqrs';
const RSS_BUDGET_BYTES = 64 * 1024 * 1024;
const CTRL_C_BUDGET_MS = 1_000;
/** No `y` line for this long after Ctrl-C means the output stopped. */
const QUIET_MS = 1_000;

let t: TestCore | null = null;
const transports: NodeBridgeTransport[] = [];
afterEach(async () => {
  for (const c of transports.splice(0)) await c.close().catch(() => undefined);
  await t?.core.shutdown('test end');
  t = null;
});

/** Attaches to the terminal and acks everything in units of 5 000; tracks when the last `y` line arrived. */
async function attach(url: string) {
  const transport = await NodeBridgeTransport.connect({ url, token: TOKEN });
  transports.push(transport);
  const client = new PaigeClient(transport);
  const { ptyId } = await client.invoke('terminal:attach', { cols: 80, rows: 24 });
  const state = { lastY: 0, chars: 0 };
  let owed = 0;
  transport.onEvent((channel, payload) => {
    if (channel !== 'terminal:data') return;
    const p = payload as EventPayload<'terminal:data'>;
    if (p.data.includes('y\r\n')) state.lastY = performance.now();
    state.chars += p.data.length;
    owed += p.data.length;
    if (owed >= ACK_UNIT_CHARS) {
      const chars = owed - (owed % ACK_UNIT_CHARS);
      owed -= chars;
      void client.invoke('terminal:ack', { ptyId, chars }).catch(() => undefined);
    }
  });
  return { transport, client, ptyId, state };
}

describe('a bridge client that stops reading during `yes`', () => {
  it('is cut with bounded server memory, re-attaches, and Ctrl-C stops the output within 1 s', async () => {
    t = await startTestCore({ env: { PATH: process.env.PATH, PAIGE_TERMINAL_COMMAND: '/bin/sh' } });
    const bridge = await startTestBridge(t.core, TOKEN);
    const url = `ws://127.0.0.1:${bridge.port}/bridge`;
    const reader = await attach(url);
    const stalled = await NodeBridgeTransport.connect({ url, token: TOKEN });
    transports.push(stalled);
    const sock = (stalled.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    sock.pause();

    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 50);
    try {
      await reader.client.invoke('terminal:input', { ptyId: reader.ptyId, data: 'yes\r' });
      await waitFor(() => bridge.droppedForBacklog === 1, 30_000, 'the stalled client to be cut');
    } finally {
      clearInterval(sampler);
    }
    const growth = rssPeak - rssBefore;
    console.log(
      `stalled client cut after the reader saw ${(reader.state.chars / 2 ** 20).toFixed(1)} M chars; rss +${(growth / 2 ** 20).toFixed(1)} MiB`,
    );
    expect(growth).toBeLessThan(RSS_BUDGET_BYTES);
    expect(reader.transport.ws.readyState).toBe(reader.transport.ws.OPEN);

    // Reading again: it finds its socket closed, comes back, and is replayed the screen instead of the backlog.
    const closed = new Promise((r) => stalled.ws.once('close', r));
    sock.resume();
    await closed;
    const back = await attach(url);
    const since = performance.now();
    await waitFor(() => back.state.lastY > since, 10_000, 'output on the re-attached client');
    const ctrlC = performance.now();
    await back.client.invoke('terminal:input', { ptyId: back.ptyId, data: '\x03' });
    await waitFor(() => performance.now() - Math.max(back.state.lastY, ctrlC) > QUIET_MS, 10_000, 'output to stop');
    const stopMs = Math.max(0, back.state.lastY - ctrlC);
    console.log(`Ctrl-C → last y line ${stopMs.toFixed(0)} ms`);
    expect(stopMs).toBeLessThan(CTRL_C_BUDGET_MS);
  }, 60_000);
});
