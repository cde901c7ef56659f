// The learner's files as Paige sees them (docs/workspace.md): confined reads, the buffer cache, diffs, the tree, the
// watcher and atomic saves. Every path from outside goes through resolveInProject() first.
import fs from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch, diffLines } from 'diff';
import type {
  BufferUpdate,
  EditorRange,
  OpenedFile,
  SaveResult,
  TreeChange,
  TreeNode,
} from '../../shared/domain/workspace';
import { MAX_FILE_BYTES } from '../../shared/domain/workspace';
import { PaigeError } from '../../shared/ipc/errors';
import type { ActivityBus } from '../activity/activity-bus';
import { BufferLogger } from '../activity/buffer-logger';
import type { Logger } from '../logging/logger';
import { ConfinedFs, type VerifiedDir } from './confined-fs';
import { makeTreeFilter, makeWatchFilter } from './ignore';
import { hasBinaryExtension, languageOf, looksBinary, BINARY_SNIFF_BYTES } from './language';
import { HOST_CASE_INSENSITIVE, resolveInProject, type ResolvedPath } from './path-guard';
import { scanTree } from './tree';
import { ProjectWatcher } from './watcher';

/** Mode for files Paige creates; existing files keep theirs. */
const NEW_FILE_MODE = 0o644;
/** Lines of context in unified diffs. */
const DIFF_CONTEXT_LINES = 3;

interface BufferState {
  content: string;
  cursor: { line: number; column: number };
  selections: EditorRange[];
  dirty: boolean;
  lastUpdated: number;
  diskMtimeMs: number | null;
}

interface WorkspaceEvents {
  treeUpdate(changes: TreeChange[]): void;
  externalChange(change: { path: string; mtimeMs: number; deleted: boolean }): void;
}

interface WorkspaceDeps {
  activity: ActivityBus;
  logger: Logger;
  events: WorkspaceEvents;
  extraIgnores: () => readonly string[];
  now?: () => Date;
}

