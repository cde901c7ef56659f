// The one place that calls the Anthropic API: alias → model list, structured output validated with zod, typed errors,
// jittered retries honouring retry-after, fallback to the next model, streaming with an idle timeout, one ledger row
// per attempt, and budgets checked before anything is sent.
import { noKeyAdvice } from './no-key-advice';
import { createHash } from 'node:crypto';
import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { PaigeError } from '../../shared/ipc/errors';
import type { Settings } from '../../shared/settings/schema';
import type { Logger } from '../logging/logger';
import { currentCid } from '../logging/context';
import { loadAnthropicSdk, loadedAnthropicSdk, type AnthropicSdk } from './anthropic-sdk';
import type { ApiKeyService } from './api-key';
import type { BudgetGuard } from './budget';
import {
  ApiAuthError,
  ApiContentFilterError,
  ApiError,
  ApiMaxTokensError,
  ApiNetworkError,
  ApiRefusalError,
  ApiServerError,
  ApiValidationError,
  RETRY_AFTER_CAP_S,
  isAbort,
  isModelNotFound,
  toApiError,
} from './errors';
import type { ApiCallLedger } from './ledger';
import { costOf, type TokenUsage } from './pricing';

export type ModelAlias = 'sonnet' | 'haiku';

/** A piece of the system prompt or user message; `cache` puts a prompt-cache breakpoint after it. */
export interface PromptPart {
  text: string;
  cache?: boolean;
}

interface CallModelOptions<S extends z.ZodType | undefined = undefined> {
  /** Logged as `call_type` (`explain_this`, `coach_agent`, …). */
  callType: string;
  alias: ModelAlias;
  /** A string is one block with a cache breakpoint (system prompts are the stable prefix of every call). */
  system: string | PromptPart[];
  user: string | PromptPart[];
  schema?: S;
  maxTokens?: number;
  stream?: boolean;
  /** Text deltas as they arrive (streaming only), in order. */
  onDelta?: (text: string) => void;
  sessionId?: number | null;
  signal?: AbortSignal;
}

export interface CallResult<T> {
  value: T;
  /** The model's text (for tool mode, the JSON of the tool input). */
  text: string;
  model: string;
  usage: TokenUsage;
  costUsd: number;
  stopReason: string | null;
  /** Attempts over all models, including the successful one. */
  attempts: number;
}

interface LlmClientDeps {
  settings: () => Settings['llm'];
  keys: ApiKeyService;
  ledger: ApiCallLedger;
  budget: BudgetGuard;
  logger: Logger;
  /** Injected for tests; default Math.random. */
  random?: () => number;
  /** Idle limit between stream events; default 60 s. */
  streamIdleMs?: number;
}

/** Retries after the first attempt, per model. */
const MAX_RETRIES = 3;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 8_000;
const STREAM_IDLE_MS = 60_000;
const DEFAULT_MAX_TOKENS = 4_096;
const DEFAULT_BASE_URL = 'https://api.anthropic.com';
/** The forced tool in `tool` structured-output mode. @visibleForTesting */
export const RESULT_TOOL_NAME = 'submit_result';
/** A stop reason no current model sends but the contract reserves for filtered output. */
const CONTENT_FILTER_STOP = 'content_filter';

/** Jittered exponential backoff for retry `n` (1-based), but never sooner than the server's retry-after (capped). @visibleForTesting */
export function backoffMs(n: number, retryAfterS: number | undefined, random: () => number): number {
  const jitter = random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (n - 1));
  const floor = retryAfterS === undefined ? 0 : Math.min(retryAfterS, RETRY_AFTER_CAP_S) * 1000;
  return Math.max(jitter, floor);
}

/** @visibleForTesting */
export function inputHash(user: string | PromptPart[]): string {
  const text = typeof user === 'string' ? user : user.map((p) => p.text).join('');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** The JSON schema sent for structured output, from the zod schema the answer is validated with. */
function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io: 'output' }) as Record<
    string,
    unknown
  >;
  return rest;
}

/** The API accepts at most this many `cache_control` breakpoints per request. */
const MAX_CACHE_BREAKPOINTS = 4;

