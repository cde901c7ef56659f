// callModel through the real Anthropic SDK against the fake server: errors and codes, retries, fallback, structured
// output, streaming, abort, idle timeout, ledger rows and budgets.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fail, malformed, reset, say, streamError, turn } from '../../../../e2e/fake-anthropic/script';
import {
  ApiAuthError,
  ApiBadRequestError,
  ApiContentFilterError,
  ApiMaxTokensError,
  ApiNetworkError,
  ApiRateLimitError,
  ApiRefusalError,
  ApiServerError,
  ApiValidationError,
  retryAfterSeconds,
} from '../errors';
import { PaigeError } from '../../../shared/ipc/errors';
import { RESULT_TOOL_NAME, backoffMs, inputHash } from '../client';
import { harness, type Harness } from '../testing/harness';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const Answer = z.object({ title: z.string(), score: z.number() });
const base = { callType: 'test_call', alias: 'haiku' as const, system: 'You are a test.', user: 'Say hi.' };

async function rejection(p: Promise<unknown>): Promise<PaigeError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof PaigeError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe('callModel without a key or budget', () => {
  it('fails LLM_DISABLED without a key and sends nothing', async () => {
    h = await harness({ key: undefined });
    const err = await rejection(h.client.callModel(base));
    expect(err.code).toBe('LLM_DISABLED');
    // The harness store cannot hold a key (as in `paige serve`): the advice names only the environment variable.
    expect(err.message).toMatch(/ANTHROPIC_API_KEY=sk-ant-… paige serve/);
    expect(h.fake.requests).toHaveLength(0);
    expect(h.keys.state).toBe('no_key');
  });

  it('fails LLM_BUDGET_EXCEEDED at the daily limit and sends nothing', async () => {
    h = await harness({ llm: { budgetDailyUsd: 0.01 } });
    h.ledger.record({
      sessionId: null,
      callType: 'coach_agent',
      model: 'claude-sonnet-4-5-20250929',
      inputHash: 'x',
      attempt: 1,
      status: 'ok',
      errorCode: null,
      latencyMs: 10,
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd: 0.011,
      correlationId: null,
    });
    const err = await rejection(h.client.callModel(base));
    expect(err.code).toBe('LLM_BUDGET_EXCEEDED');
    expect(err.message).toMatch(/daily AI spend limit of \$0\.01/);
    expect(err.message).toMatch(/llm\.budgetDailyUsd/);
    expect(err.retryable).toBe(false);
    expect(h.fake.requests).toHaveLength(0);
  });
});

