// chokidar on the project (docs/workspace.md): exclusions, no symlink following, EMFILE/ENOSPC → polling, changes
// coalesced per path and delivered in batches, and a flood of events answered by standing down and rescanning.
import fs from 'node:fs/promises';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { TreeChange, TreeNode } from '../../shared/domain/workspace';
import type { Logger } from '../logging/logger';
import { TREE_MAX_DEPTH, TREE_MAX_ENTRIES, scanTree } from './tree';

/** Per-path coalescing window. */
const COALESCE_MS = 50;
/** At most one batch per this interval. */
const BATCH_INTERVAL_MS = 100;
/** Polling interval after the OS ran out of watch handles. */
const POLL_INTERVAL_MS = 1_000;
/** awaitWriteFinish settings: a file counts as written once its size is stable for 100 ms. */
const STABILITY_THRESHOLD_MS = 100;
const STABILITY_POLL_MS = 50;
/**
 * More raw file-system events than this within FLOOD_WINDOW_MS is a flood (20 000/s): chokidar's own per-event work
 * would starve the event loop, so the watcher stops and rescans instead. The attack run's ~9 000/s stayed harmless.
 */
const FLOOD_EVENTS = 2_000;
const FLOOD_WINDOW_MS = 100;
/** While a flood lasts the tree is rescanned this often; two equal scans in a row mean it is over. */
const FLOOD_POLL_MS = 250;
/** The path mirror follows the tree's depth limit with room above its entry cap (it is never shown). */
const MIRROR_MAX_ENTRIES = TREE_MAX_ENTRIES * 5;

/** What the watcher has reported so far, by path: true for a folder. */
type Mirror = Map<string, boolean>;

interface WatcherOptions {
  root: string;
  isExcluded: (name: string) => boolean;
  logger: Logger;
  onBatch: (changes: TreeChange[]) => void;
}

type Action = TreeChange['action'];

export class ProjectWatcher {
  private watcher: FSWatcher | null = null;
  private readonly pending = new Map<string, Action>();
  private timer: NodeJS.Timeout | null = null;
  private lastEmit = -Infinity;
  private closed = false;
  private polling = false;
  private readyPromise: Promise<void> = Promise.resolve();
  /** Every path reported so far (initial scan plus batches), so a rescan after a flood can emit exactly the difference. */
  private mirror: Mirror = new Map();
  private rawInWindow = 0;
  private windowStart = 0;
  private flooding = false;

  constructor(private readonly opts: WatcherOptions) {
    this.start(false, true);
  }

  get isPolling(): boolean {
    return this.polling;
  }

  /** Resolves once the initial scan finished and events are live. */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  private start(usePolling: boolean, initial = false): void {
    const { root, isExcluded } = this.opts;
    this.polling = usePolling;
    const w = watch(root, {
      ignored: (p: string) => p !== root && isExcluded(path.basename(p)),
      followSymlinks: false,
      ignoreInitial: true,
      ignorePermissionErrors: true,
      awaitWriteFinish: { stabilityThreshold: STABILITY_THRESHOLD_MS, pollInterval: STABILITY_POLL_MS },
      depth: TREE_MAX_DEPTH,
      usePolling,
      interval: POLL_INTERVAL_MS,
    });
    this.watcher = w;
    let live = false;
    this.readyPromise = new Promise((resolve) =>
      w.once('ready', () => {
        live = true;
        // The mirror starts from a scan taken once events are live; batches keep it current from then on.
        if (!initial) return resolve();
        void this.scan(false)
          .then((m) => {
            for (const [p, dir] of m) if (!this.mirror.has(p)) this.mirror.set(p, dir.dir);
          })
          .finally(() => resolve());
      }),
    );
    w.on('raw', () => this.onRaw(w));
    w.on('all', (event, abs) => {
      // chokidar 4 reports symlinks found by the initial scan as `add` despite ignoreInitial; nothing changed.
      if (!live || this.closed || w !== this.watcher) return;
      if (event !== 'add' && event !== 'change' && event !== 'unlink' && event !== 'addDir' && event !== 'unlinkDir')
        return;
      const rel = path.relative(root, abs).split(path.sep).join('/');
      if (rel === '' || rel.startsWith('..')) return;
      this.queue(event, rel);
    });
    w.on('error', (err: unknown) => this.onError(err as NodeJS.ErrnoException, w));
  }

  private onError(err: NodeJS.ErrnoException, w: FSWatcher): void {
    if (this.closed || w !== this.watcher) return;
    if (err.code === 'EACCES' || err.code === 'EPERM') return;
    if ((err.code === 'EMFILE' || err.code === 'ENOSPC') && !this.polling) {
      this.opts.logger.warn('out of file watchers; switching to polling', { code: err.code });
      this.watcher = null;
      void w.close();
      this.start(true);
      return;
    }
    this.opts.logger.error('watcher error', { err });
  }

  private onRaw(w: FSWatcher): void {
    if (this.closed || this.flooding || w !== this.watcher) return;
    const now = performance.now();
    if (now - this.windowStart > FLOOD_WINDOW_MS) {
      this.windowStart = now;
      this.rawInWindow = 0;
    }
    this.rawInWindow += 1;
    if (this.rawInWindow > FLOOD_EVENTS) this.standDown(w);
  }

