// The in-process activity bus (SPEC §5.3): synchronous listeners (observer, gauges) first, then the batched writer.
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

export type ActivityListener = (event: ActivityEvent) => void;

export class ActivityBus {
  private readonly listeners = new Set<ActivityListener>();

  constructor(
    private readonly writer: ActionLogWriter,
    private readonly activeSessionId: () => number | null,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  onDidRecord(listener: ActivityListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Logs one catalog action; without an active session it is dropped with a warning (SPEC §5.1, §22 #7). */
  record(actionType: ActionType, data: unknown): void {
    const sessionId = this.activeSessionId();
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

  /** Bus-only events (raw `buffer_update`): listeners see them, the log does not (SPEC §2.3 F1). */
  publishTransient(data: unknown): void {
    this.publish({
      actionType: 'buffer_update',
      sessionId: this.activeSessionId(),
      data,
      correlationId: currentCid() ?? null,
      createdAt: this.now().toISOString(),
    });
  }

  private publish(event: ActivityEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch (err) {
        this.logger.warn('activity listener threw', { actionType: event.actionType, err });
      }
    }
  }
}
