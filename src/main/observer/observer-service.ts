// The observer's lifecycle: one SessionObserver while a coaching session is active, none otherwise; mute and the
// status the UI shows (docs/observer.md).
import type { ObserverStatus } from '../../shared/domain/observer';
import type { ActivityEvent } from '../activity/activity-bus';
import type { Logger } from '../logging/logger';
import { SessionObserver, type SessionObserverDeps } from './session-observer';

const INACTIVE: ObserverStatus = { active: false, muted: false, flow: false, lastEvaluation: null };

interface ObserverServiceDeps {
  logger: Logger;
  /** `observer.enabled`. */
  enabled: () => boolean;
  /** Everything a SessionObserver needs except its session and the status hook. */
  observerDeps: (sessionId: number) => Omit<SessionObserverDeps, 'sessionId' | 'onStatus'>;
  emitStatus: (s: ObserverStatus) => void;
}

export class ObserverService {
  private current: SessionObserver | null = null;

  constructor(private readonly deps: ObserverServiceDeps) {}

  /** The observer of the active session, if one runs. @visibleForTesting */
  get observer(): SessionObserver | null {
    return this.current;
  }

  status(): ObserverStatus {
    return this.current?.status() ?? INACTIVE;
  }

  /** A session became active (or was already active at start-up). */
  sessionStarted(sessionId: number): void {
    if (this.current?.sessionId === sessionId) return;
    this.stop();
    if (!this.deps.enabled()) {
      this.deps.logger.info('observer disabled by observer.enabled', { sessionId });
      return;
    }
    this.current = new SessionObserver({
      ...this.deps.observerDeps(sessionId),
      sessionId,
      onStatus: () => this.deps.emitStatus(this.status()),
    });
    this.deps.emitStatus(this.status());
  }

  /** The session ended: the observer stops, and a triage in flight is discarded. */
  sessionEnded(sessionId: number): void {
    if (this.current?.sessionId !== sessionId) return;
    this.stop();
    this.deps.emitStatus(INACTIVE);
  }

  /** Every bus event; cheap unless it triggers. */
  handle(e: ActivityEvent): void {
    this.current?.handle(e);
  }

  mute(muted: boolean): ObserverStatus {
    if (!this.current) {
      this.deps.logger.warn('observer:mute ignored: no active session', { muted });
      return this.status();
    }
    this.current.setMuted(muted);
    return this.status();
  }

  dispose(): void {
    this.stop();
  }

  private stop(): void {
    this.current?.dispose();
    this.current = null;
  }
}
