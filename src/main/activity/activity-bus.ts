// The activity bus (docs/activity.md): synchronous listeners (observer, gauges) first, then the batched writer.
import { Emitter, type Event } from '../../shared/lifecycle';
import { currentCid } from '../logging/context';
import type { Logger } from '../logging/logger';
import type { ActionLogWriter } from './action-log-writer';
import type { ActionType } from './action-types';

export interface ActivityEvent {
  actionType: ActionType | 'buffer_update';
  sessionId: number | null;
  data: unknown;
  correlationId: string | null;
  createdAt: string;
}

export class ActivityBus {
  private readonly recorded: Emitter<ActivityEvent>;
  /** Every recorded action and transient buffer update, synchronously, before the batched write. */
  readonly onDidRecord: Event<ActivityEvent>;

  constructor(
    private readonly writer: ActionLogWriter,
    private readonly activeSessionId: () => number | null,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.recorded = new Emitter({
      onListenerError: (err) => this.logger.warn('activity listener threw', { err }),
    });
    this.onDidRecord = this.recorded.event;
  }

  /** Logs one catalog action; without an active session it is dropped with a warning. */
  record(actionType: ActionType, data: unknown): void {
    this.recordFor(this.activeSessionId(), actionType, data);
  }

  /**
   * For sources that run with or without a session (terminal, MCP tools): without an active session nothing is
   * published or logged, and there is no warning. Looks the session up once.
   */
  recordIfActive(actionType: ActionType, data: unknown): void {
    const sessionId = this.activeSessionId();
    if (sessionId !== null) this.recordFor(sessionId, actionType, data);
  }

  private recordFor(sessionId: number | null, actionType: ActionType, data: unknown): void {
    const event: ActivityEvent = {
      actionType,
      sessionId,
      data,
      correlationId: currentCid() ?? null,
      createdAt: this.now().toISOString(),
    };
    this.publish(event);
    if (sessionId === null) {
      this.logger.warn('action dropped: no active session', { actionType });
      return;
    }
    this.writer.enqueue({
      sessionId,
      actionType,
      data,
      correlationId: event.correlationId,
      createdAt: event.createdAt,
    });
  }

  /** Bus-only events (raw `buffer_update`): listeners see them, the log does not. */
  publishTransient(data: unknown): void {
    // Runs on every buffer:update: with nobody listening, skip the active-session lookup (a SQLite read) entirely.
    if (this.recorded.listenerCount === 0) return;
    this.publish({
      actionType: 'buffer_update',
      sessionId: this.activeSessionId(),
      data,
      correlationId: currentCid() ?? null,
      createdAt: this.now().toISOString(),
    });
  }

  private publish(event: ActivityEvent): void {
    this.recorded.fire(event);
  }
}
