// Workspace benchmarks (BENCHMARKS.md): action-log ingest under sustained load and in a burst, a 20 000-file tree scan
// beside a bare recursive readdir, and an external edit reaching a bridge client. Prints medians and ratios.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PaigeClient } from '../src/shared/ipc/client';
import { ActionLogWriter } from '../src/main/activity/action-log-writer';
import { BridgeServer } from '../src/main/bridge/bridge-server';
import { PaigeDatabase } from '../src/main/db/database';
import { makeTreeFilter } from '../src/main/fs/ignore';
import { scanTree } from '../src/main/fs/tree';
import { Logger } from '../src/main/logging/logger';
import { NodeBridgeTransport } from '../src/main/testing/bridge-client';
import { startTestCore } from '../src/main/testing/harness';
import { median, pct } from './stats';

/** Targets (see BENCHMARKS.md). */
const INGEST_TARGET_PER_S = 1_000;
const BATCH_P99_TARGET_MS = 2;
const EDIT_BUDGET_MS = 300;
/** Sustained load at the target rate, 10 s per run (the spec's 30 s run is shortened to spare a shared machine). */
const SUSTAINED_RATE_PER_S = 1_000;
const SUSTAINED_SECONDS = 10;
const TICK_MS = 10;
const RUNS = 3;
const BURST = 100_000;
const TREE_RUNS = 7;
const EDITS = 20;

const tmp = (p: string): string => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), p)));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function freshDb(timedCheckpoints = true): { db: PaigeDatabase; sessionId: number } {
  const db = PaigeDatabase.open(path.join(tmp('pb-al-'), 'paige.db'), { timedCheckpoints });
  const ts = new Date().toISOString();
  const sessionId = Number(
    db.run(
      db.qb
        .insertInto('sessions')
        .values({ project_dir: '/p', status: 'active', hint_level: 'medium', started_at: ts, last_activity_at: ts }),
    ).lastInsertRowid,
  );
  return { db, sessionId };
}

function action(sessionId: number, i: number) {
  return {
    sessionId,
    actionType: i % 3 === 0 ? 'file_save' : 'buffer_significant_change',
    data: { path: `src/module-${i % 50}/file-${i % 400}.ts`, charCount: 1_000 + i, delta: i % 700 },
    correlationId: null,
    createdAt: new Date().toISOString(),
  };
}

async function sustained(
  timedCheckpoints = true,
): Promise<{ ratePerS: number; p50: number; p99: number; cpuP99: number; maxPending: number }> {
  const { db, sessionId } = freshDb(timedCheckpoints);
  const flushMs: number[] = [];
  // CPU time of each transaction beside its wall time: on a loaded machine the wall-time tail is mostly preemption.
  const flushCpuMs: number[] = [];
  const tx = db.transaction.bind(db);
  db.transaction = <T>(fn: () => T): T => {
    const c0 = process.cpuUsage();
    try {
      return tx(fn);
    } finally {
      const c = process.cpuUsage(c0);
      flushCpuMs.push((c.user + c.system) / 1_000);
    }
  };
  let written = 0;
  const w = new ActionLogWriter(db, new Logger([], 'silent'), {
    onFlushed: (n, ms) => {
      written += n;
      flushMs.push(ms);
    },
  });
  let i = 0;
  let maxPending = 0;
  const t0 = performance.now();
  const end = t0 + SUSTAINED_SECONDS * 1_000;
  while (performance.now() < end) {
    // Catch up to the wall clock so timer jitter does not lower the offered rate.
    const due = Math.floor(((performance.now() - t0) / 1_000) * SUSTAINED_RATE_PER_S);
    while (i < due) w.enqueue(action(sessionId, i++));
    maxPending = Math.max(maxPending, w.pending);
    await sleep(TICK_MS);
  }
  while (w.pending > 0) await sleep(5);
  const elapsed = (performance.now() - t0) / 1_000;
  w.close();
  db.close();
  return {
    ratePerS: written / elapsed,
    p50: median(flushMs),
    p99: pct(flushMs, 0.99),
    cpuP99: pct(flushCpuMs, 0.99),
    maxPending,
  };
}

/**
 * The machine's floor for the same work shape: the same rows at the same cadence (one transaction per 50 ms) into a
 * plain table with no indexes, no FTS and no rollup, on a database opened the same way. Whatever tail this shows is
 * the VM's (scheduling, page cache, WAL writes), not Paige's schema.
 */
