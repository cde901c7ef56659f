// Shapes the model layer shows the UI: explanations, API key status, spend against budgets.
import { z } from 'zod';
import { WirePathSchema } from './workspace';

/** Selections shorter than this get no Explain button. */
const MIN_EXPLAIN_SELECTION_CHARS = 2;
/** The most selected text an explain request carries; the agent cuts further to its own cap. */
const MAX_EXPLAIN_TEXT_CHARS = 20_000;
/** The renderer may send the lines around a selection; bounded so a request stays small. */
const MAX_EXPLAIN_CONTEXT_CHARS = 100_000;

export const ExplainInputSchema = z.object({
  path: WirePathSchema,
  range: z
    .object({ startLine: z.number().int().min(1), endLine: z.number().int().min(1) })
    .refine((r) => r.endLine >= r.startLine, 'endLine must not be before startLine'),
  text: z.string().min(MIN_EXPLAIN_SELECTION_CHARS).max(MAX_EXPLAIN_TEXT_CHARS),
  language: z.string().max(64).optional(),
  surroundingContext: z.string().max(MAX_EXPLAIN_CONTEXT_CHARS).optional(),
});
export type ExplainRequest = z.infer<typeof ExplainInputSchema>;

export const ExplanationSchema = z.object({
  title: z.string(),
  explanation: z.string(),
  keyConcepts: z.array(z.string()),
  analogy: z.string().nullable(),
  relatedFiles: z.array(z.string()).nullable(),
  phaseConnection: z.string().nullable(),
});
export type Explanation = z.infer<typeof ExplanationSchema>;

export const ApiKeyTestResultSchema = z.object({
  ok: z.boolean(),
  model: z.string().optional(),
  error: z.string().optional(),
});

const PeriodSpendSchema = z.object({
  period: z.enum(['daily', 'monthly']),
  limitUsd: z.number().nullable(),
  spentUsd: z.number(),
  since: z.string(),
  state: z.enum(['ok', 'warning', 'exceeded']),
});

const CallTypeUsageSchema = z.object({
  callType: z.string(),
  calls: z.number().int(),
  errors: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  cacheReadTokens: z.number().int(),
  cacheWriteTokens: z.number().int(),
  costUsd: z.number(),
});

export const LlmUsageSchema = z.object({
  state: z.enum(['ready', 'no_key', 'invalid_key']),
  apiKey: z.object({
    present: z.boolean(),
    source: z.enum(['env', 'store', 'none']),
    /** False where no OS keychain-backed store exists (headless): the key must come from ANTHROPIC_API_KEY. */
    storable: z.boolean(),
    storeUnavailableReason: z.string().nullable(),
  }),
  daily: PeriodSpendSchema,
  monthly: PeriodSpendSchema,
  /** Tokens and cost per call type this UTC month. */
  byCallType: z.array(CallTypeUsageSchema),
});

export const BudgetWarningEventSchema = z.object({
  period: z.enum(['daily', 'monthly']),
  limitUsd: z.number(),
  spentUsd: z.number(),
  state: z.enum(['warning', 'exceeded']),
});
