import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TreeChange, TreeNode } from '../../shared/domain/workspace';
import { Logger, MemorySink } from '../logging/logger';
import { tempDir } from '../testing/harness';
import { makeTreeFilter, makeWatchFilter } from './ignore';
import { TREE_MAX_ENTRIES, scanTree } from './tree';
import { ProjectWatcher } from './watcher';

/** 200 folders × 100 files = 20 000 project files, plus noise the tree and watcher must leave out. */
const DIRS = 200;
const FILES_PER_DIR = 100;

let root: string;
let outside: string;

function generate(): void {
  root = tempDir('paige-20k-');
  outside = tempDir('paige-20k-outside-');
  for (let d = 0; d < DIRS; d++) {
    const dir = path.join(root, 'src', `mod${String(d).padStart(3, '0')}`);
    fs.mkdirSync(dir, { recursive: true });
    for (let f = 0; f < FILES_PER_DIR; f++) fs.writeFileSync(path.join(dir, `file${f}.ts`), `export const v = ${f};\n`);
  }
  for (const noise of ['node_modules/left-pad', 'node_modules/.bin', '.git/objects', 'dist', 'coverage']) {
    const dir = path.join(root, noise);
    fs.mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 50; f++) fs.writeFileSync(path.join(dir, `x${f}.js`), '1');
  }
  fs.writeFileSync(path.join(root, 'README.md'), '# big\n');
  fs.writeFileSync(path.join(outside, 'target.txt'), 'outside\n');
  fs.symlinkSync(outside, path.join(root, 'outside-link'));
}

function walk(node: TreeNode, out: string[] = []): string[] {
  out.push(node.path);
  for (const c of node.children ?? []) walk(c, out);
  return out;
}

beforeAll(() => generate(), 60_000);
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

describe('tree on a 20 000-file project', () => {
  it('leaves out excluded folders, lists the symlink without following it, and reports truncation at 20 000', async () => {
    const { root: tree, truncated, entries } = await scanTree(root, { isExcluded: makeTreeFilter() });
    const paths = walk(tree);
    expect(paths.some((p) => /(^|\/)(node_modules|\.git|dist|coverage)(\/|$)/.test(p))).toBe(false);
    // 20 000 files + 201 folders + README + link exceed the cap.
    expect(entries).toBe(TREE_MAX_ENTRIES);
    expect(truncated).toBe(true);
    // Breadth-first: the top level is complete.
    expect(tree.children?.map((c) => [c.name, c.type, c.symlink ?? false])).toEqual([
      ['src', 'directory', false],
      ['outside-link', 'file', true],
      ['README.md', 'file', false],
    ]);
    expect(tree.children?.find((c) => c.name === 'outside-link')?.children).toBeUndefined();
  });

  it('is complete and untruncated under the cap, directories first then files by name', async () => {
    const { root: tree, truncated } = await scanTree(root, { isExcluded: makeTreeFilter(), maxEntries: 30_000 });
    expect(truncated).toBe(false);
    const files = walk(tree).filter((p) => p.startsWith('src/') && p.endsWith('.ts'));
    expect(files).toHaveLength(DIRS * FILES_PER_DIR);
    const mod = tree.children?.[0]?.children?.[0];
    expect(mod?.children?.slice(0, 3).map((c) => c.name)).toEqual(['file0.ts', 'file1.ts', 'file10.ts']);
  });

  it('honours the depth limit', async () => {
    const { truncated, root: tree } = await scanTree(root, { isExcluded: makeTreeFilter(), maxDepth: 2 });
    expect(truncated).toBe(true);
    expect(tree.children?.[0]?.children?.[0]?.children).toEqual([]);
  });
});

