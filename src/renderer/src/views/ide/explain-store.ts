// The Explanations tab's state outside React: one entry per Explain request, newest first, in memory for the page.
// Each entry is running until `user:explain` answers, then holds the explanation or the error to show in the tab.
import type { ExplainRequest, Explanation } from '../../../../shared/domain/llm';
import type { PaigeClient } from '../../../../shared/ipc/client';
import { Emitter } from '../../../../shared/lifecycle';
import { toErrorInfo, type ErrorInfo } from '../../lib/error-info';

/**
 * Older entries beyond this are dropped: the tab is a working list, not an archive.
 * @visibleForTesting
 */
export const MAX_EXPLANATIONS = 50;

export interface ExplainEntry {
  readonly id: number;
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly status: 'running' | 'done' | 'error';
  readonly result: Explanation | null;
  readonly error: ErrorInfo | null;
  /** What was asked, so a failed entry can be tried again. */
  readonly request: ExplainRequest;
}

interface ExplainState {
  /** Newest first. */
  readonly entries: readonly ExplainEntry[];
  /** The entry whose accordion panel is open (the newest request opens itself). */
  readonly openId: number | null;
  /** Bumped per request so the sidebar can bring the Explanations tab to the front. */
  readonly requests: number;
}

export class ExplainStore {
  private state: ExplainState = { entries: [], openId: null, requests: 0 };
  private readonly changed = new Emitter<void>();
  private nextId = 1;

  constructor(private readonly client: PaigeClient) {}

  subscribe = (listener: () => void): (() => void) => {
    const sub = this.changed.event(listener);
    return () => sub.dispose();
  };

  getState = (): ExplainState => this.state;

  /** Starts an explanation; resolves when it finished either way (the outcome is in the entry). */
  async explain(request: ExplainRequest): Promise<void> {
    const id = this.nextId++;
    const entry: ExplainEntry = {
      id,
      path: request.path,
      startLine: request.range.startLine,
      endLine: request.range.endLine,
      status: 'running',
      result: null,
      error: null,
      request,
    };
    this.set({
      entries: [entry, ...this.state.entries].slice(0, MAX_EXPLANATIONS),
      openId: id,
      requests: this.state.requests + 1,
    });
    try {
      const result = await this.client.invoke('user:explain', request);
      this.update(id, { status: 'done', result });
    } catch (err) {
      this.update(id, { status: 'error', error: toErrorInfo(err) });
    }
  }

  /** Asks again for a failed entry: the new attempt replaces it at the top. */
  retry(id: number): Promise<void> {
    const entry = this.state.entries.find((e) => e.id === id);
    if (!entry) return Promise.resolve();
    this.remove(id);
    return this.explain(entry.request);
  }

  /** Opens an entry's panel, or closes it when it is the open one. */
  toggle(id: number): void {
    this.set({ openId: this.state.openId === id ? null : id });
  }

  remove(id: number): void {
    this.set({
      entries: this.state.entries.filter((e) => e.id !== id),
      openId: this.state.openId === id ? null : this.state.openId,
    });
  }

  private update(id: number, patch: Partial<ExplainEntry>): void {
    this.set({ entries: this.state.entries.map((e) => (e.id === id ? { ...e, ...patch } : e)) });
  }

  private set(patch: Partial<ExplainState>): void {
    this.state = { ...this.state, ...patch };
    this.changed.fire();
  }
}
