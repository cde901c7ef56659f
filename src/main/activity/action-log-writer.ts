// Batched action-log writer (docs/activity.md): callers only enqueue; rows reach SQLite in one transaction per flush
// (action_log + action_log_fts + action_counts_daily together), so nothing on the typing path waits for disk.
import type Database from 'better-sqlite3';
import type { PaigeDatabase } from '../db/database';
import type { Logger } from '../logging/logger';
import { actionSearchText } from './action-types';

/** @visibleForTesting */
export interface ActionRow {
  sessionId: number;
  actionType: string;
  data: unknown;
  correlationId: string | null;
  createdAt: string;
}

interface WriterOptions {
  /** Flush at the latest this long after the first queued row (50 ms). */
  flushIntervalMs?: number;
  /** Flush as soon as this many rows wait, and write at most this many per transaction (256). */
  batchSize?: number;
  /** Most rows that may sit unflushed (10 000). */
  queueCap?: number;
  /** Called after each committed flush with the rows it wrote (tests, benchmarks, crash-loss checks). */
  onFlushed?: (rows: number, durationMs: number) => void;
  now?: () => number;
}

/** @visibleForTesting */
export const FLUSH_INTERVAL_MS = 50;
/** @visibleForTesting */
export const BATCH_SIZE = 256;
const QUEUE_CAP = 10_000;
/** Overflow warnings are rate-limited so a stuck disk does not flood the log (one per minute). */
const OVERFLOW_WARN_INTERVAL_MS = 60_000;

/** Local calendar day `YYYY-MM-DD` of an ISO timestamp (the `action_counts_daily` key). @visibleForTesting */
export function localDay(iso: string): string {
  const d = new Date(iso);
  const mm = String(d.getMonth() + 1).padStart(2, '0');
  const dd = String(d.getDate()).padStart(2, '0');
  return `${d.getFullYear()}-${mm}-${dd}`;
}

export class ActionLogWriter {
  private queue: ActionRow[] = [];
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private lastOverflowWarn = -Infinity;
  private closed = false;
  private droppedCount = 0;
  private readonly insertAction: Database.Statement;
  private readonly insertFts: Database.Statement;
  private readonly bumpDaily: Database.Statement;
  private readonly flushIntervalMs: number;
  private readonly batchSize: number;
  private readonly queueCap: number;
  private readonly now: () => number;

  constructor(
    private readonly db: PaigeDatabase,
    private readonly logger: Logger,
    private readonly opts: WriterOptions = {},
  ) {
    this.flushIntervalMs = opts.flushIntervalMs ?? FLUSH_INTERVAL_MS;
    this.batchSize = opts.batchSize ?? BATCH_SIZE;
    this.queueCap = opts.queueCap ?? QUEUE_CAP;
    this.now = opts.now ?? Date.now;
    // The SQL comes from Kysely once; the statements are prepared once because a flush runs hundreds of times a second.
    const q = db.qb;
    const action = q
      .insertInto('action_log')
      .values({ session_id: 0, action_type: '', data: null, correlation_id: null, created_at: '' })
      .compile();
    const daily = q
      .insertInto('action_counts_daily')
      .values({ day: '', action_type: '', count: 0 })
      .onConflict((oc) =>
        oc.columns(['day', 'action_type']).doUpdateSet((eb) => ({ count: eb('count', '+', eb.ref('excluded.count')) })),
      )
      .compile();
    this.insertAction = db.sqlite.prepare(action.sql);
    this.bumpDaily = db.sqlite.prepare(daily.sql);
    // action_log_fts is a virtual table outside the typed schema.
    this.insertFts = db.sqlite.prepare('INSERT INTO action_log_fts(rowid, text) VALUES (?, ?)');
  }

  get pending(): number {
    return this.queue.length;
  }

  get dropped(): number {
    return this.droppedCount;
  }

  /** Queues one row; O(1), never touches the database. */
  enqueue(row: ActionRow): void {
    if (this.closed) {
      this.logger.warn('action dropped after the writer closed', { actionType: row.actionType });
      return;
    }
    if (this.queue.length >= this.queueCap && !this.makeRoom(row)) return;
    this.queue.push(row);
    if (this.queue.length >= this.batchSize) this.scheduleImmediate();
    else this.timer ??= setTimeout(() => this.onTimer(), this.flushIntervalMs);
  }

  /** Writes up to one batch in one transaction; returns how many rows it wrote. */
  flushBatch(): number {
    if (this.queue.length === 0 || !this.db.isOpen) return 0;
    const batch = this.queue.slice(0, this.batchSize);
    // Serialising and building the search text happen before the transaction so the write lock is held briefly.
    const prepared = batch.map((r) => ({
      r,
      json: r.data === undefined || r.data === null ? null : JSON.stringify(r.data),
      text: actionSearchText(r.actionType, r.data),
    }));
    const counts = new Map<string, { day: string; type: string; n: number }>();
    for (const { r } of prepared) {
      const day = localDay(r.createdAt);
      const key = `${day}|${r.actionType}`;
      const c = counts.get(key);
      if (c) c.n++;
      else counts.set(key, { day, type: r.actionType, n: 1 });
    }
    const t0 = performance.now();
    this.db.transaction(() => {
      for (const { r, json, text } of prepared) {
        const res = this.insertAction.run(r.sessionId, r.actionType, json, r.correlationId, r.createdAt);
        this.insertFts.run(res.lastInsertRowid, text);
      }
      for (const c of counts.values()) this.bumpDaily.run(c.day, c.type, c.n);
    });
    // Only drop rows from the queue once their transaction committed.
    this.queue.splice(0, batch.length);
    this.opts.onFlushed?.(batch.length, performance.now() - t0);
    return batch.length;
  }

  /** Drains the whole queue synchronously (shutdown, tests), one transaction per batch. */
  flushAll(): number {
    this.clearTimers();
    let n = 0;
    for (let w = this.flushBatch(); w > 0; w = this.flushBatch()) n += w;
    return n;
  }

  /** Final synchronous flush; later rows are dropped with a warning. */
  close(): void {
    if (this.closed) return;
    try {
      this.flushAll();
    } finally {
      this.closed = true;
      this.clearTimers();
    }
  }

  private onTimer(): void {
    this.timer = null;
    this.drainStep();
  }

  private scheduleImmediate(): void {
    if (this.immediate) return;
    this.immediate = setImmediate(() => {
      this.immediate = null;
      this.drainStep();
    });
  }

  /** One batch per turn of the event loop so a large backlog never blocks input handling for long. */
  private drainStep(): void {
    try {
      this.flushBatch();
    } catch (err) {
      this.logger.error('action-log flush failed; rows stay queued', { err, pending: this.queue.length });
    }
    if (this.queue.length >= this.batchSize) this.scheduleImmediate();
    else if (this.queue.length > 0) this.timer ??= setTimeout(() => this.onTimer(), this.flushIntervalMs);
  }

  /** Full queue: drop the oldest buffer_summary to make room; with none, the new row is dropped. */
  private makeRoom(row: ActionRow): boolean {
    const idx = this.queue.findIndex((r) => r.actionType === 'buffer_summary');
    const made = idx >= 0;
    if (made) this.queue.splice(idx, 1);
    this.droppedCount++;
    const t = this.now();
    if (t - this.lastOverflowWarn >= OVERFLOW_WARN_INTERVAL_MS) {
      this.lastOverflowWarn = t;
      this.logger.warn('action-log queue full; dropping rows', {
        cap: this.queueCap,
        dropped: made ? 'buffer_summary' : row.actionType,
        droppedTotal: this.droppedCount,
      });
    }
    return made;
  }

  private clearTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }
}
