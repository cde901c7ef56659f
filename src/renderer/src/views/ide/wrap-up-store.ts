// The wrap-up card's state outside React: the latest ended session's wrap-up, kept current from `session:ended`,
// `session:wrap_up_progress` and `session:completed`, its results read from `session:wrap_up_summary` (also after a
// reload), plus the learner's End session and Retry actions. Anything about an older session than the one shown is
// ignored.
import type { SessionStatus, WrapUpAgent } from '../../../../shared/domain/session';
import type { WrapUpSummary } from '../../../../shared/domain/wrap-up';
import type { PaigeClient } from '../../../../shared/ipc/client';
import type { EventPayload } from '../../../../shared/ipc/contract';
import { Emitter } from '../../../../shared/lifecycle';
import { toErrorInfo } from '../../lib/error-info';

type AgentRow = WrapUpSummary['agents'][number];

/** Knowledge Gap and Dreyfus run first, then Reflection: the order the card lists them in. */
const RUN_ORDER: readonly WrapUpAgent[] = ['knowledge_gap', 'dreyfus', 'reflection'];

export interface WrapUpView {
  sessionId: number;
  status: SessionStatus;
  agents: readonly AgentRow[];
  /** What the wrap-up produced; null until the summary has been read. */
  results: Pick<WrapUpSummary, 'gaps' | 'katas' | 'stageChanges' | 'memories'> | null;
}

interface WrapUpCardState {
  view: WrapUpView | null;
  /** `session:end` is in flight. */
  ending: boolean;
  /** The last End session failure, shown under the button. */
  endError: string | null;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** "CODE: message", as the backend words an agent's failure, so the card reads both the same way. */
function codedMessage(err: unknown): string {
  const info = toErrorInfo(err);
  return `${info.code}: ${info.message}`;
}

function pendingAgents(): AgentRow[] {
  return RUN_ORDER.map((agent) => ({ agent, state: 'pending', message: null }));
}

export class WrapUpStore {
  private state: WrapUpCardState = { view: null, ending: false, endError: null };
  private readonly changed = new Emitter<void>();
  /** Bumped by every event that changes an agent's state, so an older summary answer cannot undo it. */
  private eventSeq = 0;

  constructor(private readonly client: PaigeClient) {}

  subscribe = (listener: () => void): (() => void) => {
    const sub = this.changed.event(listener);
    return () => sub.dispose();
  };

  getState = (): WrapUpCardState => this.state;

  /** Listens to the backend's wrap-up events; returns the function that stops listening. */
  attach(): () => void {
    const offs = [
      this.client.on('session:ended', (p) => this.onEnded(p)),
      this.client.on('session:wrap_up_progress', (p) => this.onProgress(p)),
      this.client.on('session:completed', (p) => this.onCompleted(p)),
    ];
    return () => {
      for (const off of offs) off();
    };
  }

  /** Reads the newest ended session's wrap-up (on connect and after every reconnect). */
  async load(): Promise<void> {
    await this.read(undefined);
  }

  /** Ends the active session from the UI; its wrap-up then shows through the events. */
  async endSession(): Promise<void> {
    if (this.state.ending) return;
    this.set({ ending: true, endError: null });
    try {
      await this.client.invoke('session:end', {});
      this.set({ ending: false });
    } catch (err) {
      this.set({ ending: false, endError: message(err) });
    }
  }

  /** Reruns one failed agent; its row shows running at once and the results refresh when it is done. */
  async retry(agent: WrapUpAgent): Promise<void> {
    const view = this.state.view;
    if (!view) return;
    const sessionId = view.sessionId;
    this.eventSeq++;
    this.setAgent(sessionId, { agent, state: 'running', message: null });
    try {
      await this.client.invoke('session:retry_wrap_up', { sessionId, agent });
    } catch (err) {
      // e.g. no API key, or a wrap-up still running: the row stays failed with the reason.
      this.eventSeq++;
      this.setAgent(sessionId, { agent, state: 'failed', message: codedMessage(err) });
    }
    await this.read(sessionId);
  }

  dispose(): void {
    this.changed.dispose();
  }

  private set(patch: Partial<WrapUpCardState>): void {
    this.state = { ...this.state, ...patch };
    this.changed.fire();
  }

  /** True when an event or answer about `sessionId` must be ignored: the card shows a newer session. */
  private stale(sessionId: number): boolean {
    const shown = this.state.view?.sessionId;
    return shown !== undefined && sessionId < shown;
  }

  /** The view for `sessionId`, starting a fresh one (every agent pending) for a newer session. */
  private viewFor(sessionId: number, status: SessionStatus): WrapUpView {
    const view = this.state.view;
    if (view?.sessionId === sessionId) return view;
    return { sessionId, status, agents: pendingAgents(), results: null };
  }

  private setAgent(sessionId: number, row: AgentRow): void {
    if (this.stale(sessionId)) return;
    const view = this.viewFor(sessionId, 'wrapping_up');
    this.set({ view: { ...view, agents: view.agents.map((a) => (a.agent === row.agent ? row : a)) } });
  }

  private onEnded(p: EventPayload<'session:ended'>): void {
    if (this.stale(p.sessionId)) return;
    this.eventSeq++;
    this.set({ view: { ...this.viewFor(p.sessionId, p.status), status: p.status } });
    // Ended without a wrap-up: nothing will report; read what the backend recorded.
    if (p.status !== 'wrapping_up') void this.read(p.sessionId);
  }

  private onProgress(p: EventPayload<'session:wrap_up_progress'>): void {
    this.eventSeq++;
    this.setAgent(p.sessionId, { agent: p.agent, state: p.state, message: p.message });
  }

  private onCompleted(p: EventPayload<'session:completed'>): void {
    if (this.stale(p.sessionId)) return;
    this.eventSeq++;
    const failed = new Map(p.errors.map((e) => [e.agent, e.message]));
    const view = this.viewFor(p.sessionId, p.status);
    const agents = view.agents.map((a): AgentRow => {
      const msg = failed.get(a.agent);
      return msg !== undefined
        ? { agent: a.agent, state: 'failed', message: msg }
        : { ...a, state: 'done', message: null };
    });
    this.set({ view: { ...view, status: p.status, agents } });
    void this.read(p.sessionId);
  }

  /** Reads a summary and shows it, unless a newer session is shown; newer agent events keep their states. */
  private async read(sessionId: number | undefined): Promise<void> {
    const seq = this.eventSeq;
    let summary: WrapUpSummary | null;
    try {
      summary = await this.client.invoke('session:wrap_up_summary', sessionId === undefined ? {} : { sessionId });
    } catch {
      // The card keeps what the events showed; the next reconnect reads again.
      return;
    }
    if (!summary || this.stale(summary.session.id)) return;
    const current = this.state.view;
    const same = current?.sessionId === summary.session.id;
    const fresh = seq === this.eventSeq || !same;
    const { gaps, katas, stageChanges, memories } = summary;
    this.set({
      view: {
        sessionId: summary.session.id,
        status: fresh || !current ? summary.session.status : current.status,
        agents: fresh || !current ? summary.agents : current.agents,
        results: { gaps, katas, stageChanges, memories },
      },
    });
  }
}
