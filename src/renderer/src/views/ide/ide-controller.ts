// The IDE's state outside React: the tree and its expand state, open tabs backed by Monaco models, dirty tracking,
// saves, external-change handling and the debounced buffer reports (docs/workspace.md). It is created with the page and
// subscribes to Claude Code's UI effects at once, but Monaco (most of the renderer's code) is loaded only when the first
// file is opened or the IDE view mounts: this module uses it as types only, so the Home view's bundle stays small and no
// `editor:open_file` or highlight sent before the editor exists is lost.
import type { PaigeClient } from '../../../../shared/ipc/client';
import type { ExplainRequest } from '../../../../shared/domain/llm';
import type { EditorRange, TreeChange, TreeNode } from '../../../../shared/domain/workspace';
import { PaigeError } from '../../../../shared/ipc/errors';
import { DisposableStore, Emitter } from '../../../../shared/lifecycle';
import { debounce, type Debounced } from '../../lib/debounce';
import { DecorationsApi, HIGHLIGHT_STYLE } from './decorations';
import { insertedSpan, type TextSpan } from './edit-overlap';
import type * as monaco from 'monaco-editor/editor/editor.api';

type MonacoApi = typeof monaco;

/** Monaco's chunk (the one the IDE view imports); the module loader fetches and evaluates it once. */
function loadMonaco(): Promise<MonacoApi> {
  return import('./monaco-setup').then((m) => m.monaco);
}

/** buffer:update 300 ms after typing pauses, at least every 5 s while it does not. */
const BUFFER_DEBOUNCE_MS = 300;
const BUFFER_MAX_WAIT_MS = 5_000;
/** Selections are reported once the learner stops dragging. */
const SELECTION_DEBOUNCE_MS = 500;
/** Tree refetches after structural changes are coalesced. */
const TREE_REFRESH_MS = 150;
/** The Explain button shows for selections of at least this many characters; longer ones are cut to the cap. */
const EXPLAIN_MIN_CHARS = 2;
const EXPLAIN_MAX_CHARS = 20_000;

export type HintStyle = 'suggested' | 'warning' | 'error';

interface Tab {
  path: string;
  name: string;
  language: string;
  dirty: boolean;
  binary: boolean;
  mtimeMs: number;
}

export type Prompt =
  | { kind: 'unsaved'; path: string }
  | { kind: 'conflict'; path: string; deleted: boolean; diskContent: string | null; diskMtimeMs: number };

export interface IdeState {
  tree: TreeNode | null;
  truncated: boolean;
  error: string | null;
  expanded: ReadonlySet<string>;
  tabs: readonly Tab[];
  active: string | null;
  cursor: { line: number; column: number } | null;
  prompt: Prompt | null;
  /** Explorer hint glows by path (`explorer:hint_files`); how far they spread is the hint level's call. */
  hints: Readonly<Record<string, HintStyle>>;
  /** Folders a hint named with its files (they glow from the `medium` level). */
  hintDirectories: readonly string[];
  /** The active editor's selection when it is long enough to explain, as the `user:explain` request. */
  selection: ExplainRequest | null;
}

interface OpenModel {
  model: monaco.editor.ITextModel;
  savedVersionId: number;
  viewState: monaco.editor.ICodeEditorViewState | null;
  report: Debounced<[]>;
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function errorText(err: unknown): string {
  return err instanceof PaigeError ? `${err.message} (${err.code})` : String(err);
}

export class IdeController {
  private state: IdeState = {
    tree: null,
    truncated: false,
    error: null,
    expanded: new Set(['']),
    tabs: [],
    active: null,
    cursor: null,
    prompt: null,
    hints: {},
    hintDirectories: [],
    selection: null,
  };
  private readonly changed = new Emitter<void>();
  private readonly edited = new Emitter<{ path: string; spans: TextSpan[] }>();
  /** The learner edited a file: where, as ranges of the text before the edit. */
  readonly onDidEdit = this.edited.event;
  private readonly models = new Map<string, OpenModel>();
  private editor: monaco.editor.IStandaloneCodeEditor | null = null;
  private readonly store = new DisposableStore();
  /** Listeners on the attached Monaco editor, released when it is detached or replaced. */
  private readonly editorSubs = this.store.add(new DisposableStore());
  private treeTimer: ReturnType<typeof setTimeout> | null = null;
  /** Opens in flight per path: a second request (a double click, Claude Code repeating itself) joins the first. */
  private readonly opening = new Map<string, Promise<void>>();
  /** Saves in flight per path: a second Ctrl+S while one runs must not race it into a false CONFLICT. */
  private readonly saving = new Map<string, Promise<boolean>>();
  readonly decorations = new DecorationsApi(
    () => this.editor,
    (p) => this.models.get(p)?.model ?? null,
  );
  private readonly reportSelection: Debounced<[string, EditorRange, string]>;

