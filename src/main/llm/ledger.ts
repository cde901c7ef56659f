// The api_call_log writer and reader: one row per attempt, and spend sums for budgets and the Settings screen.
import { sql } from 'kysely';
import type { PaigeDatabase } from '../db/database';

export interface AttemptRow {
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

export interface CallTypeUsage {
  callType: string;
  calls: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
}

export class ApiCallLedger {
  constructor(
    private readonly db: PaigeDatabase,
    private readonly now: () => Date = () => new Date(),
  ) {}

  record(row: AttemptRow): void {
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
        created_at: this.now().toISOString(),
      }),
    );
  }

  /** Total cost of the attempts logged at or after `since`. */
  spendSince(since: Date): number {
    const r = this.db.get(
      this.db.qb
        .selectFrom('api_call_log')
        .select(sql<number>`coalesce(sum(cost_estimate), 0)`.as('total'))
        .where('created_at', '>=', since.toISOString()),
    );
    return r?.total ?? 0;
  }

  /** Tokens and cost per call type since `since`, most expensive first. */
  usageSince(since: Date): CallTypeUsage[] {
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

  get clock(): () => Date {
    return this.now;
  }
}