async function floor(): Promise<{ p50: number; p99: number; cpuP99: number }> {
  const { db, sessionId } = freshDb(true);
  db.sqlite.exec(
    'CREATE TABLE bench_floor (session_id INTEGER, action_type TEXT, data TEXT, correlation_id TEXT, created_at TEXT)',
  );
  const insert = db.sqlite.prepare('INSERT INTO bench_floor VALUES (?, ?, ?, ?, ?)');
  const flushMs: number[] = [];
  const flushCpuMs: number[] = [];
  let queue: ReturnType<typeof action>[] = [];
  const flush = (): void => {
    const rows = queue.map((r) => ({ r, json: JSON.stringify(r.data) }));
    queue = [];
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    db.transaction(() => {
      for (const { r, json } of rows) insert.run(r.sessionId, r.actionType, json, r.correlationId, r.createdAt);
    });
    flushMs.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    flushCpuMs.push((c.user + c.system) / 1_000);
  };
  const timer = setInterval(() => queue.length > 0 && flush(), 50);
  let i = 0;
  const t0 = performance.now();
  const end = t0 + SUSTAINED_SECONDS * 1_000;
  while (performance.now() < end) {
    const due = Math.floor(((performance.now() - t0) / 1_000) * SUSTAINED_RATE_PER_S);
    while (i < due) queue.push(action(sessionId, i++));
    await sleep(TICK_MS);
  }
  clearInterval(timer);
  if (queue.length > 0) flush();
  db.close();
  return { p50: median(flushMs), p99: pct(flushMs, 0.99), cpuP99: pct(flushCpuMs, 0.99) };
}

async function burst(): Promise<{ perS: number; p99: number }> {
  const { db, sessionId } = freshDb();
  const flushMs: number[] = [];
  const w = new ActionLogWriter(db, new Logger([], 'silent'), {
    queueCap: BURST,
    onFlushed: (_n, ms) => flushMs.push(ms),
  });
  const t0 = performance.now();
  for (let i = 0; i < BURST; i++) w.enqueue(action(sessionId, i));
  while (w.pending > 0) await sleep(1);
  const perS = BURST / ((performance.now() - t0) / 1_000);
  w.close();
  db.close();
  return { perS, p99: pct(flushMs, 0.99) };
}

function generateProject(): string {
  const root = tmp('pb-tree-');
  for (let d = 0; d < 200; d++) {
    const dir = path.join(root, 'src', `mod${d}`);
    fs.mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 100; f++) fs.writeFileSync(path.join(dir, `f${f}.ts`), '1');
  }
  const nm = path.join(root, 'node_modules', 'dep');
  fs.mkdirSync(nm, { recursive: true });
  for (let f = 0; f < 2_000; f++) fs.writeFileSync(path.join(nm, `x${f}.js`), '1');
  return root;
}

async function treeScan(root: string): Promise<{ scan: number; bare: number; entries: number }> {
  const scans: number[] = [];
  const bares: number[] = [];
  let entries = 0;
  for (let i = 0; i < TREE_RUNS; i++) {
    let t0 = performance.now();
    const r = await scanTree(root, { isExcluded: makeTreeFilter(), maxEntries: 30_000 });
    scans.push(performance.now() - t0);
    entries = r.entries;
    t0 = performance.now();
    // Baseline: Node's own recursive listing of src/ (no filtering, no sorting, no tree building).
    await fs.promises.readdir(path.join(root, 'src'), { recursive: true, withFileTypes: true });
    bares.push(performance.now() - t0);
  }
  return { scan: median(scans), bare: median(bares), entries };
}

async function externalEdit(root: string): Promise<{ edits: number[]; treeInvoke: number[] }> {
  const token = 'bench-token-0123456789abcdefghijklmnopqrstuvwxyz';
  const t = await startTestCore({ projectDir: root });
  const bridge = await BridgeServer.listen({
    port: 0,
    token,
    rendererDir: null,
    router: t.core.router,
    events: t.core.events,
    logger: t.core.logger,
  });
  t.core.registerTransport('bridge', { stopAccepting: () => bridge.stopAccepting(), close: () => bridge.close() });
  const transport = await NodeBridgeTransport.connect({ url: `ws://127.0.0.1:${bridge.port}/bridge`, token });
  const client = new PaigeClient(transport);
  await t.core.get('workspace').watcherReady();
  // The whole 20 000-entry tree as the renderer asks for it: scan + zod output validation + JSON over the socket.
  const treeInvoke: number[] = [];
  for (let i = 0; i < TREE_RUNS; i++) {
    const t0 = performance.now();
    await client.invoke('fs:tree');
    treeInvoke.push(performance.now() - t0);
  }
  const rel = 'src/mod7/f7.ts';
  await client.invoke('file:open', { path: rel });
  const times: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const seen = new Promise<number>((resolve) => {
      const off = client.on('fs:tree_update', ({ changes }) => {
        if (changes.some((c) => c.path === rel)) {
          off();
          resolve(performance.now());
        }
      });
    });
    const t0 = performance.now();
    fs.writeFileSync(path.join(root, rel), `export const v = ${i};\n`);
    times.push((await seen) - t0);
    await sleep(150);
  }
  await transport.close();
  await t.core.shutdown('bench end');
  return { edits: times, treeInvoke };
}

