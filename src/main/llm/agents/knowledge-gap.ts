// The Knowledge Gap agent (wrap-up): reads what happened in a session and names the concepts the learner struggled
// with, with practice katas for them and a short summary of the session.
import { z } from 'zod';
import type { AgentDefinition } from './kit';

/** The action log sent is the session's newest this-many rows. @visibleForTesting */
export const KG_MAX_ACTIONS = 500;
/** One action's data, as JSON, in characters: previews and paths, never whole files. */
const MAX_ACTION_DATA_CHARS = 300;
const MAX_EXISTING_GAPS = 100;
const MAX_PHASES = 5;

export interface KnowledgeGapInput {
  issue_title: string | null;
  /** Oldest first; `data` is the action's JSON payload. */
  actions: { type: string; at: string; data: unknown }[];
  phases: { title: string; status: string; hint_level: string }[];
  existing_gaps: { topic: string; frequency: number }[];
}

const Severity = z.enum(['low', 'medium', 'high']);

const KataSpecSchema = z.object({
  gap_index: z.number().int().min(0),
  title: z.string().min(1).max(200),
  description: z.string().min(1),
  scaffolding_code: z.string(),
  instructor_notes: z.string(),
  language: z.string().min(1).max(40),
  difficulty: z.enum(['easy', 'medium', 'hard']),
  estimated_minutes: z.number().int().min(1).max(240),
  constraints: z
    .array(
      z.object({
        id: z.string().min(1).max(60),
        description: z.string().min(1),
        minLevel: z.number().int().min(1).max(10),
      }),
    )
    .min(3)
    .max(5),
  test_code: z.string().nullable(),
});

const KnowledgeGapOutputSchema = z.object({
  knowledge_gaps: z
    .array(
      z.object({
        topic: z.string().min(1).max(200),
        evidence: z.string().min(1),
        severity: Severity,
        related_concepts: z.array(z.string().min(1).max(200)).max(10),
      }),
    )
    .max(10),
  kata_specs: z.array(KataSpecSchema).max(10),
  session_summary: z.object({
    phases_completed: z.number().int().min(0),
    total_time_minutes: z.number().min(0),
    hints_used: z.number().int().min(0),
    independent_completions: z.number().int().min(0),
  }),
});
export type KnowledgeGapOutput = z.output<typeof KnowledgeGapOutputSchema>;

/** @visibleForTesting */
export const KNOWLEDGE_GAP_SYSTEM_PROMPT = [
  'You are Paige, a coding coach, looking back over one coaching session after it ended. You see the action log of the',
  'session (files opened, edited and saved, hints and explanations asked for, phases started and completed, nudges),',
  'the phases of the plan the developer worked through, and the knowledge gaps already known from earlier sessions.',
  '',
  'Name the concepts the developer struggled with in this session: knowledge_gaps, each with a short topic (a concept,',
  'not a task: "React useEffect cleanup", not "fix SearchBar"), the evidence from the log in one or two sentences,',
  'a severity (high when it blocked progress, medium when it cost real time, low when it was a brief stumble) and a few',
  'related concepts. Reuse the exact topic of an existing gap when it came up again. Only name gaps the log supports;',
  'an empty list is a good answer for a session that went smoothly.',
  '',
  'For the most useful gaps, write kata_specs: small practice exercises, linked to a gap by gap_index (its position in',
  'knowledge_gaps, from 0). Each has scaffolding code to start from, instructor notes for the reviewer, a language,',
  'a difficulty, an estimate in minutes, 3 to 5 constraints that make it progressively harder (minLevel 1 to 10), and',
  'test code or null.',
  '',
  'session_summary counts phases completed, total time in minutes, hints used, and phases completed without any hint.',
  'Answer with JSON only.',
].join('\n');

function capped(input: KnowledgeGapInput): KnowledgeGapInput {
  return {
    issue_title: input.issue_title,
    actions: input.actions.slice(-KG_MAX_ACTIONS).map((a) => {
      const json = a.data === null || a.data === undefined ? null : JSON.stringify(a.data);
      return {
        type: a.type,
        at: a.at,
        data:
          json === null || json.length <= MAX_ACTION_DATA_CHARS ? a.data : `${json.slice(0, MAX_ACTION_DATA_CHARS)}…`,
      };
    }),
    phases: input.phases.slice(0, MAX_PHASES),
    existing_gaps: input.existing_gaps.slice(0, MAX_EXISTING_GAPS),
  };
}

export const knowledgeGapAgent: AgentDefinition<KnowledgeGapInput, typeof KnowledgeGapOutputSchema> = {
  callType: 'knowledge_gap_agent',
  alias: 'sonnet',
  maxTokens: 4_096,
  output: KnowledgeGapOutputSchema,
  system: () => KNOWLEDGE_GAP_SYSTEM_PROMPT,
  assemble: (input) => JSON.stringify(capped(input)),
};