describe('callModel errors', () => {
  const cases: [string, Parameters<typeof say>[0] | null, () => unknown, string, new (...a: never[]) => Error][] = [
    ['401', null, () => fail(401), 'LLM_AUTH', ApiAuthError],
    ['403', null, () => fail(403), 'LLM_AUTH', ApiAuthError],
    ['400', null, () => fail(400), 'LLM_BAD_REQUEST', ApiBadRequestError],
    ['refusal', null, () => say('no', { stopReason: 'refusal' }), 'LLM_REFUSAL', ApiRefusalError],
    ['max_tokens', null, () => say('{"tit', { stopReason: 'max_tokens' }), 'LLM_MAX_TOKENS', ApiMaxTokensError],
    [
      'content filter',
      null,
      () => say('', { stopReason: 'content_filter' }),
      'LLM_CONTENT_FILTER',
      ApiContentFilterError,
    ],
    ['malformed JSON', null, () => say('{"title": "x", score'), 'LLM_INVALID_OUTPUT', ApiValidationError],
    ['schema violation', null, () => say('{"title": 5}'), 'LLM_INVALID_OUTPUT', ApiValidationError],
  ];
  for (const [name, , reply, code, cls] of cases) {
    it(`${name} → ${code}, not retried`, async () => {
      h = await harness({ fake: { script: [reply() as never, say('{"title":"late","score":1}')] } });
      const err = await rejection(h.client.callModel({ ...base, schema: Answer }));
      expect(err).toBeInstanceOf(cls);
      expect(err.code).toBe(code);
      expect(err.retryable).toBe(false);
      expect(h.fake.mainRequests()).toHaveLength(1);
      expect(h.rows()).toHaveLength(1);
      expect(h.rows()[0]).toMatchObject({ status: 'error', error_code: code, attempt: 1 });
    });
  }

  it('429 after every retry → LLM_RATE_LIMITED after 1 + 3 attempts, no fallback', async () => {
    h = await harness({
      llm: { models: { ...harnessModels, haiku: ['m-a', 'm-b'] } },
      fake: { script: Array.from({ length: 5 }, () => fail(429, { retryAfterS: 0 })) },
    });
    const err = await rejection(h.client.callModel(base));
    expect(err).toBeInstanceOf(ApiRateLimitError);
    expect(err.code).toBe('LLM_RATE_LIMITED');
    expect(err.retryable).toBe(true);
    expect(h.fake.mainRequests().map((r) => r.body?.model)).toEqual(['m-a', 'm-a', 'm-a', 'm-a']);
  });

  it('a dropped connection → LLM_NETWORK after retries', async () => {
    h = await harness({ fake: { script: [reset(), reset(), reset(), reset()] } });
    const err = await rejection(h.client.callModel(base));
    expect(err).toBeInstanceOf(ApiNetworkError);
    expect(err.code).toBe('LLM_NETWORK');
    expect(h.fake.mainRequests()).toHaveLength(4);
  });

  it('a body that is not JSON → LLM_NETWORK (the transport failed), retried', async () => {
    h = await harness({ fake: { script: [malformed(), say('fine')] } });
    const r = await h.client.callModel(base);
    expect(r.value).toBe('fine');
    expect(h.rows().map((x) => x.error_code)).toEqual(['LLM_NETWORK', null]);
  });

  it('5xx after every retry on the last model → LLM_SERVER', async () => {
    h = await harness({ fake: { script: Array.from({ length: 4 }, () => fail(500)) } });
    const err = await rejection(h.client.callModel(base));
    expect(err).toBeInstanceOf(ApiServerError);
    expect(err.code).toBe('LLM_SERVER');
  });

  it('401 flips the capability to invalid_key; a new key makes it ready again', async () => {
    h = await harness({ fake: { script: [fail(401)] } });
    expect(h.keys.state).toBe('ready');
    await rejection(h.client.callModel(base));
    expect(h.keys.state).toBe('invalid_key');
    expect(h.states).toEqual(['invalid_key']);
    h.env.ANTHROPIC_API_KEY = 'sk-ant-another-key-000000';
    expect(h.keys.state).toBe('ready');
  });

  it('after a 401 calls fail LLM_AUTH without a request until a key test succeeds', async () => {
    h = await harness({ fake: { script: [fail(401), say('OK'), say('back')] } });
    await rejection(h.client.callModel(base));
    const err = await rejection(h.client.callModel(base));
    expect(err.code).toBe('LLM_AUTH');
    expect(err.message).toMatch(/Settings/);
    expect(h.fake.mainRequests()).toHaveLength(1);
    expect(await h.client.testKey()).toMatchObject({ ok: true });
    expect(h.keys.state).toBe('ready');
    expect((await h.client.callModel(base)).value).toBe('back');
    expect(h.states).toEqual(['invalid_key', 'ready']);
  });

  it('more than four cache breakpoints is a bug in the caller, caught before sending', async () => {
    h = await harness();
    const user = Array.from({ length: 4 }, (_, i) => ({ text: `part ${i}`, cache: true }));
    await expect(h.client.callModel({ ...base, user })).rejects.toThrow(/^test_call: 5 cache breakpoints/);
    expect(h.fake.requests).toHaveLength(0);
    expect(h.rows()).toHaveLength(0);
  });

  it('the key never appears in the log', async () => {
    h = await harness({ fake: { script: [fail(401)] } });
    await rejection(h.client.callModel(base));
    expect(JSON.stringify(h.logLines)).not.toContain('sk-ant-test');
    expect(h.logLines.some((l) => l.level === 'warn' && l.code === 'LLM_AUTH')).toBe(true);
  });
});

const harnessModels = { sonnet: ['claude-sonnet-4-5-20250929'], haiku: ['claude-haiku-4-5-20251001'] };