function blocks(parts: string | PromptPart[], cacheWhole: boolean): Anthropic.TextBlockParam[] {
  const list = typeof parts === 'string' ? [{ text: parts, cache: cacheWhole }] : parts;
  return list.map((p) =>
    p.cache ? { type: 'text', text: p.text, cache_control: { type: 'ephemeral' } } : { type: 'text', text: p.text },
  );
}

interface AttemptOutcome {
  message: Anthropic.Message;
  deltas: number;
}

export class LlmClient {
  private client: Anthropic | undefined;
  private clientKey = '';
  private readonly unpriced = new Set<string>();
  /** Each agent's schema is converted once, not on every call. */
  private readonly jsonSchemas = new WeakMap<
    z.ZodType,
    { full: Record<string, unknown>; native: Record<string, unknown> }
  >();
  private readonly random: () => number;
  private readonly idleMs: number;

  constructor(private readonly deps: LlmClientDeps) {
    this.random = deps.random ?? Math.random;
    this.idleMs = deps.streamIdleMs ?? STREAM_IDLE_MS;
  }

  callModel<S extends z.ZodType>(opts: CallModelOptions<S> & { schema: S }): Promise<CallResult<z.output<S>>>;
  callModel(opts: CallModelOptions): Promise<CallResult<string>>;
  callModel(opts: CallModelOptions<z.ZodType | undefined>): Promise<CallResult<unknown>> {
    return this.run(opts, false);
  }

  /** `probe`: the key test, the one call that still goes out after the API rejected the key. */
  private async run(opts: CallModelOptions<z.ZodType | undefined>, probe: boolean): Promise<CallResult<unknown>> {
    const key = this.deps.keys.key;
    if (key === undefined) {
      throw new PaigeError(
        'LLM_DISABLED',
        noKeyAdvice(this.deps.keys.storable, 'enable planning, explanations, reviews and nudges'),
      );
    }
    if (!probe && this.deps.keys.state === 'invalid_key') {
      // Background features would otherwise send a request bound to fail every few minutes.
      throw new PaigeError(
        'LLM_AUTH',
        'The Anthropic API rejected this API key. Set a valid key in Settings → AI (or ANTHROPIC_API_KEY), or test the key again there.',
        { callType: opts.callType },
      );
    }
    const settings = this.deps.settings();
    const models = settings.models[opts.alias] ?? [];
    if (models.length === 0) {
      throw new PaigeError(
        'SETTINGS_INVALID',
        `No models are configured for "${opts.alias}" (llm.models.${opts.alias}).`,
      );
    }
    // Checked before anything is sent or logged: too many breakpoints is a bug in the agent, not an API failure.
    const breakpoints =
      (typeof opts.system === 'string' ? 1 : opts.system.filter((p) => p.cache).length) +
      (typeof opts.user === 'string' ? 0 : opts.user.filter((p) => p.cache).length);
    if (breakpoints > MAX_CACHE_BREAKPOINTS) {
      throw new Error(`${opts.callType}: ${breakpoints} cache breakpoints; the API accepts ${MAX_CACHE_BREAKPOINTS}`);
    }
    const hash = inputHash(opts.user);
    const cid = currentCid() ?? null;
    const log = this.deps.logger.child({ component: 'llm', callType: opts.callType });
    let attempts = 0;

    for (let mi = 0; mi < models.length; mi++) {
      const model = models[mi]!;
      for (let attempt = 1; ; attempt++) {
        this.throwIfAborted(opts.signal);
        this.deps.budget.check(opts.callType);
        attempts++;
        const started = performance.now();
        let outcome: AttemptOutcome | undefined;
        try {
          outcome = await this.attempt(key, model, settings, opts);
          const result = this.finish(outcome.message, model, opts, settings, attempts);
          this.deps.ledger.record({
            sessionId: opts.sessionId ?? null,
            callType: opts.callType,
            model,
            inputHash: hash,
            attempt,
            status: 'ok',
            errorCode: null,
            latencyMs: performance.now() - started,
            ...result.usage,
            costUsd: result.costUsd,
            correlationId: cid,
          });
          log.debug('llm attempt ok', { model, attempt, durationMs: Math.round(performance.now() - started) });
          this.deps.keys.markAccepted(key);
          this.deps.budget.afterCall();
          return result;
        } catch (raw) {
          const sdk = loadedAnthropicSdk();
          const aborted = isAbort(sdk, raw) || opts.signal?.aborted === true;
          const err = aborted ? undefined : toApiError(sdk, raw, model, opts.callType);
          // A response that arrived but failed its checks was billed: its tokens count against budgets.
          const billed = outcome ? this.usageAndCost(outcome.message, model, settings) : undefined;
          this.deps.ledger.record({
            sessionId: opts.sessionId ?? null,
            callType: opts.callType,
            model,
            inputHash: hash,
            attempt,
            status: 'error',
            errorCode: err?.code ?? 'CANCELLED',
            latencyMs: billed ? performance.now() - started : -1,
            inputTokens: billed?.usage.inputTokens ?? 0,
            outputTokens: billed?.usage.outputTokens ?? 0,
            cacheReadTokens: billed?.usage.cacheReadTokens ?? 0,
            cacheWriteTokens: billed?.usage.cacheWriteTokens ?? 0,
            costUsd: billed?.costUsd ?? 0,
            correlationId: cid,
          });
          if (billed) this.deps.budget.afterCall();
          if (!err) throw new PaigeError('CANCELLED', 'The model call was cancelled.', { callType: opts.callType });
          log.warn('llm attempt failed', {
            model,
            attempt,
            code: err.code,
            status: err.statusCode,
            error: err.message,
          });
          if (err instanceof ApiAuthError) {
            this.deps.keys.markRejected(key);
            throw err;
          }
          // Text already shown to the user cannot be taken back, so a broken stream is not retried.
          const streamed = err instanceof StreamBrokenError;
          const cause = streamed ? err.inner : err;
          if (streamed) throw cause;
          if (cause.retryable && attempt <= MAX_RETRIES) {
            await this.sleep(backoffMs(attempt, cause.retryAfterS, this.random), opts.signal);
            continue;
          }
          const canFallBack = cause instanceof ApiServerError || isModelNotFound(cause);
          if (canFallBack && mi < models.length - 1) {
            log.warn('llm falling back', { from: model, to: models[mi + 1] });
            break;
          }
          throw cause;
        }
      }
    }
    throw new Error('unreachable: the model loop always returns or throws');
  }