function lineCount(s: string): number {
  let n = 1;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function lstatOrNull(p: string): fs.Stats | null {
  try {
    return fs.lstatSync(p);
  } catch {
    return null;
  }
}

function notFound(rel: string): PaigeError {
  return new PaigeError('NOT_FOUND', `File not found: ${rel}`, { path: rel });
}

export class WorkspaceService {
  private root: string | null = null;
  private confined: ConfinedFs | null = null;
  private readonly buffers = new Map<string, BufferState>();
  private readonly openFiles = new Set<string>();
  /** Last diff per file, reused while neither the buffer nor the file on disk changed (read tools poll it). */
  private readonly diffCache = new Map<string, { content: string; mtimeMs: number; size: number; diff: string }>();
  /** The tab the learner has in front of them (from `editor:tab_switch`), for `paige_get_open_files`. */
  private activePath: string | null = null;
  private watcher: ProjectWatcher | null = null;
  private stopped = false;
  readonly bufferLog: BufferLogger;
  private readonly now: () => Date;

  private switching: Promise<void> = Promise.resolve();

  constructor(private readonly deps: WorkspaceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.bufferLog = new BufferLogger((type, data) => deps.activity.record(type, data));
  }

  get projectRoot(): string | null {
    return this.root;
  }

  /**
   * Switches to another project (or none): buffers are dropped and the watcher restarts there. Switches run one at a
   * time in call order, so overlapping calls always close the watcher the previous switch started.
   */
  setProject(root: string | null): Promise<void> {
    const next = this.switching.then(() => this.switchTo(root));
    this.switching = next.catch(() => undefined);
    return next;
  }

  private async switchTo(root: string | null): Promise<void> {
    await this.watcher?.close();
    this.watcher = null;
    // Shutdown may have run while the old watcher closed: never start a new one after it.
    if (this.stopped) return;
    this.clearBuffers();
    this.bufferLog.dispose();
    this.root = root;
    this.confined = root === null ? null : new ConfinedFs(root, { caseInsensitive: HOST_CASE_INSENSITIVE });
    if (root !== null) {
      this.watcher = new ProjectWatcher({
        root,
        isExcluded: makeWatchFilter(this.deps.extraIgnores()),
        logger: this.deps.logger.child({ component: 'watcher' }),
        onBatch: (changes) => this.onWatcherBatch(changes),
      });
    }
  }

  /** Resolves once the watcher's initial scan is done (tests, benchmarks). */
  async watcherReady(): Promise<void> {
    await this.watcher?.ready();
  }

  get watcherPolling(): boolean {
    return this.watcher?.isPolling ?? false;
  }

  resolve(input: string): ResolvedPath {
    return resolveInProject(this.requireRoot(), input, { caseInsensitive: HOST_CASE_INSENSITIVE });
  }

  async tree(): Promise<{ root: TreeNode; truncated: boolean }> {
    const { root, truncated } = await scanTree(this.requireRoot(), {
      isExcluded: makeTreeFilter(this.deps.extraIgnores()),
    });
    return { root, truncated };
  }

  /**
   * Reads a file and adds it to the open set. `rejectBinary` (MCP) refuses a binary file with BINARY_FILE before
   * anything changes; the UI opens it and shows a note instead.
   */
  open(input: string, source: 'ui' | 'mcp' = 'ui', opts: { rejectBinary?: boolean } = {}): OpenedFile {
    const { abs, rel } = this.resolve(input);
    // The descriptor is proven inside the project before a byte is read (docs/workspace.md).
    const opened = this.requireConfined().openRead(abs, rel);
    if (!opened) throw notFound(rel);
    let bytes: Buffer;
    const st = opened.stat;
    try {
      if (!st.isFile()) throw new PaigeError('INVALID_PATH', `Not a file: ${rel}`, { path: rel });
      if (st.size > MAX_FILE_BYTES) {
        throw new PaigeError('FILE_TOO_LARGE', `${rel} is larger than 5 MiB; Paige does not open it.`, {
          path: rel,
          sizeBytes: st.size,
        });
      }
      bytes = fs.readFileSync(opened.fd);
    } finally {
      fs.closeSync(opened.fd);
    }
    const binary = hasBinaryExtension(rel) || looksBinary(bytes.subarray(0, BINARY_SNIFF_BYTES));
    if (binary && opts.rejectBinary) {
      throw new PaigeError('BINARY_FILE', `${rel} is a binary file; Paige opens only text files in the editor.`, {
        path: rel,
      });
    }
    const content = binary ? '' : bytes.toString('utf8');
    // Re-reading an open file (the editor reloading after an outside change) is not a new open for the log.
    const alreadyOpen = this.openFiles.has(rel);
    this.openFiles.add(rel);
    if (!binary) {
      const existing = this.buffers.get(rel);
      if (!existing || !existing.dirty) {
        this.buffers.set(rel, {
          content,
          cursor: existing?.cursor ?? { line: 1, column: 1 },
          selections: existing?.selections ?? [],
          dirty: false,
          lastUpdated: this.now().getTime(),
          diskMtimeMs: st.mtimeMs,
        });
      }
      this.bufferLog.opened(rel, content.length);
    }
    if (!alreadyOpen) this.deps.activity.record('file_open', { path: rel, source });
    return {
      path: rel,
      content,
      language: languageOf(rel),
      lineCount: binary ? 0 : lineCount(content),
      binary,
      sizeBytes: st.size,
      mtimeMs: st.mtimeMs,
    };
  }

  close(input: string): null {
    const { rel } = this.resolve(input);
    const wasOpen = this.forget(rel);
    if (wasOpen) this.deps.activity.record('file_close', { path: rel });
    return null;
  }

  /** `buffer:update`: memory only, then the logging rules; nothing here waits for the disk. */
  updateBuffer(u: BufferUpdate): null {
    const { rel } = this.resolve(u.path);
    const prev = this.buffers.get(rel);
    this.buffers.set(rel, {
      content: u.content,
      cursor: u.cursorPosition,
      selections: u.selections,
      dirty: true,
      lastUpdated: this.now().getTime(),
      diskMtimeMs: prev?.diskMtimeMs ?? null,
    });
    this.openFiles.add(rel);
    this.deps.activity.publishTransient({ path: rel, charCount: u.content.length });
    this.bufferLog.update(rel, u.content.length);
    return null;
  }

  getBuffer(input: string): BufferState | null {
    return this.buffers.get(this.resolve(input).rel) ?? null;
  }

  openFileList(): { path: string; dirty: boolean; cursorPosition: { line: number; column: number } }[] {
    return [...this.openFiles].map((p) => {
      const b = this.buffers.get(p);
      return { path: p, dirty: b?.dirty ?? false, cursorPosition: b?.cursor ?? { line: 1, column: 1 } };
    });
  }

  /** Open files with their dirty flag and whether each is the learner's active tab (`paige_get_open_files`). */
  openFilesWithActive(): { path: string; dirty: boolean; active: boolean }[] {
    return [...this.openFiles].map((p) => ({
      path: p,
      dirty: this.buffers.get(p)?.dirty ?? false,
      active: p === this.activePath,
    }));
  }

  /** Every cached buffer without its content (the `buffers` state item). */
  bufferList(): {
    path: string;
    dirty: boolean;
    cursorPosition: { line: number; column: number };
    charCount: number;
  }[] {
    return [...this.buffers].map(([p, b]) => ({
      path: p,
      dirty: b.dirty,
      cursorPosition: b.cursor,
      charCount: b.content.length,
    }));
  }

  /** Paths of every dirty buffer, in the order they were first cached. */
  dirtyPaths(): string[] {
    return [...this.buffers].filter(([, b]) => b.dirty).map(([p]) => p);
  }

  /** Unified diff disk → buffer; '' for a clean, missing or binary buffer. */
  diff(input: string): string {
    const { abs, rel } = this.resolve(input);
    const b = this.buffers.get(rel);
    if (!b?.dirty) {
      this.diffCache.delete(rel);
      return '';
    }
    // Only the descriptor's stat is needed while the cached diff still holds: read tools poll this.
    let opened: { fd: number; stat: fs.Stats } | null;
    try {
      opened = this.requireConfined().openRead(abs, rel);
    } catch {
      opened = null; // Not a file, or not inside the project any more: diff as if deleted.
    }
    let diff: string;
    let key: { content: string; mtimeMs: number; size: number };
    try {
      const st = opened?.stat.isFile() ? opened.stat : null;
      key = { content: b.content, mtimeMs: st?.mtimeMs ?? -1, size: st?.size ?? -1 };
      const cached = this.diffCache.get(rel);
      // Same buffer string (usually the same object: a cheap compare) and the same file on disk: same diff.
      if (cached?.content === key.content && cached.mtimeMs === key.mtimeMs && cached.size === key.size) {
        return cached.diff;
      }
      // Deleted on disk: diff against empty content.
      const diskText = st && opened ? fs.readFileSync(opened.fd, 'utf8') : '';
      diff =
        diskText === b.content
          ? ''
          : createTwoFilesPatch(`a/${rel}`, `b/${rel}`, diskText, b.content, undefined, undefined, {
              context: DIFF_CONTEXT_LINES,
            });
    } finally {
      if (opened) fs.closeSync(opened.fd);
    }
    this.diffCache.set(rel, { ...key, diff });
    return diff;
  }

  /** Atomic save keeping the file mode; a stale `expectedMtimeMs` → CONFLICT unless forced. */
  save(input: {
    path: string;
    content: string;
    expectedMtimeMs?: number | undefined;
    force?: boolean | undefined;
  }): SaveResult {
    const { abs, rel } = this.resolveFile(input.path);
    const { dir, name, before } = this.openForWrite(abs, rel);
    let previous = '';
    let after: fs.Stats;
    try {
      if (before && !before.isFile()) throw new PaigeError('INVALID_PATH', `Not a file: ${rel}`, { path: rel });
      if (before && input.expectedMtimeMs !== undefined && !input.force && before.mtimeMs !== input.expectedMtimeMs) {
        throw new PaigeError('CONFLICT', `${rel} changed on disk since you opened it. Reload it or save anyway.`, {
          path: rel,
          mtimeMs: before.mtimeMs,
        });
      }
      if (before) previous = this.requireConfined().readFile(dir.entry(name), rel)?.bytes.toString('utf8') ?? '';
      this.requireConfined().writeAtomic(dir, name, input.content, before ? before.mode & 0o7777 : NEW_FILE_MODE);
      after = fs.lstatSync(dir.entry(name));
    } finally {
      dir.close();
    }
    const prevBuffer = this.buffers.get(rel);
    this.buffers.set(rel, {
      content: input.content,
      cursor: prevBuffer?.cursor ?? { line: 1, column: 1 },
      selections: prevBuffer?.selections ?? [],
      dirty: false,
      lastUpdated: this.now().getTime(),
      diskMtimeMs: after.mtimeMs,
    });
    this.bufferLog.saved(rel);
    let linesAdded = 0;
    let linesRemoved = 0;
    for (const part of diffLines(previous, input.content)) {
      if (part.added) linesAdded += part.count;
      else if (part.removed) linesRemoved += part.count;
    }
    this.deps.activity.record('file_save', {
      path: rel,
      charCount: input.content.length,
      linesAdded,
      linesRemoved,
      language: languageOf(rel),
    });
    return { path: rel, savedAt: this.now().toISOString(), mtimeMs: after.mtimeMs, charCount: input.content.length };
  }

  create(input: { path: string; content?: string | undefined }): { path: string } {
    const { abs, rel } = this.resolveFile(input.path);
    const confined = this.requireConfined();
    const dir = confined.openDir(path.dirname(abs), rel, true) as VerifiedDir;
    try {
      confined.writeNew(dir, path.basename(abs), input.content ?? '', NEW_FILE_MODE);
      dir.sync();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new PaigeError('CONFLICT', `${rel} already exists.`, { path: rel });
      }
      throw err;
    } finally {
      dir.close();
    }
    this.deps.activity.record('file_create', { path: rel });
    return { path: rel };
  }

  delete(input: string): { path: string } {
    const { abs, rel } = this.resolveFile(input);
    const dir = this.requireConfined().openDir(path.dirname(abs), rel, false);
    if (!dir) throw notFound(rel);
    try {
      const name = path.basename(abs);
      const st = lstatOrNull(dir.entry(name));
      if (!st) throw notFound(rel);
      if (st.isDirectory()) throw new PaigeError('INVALID_PATH', `${rel} is a folder; only files can be deleted here.`);
      // Headless unlinks inside the proven folder; a symlink is removed itself, never its target.
      fs.unlinkSync(dir.entry(name));
    } finally {
      dir.close();
    }
    this.forget(rel);
    this.deps.activity.record('file_delete', { path: rel });
    return { path: rel };
  }

  tabSwitch(fromPath: string | null, toPath: string): null {
    const from = fromPath === null ? null : this.resolve(fromPath).rel;
    const to = this.resolve(toPath).rel;
    this.activePath = to;
    this.deps.activity.record('editor_tab_switch', { fromPath: from, toPath: to });
    return null;
  }

  selection(input: { path: string; range: EditorRange; selectedText: string }): null {
    const { rel } = this.resolve(input.path);
    this.deps.activity.record('editor_selection', {
      path: rel,
      range: input.range,
      textLength: input.selectedText.length,
    });
    return null;
  }

  /** resolve() for the write channels: the project folder itself is never a file to write or delete. */
  private resolveFile(input: string): ResolvedPath {
    const r = this.resolve(input);
    if (r.rel === '') throw new PaigeError('INVALID_PATH', 'The project folder itself is not a file.', { path: input });
    return r;
  }

  private requireConfined(): ConfinedFs {
    this.requireRoot();
    return this.confined as ConfinedFs;
  }

  /**
   * The proven parent folder of a file about to be written, and the file's current state. A symlink inside the
   * project is written through to its target (itself proven), and the link is kept.
   */
  private openForWrite(abs: string, rel: string): { dir: VerifiedDir; name: string; before: fs.Stats | null } {
    const confined = this.requireConfined();
    let dir = confined.openDir(path.dirname(abs), rel, true) as VerifiedDir;
    let name = path.basename(abs);
    let before = lstatOrNull(dir.entry(name));
    if (before?.isSymbolicLink()) {
      let target: string | null;
      try {
        target = fs.realpathSync.native(dir.entry(name));
      } catch {
        target = null; // A dangling link is replaced like a missing file.
      }
      if (target !== null) {
        dir.close();
        const next = this.resolve(target);
        dir =
          confined.openDir(path.dirname(next.abs), rel, false) ??
          (() => {
            throw notFound(rel);
          })();
        name = path.basename(next.abs);
        before = lstatOrNull(dir.entry(name));
        if (before?.isSymbolicLink()) {
          dir.close();
          throw new PaigeError('INVALID_PATH', `${rel} changed while it was being saved; try again.`, { path: rel });
        }
      } else {
        before = null;
      }
    }
    return { dir, name, before };
  }

  /** A file's text through the descriptor check, or null when missing, not a file or not inside the project. */
  private readText(abs: string, rel: string): { text: string; mtimeMs: number; size: number } | null {
    try {
      const r = this.requireConfined().readFile(abs, rel);
      return r ? { text: r.bytes.toString('utf8'), mtimeMs: r.stat.mtimeMs, size: r.stat.size } : null;
    } catch {
      return null;
    }
  }

  private requireRoot(): string {
    if (this.root === null) throw new PaigeError('PROJECT_NOT_FOUND', 'No project is open. Open a folder first.');
    return this.root;
  }

  /** Drops everything Paige holds for one file (closed or deleted); returns whether it was in the open set. */
  private forget(rel: string): boolean {
    const wasOpen = this.openFiles.delete(rel);
    if (this.activePath === rel) this.activePath = null;
    this.buffers.delete(rel);
    this.diffCache.delete(rel);
    this.bufferLog.closed(rel);
    return wasOpen;
  }

  private clearBuffers(): void {
    this.buffers.clear();
    this.diffCache.clear();
    this.openFiles.clear();
    this.activePath = null;
  }

  private onWatcherBatch(changes: TreeChange[]): void {
    for (const c of changes) {
      if (c.action !== 'change' && c.action !== 'unlink' && c.action !== 'add') continue;
      // Belt and braces for file systems with coarse mtimes: a change on disk always recomputes the diff.
      this.diffCache.delete(c.path);
      const b = this.buffers.get(c.path);
      if (!b || this.root === null) continue;
      const disk = this.readText(path.join(this.root, c.path), c.path);
      // Our own save already recorded this mtime: not an external change.
      if (disk && disk.mtimeMs === b.diskMtimeMs) continue;
      if (b.dirty) {
        this.deps.events.externalChange({ path: c.path, mtimeMs: disk?.mtimeMs ?? 0, deleted: disk === null });
      } else if (disk) {
        // A clean buffer follows the disk; the renderer reloads it on the tree update.
        b.content = disk.text;
        b.diskMtimeMs = disk.mtimeMs;
      }
    }
    this.deps.events.treeUpdate(changes);
  }

  /**
   * Call while the coaching session is still active, just before it ends: final buffer summaries are logged to it,
   * then buffers and the summary timer are cleared (docs/activity.md, buffer logging rules).
   */
  endSession(): void {
    this.bufferLog.finish();
    this.clearBuffers();
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    this.bufferLog.finish();
    await this.switching;
    await this.watcher?.close();
    this.watcher = null;
  }
}
