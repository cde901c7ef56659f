// The Issues view's state outside React: the open project, what is in progress and the ranked issues of the latest
// refresh, filled in from `dashboard:*` events. Events of any other (older) refresh are ignored; events that arrive
// before the refresh's own id is known are held until it is. A session starting or ending, or a new plan, makes what is
// shown stale: it is refreshed shortly after while the view shows, or when it shows next.
import type { InProgressItem, ScoredIssue } from '../../../../shared/domain/issues';
import type { PaigeClient } from '../../../../shared/ipc/client';
import type { EventPayload } from '../../../../shared/ipc/contract';
import { DisposableStore, Emitter } from '../../../../shared/lifecycle';
import { toErrorInfo, type ErrorInfo } from '../../lib/error-info';

type IssuesEvent =
  | { channel: 'dashboard:in_progress'; payload: EventPayload<'dashboard:in_progress'> }
  | { channel: 'dashboard:issues'; payload: EventPayload<'dashboard:issues'> }
  | { channel: 'dashboard:issues_error'; payload: EventPayload<'dashboard:issues_error'> };

/** GitHub's own limit on an issue body; `session:select_issue` accepts no more. */
const MAX_BODY_SENT = 65_536;
/** Events held while a refresh's id is not known yet. */
const MAX_HELD_EVENTS = 200;
/** Session and plan events come in bursts (one session ends, the next starts): one refresh after the last. */
const STALE_REFRESH_DELAY_MS = 300;

type LlmState = EventPayload<'dashboard:issues'>['llm'];

export interface IssuesState {
  /** The open project, or null; undefined until known. */
  projectDir: string | null | undefined;
  /** The refresh whose events are shown. */
  requestId: string | null;
  /** `loading` until the first event, `streaming` while issues arrive, then `done` (or `error` for gh). */
  status: 'idle' | 'loading' | 'streaming' | 'done' | 'error';
  inProgress: readonly InProgressItem[] | null;
  /** Best score first. */
  issues: readonly ScoredIssue[];
  /** How many ranked issues this refresh sends, once the first arrived. */
  total: number | null;
  /** How many open issues they were chosen from, once the first arrived. */
  openCount: number | null;
  /** The model layer's state: the issues' events say it, `app:capabilities` keeps it current. Null until known. */
  llm: LlmState | null;
  /** gh could not list issues: which problem and what to do. */
  ghError: { code: string; message: string } | null;
  /** The refresh itself failed (not connected, no project). */
  refreshError: ErrorInfo | null;
  /** The issue being picked, and why picking it failed. */
  selecting: number | null;
  selectError: { issueNumber: number; error: ErrorInfo } | null;
}

const EMPTY: Omit<IssuesState, 'projectDir' | 'llm'> = {
  requestId: null,
  status: 'idle',
  inProgress: null,
  issues: [],
  total: null,
  openCount: null,
  ghError: null,
  refreshError: null,
  selecting: null,
  selectError: null,
};

