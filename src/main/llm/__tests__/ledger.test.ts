// Cost per call (hand-computed, cache tokens included), ledger rows from real calls with the fake's cache accounting,
// and budgets: warn once at 80 %, background calls stop first, everything stops at 100 %.
import { afterEach, describe, expect, it } from 'vitest';
import { say } from '../../../../e2e/fake-anthropic/script';
import type { PaigeError } from '../../../shared/ipc/errors';
import { costOf } from '../pricing';
import { DEFAULT_SETTINGS } from '../../../shared/settings/schema';
import { harness, type Harness } from '../testing/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const SONNET = 'claude-sonnet-4-5-20250929';
const HAIKU = 'claude-haiku-4-5-20251001';

describe('costOf', () => {
  it('prices input, output, cache writes (1.25× input) and cache reads (0.1× input) per million tokens', () => {
    // 1 000 × 3 + 500 × 15 + 2 000 × 3.75 + 10 000 × 0.30 = 3 000 + 7 500 + 7 500 + 3 000 = 21 000 → $0.021
    const c = costOf(SONNET, { inputTokens: 1000, outputTokens: 500, cacheWriteTokens: 2000, cacheReadTokens: 10_000 });
    expect(c.priced).toBe(true);
    expect(c.usd).toBeCloseTo(0.021, 12);
  });

  it('haiku: 200 in + 100 out = $0.0007', () => {
    expect(
      costOf(HAIKU, { inputTokens: 200, outputTokens: 100, cacheWriteTokens: 0, cacheReadTokens: 0 }).usd,
    ).toBeCloseTo(0.0007, 12);
  });

  it('opus 4.1 with cache reads only: 1 000 000 read × 1.50 = $1.50', () => {
    const c = costOf('claude-opus-4-1-20250805', {
      inputTokens: 0,
      outputTokens: 0,
      cacheWriteTokens: 0,
      cacheReadTokens: 1_000_000,
    });
    expect(c.usd).toBeCloseTo(1.5, 12);
  });

  it('llm.pricing overrides a model and may set its own cache prices', () => {
    const overrides = { [SONNET]: { input: 2, output: 10, cacheRead: 0.5, cacheWrite: 4 } };
    // 1 000 × 2 + 100 × 10 + 1 000 × 4 + 2 000 × 0.5 = 2 000 + 1 000 + 4 000 + 1 000 = 8 000 → $0.008
    const c = costOf(
      SONNET,
      { inputTokens: 1000, outputTokens: 100, cacheWriteTokens: 1000, cacheReadTokens: 2000 },
      overrides,
    );
    expect(c.usd).toBeCloseTo(0.008, 12);
  });

  it('an unknown model costs 0 and is flagged unpriced', () => {
    expect(
      costOf('claude-unknown', { inputTokens: 5, outputTokens: 5, cacheWriteTokens: 0, cacheReadTokens: 0 }),
    ).toEqual({
      usd: 0,
      priced: false,
    });
  });
});

describe('ledger rows from real calls', () => {
  it('records the response usage and its cost; the repeated system prefix is read from the cache', async () => {
    h = await harness({ fake: { script: [say('one'), say('two')], minCacheTokens: 10 } });
    const system = `You are Paige. ${'Context line. '.repeat(40)}`;
    await h.client.callModel({ callType: 'explain_this', alias: 'sonnet', system, user: 'first question' });
    await h.client.callModel({ callType: 'explain_this', alias: 'sonnet', system, user: 'second question' });
    const [a, b] = h.rows();
    expect(a!.cache_write_tokens).toBeGreaterThan(0);
    expect(a!.cache_read_tokens).toBe(0);
    expect(b!.cache_read_tokens).toBe(a!.cache_write_tokens);
    expect(b!.cache_write_tokens).toBe(0);
    for (const r of [a!, b!]) {
      // The default Sonnet (also priced at $3 / $15 per million).
      expect(r.model).toBe(DEFAULT_SETTINGS.llm.models.sonnet![0]);
      const hand =
        (r.input_tokens * 3 + r.output_tokens * 15 + r.cache_write_tokens * 3.75 + r.cache_read_tokens * 0.3) /
        1_000_000;
      expect(r.cost_estimate).toBeCloseTo(hand, 12);
      expect(r.latency_ms).toBeGreaterThanOrEqual(0);
    }
    expect(b!.cost_estimate).toBeLessThan(a!.cost_estimate);
    expect(h.ledger.usageSince(new Date(0))).toEqual([
      expect.objectContaining({
        callType: 'explain_this',
        calls: 2,
        errors: 0,
        cacheReadTokens: b!.cache_read_tokens,
        costUsd: expect.closeTo(a!.cost_estimate + b!.cost_estimate, 12) as number,
      }),
    ]);
  });

  it('a streamed call records the same usage, cache reads included', async () => {
    h = await harness({ fake: { script: [say('one'), say('two')], minCacheTokens: 10 } });
    const system = `You are Paige. ${'Context line. '.repeat(40)}`;
    await h.client.callModel({ callType: 'coach_chat', alias: 'haiku', system, user: 'q1', stream: true });
    await h.client.callModel({ callType: 'coach_chat', alias: 'haiku', system, user: 'q2', stream: true });
    const [a, b] = h.rows();
    expect(a!.cache_write_tokens).toBeGreaterThan(0);
    expect(b!.cache_read_tokens).toBe(a!.cache_write_tokens);
    expect(b!.output_tokens).toBeGreaterThan(0);
    const hand = (b!.input_tokens * 1 + b!.output_tokens * 5 + b!.cache_read_tokens * 0.1) / 1_000_000;
    expect(b!.cost_estimate).toBeCloseTo(hand, 12);
  });

  it('an unpriced model is logged at cost 0 with one warning', async () => {
    h = await harness({
      llm: { models: { sonnet: ['claude-new'], haiku: ['claude-new'] } },
      fake: { script: [say('a'), say('b')] },
    });
    await h.client.callModel({ callType: 't', alias: 'haiku', system: 's', user: 'u' });
    await h.client.callModel({ callType: 't', alias: 'haiku', system: 's', user: 'u' });
    expect(h.rows().map((r) => r.cost_estimate)).toEqual([0, 0]);
    expect(h.logLines.filter((l) => l.level === 'warn' && l.model === 'claude-new')).toHaveLength(1);
  });

  it('a billed answer that fails its checks keeps its tokens and cost (spend is real)', async () => {
    h = await harness({ fake: { script: [say('no', { stopReason: 'refusal' })] } });
    await expect(h.client.callModel({ callType: 't', alias: 'haiku', system: 's', user: 'u' })).rejects.toThrow();
    const [r] = h.rows();
    expect(r).toMatchObject({ status: 'error', error_code: 'LLM_REFUSAL' });
    expect(r!.input_tokens).toBeGreaterThan(0);
    expect(r!.cost_estimate).toBeGreaterThan(0);
  });
});