describe('retries and fallback', () => {
  it('429 with retry-after waits at least that long, then succeeds', async () => {
    h = await harness({ fake: { script: [fail(429, { retryAfterS: 1 }), say('after the wait')] } });
    const started = Date.now();
    const r = await h.client.callModel(base);
    const [first, second] = h.fake.mainRequests();
    expect(r.value).toBe('after the wait');
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(r.attempts).toBe(2);
    const rows = h.rows();
    expect(rows.map((x) => [x.attempt, x.status, x.error_code, x.latency_ms < 0])).toEqual([
      [1, 'error', 'LLM_RATE_LIMITED', true],
      [2, 'ok', null, false],
    ]);
    expect(rows[0]).toMatchObject({ input_tokens: 0, output_tokens: 0, cost_estimate: 0 });
  });

  it('500 ×4 falls back to the next model, which gets a fresh retry budget', async () => {
    h = await harness({
      llm: { models: { ...harnessModels, sonnet: ['m-primary', 'claude-haiku-4-5-20251001'] } },
      fake: { script: [...Array.from({ length: 7 }, () => fail(500)), say('from the fallback')] },
    });
    const r = await h.client.callModel({ ...base, alias: 'sonnet' });
    expect(r.value).toBe('from the fallback');
    expect(r.model).toBe('claude-haiku-4-5-20251001');
    expect(h.fake.mainRequests().map((x) => x.body?.model)).toEqual([
      ...Array<string>(4).fill('m-primary'),
      ...Array<string>(4).fill('claude-haiku-4-5-20251001'),
    ]);
    expect(h.rows().map((x) => `${x.model}#${x.attempt}:${x.status}`)).toEqual([
      'm-primary#1:error',
      'm-primary#2:error',
      'm-primary#3:error',
      'm-primary#4:error',
      'claude-haiku-4-5-20251001#1:error',
      'claude-haiku-4-5-20251001#2:error',
      'claude-haiku-4-5-20251001#3:error',
      'claude-haiku-4-5-20251001#4:ok',
    ]);
  });

  it('529 overloaded counts as a server error and falls back', async () => {
    h = await harness({
      llm: { models: { ...harnessModels, sonnet: ['m-a', 'm-b'] } },
      fake: { script: [...Array.from({ length: 4 }, () => fail(529)), say('ok')] },
    });
    const r = await h.client.callModel({ ...base, alias: 'sonnet' });
    expect(r.model).toBe('m-b');
  });

  it('404 not_found_error for the model falls back at once', async () => {
    h = await harness({
      llm: { models: { ...harnessModels, sonnet: ['claude-retired', 'm-b'] } },
      fake: { script: [fail(404, { type: 'not_found_error', message: 'model: claude-retired' }), say('ok')] },
    });
    const r = await h.client.callModel({ ...base, alias: 'sonnet' });
    expect(r.model).toBe('m-b');
    expect(h.fake.mainRequests().map((x) => x.body?.model)).toEqual(['claude-retired', 'm-b']);
  });

  it('abort while waiting to retry stops with CANCELLED and sends nothing more', async () => {
    h = await harness({ fake: { script: [fail(429, { retryAfterS: 5 }), say('never')] } });
    const ac = new AbortController();
    const p = h.client.callModel({ ...base, signal: ac.signal });
    await h.fake.waitFor((r) => r.kind === 'main');
    setTimeout(() => ac.abort(), 50);
    const err = await rejection(p);
    expect(err.code).toBe('CANCELLED');
    expect(h.fake.mainRequests()).toHaveLength(1);
  });

  it('the client is rebuilt when the base URL changes', async () => {
    h = await harness({ fake: { script: [say('one')] } });
    await h.client.callModel(base);
    const { startFakeAnthropic } = await import('../../../../e2e/fake-anthropic/server');
    const other = await startFakeAnthropic({ script: [say('two')] });
    try {
      h.llm.baseUrl = other.url;
      const r = await h.client.callModel(base);
      expect(r.value).toBe('two');
      expect(other.mainRequests()[0]!.headers.authorization).toBe('Bearer sk-ant-test-0123456789abcdef');
    } finally {
      await other.close();
    }
  });
});