export class IssuesStore {
  private state: IssuesState = { ...EMPTY, projectDir: undefined, llm: null };
  private readonly changed = new Emitter<void>();
  private readonly subscriptions = new DisposableStore();
  /** True while a refresh invoke has not answered: its events may come first. */
  private awaitingId = false;
  private held: IssuesEvent[] = [];
  private readonly selectedEmitter = new Emitter<number>();
  /** Fires with the issue number once a picked issue's session started. */
  readonly onDidSelect = this.selectedEmitter.event;
  /** What is shown no longer matches the backend (a session started or ended, a plan arrived). */
  private stale = false;
  /** How many views show the store now. */
  private shown = 0;
  private staleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly client: PaigeClient) {
    for (const off of [
      client.on('dashboard:in_progress', (payload) => this.onEvent({ channel: 'dashboard:in_progress', payload })),
      client.on('dashboard:issues', (payload) => this.onEvent({ channel: 'dashboard:issues', payload })),
      client.on('dashboard:issues_error', (payload) => this.onEvent({ channel: 'dashboard:issues_error', payload })),
      client.on('project:changed', ({ projectDir }) => this.setProject(projectDir)),
      client.on('session:started', ({ session }) => {
        if (this.state.selecting !== null && session.issueNumber === this.state.selecting) {
          const n = this.state.selecting;
          this.set({ selecting: null });
          this.selectedEmitter.fire(n);
        }
        this.markStale();
      }),
      client.on('session:ended', () => this.markStale()),
      client.on('coaching:plan_ready', () => this.markStale()),
      client.on('app:capabilities', ({ llm }) => {
        if (llm === this.state.llm) return;
        // Issues rated (or not) under the old state are re-ranked under the new one.
        const hadIssues = this.state.requestId !== null;
        this.set({ llm });
        if (hadIssues) this.markStale();
      }),
    ]) {
      this.subscriptions.defer(off);
    }
  }

  subscribe = (listener: () => void): (() => void) => {
    const sub = this.changed.event(listener);
    return () => sub.dispose();
  };

  getState = (): IssuesState => this.state;

  /** The project changed (or became known): what was shown belongs to the old one. */
  setProject(projectDir: string | null): void {
    if (projectDir === this.state.projectDir) return;
    this.held = [];
    this.stale = false;
    this.cancelStaleRefresh();
    this.state = { ...EMPTY, projectDir, llm: this.state.llm };
    this.changed.fire();
  }

  /**
   * A view shows the store until the returned function is called: a stale list is refreshed now, and while it shows,
   * shortly after the next change.
   */
  show(): () => void {
    this.shown++;
    if (this.stale) void this.refreshIfStale();
    return () => {
      this.shown--;
      if (this.shown === 0) this.cancelStaleRefresh();
    };
  }

  /** Starts a refresh; from now on only its events count. */
  async refresh(): Promise<void> {
    this.stale = false;
    this.cancelStaleRefresh();
    this.awaitingId = true;
    this.held = [];
    this.set({ ...EMPTY, status: 'loading', selecting: this.state.selecting });
    try {
      const { requestId } = await this.client.invoke('dashboard:refresh_issues');
      this.awaitingId = false;
      this.set({ requestId });
      const held = this.held.filter((e) => e.payload.requestId === requestId);
      this.held = [];
      for (const e of held) this.apply(e);
    } catch (err) {
      this.awaitingId = false;
      this.held = [];
      this.set({ status: 'idle', refreshError: toErrorInfo(err) });
    }
  }

  /** Resumes the unfinished plan of an issue in a new session (no model call); the workspace opens on it. */
  async resume(issueNumber: number): Promise<void> {
    if (this.state.selecting !== null) return;
    this.set({ selecting: issueNumber, selectError: null });
    try {
      await this.client.invoke('session:select_issue', { issueNumber });
    } catch (err) {
      if (this.state.selecting === issueNumber) {
        this.set({ selecting: null, selectError: { issueNumber, error: toErrorInfo(err) } });
      }
    }
  }

  /** Starts a session on the issue; `force` ends an active session first. */
  async select(issue: ScoredIssue, force = false): Promise<void> {
    if (this.state.selecting !== null) return;
    this.set({ selecting: issue.number, selectError: null });
    try {
      await this.client.invoke('session:select_issue', {
        issueNumber: issue.number,
        issueTitle: issue.title,
        issueBody: issue.body.slice(0, MAX_BODY_SENT),
        issueLabels: issue.labels.map((l) => l.name),
        issueUrl: issue.htmlUrl,
        ...(force ? { force: true } : {}),
      });
    } catch (err) {
      // After the session started a planning failure shows in the sidebar, not here.
      if (this.state.selecting === issue.number) {
        this.set({ selecting: null, selectError: { issueNumber: issue.number, error: toErrorInfo(err) } });
      }
    }
  }

  /** Opens an issue or pull request page in the browser; the browser's own window when the backend cannot. */
  async openExternal(url: string): Promise<void> {
    try {
      const r = await this.client.invoke('app:open_external', { url });
      if (!r.opened) globalThis.open?.(r.url ?? url, '_blank', 'noopener,noreferrer');
    } catch {
      globalThis.open?.(url, '_blank', 'noopener,noreferrer');
    }
  }

  dispose(): void {
    this.cancelStaleRefresh();
    this.subscriptions.dispose();
    this.changed.dispose();
    this.selectedEmitter.dispose();
  }

  private markStale(): void {
    // Nothing loaded yet: the first visit loads anyway.
    if (this.state.requestId === null && this.state.status === 'idle') return;
    this.stale = true;
    if (this.shown === 0) return;
    this.cancelStaleRefresh();
    this.staleTimer = setTimeout(() => {
      this.staleTimer = undefined;
      void this.refreshIfStale();
    }, STALE_REFRESH_DELAY_MS);
  }

  private async refreshIfStale(): Promise<void> {
    // A pick in flight ends on its own `session:started`; the refresh waits for the next show or change.
    if (!this.stale || !this.state.projectDir || this.state.selecting !== null) return;
    await this.refresh();
  }

  private cancelStaleRefresh(): void {
    clearTimeout(this.staleTimer);
    this.staleTimer = undefined;
  }

  private set(patch: Partial<IssuesState>): void {
    this.state = { ...this.state, ...patch };
    this.changed.fire();
  }

  private onEvent(e: IssuesEvent): void {
    if (this.state.requestId === null) {
      if (this.awaitingId && this.held.length < MAX_HELD_EVENTS) this.held.push(e);
      return;
    }
    if (e.payload.requestId === this.state.requestId) this.apply(e);
  }

  private apply(e: IssuesEvent): void {
    switch (e.channel) {
      case 'dashboard:in_progress': {
        const items = e.payload.items;
        const previous = this.state.inProgress ?? [];
        this.set({
          inProgress: [
            ...previous.filter((p) => !items.some((i) => i.type === p.type && i.number === p.number)),
            ...items,
          ],
        });
        return;
      }
      case 'dashboard:issues': {
        const known = new Set(e.payload.issues.map((i) => i.number));
        const issues = [...this.state.issues.filter((i) => !known.has(i.number)), ...e.payload.issues].sort(
          (a, b) => b.score - a.score || a.number - b.number,
        );
        this.set({
          issues,
          total: e.payload.total,
          openCount: e.payload.openCount,
          llm: e.payload.llm,
          status: e.payload.done ? 'done' : 'streaming',
        });
        return;
      }
      case 'dashboard:issues_error':
        this.set({ status: 'error', ghError: { code: e.payload.code, message: e.payload.message } });
        return;
    }
  }
}
