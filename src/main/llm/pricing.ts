// Cost of one call in USD from its token usage: built-in prices per model, overridable per model in `llm.pricing`.
import type { Settings } from '../../shared/settings/schema';

interface ModelPrice {
  /** USD per million input tokens. */
  input: number;
  /** USD per million output tokens. */
  output: number;
  /** USD per million cache-read tokens; default 0.1 × input. */
  cacheRead?: number | undefined;
  /** USD per million cache-write tokens; default 1.25 × input. */
  cacheWrite?: number | undefined;
}

/** List prices in USD per million tokens. */
const DEFAULT_PRICING: Readonly<Record<string, ModelPrice>> = {
  'claude-sonnet-4-5-20250929': { input: 3, output: 15 },
  'claude-haiku-4-5-20251001': { input: 1, output: 5 },
  'claude-opus-4-5-20251101': { input: 5, output: 25 },
  'claude-opus-4-1-20250805': { input: 15, output: 75 },
};

/** Writing a prompt-cache entry costs 1.25× the input price; reading one costs 0.1×. */
const CACHE_WRITE_FACTOR = 1.25;
const CACHE_READ_FACTOR = 0.1;
const PER_MILLION = 1_000_000;

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

interface Cost {
  usd: number;
  /** False when the model has no price: the cost is 0 and the caller warns once. */
  priced: boolean;
}

function priceOf(model: string, overrides: Settings['llm']['pricing']): ModelPrice | undefined {
  return overrides[model] ?? DEFAULT_PRICING[model];
}

export function costOf(model: string, usage: TokenUsage, overrides: Settings['llm']['pricing'] = {}): Cost {
  const p = priceOf(model, overrides);
  if (!p) return { usd: 0, priced: false };
  const cacheWrite = p.cacheWrite ?? p.input * CACHE_WRITE_FACTOR;
  const cacheRead = p.cacheRead ?? p.input * CACHE_READ_FACTOR;
  const usd =
    (usage.inputTokens * p.input +
      usage.outputTokens * p.output +
      usage.cacheWriteTokens * cacheWrite +
      usage.cacheReadTokens * cacheRead) /
    PER_MILLION;
  return { usd, priced: true };
}