  /** One minimal request to check the key: a one-token haiku call, logged (and budgeted) as `api_key_test`. */
  async testKey(signal?: AbortSignal): Promise<{ ok: boolean; model?: string; error?: string }> {
    try {
      const r = await this.run(
        {
          callType: 'api_key_test',
          alias: 'haiku',
          system: 'Reply with OK.',
          user: 'ping',
          maxTokens: 1,
          ...(signal ? { signal } : {}),
        },
        true,
      );
      return { ok: true, model: r.model };
    } catch (err) {
      // A one-token reply stops at max_tokens: the key worked.
      if (err instanceof ApiMaxTokensError) return { ok: true, model: err.model };
      if (err instanceof PaigeError) return { ok: false, error: `${err.code}: ${err.message}` };
      throw err;
    }
  }

  private sdk(sdk: AnthropicSdk, key: string, settings: Settings['llm']): Anthropic {
    const baseURL = settings.baseUrl ?? DEFAULT_BASE_URL;
    const id = `${key}\n${baseURL}\n${settings.timeoutMs}`;
    if (!this.client || id !== this.clientKey) {
      // Retries are ours (backoff, retry-after cap, fallback, ledger rows), so the SDK's are off.
      this.client = new sdk.Anthropic({ apiKey: key, baseURL, maxRetries: 0, timeout: settings.timeoutMs });
      this.clientKey = id;
    }
    return this.client;
  }

