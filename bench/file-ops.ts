// The cost of race-free file operations (BENCHMARKS.md, issue 19): file open and save through the descriptor-checked
// path beside the previous by-name path (resolve, stat, read or write by name), interleaved in one run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ActivityBus } from '../src/main/activity/activity-bus';
import { writeFileAtomic } from '../src/main/fs/atomic-write';
import { ConfinedFs } from '../src/main/fs/confined-fs';
import { resolveInProject } from '../src/main/fs/path-guard';
import { WorkspaceService } from '../src/main/fs/workspace-service';
import { Logger } from '../src/main/logging/logger';
import { median, pct } from './stats';

const ROUNDS = 5_000;
/** A typical source file, nested like one. */
const REL = 'src/features/editor/buffer-view.ts';
const CONTENT = 'export const line = "the quick brown fox jumps over the lazy dog";\n'.repeat(64);

/** The I/O of `file:open` before this change: check the name, then stat and read by name. */
function openByName(root: string): Buffer {
  const { abs } = resolveInProject(root, REL);
  const st = fs.statSync(abs);
  if (!st.isFile()) throw new Error('not a file');
  return fs.readFileSync(abs);
}

/** The I/O of `file:open` now: check the name, open, prove the descriptor, fstat and read from it. */
function openChecked(root: string, cfs: ConfinedFs): Buffer {
  const { abs, rel } = resolveInProject(root, REL);
  const o = cfs.openRead(abs, rel);
  if (!o || !o.stat.isFile()) throw new Error('not a file');
  try {
    return fs.readFileSync(o.fd);
  } finally {
    fs.closeSync(o.fd);
  }
}

/** The I/O of `file:save` before: stat, realpath, read the previous content, temp + rename by name, stat. */
function saveByName(root: string, content: string): void {
  const { abs } = resolveInProject(root, REL);
  const before = fs.statSync(abs);
  const target = fs.realpathSync.native(abs);
  fs.readFileSync(target, 'utf8');
  writeFileAtomic(target, content, before.mode & 0o7777);
  fs.statSync(target);
}

/** The I/O of `file:save` now: prove the folder, then lstat, read, temp + rename and lstat inside it. */
function saveChecked(root: string, cfs: ConfinedFs, content: string): void {
  const { abs, rel } = resolveInProject(root, REL);
  const dir = cfs.openDir(path.dirname(abs), rel, true);
  if (!dir) throw new Error('no folder');
  try {
    const name = path.basename(abs);
    const before = fs.lstatSync(dir.entry(name));
    cfs.readFile(dir.entry(name), rel);
    cfs.writeAtomic(dir, name, content, before.mode & 0o7777);
    fs.lstatSync(dir.entry(name));
  } finally {
    dir.close();
  }
}

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

export async function runFileOpsBench(): Promise<void> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pb-fileops-')));
  fs.mkdirSync(path.join(root, path.dirname(REL)), { recursive: true });
  fs.writeFileSync(path.join(root, REL), CONTENT);
  const cfs = new ConfinedFs(root);
  const noop = (): void => undefined;
  const ws = new WorkspaceService({
    activity: { record: noop, publishTransient: noop } as unknown as ActivityBus,
    logger: new Logger([], 'silent'),
    events: { treeUpdate: noop, externalChange: noop },
    extraIgnores: () => [],
  });
  await ws.setProject(root);
  await ws.watcherReady();

  const t = { openBefore: [] as number[], openAfter: [] as number[], openWs: [] as number[] };
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate which goes first so neither always gets the warmer cache.
    if (i % 2 === 0) {
      t.openBefore.push(time(() => openByName(root)));
      t.openAfter.push(time(() => openChecked(root, cfs)));
    } else {
      t.openAfter.push(time(() => openChecked(root, cfs)));
      t.openBefore.push(time(() => openByName(root)));
    }
    t.openWs.push(time(() => ws.open(REL)));
  }
  // Saves fsync twice each (file and folder), so fewer rounds.
  const saves = { before: [] as number[], after: [] as number[], ws: [] as number[] };
  const SAVE_ROUNDS = ROUNDS / 5;
  for (let i = 0; i < SAVE_ROUNDS; i++) {
    const content = `${CONTENT}// ${i}\n`;
    if (i % 2 === 0) {
      saves.before.push(time(() => saveByName(root, content)));
      saves.after.push(time(() => saveChecked(root, cfs, content)));
    } else {
      saves.after.push(time(() => saveChecked(root, cfs, content)));
      saves.before.push(time(() => saveByName(root, content)));
    }
    saves.ws.push(time(() => ws.save({ path: REL, content, force: true })));
  }
  await ws.shutdown();
  fs.rmSync(root, { recursive: true, force: true });

  const row = (what: string, n: number, after: number[], before: number[]): void => {
    const ratio = median(after) / median(before);
    console.log(
      `  ${what}: n=${n} checked median ${median(after).toFixed(3)} ms p95 ${pct(after, 0.95).toFixed(3)} ms | by name median ${median(before).toFixed(3)} ms p95 ${pct(before, 0.95).toFixed(3)} ms | ratio ${ratio.toFixed(2)}×`,
    );
  };
  console.log(`\nRace-free file operations (${fs.existsSync('/proc/self/fd') ? '/proc/self/fd' : 'portable'} check)`);
  row('open (I/O path)', ROUNDS, t.openAfter, t.openBefore);
  row('save (I/O path)', SAVE_ROUNDS, saves.after, saves.before);
  console.log(
    `  whole WorkspaceService call: open median ${median(t.openWs).toFixed(3)} ms p95 ${pct(t.openWs, 0.95).toFixed(3)} ms; save median ${median(saves.ws).toFixed(3)} ms p95 ${pct(saves.ws, 0.95).toFixed(3)} ms`,
  );
}

if (require.main === module) {
  void runFileOpsBench();
}