  constructor(private readonly client: PaigeClient) {
    this.reportSelection = debounce(
      (path: string, range: EditorRange, text: string) => {
        void this.client.invoke('editor:selection', { path, range, selectedText: text }).catch(() => undefined);
      },
      SELECTION_DEBOUNCE_MS,
      SELECTION_DEBOUNCE_MS,
    );
    for (const off of [
      client.on('fs:tree_update', ({ changes }) => this.onTreeUpdate(changes)),
      client.on('buffer:external_change', (c) => void this.onExternalChange(c.path, c.mtimeMs, c.deleted)),
      client.on('project:changed', () => this.reset()),
      // UI effects Claude Code drives through MCP (docs/mcp.md).
      // The tab comes to the front but the keyboard stays where it is: the learner may be typing to Claude Code in
      // the terminal when it opens a file, and those keystrokes must not land in the file.
      client.on('editor:open_file', ({ path }) => void this.open(path, { focus: false })),
      // The plan's own hints (`fromPlan`) are drawn from the plan, where each carries the level it needs.
      client.on('editor:highlight_lines', ({ path, ranges, fromPlan }) =>
        fromPlan === true
          ? undefined
          : this.decorations.add(
              path,
              'coaching',
              ranges.map((r) => ({
                type: 'line-highlight',
                range: { startLine: r.start, endLine: r.end },
                style: HIGHLIGHT_STYLE[r.style],
                ...(r.hoverText !== undefined ? { message: r.hoverText } : {}),
              })),
            ),
      ),
      client.on('editor:clear_highlights', ({ path }) => this.decorations.clear(path, 'coaching')),
      client.on('explorer:hint_files', ({ paths, style, directories, fromPlan }) => {
        if (fromPlan === true) return;
        this.setHints(paths, style);
        if (directories) this.set({ hintDirectories: [...new Set([...this.state.hintDirectories, ...directories])] });
      }),
      client.on('explorer:clear_hints', () => this.clearHints()),
      // A session's hints end with it: Claude Code's glows and highlights go (review comments stay).
      client.on('session:ended', () => {
        this.clearHints();
        this.decorations.clear(undefined, 'coaching');
      }),
    ]) {
      this.store.defer(off);
    }
  }

  subscribe = (listener: () => void): (() => void) => {
    const sub = this.changed.event(listener);
    return () => sub.dispose();
  };

  getState = (): IdeState => this.state;

  private set(patch: Partial<IdeState>): void {
    this.state = { ...this.state, ...patch };
    this.changed.fire();
  }

  get dirtyCount(): number {
    return this.state.tabs.filter((t) => t.dirty).length;
  }

  async loadTree(): Promise<void> {
    try {
      const { root, truncated } = await this.client.invoke('fs:tree');
      this.set({ tree: root, truncated, error: null });
    } catch (err) {
      this.set({ error: errorText(err) });
    }
  }

  toggle(dir: string): void {
    const expanded = new Set(this.state.expanded);
    if (expanded.has(dir)) expanded.delete(dir);
    else expanded.add(dir);
    this.set({ expanded });
  }

  setHints(paths: readonly string[], style: HintStyle): void {
    const hints = { ...this.state.hints };
    for (const p of paths) hints[p] = style;
    this.set({ hints });
  }

  clearHints(): void {
    this.set({ hints: {}, hintDirectories: [] });
  }

  /** Attaches the Monaco instance the view created; the controller drives its model and listens to it. */
  attachEditor(editor: monaco.editor.IStandaloneCodeEditor, api: MonacoApi): void {
    this.editorSubs.clear();
    this.editor = editor;
    this.editorSubs.add(
      editor.onDidChangeModelContent((e) => {
        this.onContentChange();
        this.onEdits(e.changes);
      }),
    );
    this.editorSubs.add(
      editor.onDidChangeCursorPosition((e) => {
        this.set({ cursor: { line: e.position.lineNumber, column: e.position.column } });
      }),
    );
    this.editorSubs.add(editor.onDidChangeCursorSelection((e) => this.onSelection(e.selection)));
    editor.addCommand(api.KeyMod.CtrlCmd | api.KeyCode.KeyS, () => void this.save());
    const active = this.state.active;
    if (active) this.showModel(active);
  }

