// A process renaming a file back and forth in the project for 10 s (BENCHMARKS.md, issue 19), against the built
// `paige serve`: /healthz latency during the flood (p99 budget 200 ms), and whether the tree a client keeps from
// fs:tree + fs:tree_update matches the disk afterwards. FLOOD_S (default 10) sets the length.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { PaigeClient } from '../src/shared/ipc/client';
import { makeTreeFilter } from '../src/main/fs/ignore';
import { scanTree } from '../src/main/fs/tree';
import { NodeBridgeTransport } from '../src/main/testing/bridge-client';
import { applyTreeChanges, healthzLatency, treePaths } from '../src/main/testing/tree-mirror';

const ROOT = path.resolve(__dirname, '..');
const FLOOD_S = Number(process.env.FLOOD_S ?? 10);
const P99_BUDGET_MS = 200;
const CATCH_UP_LIMIT_MS = 10_000;

const FLOODER = `
import os, sys, time
root, secs = sys.argv[1], float(sys.argv[2])
a, b = os.path.join(root, 'a.txt'), os.path.join(root, 'b.txt')
start = time.time(); n = 0
print('go', flush=True)
while time.time() - start < secs:
    for _ in range(500):
        os.rename(a, b); os.rename(b, a); n += 2
os.rename(a, b)
print(n + 1, flush=True)
`;

const tmp = (p: string): string => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), p)));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function runRenameFloodBench(): Promise<void> {
  const project = tmp('pb-flood-p-');
  fs.writeFileSync(path.join(project, 'a.txt'), 'a');
  fs.mkdirSync(path.join(project, 'src'));
  fs.writeFileSync(path.join(project, 'src', 'keep.ts'), 'k');
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'out/main/cli.js'), 'serve', '--project', project, '--data-dir', tmp('pb-flood-d-')],
    { stdio: ['ignore', 'pipe', 'ignore'] },
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
  const u = new URL(ready.bridgeUrl);
  const port = Number(u.port);
  try {
    const transport = await NodeBridgeTransport.connect({
      url: `ws://127.0.0.1:${port}/bridge`,
      token: u.hash.replace('#token=', ''),
    });
    const client = new PaigeClient(transport);
    const tree = treePaths((await client.invoke('fs:tree')).root);
    client.on('fs:tree_update', ({ changes }) => applyTreeChanges(tree, changes));

    const flooder = spawn('python3', ['-c', FLOODER, project, String(FLOOD_S)], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    flooder.stdout.on('data', (d: Buffer) => (out += d.toString()));
    while (!out.startsWith('go')) await sleep(10);
    let done = false;
    flooder.once('exit', () => (done = true));
    const lat: number[] = [];
    while (!done) {
      lat.push(await healthzLatency(port));
      await sleep(20);
    }
    const renames = Number(out.split('\n')[1]);
    lat.sort((a, b) => a - b);
    const p99 = lat[Math.min(lat.length - 1, Math.ceil(0.99 * lat.length) - 1)] ?? Infinity;
    const truth = treePaths((await scanTree(project, { isExcluded: makeTreeFilter() })).root);
    const flooded = performance.now();
    const same = (): boolean => tree.size === truth.size && [...truth].every((p) => tree.has(p));
    while (!same() && performance.now() - flooded < CATCH_UP_LIMIT_MS) await sleep(20);
    console.log(`\nRename flood (${FLOOD_S} s, built paige serve)`);
    console.log(
      `  ${renames} renames (${Math.round(renames / FLOOD_S)}/s); /healthz n=${lat.length} p50 ${lat[lat.length >> 1]?.toFixed(1)} ms p99 ${p99.toFixed(1)} ms max ${lat.at(-1)?.toFixed(1)} ms (budget p99 ${P99_BUDGET_MS} ms): ${p99 < P99_BUDGET_MS ? 'ok' : 'OVER'}`,
    );
    console.log(
      `  tree after the flood: ${same() ? `correct, ${Math.round(performance.now() - flooded)} ms after it stopped` : 'WRONG'}`,
    );
    await transport.close();
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

if (require.main === module) {
  void runRenameFloodBench();
}
