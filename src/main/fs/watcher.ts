// chokidar on the project (docs/workspace.md): exclusions, no symlink following, EMFILE/ENOSPC → polling, and changes
// coalesced per path and delivered in batches.
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { TreeChange } from '../../shared/domain/workspace';
import type { Logger } from '../logging/logger';
import { TREE_MAX_DEPTH } from './tree';

/** Per-path coalescing window. */
export const COALESCE_MS = 50;
/** At most one batch per this interval. */
export const BATCH_INTERVAL_MS = 100;
/** Polling interval after the OS ran out of watch handles. */
export const POLL_INTERVAL_MS = 1_000;
/** awaitWriteFinish settings: a file counts as written once its size is stable for 100 ms. */
const STABILITY_THRESHOLD_MS = 100;
const STABILITY_POLL_MS = 50;

export interface WatcherOptions {
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

  constructor(private readonly opts: WatcherOptions) {
    this.start(false);
  }

  get isPolling(): boolean {
    return this.polling;
  }

  /** Resolves once the initial scan finished and events are live. */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  private start(usePolling: boolean): void {
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
        resolve();
      }),
    );
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
