// The coaching sidebar's state outside React: the session, the issue card, the plan's phases and the message feed,
// kept current from `session:*` and `coaching:*` events and re-read from `session:snapshot` after a reconnect.
import type { z } from 'zod';
import type { HintLevel, IssueContext, Plan, Session } from '../../../../shared/domain/session';
import type { CoachingMessageEventSchema } from '../../../../shared/domain/coaching';
import type { PaigeClient } from '../../../../shared/ipc/client';
import type { EventPayload } from '../../../../shared/ipc/contract';
import { DisposableStore, Emitter } from '../../../../shared/lifecycle';
import { foldPlanning, planningFromSnapshot, type PlanningEvent, type PlanningRun } from '../planning/planning-model';
import { editOverlaps, type TextSpan } from './edit-overlap';

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
  /** The coaching pipeline's run while it runs or after it failed; null once the plan is ready. */
  planning: PlanningRun | null;
  /** What the learner sees of hints; changed here at once, the backend only records it. */
  hintLevel: HintLevel;
}

export class CoachingStore {
  private state: CoachingState = {
    loaded: false,
    session: null,
    issue: null,
    plan: null,
    messages: [],
    planning: null,
    hintLevel: 'medium',
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
      client.on('planning:started', (payload) => this.onPlanning({ channel: 'planning:started', payload })),
      client.on('planning:phase_update', (payload) => this.onPlanning({ channel: 'planning:phase_update', payload })),
      client.on('planning:progress', (payload) => this.onPlanning({ channel: 'planning:progress', payload })),
      client.on('planning:complete', (payload) => this.onPlanning({ channel: 'planning:complete', payload })),
      client.on('planning:error', (payload) => this.onPlanning({ channel: 'planning:error', payload })),
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
        this.set({ loaded: true, session: null, plan: null, planning: null });
        return;
      }
      const sameSession = this.state.session?.id === snap.session.id;
      this.set({
        loaded: true,
        session: snap.session,
        plan: snap.plan,
        planning: planningFromSnapshot(snap),
        hintLevel: snap.hintLevel,
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

  /** Shows the new level at once and reports it (the backend records spans and escalations). */
  setHintLevel(to: HintLevel): void {
    const from = this.state.hintLevel;
    if (from === to) return;
    const session = this.state.session ? { ...this.state.session, hintLevel: to } : null;
    this.set({ hintLevel: to, session });
    void this.client.invoke('hints:level_change', { from, to }).catch(() => undefined);
  }

  /** Messages anchored where the learner just edited have served their purpose. */
  dismissAnchored(path: string, edits: readonly TextSpan[]): void {
    for (const m of this.state.messages) {
      const a = m.anchor;
      if (a?.path === path && edits.some((e) => editOverlaps(e, { startLine: a.startLine, endLine: a.endLine }))) {
        this.dismiss(m.messageId);
      }
    }
  }

  /** Runs the session's failed planning again; its progress arrives as events. */
  retryPlanning(sessionId: number): Promise<void> {
    return this.client.invoke('planning:retry', { sessionId }).then(() => undefined);
  }

  /** Thumbs up or down on a message or the plan (`plan-<id>`). */
  feedback(messageId: string, helpful: boolean): Promise<void> {
    return this.client.invoke('coaching:feedback', { messageId, helpful }).then(() => undefined);
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
      hintLevel: p.hintLevel,
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

  private onPlanning(e: PlanningEvent): void {
    if (this.state.session !== null && this.state.session.id !== e.payload.sessionId) return;
    const planning = foldPlanning(this.state.planning, e);
    this.set(e.channel === 'planning:complete' ? { planning, plan: e.payload.plan } : { planning });
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