  /** Flood: stop chokidar at once, rescan every FLOOD_POLL_MS until the tree holds still, then watch again. */
  private standDown(w: FSWatcher): void {
    this.flooding = true;
    const since = Date.now() - FLOOD_WINDOW_MS;
    this.opts.logger.warn('file event flood; watching paused until it stops', { eventsPerWindow: this.rawInWindow });
    this.watcher = null;
    void w.close();
    if (this.timer) clearTimeout(this.timer);
    this.emit();
    let previous: string | null = null;
    const poll = async (): Promise<void> => {
      if (this.closed) return;
      // Paths alone can repeat mid-flood (a ⇄ b renames); modification times, folders' included, cannot.
      const now = await this.scan(true);
      if (this.closed) return;
      const key = [...now].map(([p, e]) => `${p}\0${e.mtimeMs}`).join('\n');
      if (key !== previous) {
        previous = key;
        this.catchUp(now, Infinity);
        setTimeout(() => void poll(), FLOOD_POLL_MS).unref();
        return;
      }
      // Quiet: watch again, then one last scan covers anything between the two and reports modified files.
      this.start(this.polling);
      await this.readyPromise;
      if (this.closed) return;
      this.catchUp(await this.scan(true), since);
      this.flooding = false;
      this.opts.logger.info('file event flood over; watching again');
    };
    setTimeout(() => void poll(), FLOOD_POLL_MS).unref();
  }

  /** Emits what differs between the mirror and a scan; files modified since `sinceMs` count as changed. */
  private catchUp(scan: Map<string, { dir: boolean; mtimeMs: number }>, sinceMs: number): void {
    const changes: TreeChange[] = [];
    for (const [p, dir] of this.mirror) {
      if (scan.get(p)?.dir === dir) continue;
      // A removed folder takes its contents with it; list only the top one.
      const parent = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '';
      if (parent !== '' && this.mirror.get(parent) === true && !scan.has(parent)) continue;
      changes.push({ action: dir ? 'unlinkDir' : 'unlink', path: p });
    }
    for (const [p, e] of scan) {
      if (p === '.') continue;
      const known = this.mirror.get(p);
      if (known !== e.dir) changes.push({ action: e.dir ? 'addDir' : 'add', path: p });
      else if (!e.dir && e.mtimeMs >= sinceMs) changes.push({ action: 'change', path: p });
    }
    // Deepest unlinks first would not matter to a consumer that removes subtrees; adds are parents first (scan order).
    for (const c of changes) this.pending.set(c.path, c.action);
    this.emit();
  }

  /** The project's paths under the watcher's exclusions, symlinks as files (never followed), as the tree lists them. */
  private async scan(withMtime: boolean): Promise<Map<string, { dir: boolean; mtimeMs: number }>> {
    const { root } = await scanTree(this.opts.root, {
      isExcluded: this.opts.isExcluded,
      maxEntries: MIRROR_MAX_ENTRIES,
    });
    const out = new Map<string, { dir: boolean; mtimeMs: number }>();
    const walk = (n: TreeNode): void => {
      for (const c of n.children ?? []) {
        out.set(c.path, { dir: c.type === 'directory', mtimeMs: -1 });
        if (c.type === 'directory') walk(c);
      }
    };
    walk(root);
    if (withMtime) {
      // The root's own time is kept under '.', which is never a project path: the scan compares it, catchUp skips it.
      await Promise.all(
        ['.', ...out.keys()].map(async (p) => {
          const st = await fs.lstat(path.join(this.opts.root, p)).catch(() => null);
          if (st) out.set(p, { dir: st.isDirectory(), mtimeMs: st.mtimeMs });
        }),
      );
    }
    return out;
  }

  private queue(action: Action, rel: string): void {
    const prev = this.pending.get(rel);
    // add followed by change is still an add for the tree; add then unlink cancels out.
    if (prev === 'add' && action === 'change') return;
    if ((prev === 'add' && action === 'unlink') || (prev === 'addDir' && action === 'unlinkDir')) {
      this.pending.delete(rel);
      return;
    }
    this.pending.set(rel, action);
    if (this.timer) return;
    const sinceLast = performance.now() - this.lastEmit;
    this.timer = setTimeout(() => this.emit(), Math.max(COALESCE_MS, BATCH_INTERVAL_MS - sinceLast));
  }

  private emit(): void {
    this.timer = null;
    if (this.closed || this.pending.size === 0) return;
    const changes = [...this.pending].map(([p, action]) => ({ action, path: p }));
    this.pending.clear();
    const removedDirs = new Set<string>();
    for (const c of changes) {
      if (c.action === 'add' || c.action === 'addDir') this.mirror.set(c.path, c.action === 'addDir');
      else if (c.action === 'unlink') this.mirror.delete(c.path);
      else if (c.action === 'unlinkDir') removedDirs.add(c.path);
    }
    // One pass per batch, whatever number of folders went: each path checks its own ancestors (depth ≤ 20).
    if (removedDirs.size > 0) {
      for (const p of this.mirror.keys()) {
        for (let a = p; a !== ''; a = a.includes('/') ? a.slice(0, a.lastIndexOf('/')) : '') {
          if (removedDirs.has(a)) {
            this.mirror.delete(p);
            break;
          }
        }
      }
    }
    this.lastEmit = performance.now();
    try {
      this.opts.onBatch(changes);
    } catch (err) {
      this.opts.logger.error('tree update handler failed', { err });
    }
  }

  /** Stops watching; events arriving after this are discarded. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
    const w = this.watcher;
    this.watcher = null;
    await w?.close();
  }
}