export async function runWorkspaceBench(): Promise<void> {
  // Side by side, alternating: Paige's timed checkpoints and SQLite's default checkpoint-at-commit.
  const runs: Awaited<ReturnType<typeof sustained>>[] = [];
  const baseline: Awaited<ReturnType<typeof sustained>>[] = [];
  const floors: Awaited<ReturnType<typeof floor>>[] = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(await sustained(true));
    baseline.push(await sustained(false));
    floors.push(await floor());
  }
  const rate = median(runs.map((r) => r.ratePerS));
  const p50 = median(runs.map((r) => r.p50));
  const p99 = median(runs.map((r) => r.p99));
  console.log(
    `action-log sustained (${SUSTAINED_RATE_PER_S}/s offered for ${SUSTAINED_SECONDS} s, median of ${RUNS}): ` +
      `${rate.toFixed(0)} events/s persisted (${(rate / INGEST_TARGET_PER_S).toFixed(2)}× target); ` +
      `batch write p50 ${p50.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms (${(p99 / BATCH_P99_TARGET_MS).toFixed(2)} of the 2 ms target); ` +
      `max queued ${Math.max(...runs.map((r) => r.maxPending))}; ` +
      `CPU time per batch p99 ${median(runs.map((r) => r.cpuP99)).toFixed(3)} ms; load average ${os.loadavg()[0]?.toFixed(1)}`,
  );
  const bP50 = median(baseline.map((r) => r.p50));
  const bP99 = median(baseline.map((r) => r.p99));
  console.log(
    `  baseline, same run: SQLite checkpointing at commit: batch write p50 ${bP50.toFixed(3)} ms, p99 ${bP99.toFixed(3)} ms; ` +
      `CPU time per batch p99 ${median(baseline.map((r) => r.cpuP99)).toFixed(3)} ms; ratio p99 ${(p99 / bP99).toFixed(2)}×`,
  );
  const fP99 = median(floors.map((r) => r.p99));
  console.log(
    `  floor, same run: the same rows into a plain table (no indexes, FTS or rollup): batch write p50 ` +
      `${median(floors.map((r) => r.p50)).toFixed(3)} ms, p99 ${fP99.toFixed(3)} ms; CPU time per batch p99 ` +
      `${median(floors.map((r) => r.cpuP99)).toFixed(3)} ms; Paige p99 / floor p99 ${(p99 / fP99).toFixed(2)}×`,
  );
  const bursts: Awaited<ReturnType<typeof burst>>[] = [];
  for (let i = 0; i < RUNS; i++) bursts.push(await burst());
  const bRate = median(bursts.map((b) => b.perS));
  console.log(
    `action-log burst (${BURST} enqueued at once, median of ${RUNS}): drained at ${bRate.toFixed(0)} events/s ` +
      `(${(bRate / INGEST_TARGET_PER_S).toFixed(1)}× target); batch p99 ${median(bursts.map((b) => b.p99)).toFixed(3)} ms`,
  );

  const root = generateProject();
  const tree = await treeScan(root);
  console.log(
    `tree scan, 20 000 files + node_modules (median of ${TREE_RUNS}): ${tree.scan.toFixed(1)} ms for ${tree.entries} entries; ` +
      `bare recursive readdir of src/ ${tree.bare.toFixed(1)} ms; ratio ${(tree.scan / tree.bare).toFixed(2)}×`,
  );
  const { edits, treeInvoke } = await externalEdit(root);
  console.log(
    `fs:tree over the bridge, same project (median of ${TREE_RUNS}): ${median(treeInvoke).toFixed(0)} ms ` +
      `(${(median(treeInvoke) / tree.scan).toFixed(1)}× the bare scan: output validation and JSON transfer)`,
  );
  console.log(
    `external edit → fs:tree_update at a bridge client (20 000-file project, n=${EDITS}): median ${median(edits).toFixed(0)} ms, ` +
      `p95 ${pct(edits, 0.95).toFixed(0)} ms (${(median(edits) / EDIT_BUDGET_MS).toFixed(2)} of the 300 ms budget)`,
  );
  fs.rmSync(root, { recursive: true, force: true });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  runWorkspaceBench().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