  detachEditor(): void {
    this.editorSubs.clear();
    this.editor = null;
  }

  /** Opens a file in a tab (or switches to its tab); `focus: false` leaves the keyboard focus where it is. */
  open(path: string, opts: { focus?: boolean } = {}): Promise<void> {
    const focus = opts.focus ?? true;
    if (this.models.has(path) || this.state.tabs.some((t) => t.path === path)) {
      this.activate(path, focus);
      return Promise.resolve();
    }
    const inFlight = this.opening.get(path);
    if (inFlight) return inFlight;
    const p = this.doOpen(path, focus).finally(() => this.opening.delete(path));
    this.opening.set(path, p);
    return p;
  }

  /** Opens (or switches to) a file and puts the keyboard focus in the editor, optionally at a line. */
  async reveal(path: string, line?: number): Promise<void> {
    await this.open(path);
    if (this.state.active !== path || !this.editor) return;
    if (line !== undefined) {
      this.editor.revealLineInCenter(line);
      this.editor.setPosition({ lineNumber: line, column: 1 });
    }
    this.editor.focus();
  }

  private async doOpen(path: string, focus: boolean): Promise<void> {
    try {
      // Monaco loads beside the read; a binary file needs no model but the editor is about to show anyway.
      const [file, api] = await Promise.all([this.client.invoke('file:open', { path }), loadMonaco()]);
      const tab: Tab = {
        path: file.path,
        name: baseName(file.path),
        language: file.language,
        dirty: false,
        binary: file.binary,
        mtimeMs: file.mtimeMs,
      };
      if (!file.binary) {
        const model = api.editor.createModel(file.content, file.language);
        const report = debounce(() => this.sendBuffer(file.path), BUFFER_DEBOUNCE_MS, BUFFER_MAX_WAIT_MS);
        this.models.set(file.path, { model, savedVersionId: model.getAlternativeVersionId(), viewState: null, report });
      }
      this.set({ tabs: [...this.state.tabs, tab], error: null });
      this.activate(file.path, focus);
    } catch (err) {
      this.set({ error: errorText(err) });
    }
  }

  activate(path: string, focus = true): void {
    const from = this.state.active;
    if (from === path) return;
    const prev = from ? this.models.get(from) : undefined;
    if (prev && this.editor) prev.viewState = this.editor.saveViewState();
    this.set({ active: path, selection: null });
    this.showModel(path, focus);
    void this.client.invoke('editor:tab_switch', { fromPath: from, toPath: path }).catch(() => undefined);
  }

  private showModel(path: string, focus = true): void {
    const m = this.models.get(path);
    if (!this.editor) return;
    this.editor.setModel(m?.model ?? null);
    if (m?.viewState) this.editor.restoreViewState(m.viewState);
    this.decorations.refresh(path);
    if (focus) this.editor.focus();
  }

  /** Close asks first when there are unsaved edits. */
  requestClose(path: string): void {
    const tab = this.state.tabs.find((t) => t.path === path);
    if (tab?.dirty) this.set({ prompt: { kind: 'unsaved', path } });
    else this.close(path);
  }

  close(path: string): void {
    const m = this.models.get(path);
    m?.report.cancel();
    m?.model.dispose();
    this.models.delete(path);
    const tabs = this.state.tabs.filter((t) => t.path !== path);
    const idx = this.state.tabs.findIndex((t) => t.path === path);
    let active = this.state.active;
    if (active === path) active = (tabs[Math.min(idx, tabs.length - 1)] ?? null)?.path ?? null;
    const prompt = this.state.prompt?.path === path ? null : this.state.prompt;
    this.set({ tabs, active, prompt, selection: this.state.active === path ? null : this.state.selection });
    if (active) this.showModel(active);
    else this.editor?.setModel(null);
    void this.client.invoke('file:close', { path }).catch(() => undefined);
  }

  save(path = this.state.active, force = false): Promise<boolean> {
    if (!path) return Promise.resolve(false);
    const inFlight = this.saving.get(path);
    if (inFlight) return inFlight;
    const p = this.doSave(path, force).finally(() => this.saving.delete(path));
    this.saving.set(path, p);
    return p;
  }