describe('structured output', () => {
  it('native mode sends the JSON schema as output_config.format and validates the answer', async () => {
    h = await harness({ fake: { script: [say('{"title":"Hi","score":3}')] } });
    const r = await h.client.callModel({ ...base, schema: Answer });
    expect(r.value).toEqual({ title: 'Hi', score: 3 });
    const body = h.fake.mainRequests()[0]!.body!;
    const format = (body.output_config as { format: { type: string; schema: { properties: object } } }).format;
    expect(format.type).toBe('json_schema');
    expect(Object.keys(format.schema.properties)).toEqual(['title', 'score']);
    expect(body.tools).toBeUndefined();
  });

  it('native mode leaves out keywords the API does not accept; zod still enforces them on the answer', async () => {
    const Bounded = z.object({ title: z.string().max(5), n: z.number().int().min(1) });
    h = await harness({ fake: { script: [say('{"title":"far too long","n":1}')] } });
    const err = await rejection(h.client.callModel({ ...base, schema: Bounded }));
    expect(err.code).toBe('LLM_INVALID_OUTPUT');
    const sent = JSON.stringify(h.fake.mainRequests()[0]!.body!.output_config);
    expect(sent).not.toMatch(/"maxLength"|"minimum"|"maximum"|"\$schema"/);
    expect(sent).toMatch(/"additionalProperties":false/);
  });

  it('tool mode forces a single tool with the same schema and reads its input', async () => {
    h = await harness({
      llm: { structuredOutput: 'tool' },
      fake: { script: [turn([{ type: 'tool_use', name: RESULT_TOOL_NAME, input: { title: 'T', score: 1 } }])] },
    });
    const r = await h.client.callModel({ ...base, schema: Answer });
    expect(r.value).toEqual({ title: 'T', score: 1 });
    const body = h.fake.mainRequests()[0]!.body!;
    expect(body.tool_choice).toEqual({ type: 'tool', name: RESULT_TOOL_NAME });
    expect(body.tools?.[0]?.input_schema).toMatchObject({ type: 'object', required: ['title', 'score'] });
    expect(body.output_config).toBeUndefined();
  });

  it('tool mode with an input that violates the schema → LLM_INVALID_OUTPUT', async () => {
    h = await harness({
      llm: { structuredOutput: 'tool' },
      fake: { script: [turn([{ type: 'tool_use', name: RESULT_TOOL_NAME, input: { title: 1 } }])] },
    });
    expect((await rejection(h.client.callModel({ ...base, schema: Answer }))).code).toBe('LLM_INVALID_OUTPUT');
  });

  it('the system prompt carries a cache breakpoint; the input hash is of the user message', async () => {
    h = await harness({ fake: { script: [say('x')] } });
    await h.client.callModel(base);
    const body = h.fake.mainRequests()[0]!.body!;
    expect(body.system).toEqual([{ type: 'text', text: 'You are a test.', cache_control: { type: 'ephemeral' } }]);
    expect(h.rows()[0]!.input_hash).toBe(inputHash('Say hi.'));
    expect(inputHash('Say hi.')).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('streaming', () => {
  const long = 'The quick brown fox jumps over the lazy dog. '.repeat(6);

  it('forwards text deltas in order and returns the whole text', async () => {
    h = await harness({ fake: { chunkSize: 7, script: [say(long)] } });
    const deltas: string[] = [];
    const r = await h.client.callModel({ ...base, stream: true, onDelta: (d) => deltas.push(d) });
    expect(deltas.length).toBeGreaterThan(10);
    expect(deltas.join('')).toBe(long);
    expect(deltas[0]).toBe(long.slice(0, 7));
    expect(r.value).toBe(long);
    expect(h.fake.mainRequests()[0]!.body!.stream).toBe(true);
    expect(h.rows()[0]).toMatchObject({ status: 'ok' });
    expect(h.rows()[0]!.output_tokens).toBeGreaterThan(0);
  });

  it('abort mid-stream stops the request with CANCELLED', async () => {
    h = await harness({ fake: { chunkSize: 4, script: [say(long, { eventDelayMs: 30 })] } });
    const ac = new AbortController();
    const deltas: string[] = [];
    const started = Date.now();
    const p = h.client.callModel({
      ...base,
      stream: true,
      signal: ac.signal,
      onDelta: (d) => {
        deltas.push(d);
        if (deltas.length === 2) ac.abort();
      },
    });
    const err = await rejection(p);
    expect(err.code).toBe('CANCELLED');
    expect(deltas).toHaveLength(2);
    // The whole stream would take ~70 events × 30 ms.
    expect(Date.now() - started).toBeLessThan(1500);
    expect(h.fake.mainRequests()).toHaveLength(1);
    expect(h.rows()[0]).toMatchObject({ status: 'error', error_code: 'CANCELLED' });
    // The server saw the connection go away before it finished sending.
    await expect.poll(() => h!.fake.mainRequests()[0]!.response.clientClosed).toBe(true);
  });

  it('a stall after text was shown fails with LLM_NETWORK (idle) and is not retried', async () => {
    // message_start, ping, content_block_start, 2 deltas — then silence longer than the idle limit.
    h = await harness({
      // Limits wide enough that a loaded machine's normal gaps between events never look like a stall.
      streamIdleMs: 1_000,
      fake: {
        chunkSize: 4,
        script: [say('partial answer that stalls', { stallAfterEvents: 5, stallMs: 8_000 }), say('never')],
      },
    });
    const deltas: string[] = [];
    const started = Date.now();
    const err = await rejection(h.client.callModel({ ...base, stream: true, onDelta: (d) => deltas.push(d) }));
    expect(err).toBeInstanceOf(ApiNetworkError);
    expect(err.message).toMatch(/idle for 1 s/);
    expect(deltas).toEqual(['part', 'ial ']);
    // It gave up at the idle limit, not when the stall ended.
    expect(Date.now() - started).toBeLessThan(7_000);
    expect(h.fake.mainRequests()).toHaveLength(1);
  });

  it('the idle timeout fires when the stream stalls, and a stall before any delta is retried', async () => {
    h = await harness({
      streamIdleMs: 1_000,
      fake: { script: [say('stalled', { eventDelayMs: 4_000 }), say('recovered')] },
    });
    const r = await h.client.callModel({ ...base, stream: true });
    expect(r.value).toBe('recovered');
    expect(h.rows().map((x) => x.error_code)).toEqual(['LLM_NETWORK', null]);
    expect(h.logLines.some((l) => String(l.error).includes('idle'))).toBe(true);
  });

  it('no retry once a delta was emitted: a mid-stream error surfaces', async () => {
    h = await harness({
      fake: {
        script: [
          streamError(
            turn([
              { type: 'text', text: 'first block' },
              { type: 'text', text: 'second' },
            ]),
            1,
          ),
          say('retry'),
        ],
      },
    });
    const deltas: string[] = [];
    const err = await rejection(h.client.callModel({ ...base, stream: true, onDelta: (d) => deltas.push(d) }));
    expect(err).toBeInstanceOf(ApiServerError);
    expect(err.code).toBe('LLM_SERVER');
    expect(deltas.join('')).toBe('first block');
    expect(h.fake.mainRequests()).toHaveLength(1);
  });

  it('a mid-stream error before any delta is retried', async () => {
    h = await harness({ fake: { script: [streamError(turn([{ type: 'text', text: 'x' }]), 0), say('second try')] } });
    const r = await h.client.callModel({ ...base, stream: true });
    expect(r.value).toBe('second try');
  });
});

describe('backoff', () => {
  it('is random(0, min(8 s, 500 ms × 2^(n−1))) and never below retry-after, which is capped at 30 s', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, undefined, () => 1))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000,
    ]);
    expect(backoffMs(3, undefined, () => 0.5)).toBe(1000);
    expect(backoffMs(1, 2, () => 0)).toBe(2000);
    expect(backoffMs(1, 120, () => 1)).toBe(30_000);
  });

  it('reads retry-after as seconds, an HTTP date, or retry-after-ms', () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    expect(retryAfterSeconds(new Headers({ 'retry-after': '7' }), now)).toBe(7);
    expect(retryAfterSeconds(new Headers({ 'retry-after': 'Mon, 30 Nov 2026 12:00:05 GMT' }), now)).toBe(5);
    expect(retryAfterSeconds(new Headers({ 'retry-after-ms': '1500', 'retry-after': '9' }), now)).toBe(1.5);
    expect(retryAfterSeconds(new Headers({}), now)).toBeUndefined();
  });
});