function spend(hh: Harness, usd: number, callType = 'coach_agent'): void {
  hh.ledger.record({
    sessionId: null,
    callType,
    model: SONNET,
    inputHash: 'x',
    attempt: 1,
    status: 'ok',
    errorCode: null,
    latencyMs: 1,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUsd: usd,
    correlationId: null,
  });
}

describe('shutdown', () => {
  it('a call that finishes after the ledger was disposed (shutdown) is dropped, not written to a closed database', async () => {
    h = await harness({ fake: { script: [say('late answer', { eventDelayMs: 50 })] } });
    const call = h.client.callModel({ callType: 'explain_this', alias: 'haiku', system: 'S', user: 'U', stream: true });
    const early = h.rows().length;
    h.ledger.dispose();
    h.db.close();
    await expect(call).resolves.toMatchObject({ text: 'late answer' });
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(early).toBe(0);
  });
});

describe('budgets', () => {
  it('are off by default', async () => {
    h = await harness({ fake: { script: [say('ok')] } });
    spend(h, 1000);
    await expect(
      h.client.callModel({ callType: 'triage_model', alias: 'haiku', system: 's', user: 'u' }),
    ).resolves.toBeTruthy();
    expect(h.budget.status().daily).toMatchObject({ limitUsd: null, state: 'ok' });
    expect(h.budget.status().daily.spentUsd).toBeGreaterThan(1000);
  });

  it('warn once at 80 %, stop background call types there, keep interactive ones running', async () => {
    h = await harness({ llm: { budgetMonthlyUsd: 1 }, fake: { script: [say('a'), say('b')] } });
    spend(h, 0.85);
    expect(h.budget.status().monthly.state).toBe('warning');
    await h.client.callModel({ callType: 'explain_this', alias: 'haiku', system: 's', user: 'u' });
    await h.client.callModel({ callType: 'explain_this', alias: 'haiku', system: 's', user: 'u' });
    expect(h.warnings).toEqual([expect.objectContaining({ period: 'monthly', state: 'warning', limitUsd: 1 })]);
    const err = await h.client
      .callModel({ callType: 'triage_model', alias: 'haiku', system: 's', user: 'u' })
      .catch((e: unknown) => e as PaigeError);
    expect(err).toMatchObject({ code: 'LLM_BUDGET_EXCEEDED' });
    expect((err as PaigeError).message).toMatch(/Background AI features are paused/);
    expect(h.fake.mainRequests()).toHaveLength(2);
  });

  it('at 100 % every call fails, naming the limit and how to raise it', async () => {
    h = await harness({ llm: { budgetMonthlyUsd: 2 } });
    spend(h, 2);
    const err = (await h.client
      .callModel({ callType: 'explain_this', alias: 'haiku', system: 's', user: 'u' })
      .catch((e: unknown) => e)) as PaigeError;
    expect(err.code).toBe('LLM_BUDGET_EXCEEDED');
    expect(err.message).toBe(
      'The monthly AI spend limit of $2.00 is reached ($2.00 spent). Raise or clear the monthly limit in Settings → AI (llm.budgetMonthlyUsd), or wait until the next UTC month.',
    );
    expect(h.fake.requests).toHaveLength(0);
  });

  it('only counts spend of the current UTC day for the daily limit', async () => {
    h = await harness({ llm: { budgetDailyUsd: 1 } });
    h.db.sqlite
      .prepare(
        `INSERT INTO api_call_log (call_type, model, attempt, status, latency_ms, cost_estimate, created_at) VALUES ('x', 'm', 1, 'ok', 1, 5, '2000-01-01T00:00:00.000Z')`,
      )
      .run();
    expect(h.budget.status().daily).toMatchObject({ spentUsd: 0, state: 'ok' });
    expect(() => h!.budget.check('explain_this')).not.toThrow();
  });
});
