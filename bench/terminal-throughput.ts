// Terminal throughput (≥ 5 MB/s): `head -c 100M /dev/zero | tr '\0' x` through `paige serve` (pty → decoder →
// batcher → mirror → bridge) to a WebSocket client that acks in units of 5 000, beside a raw node-pty read loop of
// the same command in this process. Prints medians and the ratio. Run alone: `npx tsx bench/terminal-throughput.ts`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import * as pty from 'node-pty';
import { NodeBridgeTransport } from '../src/main/testing/bridge-client';
import { PaigeClient } from '../src/shared/ipc/client';
import type { EventPayload } from '../src/shared/ipc/contract';
import { median } from './stats';

const ROOT = path.resolve(__dirname, '..');
const RUNS = 3;
/** `head -c 100M` is 100 MiB. */
const PAYLOAD_CHARS = 100 * 1024 * 1024;
const COMMAND = "head -c 100M /dev/zero | tr '\\0' x";
const ACK_UNIT = 5_000;
const DONE_MARKER = 'BENCH-2-DONE';
const TARGET_MB_S = 5;

const tmp = (p: string): string => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), p)));

/** MB/s (10^6 bytes) of the raw pty read loop: no Paige, just node-pty's socket. */
function rawOnce(): Promise<number> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let bytes = 0;
    const p = pty.spawn('/bin/sh', ['-c', COMMAND], {
      name: 'xterm-256color',
      cols: 120,
      rows: 40,
      cwd: os.tmpdir(),
      env: { PATH: process.env.PATH ?? '' },
      encoding: null,
    });
    p.onData((d: string | Buffer) => (bytes += d.length));
    p.onExit(() => resolve(bytes / 1e6 / ((performance.now() - t0) / 1000)));
  });
}

async function startServe(): Promise<{ url: URL; kill: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'out/main/cli.js'), 'serve', '--project', tmp('pb-tp-'), '--data-dir', tmp('pb-td-')],
    { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, PAIGE_TERMINAL_COMMAND: '/bin/sh' } },
  );
  const ready = await new Promise<{ bridgeUrl: string }>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as { bridgeUrl: string });
    });
    child.once('exit', (c) => reject(new Error(`paige serve exited ${c}`)));
  });
  return {
    url: new URL(ready.bridgeUrl),
    kill: () =>
      new Promise((r) => {
        child.once('exit', () => r());
        child.kill('SIGTERM');
      }),
  };
}

/** MB/s through Paige to a client that acks each event's chars in units of 5 000 as they arrive. */
async function paigeOnce(url: URL): Promise<number> {
  const transport = await NodeBridgeTransport.connect({
    url: `ws://127.0.0.1:${url.port}/bridge`,
    token: url.hash.replace('#token=', ''),
  });
  const client = new PaigeClient(transport);
  const { ptyId } = await client.invoke('terminal:restart', { cols: 120, rows: 40 });
  await client.invoke('terminal:attach', { cols: 120, rows: 40 });
  let owed = 0;
  let tail = '';
  const done = new Promise<number>((resolve) => {
    transport.onEvent((channel, payload) => {
      if (channel !== 'terminal:data') return;
      const p = payload as EventPayload<'terminal:data'>;
      if (p.ptyId !== ptyId) return;
      owed += p.data.length;
      if (owed >= ACK_UNIT) {
        const chars = owed - (owed % ACK_UNIT);
        owed -= chars;
        void client.invoke('terminal:ack', { ptyId, chars });
      }
      tail = (tail + p.data.slice(-64)).slice(-64);
      if (tail.includes(DONE_MARKER)) resolve(performance.now());
    });
  });
  // Clear the prompt's output first so the clock starts with the command.
  await new Promise((r) => setTimeout(r, 300));
  const t0 = performance.now();
  await client.invoke('terminal:input', { ptyId, data: `${COMMAND}; echo BENCH-$((1+1))-DONE\r` });
  const t1 = await done;
  await transport.close();
  return PAYLOAD_CHARS / 1e6 / ((t1 - t0) / 1000);
}

export async function runTerminalThroughput(): Promise<void> {
  const serve = await startServe();
  const raw: number[] = [];
  const paige: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      raw.push(await rawOnce());
      paige.push(await paigeOnce(serve.url));
    }
  } finally {
    await serve.kill();
  }
  const p = median(paige);
  const b = median(raw);
  console.log(
    `terminal throughput, ${COMMAND} (n=${RUNS}): Paige → acking bridge client median ${p.toFixed(1)} MB/s ` +
      `[${paige.map((x) => x.toFixed(1)).join(', ')}] (target ≥ ${TARGET_MB_S}); raw node-pty read loop median ` +
      `${b.toFixed(1)} MB/s [${raw.map((x) => x.toFixed(1)).join(', ')}]; ratio ${(p / b).toFixed(2)}`,
  );
}

if (require.main === module) {
  runTerminalThroughput().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
