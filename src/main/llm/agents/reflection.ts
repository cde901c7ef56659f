// The Reflection agent (wrap-up): turns a finished session into a few short memories the coach can draw on in later
// sessions (what was built, what was hard, what worked).
import { z } from 'zod';
import { truncate, type AgentDefinition } from './kit';

/** The condensed Claude Code transcript sent, in characters. @visibleForTesting */
export const REFLECTION_MAX_TRANSCRIPT_CHARS = 50_000;
const MAX_PHASE_TEXT_CHARS = 1_000;

interface ReflectionInput {
  issue_title: string | null;
  /** Condensed user/assistant text, or null when no transcript could be read. */
  transcript: string | null;
  completed_phases: { title: string; description: string }[];
  new_gaps: { topic: string; severity: 'low' | 'medium' | 'high' }[];
}

const ReflectionOutputSchema = z.object({
  memories: z
    .array(
      z.object({
        content: z.string().min(1).max(2_000),
        tags: z.array(z.string().min(1).max(60)).max(10),
        importance: z.enum(['low', 'medium', 'high']),
      }),
    )
    .max(10),
});
export type ReflectionOutput = z.output<typeof ReflectionOutputSchema>;

/** @visibleForTesting */
export const REFLECTION_SYSTEM_PROMPT = [
  'You are Paige, a coding coach, writing notes to your future self after a coaching session. You see the issue the',
  'developer worked on, the phases they completed, the knowledge gaps found in the session, and a condensed transcript',
  'of their conversation with Claude Code (it may be missing).',
  '',
  'Write up to 10 memories: short, self-contained statements a later session can use without this context, such as',
  '"Fixed the debounce in SearchBar by moving the timer into a ref; struggled with effect cleanup". Each has a few',
  'lowercase tags (concepts, files, libraries) and an importance: high for what should shape the next plan, medium for',
  'useful context, low for detail. Prefer fewer, sharper memories. Never include secrets, keys or personal data.',
  'Answer with JSON only.',
].join('\n');

function capped(input: ReflectionInput): ReflectionInput {
  return {
    issue_title: input.issue_title,
    transcript: input.transcript === null ? null : truncate(input.transcript, REFLECTION_MAX_TRANSCRIPT_CHARS),
    completed_phases: input.completed_phases.slice(0, 5).map((p) => ({
      title: truncate(p.title, MAX_PHASE_TEXT_CHARS),
      description: truncate(p.description, MAX_PHASE_TEXT_CHARS),
    })),
    new_gaps: input.new_gaps.slice(0, 20),
  };
}

export const reflectionAgent: AgentDefinition<ReflectionInput, typeof ReflectionOutputSchema> = {
  callType: 'reflection_agent',
  alias: 'haiku',
  maxTokens: 2_048,
  output: ReflectionOutputSchema,
  system: () => REFLECTION_SYSTEM_PROMPT,
  assemble: (input) => JSON.stringify(capped(input)),
};