  private async doSave(path: string, force: boolean): Promise<boolean> {
    const m = this.models.get(path);
    const tab = this.state.tabs.find((t) => t.path === path);
    if (!m || !tab) return false;
    const version = m.model.getAlternativeVersionId();
    // The save carries the content itself; a late buffer:update would mark the saved file dirty again.
    m.report.cancel();
    try {
      const res = await this.client.invoke('file:save', {
        path,
        content: m.model.getValue(),
        expectedMtimeMs: tab.mtimeMs,
        force,
      });
      m.savedVersionId = version;
      this.updateTab(path, { mtimeMs: res.mtimeMs, dirty: m.model.getAlternativeVersionId() !== version });
      if (this.state.prompt?.path === path) this.set({ prompt: null });
      return true;
    } catch (err) {
      if (err instanceof PaigeError && err.code === 'CONFLICT') {
        const mtime = typeof err.details?.mtimeMs === 'number' ? err.details.mtimeMs : 0;
        this.set({ prompt: { kind: 'conflict', path, deleted: false, diskContent: null, diskMtimeMs: mtime } });
      } else {
        this.set({ error: errorText(err) });
      }
      return false;
    }
  }

  /** Conflict: take the disk version (drops local edits). */
  async reloadFromDisk(path: string): Promise<void> {
    const m = this.models.get(path);
    if (!m) return;
    try {
      const file = await this.client.invoke('file:open', { path });
      this.applyDisk(path, file.content, file.mtimeMs);
    } catch (err) {
      this.set({ error: errorText(err) });
    }
    this.set({ prompt: null });
  }

  /** Conflict: keep local edits; the next save overwrites the disk version. */
  keepMine(path: string): void {
    const p = this.state.prompt;
    if (p?.kind === 'conflict' && p.path === path) this.updateTab(path, { mtimeMs: p.diskMtimeMs });
    this.set({ prompt: null });
  }

  /**
   * After a reconnect the backend may have restarted with no buffers: refresh the tree, re-open clean
   * tabs (picking up outside changes) and re-send dirty ones.
   */
  resync(): void {
    void this.loadTree();
    for (const tab of this.state.tabs) {
      if (!this.models.has(tab.path)) continue;
      if (tab.dirty) this.sendBuffer(tab.path);
      else void this.checkDisk(tab.path);
    }
  }

  dismissPrompt(): void {
    this.set({ prompt: null });
  }

  dispose(): void {
    this.store.dispose();
    this.changed.dispose();
    this.edited.dispose();
    this.disposeModels();
    this.reportSelection.cancel();
    if (this.treeTimer) clearTimeout(this.treeTimer);
  }

  /** Drops every Monaco model with its pending buffer report. */
  private disposeModels(): void {
    for (const m of this.models.values()) {
      m.report.cancel();
      m.model.dispose();
    }
    this.models.clear();
  }

  private reset(): void {
    this.disposeModels();
    this.editor?.setModel(null);
    this.decorations.clear();
    this.set({
      tabs: [],
      active: null,
      prompt: null,
      cursor: null,
      expanded: new Set(['']),
      hints: {},
      hintDirectories: [],
      selection: null,
    });
    void this.loadTree();
  }

  private updateTab(path: string, patch: Partial<Tab>): void {
    this.set({ tabs: this.state.tabs.map((t) => (t.path === path ? { ...t, ...patch } : t)) });
  }

  private onContentChange(): void {
    const path = this.state.active;
    const m = path ? this.models.get(path) : undefined;
    if (!path || !m) return;
    const dirty = m.model.getAlternativeVersionId() !== m.savedVersionId;
    if (this.state.tabs.find((t) => t.path === path)?.dirty !== dirty) this.updateTab(path, { dirty });
    m.report();
  }

  /** The learner's edits dismiss the coaching decorations and anchored messages they touch. */
  private onEdits(changes: readonly monaco.editor.IModelContentChange[]): void {
    const path = this.state.active;
    if (!path || changes.length === 0) return;
    const spans = changes.map((c) =>
      insertedSpan({ line: c.range.startLineNumber, column: c.range.startColumn }, c.text),
    );
    this.decorations.dismissOverlapping(path, spans);
    const before = changes.map((c) => ({
      startLine: c.range.startLineNumber,
      startColumn: c.range.startColumn,
      endLine: c.range.endLineNumber,
      endColumn: c.range.endColumn,
    }));
    this.edited.fire({ path, spans: before });
  }

