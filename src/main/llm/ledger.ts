// The api_call_log writer and reader: one row per attempt, and spend sums for budgets and the Settings screen.
import { sql } from 'kysely';
import type { PaigeDatabase } from '../db/database';

interface AttemptRow {
  sessionId: number | null;
  callType: string;
  model: string;
  inputHash: string;
  attempt: number;
  status: 'ok' | 'error';
  errorCode: string | null;
  /** −1 for a failed attempt. */
  latencyMs: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  correlationId: string | null;
}

interface CallTypeUsage {
  callType: string;
  calls: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
}

/** Period starts whose spend is kept in memory (today, this month, and a few just rolled over). */
const SPEND_MEMO_LIMIT = 8;

export class ApiCallLedger {
  /**
   * Spend since a period start, read from SQLite once and then kept current by `record`: budgets are checked before
   * and after every call, and re-summing the log each time would grow with it. Only this process writes the log.
   */
  private readonly spendMemo = new Map<string, number>();
  private readonly pending: { row: AttemptRow; createdAt: string }[] = [];
  private flushTimer: NodeJS.Immediate | undefined;
  private disposed = false;

  constructor(
    private readonly db: PaigeDatabase,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Queues one attempt's row and counts its cost at once; the insert runs on the next turn of the event loop, batched
   * with any other rows, so a commit is never on the caller's path (it was most of callModel's overhead).
   */
  record(row: AttemptRow): void {
    // A call still running at shutdown finishes after the database closed: its row has nowhere to go.
    if (this.disposed) return;
    const createdAt = this.now().toISOString();
    this.pending.push({ row, createdAt });
    this.flushTimer ??= setImmediate(() => this.flush());
    if (row.costUsd === 0) return;
    for (const [since, total] of this.spendMemo) {
      if (createdAt >= since) this.spendMemo.set(since, total + row.costUsd);
    }
  }

  /** Writes the queued rows in one transaction. Called before every read, and on shutdown. */
  flush(): void {
    if (this.flushTimer) clearImmediate(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.length === 0) return;
    const rows = this.pending.splice(0);
    this.db.transaction(() => {
      for (const { row, createdAt } of rows) {
        this.db.run(
          this.db.qb.insertInto('api_call_log').values({
            session_id: row.sessionId,
            call_type: row.callType,
            model: row.model,
            input_hash: row.inputHash,
            attempt: row.attempt,
            status: row.status,
            error_code: row.errorCode,
            latency_ms: Math.round(row.latencyMs),
            input_tokens: row.inputTokens,
            output_tokens: row.outputTokens,
            cache_read_tokens: row.cacheReadTokens,
            cache_write_tokens: row.cacheWriteTokens,
            cost_estimate: row.costUsd,
            correlation_id: row.correlationId,
            created_at: createdAt,
          }),
        );
      }
    });
  }

  dispose(): void {
    this.flush();
    this.disposed = true;
  }

  /** Total cost of the attempts logged at or after `since`. */
  spendSince(since: Date): number {
    const key = since.toISOString();
    const memo = this.spendMemo.get(key);
    if (memo !== undefined) return memo;
    this.flush();
    const r = this.db.get(
      this.db.qb
        .selectFrom('api_call_log')
        .select(sql<number>`coalesce(sum(cost_estimate), 0)`.as('total'))
        .where('created_at', '>=', key),
    );
    const total = r?.total ?? 0;
    if (this.spendMemo.size >= SPEND_MEMO_LIMIT) this.spendMemo.delete(this.spendMemo.keys().next().value!);
    this.spendMemo.set(key, total);
    return total;
  }

  /** Tokens and cost per call type since `since`, most expensive first. */
  usageSince(since: Date): CallTypeUsage[] {
    this.flush();
    const rows = this.db.all(
      this.db.qb
        .selectFrom('api_call_log')
        .select([
          'call_type',
          sql<number>`count(*)`.as('calls'),
          sql<number>`sum(case when status = 'error' then 1 else 0 end)`.as('errors'),
          sql<number>`sum(input_tokens)`.as('input_tokens'),
          sql<number>`sum(output_tokens)`.as('output_tokens'),
          sql<number>`sum(cache_read_tokens)`.as('cache_read_tokens'),
          sql<number>`sum(cache_write_tokens)`.as('cache_write_tokens'),
          sql<number>`sum(cost_estimate)`.as('cost'),
        ])
        .where('created_at', '>=', since.toISOString())
        .groupBy('call_type')
        .orderBy('cost', 'desc'),
    );
    return rows.map((r) => ({
      callType: r.call_type,
      calls: r.calls,
      errors: r.errors,
      inputTokens: r.input_tokens,
      outputTokens: r.output_tokens,
      cacheReadTokens: r.cache_read_tokens,
      cacheWriteTokens: r.cache_write_tokens,
      costUsd: r.cost,
    }));
  }
}
