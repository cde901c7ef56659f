// The memory filter (planning helper): the issue, Claude Code's plan and the memories the memory service found →
// the ones that bear on this work, each with how it connects and how the coach should use it; the rest discarded
// with a reason.
import { z } from 'zod';
import { truncate, type AgentDefinition } from './kit';

/** Caps on what the filter is sent. */
const FILTER_CAPS = { summary: 8_000, planText: 12_000, candidates: 10, memoryChars: 2_000 } as const;

export interface MemoryFilterInput {
  issue_summary: string;
  plan_text: string | null;
  candidates: { content: string; tags: string[]; importance: 'low' | 'medium' | 'high' }[];
}

const MemoryFilterOutputSchema = z.object({
  relevant_memories: z
    .array(
      z.object({
        content: z.string().min(1),
        relevance: z.enum(['direct', 'related', 'contextual']),
        connection: z.string(),
        use_in_coaching: z.string(),
      }),
    )
    .max(FILTER_CAPS.candidates),
  discarded: z.array(z.object({ content: z.string(), reason: z.string() })),
});

/** @visibleForTesting */
export const MEMORY_FILTER_SYSTEM_PROMPT = [
  'You help Paige, a coding coach, prepare a plan. You see the issue the developer is about to work on, maybe a plan',
  'for it, and memories Paige wrote after earlier sessions with this developer. Keep only the memories that should',
  'shape this plan: "direct" when the memory is about the same code or problem, "related" when it is about a concept',
  'this work needs, "contextual" when it says how the developer learns best. For each, say in one sentence how it',
  'connects to this issue (connection) and what the coach should do with it (use_in_coaching). Copy the content of',
  'each memory exactly. Discard the others with a short reason. Answer with JSON only.',
].join('\n');

export const memoryFilterAgent: AgentDefinition<MemoryFilterInput, typeof MemoryFilterOutputSchema> = {
  callType: 'memory_filter',
  alias: 'haiku',
  maxTokens: 2_048,
  output: MemoryFilterOutputSchema,
  system: () => MEMORY_FILTER_SYSTEM_PROMPT,
  assemble: (input) =>
    JSON.stringify({
      issue_summary: truncate(input.issue_summary, FILTER_CAPS.summary),
      plan_text: input.plan_text === null ? null : truncate(input.plan_text, FILTER_CAPS.planText),
      candidates: input.candidates.slice(0, FILTER_CAPS.candidates).map((c) => ({
        content: truncate(c.content, FILTER_CAPS.memoryChars),
        tags: c.tags,
        importance: c.importance,
      })),
    }),
};
