// A process renaming a file back and forth as fast as it can (~160 000 renames/s here) must not starve the event loop:
// /healthz stays fast during the flood, and the tree a client keeps from fs:tree + fs:tree_update is right afterwards.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { PaigeClient } from '../../shared/ipc/client';
import { NodeBridgeTransport } from '../testing/bridge-client';
import { applyTreeChanges, healthzLatency, treePaths } from '../testing/tree-mirror';
import { startTestBridge, startTestCore, type TestCore } from '../testing/harness';
import { waitFor } from '../terminal/terminal-test-kit';
import { makeTreeFilter } from './ignore';
import { scanTree } from './tree';

const TOKEN = 'flood-test-token-0123456789abcdefghijklmnopqrst';
/** The attack run flooded for 10 s; 3 s here is enough for many flood windows and the catch-up, on a loaded machine. */
const FLOOD_S = 3;

/** Renames a.txt ⇄ b.txt for FLOOD_S seconds, makes and removes folders half-way, and ends on b.txt. */
const FLOODER = `
import os, shutil, sys, time
root, secs = sys.argv[1], float(sys.argv[2])
a, b = os.path.join(root, 'a.txt'), os.path.join(root, 'b.txt')
start = time.time(); made = False; n = 0
print('go', flush=True)
while time.time() - start < secs:
    for _ in range(500):
        os.rename(a, b); os.rename(b, a); n += 2
    if not made and time.time() - start > secs / 2:
        os.mkdir(os.path.join(root, 'made'))
        for i in range(20):
            open(os.path.join(root, 'made', 'f%d.txt' % i), 'w').close()
        os.unlink(os.path.join(root, 'gone.txt'))
        shutil.rmtree(os.path.join(root, 'lib'))
        made = True
os.rename(a, b)
print(n + 1, flush=True)
`;

const hasPython = spawnSync('python3', ['-c', 'pass'], { stdio: 'ignore' }).status === 0;

let t: TestCore | null = null;
afterEach(async () => {
  await t?.core.shutdown('test end');
  t = null;
});

describe.skipIf(!hasPython)('watcher under a rename flood', () => {
  it('keeps /healthz p99 under 200 ms and the tree right once the flood stops', async () => {
    t = await startTestCore();
    const root = t.projectDir;
    fs.writeFileSync(path.join(root, 'a.txt'), 'a');
    fs.writeFileSync(path.join(root, 'gone.txt'), 'g');
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src', 'keep.ts'), 'k');
    fs.mkdirSync(path.join(root, 'lib', 'deep'), { recursive: true });
    fs.writeFileSync(path.join(root, 'lib', 'deep', 'x.ts'), 'x');
    const bridge = await startTestBridge(t.core, TOKEN);
    const transport = await NodeBridgeTransport.connect({ url: `ws://127.0.0.1:${bridge.port}/bridge`, token: TOKEN });
    const client = new PaigeClient(transport);
    await t.core.get('workspace').watcherReady();
    const tree = treePaths((await client.invoke('fs:tree')).root);
    client.on('fs:tree_update', ({ changes }) => applyTreeChanges(tree, changes));
    // Before the flood, through the ordinary event path: a folder with contents appears and goes again.
    fs.mkdirSync(path.join(root, 'tmpdir', 'sub'), { recursive: true });
    fs.writeFileSync(path.join(root, 'tmpdir', 'sub', 'y.ts'), 'y');
    await waitFor(() => tree.has('f tmpdir/sub/y.ts'), 10_000, 'the new folder in the tree');
    fs.rmSync(path.join(root, 'tmpdir'), { recursive: true });
    await waitFor(() => ![...tree].some((p) => p.includes('tmpdir')), 10_000, 'the folder gone from the tree');

    const flooder = spawn('python3', ['-c', FLOODER, root, String(FLOOD_S)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    flooder.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => out.startsWith('go'), 5_000, 'the flood to start');
    const exited = new Promise((r) => flooder.once('exit', r));
    let done = false;
    void exited.then(() => (done = true));
    const latencies: number[] = [];
    while (!done) {
      latencies.push(await healthzLatency(bridge.port));
      await new Promise((r) => setTimeout(r, 20));
    }
    const renames = Number(out.split('\n')[1]);
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? Infinity;
    console.log(
      `flood: ${renames} renames in ${FLOOD_S} s; /healthz n=${latencies.length} p50=${latencies[latencies.length >> 1]?.toFixed(1)} ms p99=${p99.toFixed(1)} ms max=${latencies.at(-1)?.toFixed(1)} ms`,
    );
    expect(renames).toBeGreaterThan(FLOOD_S * 10_000);
    expect(latencies.length).toBeGreaterThan(10);
    expect(p99).toBeLessThan(200);

    const truth = treePaths((await scanTree(root, { isExcluded: makeTreeFilter() })).root);
    await waitFor(
      () => [...truth].every((p) => tree.has(p)) && tree.size === truth.size,
      10_000,
      'the tree to catch up',
    );
    expect(
      tree.has('f b.txt') &&
        !tree.has('f a.txt') &&
        !tree.has('f gone.txt') &&
        tree.has('f made/f19.txt') &&
        !tree.has('d lib'),
    ).toBe(true);
    await transport.close();
  }, 30_000);
});