describe('watcher on a 20 000-file project', () => {
  it('starts without EMFILE, ignores excluded folders and the outside symlink, and delivers an edit', async () => {
    const sink = new MemorySink();
    const batches: { at: number; changes: TreeChange[] }[] = [];
    const w = new ProjectWatcher({
      root,
      isExcluded: makeWatchFilter(),
      logger: new Logger([sink], 'debug'),
      onBatch: (changes) => batches.push({ at: performance.now(), changes }),
    });
    try {
      await w.ready();
      expect(w.isPolling).toBe(false);
      fs.writeFileSync(path.join(outside, 'target.txt'), 'changed outside\n');
      fs.writeFileSync(path.join(outside, 'new-outside.txt'), 'new\n');
      fs.writeFileSync(path.join(root, 'node_modules/left-pad/x1.js'), '2');
      fs.writeFileSync(path.join(root, 'debug.log'), 'noise');
      const t0 = performance.now();
      fs.writeFileSync(path.join(root, 'src/mod123/file7.ts'), 'export const v = 700;\n');
      const deadline = Date.now() + 5_000;
      while (!batches.some((b) => b.changes.some((c) => c.path === 'src/mod123/file7.ts')) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
      }
      const hit = batches.find((b) => b.changes.some((c) => c.path === 'src/mod123/file7.ts'));
      expect(hit?.changes).toContainEqual({ action: 'change', path: 'src/mod123/file7.ts' });
      // Measured, not asserted: the budget is checked end to end in the browser e2e.
      console.log(`[measure] watcher: external edit → batch in ${((hit?.at ?? t0) - t0).toFixed(0)} ms (20 000 files)`);
      await new Promise((r) => setTimeout(r, 400));
      const all = batches.flatMap((b) => b.changes.map((c) => c.path));
      expect(
        all.filter((p) => p.startsWith('outside-link') || p.includes('node_modules') || p.endsWith('.log')),
      ).toEqual([]);
      expect(sink.lines.filter((l) => /EMFILE|ENOSPC|watcher error/.test(l))).toEqual([]);
    } finally {
      await w.close();
    }
  }, 60_000);

  it('coalesces a burst of changes into few batches, and discards events after close', async () => {
    const batches: TreeChange[][] = [];
    const w = new ProjectWatcher({
      root,
      isExcluded: makeWatchFilter(),
      logger: new Logger([], 'silent'),
      onBatch: (c) => batches.push(c),
    });
    await w.ready();
    for (let i = 0; i < 20; i++) fs.writeFileSync(path.join(root, 'src/mod001', `burst${i}.ts`), String(i));
    const deadline = Date.now() + 5_000;
    while (batches.flat().filter((c) => c.path.includes('burst')).length < 20 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const burst = batches.filter((b) => b.some((c) => c.path.includes('burst')));
    expect(burst.flat().filter((c) => c.path.includes('burst'))).toHaveLength(20);
    expect(burst.length).toBeLessThan(20);
    await w.close();
    const count = batches.length;
    fs.writeFileSync(path.join(root, 'README.md'), 'after close\n');
    await new Promise((r) => setTimeout(r, 400));
    expect(batches.length).toBe(count);
  }, 60_000);
});

describe('watcher errors', () => {
  it('EMFILE switches to polling once with one warning; EACCES is ignored; polling still delivers changes', async () => {
    const small = tempDir('paige-emfile-');
    fs.writeFileSync(path.join(small, 'a.ts'), '1');
    const sink = new MemorySink();
    const batches: TreeChange[][] = [];
    const w = new ProjectWatcher({
      root: small,
      isExcluded: makeWatchFilter(),
      logger: new Logger([sink], 'debug'),
      onBatch: (c) => batches.push(c),
    });
    await w.ready();
    const inner = (): { emit(e: string, err: Error): void } =>
      (w as unknown as { watcher: { emit(e: string, err: Error): void } }).watcher;
    inner().emit('error', Object.assign(new Error('denied'), { code: 'EACCES' }));
    expect(w.isPolling).toBe(false);
    inner().emit('error', Object.assign(new Error('too many open files'), { code: 'EMFILE' }));
    expect(w.isPolling).toBe(true);
    inner().emit('error', Object.assign(new Error('too many open files'), { code: 'EMFILE' }));
    expect(sink.records().filter((r) => r.level === 'warn')).toHaveLength(1);
    await w.ready();
    // A file written while the polling watcher takes its first stat of the folder is part of its baseline and never
    // reported; a new file every second until one is reported proves polling delivers without depending on that race.
    const delivered = (): boolean => batches.flat().some((c) => c.action === 'add' && c.path.startsWith('b-'));
    for (let i = 0; i < 10 && !delivered(); i++) {
      fs.writeFileSync(path.join(small, `b-${i}.ts`), '2');
      await vi.waitFor(() => expect(delivered()).toBe(true), { timeout: 1_000 }).catch(() => undefined);
    }
    expect(delivered()).toBe(true);
    await w.close();
  }, 30_000);
});
