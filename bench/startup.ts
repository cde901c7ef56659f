// Headless start-up against a bare MCP SDK server process, interleaved in one run: `paige serve` (built) from spawn
// to its JSON ready line, and a Node process that loads the SDK's server (Server + Streamable HTTP transport), listens
// on 127.0.0.1 and prints a line. Also RSS of `paige serve` right after ready. With PAIGE_BENCH_BASELINE_OUT=<out dir>
// an earlier build's `paige serve` is timed in the same rotation (before/after).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { median } from './stats';

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.PAIGE_BENCH_START_RUNS ?? 15);

const tmp = (p: string): string => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), p)));

/** What any MCP server process pays before it can answer: Node, the SDK's server modules, a listening socket. */
const BARE_SDK_SERVER = `
const http = require('node:http');
const { Server } = require('@modelcontextprotocol/sdk/server/index.js');
const { StreamableHTTPServerTransport } = require('@modelcontextprotocol/sdk/server/streamableHttp.js');
const server = new Server({ name: 'bare', version: '1.0.0' }, { capabilities: { tools: {} } });
const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
server.connect(transport).then(() => {
  const s = http.createServer((req, res) => void transport.handleRequest(req, res));
  s.listen(0, '127.0.0.1', () =>
    process.stdout.write(JSON.stringify({ port: s.address().port, startupMs: Math.round(performance.now()) }) + '\\n'),
  );
});
`;

/**
 * Spawns, resolves with the ms to the first JSON line on stdout, the process's own `startupMs` from that line (time
 * since its start, without the spawn), and the pid's RSS then; then kills it.
 */
async function timeToLine(cmd: string, args: string[]): Promise<{ ms: number; inProcessMs: number; rssMb: number }> {
  const t0 = performance.now();
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
  let line = '';
  const ms = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const found = out.split('\n').find((l) => l.startsWith('{') && l.endsWith('}'));
      if (found !== undefined && line === '') {
        line = found;
        resolve(performance.now() - t0);
      }
    });
    child.once('exit', (c) => reject(new Error(`${args.join(' ')} exited ${c}`)));
  });
  let rssMb = 0;
  try {
    const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
    rssMb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    // Not Linux: no RSS column.
  }
  await new Promise<void>((r) => {
    child.once('exit', () => r());
    child.kill('SIGTERM');
  });
  const inProcessMs = Number((JSON.parse(line) as { startupMs?: unknown }).startupMs ?? NaN);
  return { ms, inProcessMs, rssMb };
}

const serveArgs = (outDir: string): string[] => [
  path.join(outDir, 'main/cli.js'),
  'serve',
  '--project',
  tmp('sb-p-'),
  '--data-dir',
  tmp('sb-d-'),
];

export async function runStartupBench(): Promise<void> {
  const paige: number[] = [];
  const bare: number[] = [];
  const paigeIn: number[] = [];
  const bareIn: number[] = [];
  const rss: number[] = [];
  const before: number[] = [];
  const beforeRss: number[] = [];
  const beforeIn: number[] = [];
  const baselineOut = process.env.PAIGE_BENCH_BASELINE_OUT;
  for (let i = 0; i < RUNS; i++) {
    const p = await timeToLine(process.execPath, serveArgs(path.join(ROOT, 'out')));
    paige.push(p.ms);
    paigeIn.push(p.inProcessMs);
    rss.push(p.rssMb);
    const b = await timeToLine(process.execPath, ['-e', BARE_SDK_SERVER]);
    bare.push(b.ms);
    bareIn.push(b.inProcessMs);
    if (baselineOut) {
      const b = await timeToLine(process.execPath, serveArgs(path.resolve(baselineOut)));
      before.push(b.ms);
      beforeIn.push(b.inProcessMs);
      beforeRss.push(b.rssMb);
    }
  }
  if (baselineOut) {
    console.log(
      `start-up, baseline build (same rotation): ready median ${median(before).toFixed(0)} ms, ratio to the bare SDK ` +
        `${(median(before) / median(bare)).toFixed(2)}x; RSS after ready median ${median(beforeRss).toFixed(0)} MB; ` +
        `inside the process ${median(beforeIn).toFixed(0)} ms`,
    );
  }
  console.log(
    `start-up, interleaved (n=${RUNS} each): paige serve → ready line median ${median(paige).toFixed(0)} ms, ` +
      `bare SDK server process → listening median ${median(bare).toFixed(0)} ms, ratio ${(median(paige) / median(bare)).toFixed(2)}x; ` +
      `paige RSS after ready median ${median(rss).toFixed(0)} MB; measured inside each process (startupMs): ` +
      `paige ${median(paigeIn).toFixed(0)} ms, bare SDK ${median(bareIn).toFixed(0)} ms, ratio ` +
      `${(median(paigeIn) / median(bareIn)).toFixed(2)}x`,
  );
}

if (require.main === module) {
  runStartupBench().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
