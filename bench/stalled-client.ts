// A bridge client that stops reading while `yes` runs in the terminal (BENCHMARKS.md, issue 19): the built `paige
// serve` must stay within 64 MB of its starting RSS, and once the client reads again Ctrl-C must stop output within 1 s.
// STALL_S (default 60) sets how long the client stalls.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { PaigeClient } from '../src/shared/ipc/client';
import type { EventPayload } from '../src/shared/ipc/contract';
import { NodeBridgeTransport } from '../src/main/testing/bridge-client';

const ROOT = path.resolve(__dirname, '..');
const STALL_S = Number(process.env.STALL_S ?? 60);
const RSS_BUDGET_MB = 64;
const CTRL_C_BUDGET_MS = 1_000;
/** Output that has not changed for this long after Ctrl-C counts as stopped. */
const QUIET_MS = 1_500;
const ACK_UNIT = 5_000;

const tmp = (p: string): string => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), p)));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

interface Session {
  transport: NodeBridgeTransport;
  client: PaigeClient;
  ptyId: string;
  /** performance.now() of the last output containing a `y` line. */
  lastY: number;
  acking: boolean;
}

async function attach(url: string, token: string): Promise<Session> {
  const transport = await NodeBridgeTransport.connect({ url, token });
  const client = new PaigeClient(transport);
  const res = await client.invoke('terminal:attach', { cols: 80, rows: 24 });
  const s: Session = { transport, client, ptyId: res.ptyId, lastY: 0, acking: true };
  let owed = 0;
  transport.onEvent((channel, payload) => {
    if (channel !== 'terminal:data') return;
    const p = payload as EventPayload<'terminal:data'>;
    if (p.data.includes('y\r\n')) s.lastY = performance.now();
    owed += p.data.length;
    if (s.acking && owed >= ACK_UNIT) {
      const chars = owed - (owed % ACK_UNIT);
      owed -= chars;
      void client.invoke('terminal:ack', { ptyId: s.ptyId, chars }).catch(() => undefined);
    }
  });
  return s;
}

export async function runStalledClientBench(): Promise<void> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'out/main/cli.js'), 'serve', '--project', tmp('pb-stall-p-'), '--data-dir', tmp('pb-stall-d-')],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PAIGE_TERMINAL_COMMAND: '/bin/sh' } },
  );
  const ready = await new Promise<{ bridgeUrl: string }>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as { bridgeUrl: string });
    });
    child.once('exit', (code) => reject(new Error(`paige serve exited ${code}`)));
  });
  // The server logs the cut; a paused client cannot see it until it reads again.
  let cutLogged: number | null = null;
  child.stderr.on('data', (d: Buffer) => {
    if (cutLogged === null && d.toString().includes('cut a client that stopped reading')) cutLogged = performance.now();
  });
  const u = new URL(ready.bridgeUrl);
  const url = `ws://127.0.0.1:${u.port}/bridge`;
  const token = u.hash.replace('#token=', '');
  const pid = child.pid as number;
  try {
    const first = await attach(url, token);
    await first.client.invoke('terminal:input', { ptyId: first.ptyId, data: 'yes\r' });
    while (first.lastY === 0) await sleep(50);
    await sleep(1_000);
    const baseline = rssMb(pid);

    // Stall: no more acks, and the socket is not read at all.
    first.acking = false;
    const sock = (first.transport.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    sock.pause();
    const stallStart = performance.now();
    let peak = baseline;
    while (performance.now() - stallStart < STALL_S * 1_000) {
      await sleep(250);
      peak = Math.max(peak, rssMb(pid));
    }
    // Read again. A cut client sees its close now and comes back through attach (replay); one that was not cut drains.
    sock.resume();
    await sleep(200);
    const cut = first.transport.ws.readyState !== first.transport.ws.OPEN;
    const s = cut ? await attach(url, token) : first;
    if (!cut) first.acking = true;
    const sawOutput = performance.now();
    while (s.lastY < sawOutput) await sleep(10);
    const ctrlC = performance.now();
    await s.client.invoke('terminal:input', { ptyId: s.ptyId, data: '\x03' });
    while (performance.now() - Math.max(s.lastY, ctrlC) < QUIET_MS) await sleep(50);
    const stopMs = Math.max(0, s.lastY - ctrlC);
    const growth = peak - baseline;
    console.log(`\nStalled bridge client during \`yes\` (${STALL_S} s stall, built paige serve)`);
    console.log(
      `  server RSS: ${baseline.toFixed(0)} MB before the stall, peak ${peak.toFixed(0)} MB, growth ${growth.toFixed(1)} MB (budget ${RSS_BUDGET_MB} MB): ${growth < RSS_BUDGET_MB ? 'ok' : 'OVER'}`,
    );
    console.log(
      `  client ${cut ? `cut ${cutLogged === null ? '(time not logged)' : `${((cutLogged - stallStart) / 1_000).toFixed(1)} s`} into the stall, re-attached` : 'not cut'}; Ctrl-C → last \`y\` line ${stopMs.toFixed(0)} ms (budget ${CTRL_C_BUDGET_MS} ms): ${stopMs < CTRL_C_BUDGET_MS ? 'ok' : 'OVER'}`,
    );
    await s.transport.close();
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

if (require.main === module) {
  void runStalledClientBench();
}