  private sendBuffer(path: string): void {
    const m = this.models.get(path);
    if (!m) return;
    const sel = this.state.active === path ? this.editor?.getSelections() : null;
    const pos = this.state.active === path ? this.editor?.getPosition() : null;
    void this.client
      .invoke('buffer:update', {
        path,
        content: m.model.getValue(),
        cursorPosition: { line: pos?.lineNumber ?? 1, column: pos?.column ?? 1 },
        selections: (sel ?? []).slice(0, 100).map((s) => ({
          startLine: s.startLineNumber,
          startColumn: s.startColumn,
          endLine: s.endLineNumber,
          endColumn: s.endColumn,
        })),
      })
      .catch(() => undefined);
  }

  private onSelection(s: monaco.Selection): void {
    const path = this.state.active;
    const m = path ? this.models.get(path) : undefined;
    this.trackExplainable(path, m, s);
    if (!path || !m || s.isEmpty()) return;
    const range = {
      startLine: s.startLineNumber,
      startColumn: s.startColumn,
      endLine: s.endLineNumber,
      endColumn: s.endColumn,
    };
    this.reportSelection(path, range, m.model.getValueInRange(s).slice(0, 10_000));
  }

  private trackExplainable(path: string | null, m: OpenModel | undefined, s: monaco.Selection): void {
    const text = path && m && !s.isEmpty() ? m.model.getValueInRange(s) : '';
    if (!path || !m || text.trim().length < EXPLAIN_MIN_CHARS) {
      if (this.state.selection) this.set({ selection: null });
      return;
    }
    const language = this.state.tabs.find((t) => t.path === path)?.language;
    // A selection ending at the start of a line (whole lines, Ctrl+A) does not include that line.
    const endLine = s.endColumn === 1 && s.endLineNumber > s.startLineNumber ? s.endLineNumber - 1 : s.endLineNumber;
    this.set({
      selection: {
        path,
        range: { startLine: s.startLineNumber, endLine },
        text: text.slice(0, EXPLAIN_MAX_CHARS),
        ...(language ? { language } : {}),
      },
    });
  }

  private onTreeUpdate(changes: TreeChange[]): void {
    if (changes.some((c) => c.action !== 'change')) {
      this.treeTimer ??= setTimeout(() => {
        this.treeTimer = null;
        void this.loadTree();
      }, TREE_REFRESH_MS);
    }
    for (const c of changes) {
      if ((c.action === 'change' || c.action === 'add') && this.models.has(c.path)) void this.checkDisk(c.path);
    }
  }

  /** A file changed on disk: a clean buffer reloads, a dirty one asks; our own save (same mtime) is ignored. */
  private async checkDisk(path: string): Promise<void> {
    const tab = this.state.tabs.find((t) => t.path === path);
    if (!tab) return;
    try {
      const file = await this.client.invoke('file:open', { path });
      const current = this.state.tabs.find((t) => t.path === path);
      if (!current || file.mtimeMs === current.mtimeMs) return;
      if (!current.dirty) this.applyDisk(path, file.content, file.mtimeMs);
      else
        this.set({
          prompt: { kind: 'conflict', path, deleted: false, diskContent: file.content, diskMtimeMs: file.mtimeMs },
        });
    } catch {
      // Gone again; the unlink event follows.
    }
  }

  private async onExternalChange(path: string, mtimeMs: number, deleted: boolean): Promise<void> {
    const tab = this.state.tabs.find((t) => t.path === path);
    if (!tab || (!deleted && mtimeMs === tab.mtimeMs)) return;
    if (!tab.dirty && !deleted) return void (await this.checkDisk(path));
    this.set({ prompt: { kind: 'conflict', path, deleted, diskContent: null, diskMtimeMs: mtimeMs } });
  }

  private applyDisk(path: string, content: string, mtimeMs: number): void {
    const m = this.models.get(path);
    if (!m) return;
    if (m.model.getValue() !== content) {
      const view = this.state.active === path ? this.editor?.saveViewState() : null;
      m.model.setValue(content);
      if (view) this.editor?.restoreViewState(view);
    }
    m.report.cancel();
    m.savedVersionId = m.model.getAlternativeVersionId();
    this.updateTab(path, { mtimeMs, dirty: false });
  }
}
