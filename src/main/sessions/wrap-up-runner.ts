// Ending a session (docs/sessions.md): step 1 moves it to `wrapping_up` and announces it; the wrap-up then runs in the
// background. No model layer exists yet, so every agent is recorded as not run (the no-model degraded path) and the
// session ends `completed_with_errors`, retryable once the agents land.
import type { EndReason, Session, SessionStatus, WrapUpAgent } from '../../shared/domain/session';
import { WrapUpAgentSchema } from '../../shared/domain/session';
import type { ActionType } from '../activity/action-types';
import type { EventHub } from '../ipc/event-hub';
import type { Logger } from '../logging/logger';
import type { SessionService } from './session-service';

const AGENT_NOT_RUN_MESSAGE = 'not run: no model is available to run the wrap-up agents';

interface WrapUpOutcome {
  sessionId: number;
  status: Extract<SessionStatus, 'completed' | 'completed_with_errors'>;
  counts: { memoriesAdded: number; gapsIdentified: number; katasGenerated: number; assessmentsUpdated: number };
  errors: { agent: WrapUpAgent; message: string }[];
}

interface WrapUpDeps {
  sessions: SessionService;
  events: EventHub;
  logger: Logger;
  /** Logs an action for a session that may no longer be the active one. */
  recordFor(sessionId: number, type: ActionType, data: unknown): void;
  /** Runs while the session is still active, before it ends: the workspace logs its final buffer summaries here. */
  beforeEnd?: (sessionId: number) => void;
}

export class WrapUpRunner {
  private readonly pending = new Map<number, Promise<WrapUpOutcome>>();

  constructor(private readonly deps: WrapUpDeps) {}

  /** Step 1: `active → wrapping_up`, `session_ended`, `session:ended`; the rest runs after this returns. */
  begin(sessionId: number, reason: EndReason): { session: Session; done: Promise<WrapUpOutcome> } {
    try {
      this.deps.beforeEnd?.(sessionId);
    } catch (err) {
      // Losing the final summaries must not keep the session from ending.
      this.deps.logger.warn('final buffer summaries failed', { sessionId, error: String(err) });
    }
    const session = this.deps.sessions.end(sessionId, 'wrapping_up', reason);
    this.deps.recordFor(sessionId, 'session_ended', {
      status: session.status,
      durationMs: session.totalDurationMs,
      reason,
    });
    this.deps.events.emit('session:ended', { sessionId, status: session.status, reason });
    const done = Promise.resolve()
      .then(() => this.run(sessionId))
      .finally(() => this.pending.delete(sessionId));
    this.pending.set(sessionId, done);
    return { session, done };
  }

  /** Waits for every wrap-up in flight (shutdown runs this before the database closes). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.pending.values()]);
  }

  private run(sessionId: number): WrapUpOutcome {
    for (const agent of WrapUpAgentSchema.options) {
      this.deps.sessions.recordWrapUpError(sessionId, agent, AGENT_NOT_RUN_MESSAGE);
      this.deps.recordFor(sessionId, 'wrap_up_error', { agent, error: AGENT_NOT_RUN_MESSAGE });
    }
    const finished = this.deps.sessions.finishWrapUp(sessionId);
    const status = finished.status === 'completed' ? 'completed' : 'completed_with_errors';
    const errors = this.deps.sessions.wrapUpErrors(sessionId);
    const counts = { memoriesAdded: 0, gapsIdentified: 0, katasGenerated: 0, assessmentsUpdated: 0 };
    this.deps.events.emit('session:completed', { sessionId, status, ...counts, errors });
    this.deps.logger.info('wrap-up finished', { sessionId, status, unresolved: errors.length });
    return { sessionId, status, counts, errors };
  }
}
