// Benchmarks (not part of npm test): headless start-up to the ready line, invoke round trips over the bridge beside a
// bare WebSocket echo server, and terminal throughput beside a raw node-pty loop, in the same run. Prints medians.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { WebSocketServer } from 'ws';
import WebSocket from 'ws';
import { NodeBridgeTransport } from '../src/main/testing/bridge-client';
import { runTerminalThroughput } from './terminal-throughput';
import { runWorkspaceBench } from './workspace';
import { runMcpBench } from './mcp';
import { runSafetyBench } from './safety';
import { runCliBench } from './cli';
import { runLlmBench } from './llm';
import { runFileOpsBench } from './file-ops';
import { runStalledClientBench } from './stalled-client';
import { runRenameFloodBench } from './rename-flood';
import { runChatBench } from './chat';
import { runObserverBench } from './observer';
import { runFirstPaintBench } from './first-paint';
import { runStartupBench } from './startup';
import { runIssuesBench, runIssuesRefreshBench } from './issues';
import { runMemoryBench } from './memory';
import { runPlanningBench } from './planning';
import { median, pct } from './stats';

const ROOT = path.resolve(__dirname, '..');
const STARTS = 15;
const INVOKES = 2_000;

const tmp = (p: string): string => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), p)));

async function startOnce(): Promise<{ wallMs: number; startupMs: number; url: URL; kill: () => Promise<void> }> {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'out/main/cli.js'), 'serve', '--project', tmp('pb-p-'), '--data-dir', tmp('pb-d-')],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const ready = await new Promise<{ bridgeUrl: string; startupMs: number }>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as { bridgeUrl: string; startupMs: number });
    });
    child.once('exit', (c) => reject(new Error(`exit ${c}`)));
  });
  const wallMs = performance.now() - t0;
  return {
    wallMs,
    startupMs: ready.startupMs,
    url: new URL(ready.bridgeUrl),
    kill: () =>
      new Promise((r) => {
        child.once('exit', () => r());
        child.kill('SIGTERM');
      }),
  };
}

async function echoBaseline(n: number): Promise<number[]> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('connection', (ws) => ws.on('message', (d) => ws.send(String(d))));
  await new Promise((r) => wss.once('listening', r));
  const port = (wss.address() as { port: number }).port;
  const ws = new WebSocket(`ws://127.0.0.1:${port}`);
  await new Promise((r) => ws.once('open', r));
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await new Promise<void>((r) => {
      ws.once('message', () => r());
      ws.send(JSON.stringify({ type: 'invoke', id: i, channel: 'app:health' }));
    });
    times.push(performance.now() - t0);
  }
  ws.close();
  wss.close();
  return times;
}

async function main(): Promise<void> {
  const wall: number[] = [];
  const internal: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const s = await startOnce();
    wall.push(s.wallMs);
    internal.push(s.startupMs);
    await s.kill();
  }
  console.log(
    `headless start → ready line (n=${STARTS}): wall median ${median(wall).toFixed(0)} ms, p95 ${pct(wall, 0.95).toFixed(0)} ms; in-process median ${median(internal).toFixed(0)} ms (target < 1000)`,
  );

  const s = await startOnce();
  const transport = await NodeBridgeTransport.connect({
    url: `ws://127.0.0.1:${s.url.port}/bridge`,
    token: s.url.hash.replace('#token=', ''),
  });
  const channels = ['project:recent', 'settings:get', 'session:snapshot'] as const;
  for (let i = 0; i < 200; i++) await transport.invoke('project:recent', undefined);
  const baseline = await echoBaseline(INVOKES);
  for (const ch of channels) {
    const times: number[] = [];
    for (let i = 0; i < INVOKES; i++) {
      const t0 = performance.now();
      await transport.invoke(ch, undefined);
      times.push(performance.now() - t0);
    }
    console.log(
      `bridge invoke ${ch} (n=${INVOKES}): p50 ${median(times).toFixed(3)} ms, p95 ${pct(times, 0.95).toFixed(3)} ms; ` +
        `bare ws echo p50 ${median(baseline).toFixed(3)} ms; ratio ${(median(times) / median(baseline)).toFixed(2)}x`,
    );
  }
  await transport.close();
  await s.kill();

  await runTerminalThroughput();
  await runWorkspaceBench();
  await runMcpBench();
  runSafetyBench();
  runCliBench();
  await runLlmBench();
  await runFileOpsBench();
  await runStalledClientBench();
  await runRenameFloodBench();
  await runChatBench();
  await runObserverBench();
  await runFirstPaintBench();
  await runStartupBench();
  runIssuesBench();
  await runIssuesRefreshBench();
  await runMemoryBench();
  await runPlanningBench();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