  private request(
    sdk: AnthropicSdk,
    model: string,
    settings: Settings['llm'],
    opts: CallModelOptions<z.ZodType | undefined>,
  ) {
    const body: Anthropic.MessageCreateParamsNonStreaming = {
      model,
      max_tokens: opts.maxTokens ?? DEFAULT_MAX_TOKENS,
      system: blocks(opts.system, true),
      messages: [{ role: 'user', content: blocks(opts.user, false) }],
    };
    if (opts.schema) {
      let schema = this.jsonSchemas.get(opts.schema);
      if (!schema) {
        const full = jsonSchemaOf(opts.schema);
        // Native structured output accepts a subset of JSON Schema (no length or numeric bounds, …): the SDK's own
        // transform moves the rest into descriptions. zod still enforces every bound on the answer.
        schema = { full, native: sdk.transformJSONSchema(full) };
        this.jsonSchemas.set(opts.schema, schema);
      }
      if (settings.structuredOutput === 'tool') {
        body.tools = [
          {
            name: RESULT_TOOL_NAME,
            description: 'Return the answer in this shape.',
            input_schema: schema.full as Anthropic.Tool.InputSchema,
          },
        ];
        body.tool_choice = { type: 'tool', name: RESULT_TOOL_NAME };
      } else {
        body.output_config = { format: { type: 'json_schema', schema: schema.native } };
      }
    }
    return body;
  }

  private async attempt(
    key: string,
    model: string,
    settings: Settings['llm'],
    opts: CallModelOptions<z.ZodType | undefined>,
  ): Promise<AttemptOutcome> {
    const sdk = await loadAnthropicSdk();
    const client = this.sdk(sdk, key, settings);
    const body = this.request(sdk, model, settings, opts);
    const reqOpts = opts.signal ? { signal: opts.signal } : {};
    if (!opts.stream) return { message: await client.messages.create(body, reqOpts), deltas: 0 };
    return this.streamAttempt(sdk, client, body, opts);
  }

