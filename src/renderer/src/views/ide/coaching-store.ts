// The coaching sidebar's state outside React: the session, the issue card, the plan's phases and the message feed,
// kept current from `session:*` and `coaching:*` events and re-read from `session:snapshot` after a reconnect.
import type { z } from 'zod';
import type { IssueContext, Plan, Session } from '../../../../shared/domain/session';
import type { CoachingMessageEventSchema } from '../../../../shared/domain/coaching';
import type { PaigeClient } from '../../../../shared/ipc/client';
import type { EventPayload } from '../../../../shared/ipc/contract';
import { DisposableStore, Emitter } from '../../../../shared/lifecycle';

/**
 * The feed keeps the newest messages only; older ones are in the action log.
 * @visibleForTesting
 */
export const MAX_FEED_MESSAGES = 100;

export type CoachingMessage = z.infer<typeof CoachingMessageEventSchema> & { receivedAt: number };

interface CoachingState {
  /** False until the first snapshot answered (or failed). */
  loaded: boolean;
  session: Session | null;
  issue: IssueContext | null;
  plan: Plan | null;
  /** Oldest first. */
  messages: readonly CoachingMessage[];
  /** The coaching pipeline's latest step while it runs or after it failed; null once the plan is ready. */
  planning: EventPayload<'planning:progress'> | null;
}

export class CoachingStore {
  private state: CoachingState = {
    loaded: false,
    session: null,
    issue: null,
    plan: null,
    messages: [],
    planning: null,
  };
  private readonly changed = new Emitter<void>();
  private readonly subscriptions = new DisposableStore();
  /** Bumped per snapshot request so a slow, older answer cannot overwrite newer events. */
  private generation = 0;

  constructor(
    private readonly client: PaigeClient,
    private readonly now: () => number = () => Date.now(),
  ) {
    for (const off of [
      client.on('session:started', (p) => this.onStarted(p)),
      client.on('session:ended', (p) => this.patchSession(p.sessionId, { status: p.status, endReason: p.reason })),
      client.on('session:completed', (p) => this.patchSession(p.sessionId, { status: p.status })),
      client.on('coaching:issue_context', (issue) => this.set({ issue })),
      client.on('coaching:phase_update', (p) => this.onPhaseUpdate(p)),
      client.on('planning:progress', (p) => this.onPlanning(p)),
      client.on('coaching:plan_ready', (p) => {
        if (this.state.session?.id === p.sessionId) this.set({ plan: p.plan, planning: null });
      }),
      client.on('coaching:message', (m) => this.onMessage(m)),
      client.on('coaching:clear', ({ messageIds }) => this.remove(messageIds)),
    ]) {
      this.subscriptions.defer(off);
    }
  }

  subscribe = (listener: () => void): (() => void) => {
    const sub = this.changed.event(listener);
    return () => sub.dispose();
  };

  getState = (): CoachingState => this.state;

  private set(patch: Partial<CoachingState>): void {
    this.state = { ...this.state, ...patch };
    this.changed.fire();
  }

  /** Reads the session, issue and plan from the backend (at start and after every reconnect). */
  async load(): Promise<void> {
    const gen = ++this.generation;
    try {
      const snap = await this.client.invoke('session:snapshot');
      if (gen !== this.generation) return;
      if (!snap) {
        this.set({ loaded: true, session: null, plan: null });
        return;
      }
      const sameSession = this.state.session?.id === snap.session.id;
      this.set({
        loaded: true,
        session: snap.session,
        plan: snap.plan,
        // The snapshot's issue lacks the summary the issue card had; keep the richer one for the same session.
        issue: sameSession && this.state.issue ? this.state.issue : snap.issueContext,
        messages: sameSession ? this.state.messages : [],
      });
    } catch {
      if (gen === this.generation) this.set({ loaded: true });
    }
  }

  /** Removes a message here at once and asks the backend to clear it in every other window too. */
  dismiss(messageId: string): void {
    this.remove([messageId]);
    void this.client.invoke('coaching:dismiss', { messageId }).catch(() => undefined);
  }

  dispose(): void {
    this.subscriptions.dispose();
    this.changed.dispose();
  }

  private onStarted(p: EventPayload<'session:started'>): void {
    this.generation++;
    const same = this.state.session?.id === p.session.id;
    this.set({
      loaded: true,
      session: p.session,
      issue: p.issueContext ?? (same ? this.state.issue : null),
      plan: p.plan ?? (same ? this.state.plan : null),
      messages: same ? this.state.messages : [],
      planning: same ? this.state.planning : null,
    });
  }

  private patchSession(id: number, patch: Partial<Session>): void {
    if (this.state.session?.id !== id) return;
    this.set({ session: { ...this.state.session, ...patch } });
  }

  private onPhaseUpdate(p: EventPayload<'coaching:phase_update'>): void {
    const plan = this.state.plan;
    if (plan?.id !== p.planId || !plan.phases.some((ph) => ph.id === p.phase.id)) {
      // A plan this window has not seen yet: read it whole.
      void this.load();
      return;
    }
    this.set({
      plan: {
        ...plan,
        phases: plan.phases.map((ph) =>
          ph.id === p.phase.id
            ? { ...ph, status: p.phase.status, startedAt: p.phase.startedAt, completedAt: p.phase.completedAt }
            : ph,
        ),
      },
    });
  }

  private onPlanning(p: EventPayload<'planning:progress'>): void {
    if (this.state.session?.id !== p.sessionId) return;
    // `done` is followed by coaching:plan_ready, which clears the indicator.
    if (p.step !== 'done') this.set({ planning: p });
  }

  private onMessage(m: EventPayload<'coaching:message'>): void {
    if (this.state.messages.some((x) => x.messageId === m.messageId)) return;
    const messages = [...this.state.messages, { ...m, receivedAt: this.now() }];
    this.set({ messages: messages.slice(-MAX_FEED_MESSAGES) });
  }

  private remove(ids: readonly string[] | undefined): void {
    if (ids === undefined) {
      this.set({ messages: [] });
      return;
    }
    const drop = new Set(ids);
    if (!this.state.messages.some((m) => drop.has(m.messageId))) return;
    this.set({ messages: this.state.messages.filter((m) => !drop.has(m.messageId)) });
  }
}
