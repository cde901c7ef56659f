// The Issues view's state outside React: the open project, what is in progress and the ranked issues of the latest
// refresh, filled in from `dashboard:*` events. Events of any other (older) refresh are ignored; events that arrive
// before the refresh's own id is known are held until it is.
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
  /** gh could not list issues: which problem and what to do. */
  ghError: { code: string; message: string } | null;
  /** The refresh itself failed (not connected, no project). */
  refreshError: ErrorInfo | null;
  /** The issue being picked, and why picking it failed. */
  selecting: number | null;
  selectError: { issueNumber: number; error: ErrorInfo } | null;
}

const EMPTY: Omit<IssuesState, 'projectDir'> = {
  requestId: null,
  status: 'idle',
  inProgress: null,
  issues: [],
  total: null,
  ghError: null,
  refreshError: null,
  selecting: null,
  selectError: null,
};

export class IssuesStore {
  private state: IssuesState = { ...EMPTY, projectDir: undefined };
  private readonly changed = new Emitter<void>();
  private readonly subscriptions = new DisposableStore();
  /** True while a refresh invoke has not answered: its events may come first. */
  private awaitingId = false;
  private held: IssuesEvent[] = [];
  private readonly selectedEmitter = new Emitter<number>();
  /** Fires with the issue number once a picked issue's session started. */
  readonly onDidSelect = this.selectedEmitter.event;

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
    this.state = { ...EMPTY, projectDir };
    this.changed.fire();
  }

  /** Starts a refresh; from now on only its events count. */
  async refresh(): Promise<void> {
    this.awaitingId = true;
    this.held = [];
    this.set({ ...EMPTY, status: 'loading' });
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

  dispose(): void {
    this.subscriptions.dispose();
    this.changed.dispose();
    this.selectedEmitter.dispose();
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
        this.set({ issues, total: e.payload.total, status: e.payload.done ? 'done' : 'streaming' });
        return;
      }
      case 'dashboard:issues_error':
        this.set({ status: 'error', ghError: { code: e.payload.code, message: e.payload.message } });
        return;
    }
  }
}