  private async streamAttempt(
    sdk: AnthropicSdk,
    client: Anthropic,
    body: Anthropic.MessageCreateParamsNonStreaming,
    opts: CallModelOptions<z.ZodType | undefined>,
  ): Promise<AttemptOutcome> {
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    let idle = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        idle = true;
        controller.abort();
      }, this.idleMs);
    };
    let deltas = 0;
    let message: Anthropic.Message | undefined;
    const json = new Map<number, string>();
    try {
      arm();
      const stream = await client.messages.create({ ...body, stream: true }, { signal: controller.signal });
      for await (const ev of stream) {
        arm();
        switch (ev.type) {
          case 'message_start':
            message = { ...ev.message, content: [] };
            break;
          case 'content_block_start':
            message?.content.push(
              ev.content_block.type === 'tool_use' ? { ...ev.content_block, input: {} } : { ...ev.content_block },
            );
            break;
          case 'content_block_delta': {
            const block = message?.content[ev.index];
            if (ev.delta.type === 'text_delta' && block?.type === 'text') {
              block.text += ev.delta.text;
              deltas++;
              opts.onDelta?.(ev.delta.text);
            } else if (ev.delta.type === 'input_json_delta') {
              json.set(ev.index, (json.get(ev.index) ?? '') + ev.delta.partial_json);
            }
            break;
          }
          case 'content_block_stop': {
            const block = message?.content[ev.index];
            const partial = json.get(ev.index);
            if (block?.type === 'tool_use' && partial !== undefined) block.input = safeJson(partial);
            break;
          }
          case 'message_delta':
            if (message) {
              message.stop_reason = ev.delta.stop_reason;
              message.stop_sequence = ev.delta.stop_sequence;
              // The final usage: output tokens always, input and cache counts when the API repeats them here.
              const u = ev.usage;
              message.usage = {
                ...message.usage,
                output_tokens: u.output_tokens,
                ...(u.input_tokens != null ? { input_tokens: u.input_tokens } : {}),
                ...(u.cache_read_input_tokens != null ? { cache_read_input_tokens: u.cache_read_input_tokens } : {}),
                ...(u.cache_creation_input_tokens != null
                  ? { cache_creation_input_tokens: u.cache_creation_input_tokens }
                  : {}),
              };
            }
            break;
          default:
            break;
        }
      }
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      const apiErr = idle
        ? new ApiNetworkError(`The response stream was idle for ${this.idleMs / 1000} s.`, {
            model: body.model,
            callType: opts.callType,
            cause: err,
          })
        : toApiError(sdk, err, body.model, opts.callType);
      throw deltas > 0 ? new StreamBrokenError(apiErr) : apiErr;
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    }
    // The SDK ends the iteration quietly when its signal aborts, so both kinds of abort are checked here too.
    if (opts.signal?.aborted) throw new PaigeError('CANCELLED', 'The model call was cancelled.');
    if (!message || message.stop_reason === null) {
      const why = idle
        ? `The response stream was idle for ${this.idleMs / 1000} s.`
        : 'The response stream ended before the message was complete.';
      const err = new ApiNetworkError(why, {
        model: body.model,
        callType: opts.callType,
      });
      throw deltas > 0 ? new StreamBrokenError(err) : err;
    }
    return { message, deltas };
  }

  private usageAndCost(message: Anthropic.Message, model: string, settings: Settings['llm']) {
    const u = message.usage;
    const usage: TokenUsage = {
      inputTokens: u.input_tokens,
      outputTokens: u.output_tokens,
      cacheReadTokens: u.cache_read_input_tokens ?? 0,
      cacheWriteTokens: u.cache_creation_input_tokens ?? 0,
    };
    const cost = costOf(model, usage, settings.pricing);
    if (!cost.priced && !this.unpriced.has(model)) {
      this.unpriced.add(model);
      this.deps.logger.warn('llm model has no price; its calls are logged at cost 0', { component: 'llm', model });
    }
    return { usage, costUsd: cost.usd };
  }

  private finish(
    message: Anthropic.Message,
    model: string,
    opts: CallModelOptions<z.ZodType | undefined>,
    settings: Settings['llm'],
    attempts: number,
  ): CallResult<unknown> {
    const init = { model, callType: opts.callType };
    const stop = message.stop_reason as string | null;
    if (stop === 'refusal') throw new ApiRefusalError('The model declined to answer this request.', init);
    if (stop === 'max_tokens' || stop === 'model_context_window_exceeded') {
      throw new ApiMaxTokensError(
        `The answer hit the ${opts.maxTokens ?? DEFAULT_MAX_TOKENS}-token limit before it was complete.`,
        init,
      );
    }
    if (stop === CONTENT_FILTER_STOP)
      throw new ApiContentFilterError('The answer was blocked by content filtering.', init);
    const { usage, costUsd } = this.usageAndCost(message, model, settings);
    let text = message.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    let value: unknown = text;
    if (opts.schema) {
      let raw: unknown;
      if (settings.structuredOutput === 'tool') {
        const call = message.content.find((b) => b.type === 'tool_use' && b.name === RESULT_TOOL_NAME);
        if (!call || call.type !== 'tool_use')
          throw new ApiValidationError('The model did not call the result tool.', init);
        raw = call.input;
        text = JSON.stringify(raw);
      } else {
        try {
          raw = JSON.parse(text);
        } catch {
          throw new ApiValidationError('The model answered with text that is not JSON.', init);
        }
      }
      const parsed = opts.schema.safeParse(raw);
      if (!parsed.success) {
        throw new ApiValidationError(
          `The model's answer does not match the expected shape: ${z.prettifyError(parsed.error)}`,
          init,
        );
      }
      value = parsed.data;
    }
    return { value, text, model, usage, costUsd, stopReason: stop, attempts };
  }

  private throwIfAborted(signal: AbortSignal | undefined): void {
    if (signal?.aborted) throw new PaigeError('CANCELLED', 'The model call was cancelled.');
  }

  private sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new PaigeError('CANCELLED', 'The model call was cancelled.'));
      const onAbort = (): void => {
        clearTimeout(t);
        reject(new PaigeError('CANCELLED', 'The model call was cancelled.'));
      };
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** A stream failed after text was already forwarded: the caller gets the inner error, without a retry. */
class StreamBrokenError extends ApiError {
  constructor(readonly inner: ApiError) {
    super(inner.code, inner.message, { model: inner.model, callType: inner.callType, statusCode: inner.statusCode });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
