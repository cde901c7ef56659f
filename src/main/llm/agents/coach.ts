// The Coach agent: an issue, Claude Code's plan text, the repository's paths and a few file excerpts, the learner's
// stages and any relevant memories → a phased plan (1–5 phases of 1–6 tasks) with hints at three levels and the
// files each phase expects.
import { z } from 'zod';
import { truncate, type AgentDefinition, type DreyfusStage } from './kit';

/**
 * Caps on what is sent: the issue body, the plan text, the tree, the excerpts (count and total) and the memories.
 * @visibleForTesting
 */
export const COACH_CAPS = {
  issueBody: 8_000,
  planText: 60_000,
  treePaths: 2_000,
  excerptFiles: 8,
  excerptsTotalChars: 40_000,
  memories: 10,
} as const;

export interface CoachInput {
  issue: { number: number | null; title: string; body: string; labels: string[] };
  plan_text: string | null;
  repo: { tree_paths: string[]; excerpts: { path: string; text: string }[] };
  dreyfus: { skill_area: string; stage: DreyfusStage; confidence: number }[];
  relevant_memories: { content: string; connection: string; use_in_coaching: string }[];
}

const HintLevel = z.enum(['off', 'low', 'medium', 'high']);
const Style = z.enum(['suggested', 'warning', 'error']);

const CoachOutputSchema = z.object({
  title: z.string().min(1).max(80),
  summary: z.string(),
  phases: z
    .array(
      z.object({
        number: z.number().int().min(1),
        title: z.string().min(1),
        description: z.string(),
        hint: z.string(),
        expected_files: z.array(z.string()),
        hint_level: HintLevel,
        tasks: z
          .array(
            z.object({
              title: z.string().min(1),
              description: z.string(),
              target_files: z.array(z.string()),
              hints: z.object({ low: z.string(), medium: z.string(), high: z.string() }),
            }),
          )
          .min(1)
          .max(6),
        file_hints: z.array(z.object({ path: z.string(), style: Style })),
        line_hints: z.array(
          z.object({
            path: z.string(),
            start: z.number().int().min(1),
            end: z.number().int().min(1),
            style: Style,
            hover_text: z.string(),
          }),
        ),
        knowledge_gap_opportunities: z.array(z.string()),
      }),
    )
    .min(1)
    .max(5),
  memory_connection: z.string().nullable(),
  estimated_difficulty: z.enum(['beginner', 'intermediate', 'advanced']),
});
export type CoachOutput = z.output<typeof CoachOutputSchema>;

/** @visibleForTesting */
export const COACH_SYSTEM_PROMPT = [
  'You are the planner inside Paige, a coding coach. A developer is about to work on a real issue in their own',
  'repository while Claude Code coaches them. Turn the issue (and, when given, the plan Claude Code wrote for it) into',
  'a plan the developer carries out themselves, one phase at a time.',
  '',
  'Rules:',
  '- 1 to 5 phases, numbered from 1 in order; each phase 1 to 6 tasks. Keep the order of a given plan text; merge',
  '  its small steps rather than dropping any.',
  '- Name only files that appear in tree_paths (or that a task must create, next to existing ones).',
  '  `expected_files` are the files the phase touches; `file_hints` and `line_hints` point at them.',
  '- Each task has three hints: `low` a nudge naming where to look, `medium` the approach, `high` close to the',
  '  answer in words. Never write the code for them.',
  '- `hint_level` per phase: more help (high) for a Novice or for unfamiliar parts, less (low or off) for an Expert.',
  '- `knowledge_gap_opportunities` names concepts the phase lets them practise.',
  '- `memory_connection`: one sentence tying this work to a relevant memory, or null when none is given.',
  '- `title` at most 80 characters. Answer with JSON only.',
].join('\n');

/** The input as sent: every cap applied here so no caller can send an unbounded message. */
function capped(input: CoachInput): CoachInput {
  let budget = COACH_CAPS.excerptsTotalChars;
  const excerpts: { path: string; text: string }[] = [];
  for (const e of input.repo.excerpts.slice(0, COACH_CAPS.excerptFiles)) {
    if (budget <= 0) break;
    const text = truncate(e.text, budget);
    budget -= text.length;
    excerpts.push({ path: e.path, text });
  }
  return {
    ...input,
    issue: { ...input.issue, body: truncate(input.issue.body, COACH_CAPS.issueBody) },
    plan_text: input.plan_text === null ? null : truncate(input.plan_text, COACH_CAPS.planText),
    repo: { tree_paths: input.repo.tree_paths.slice(0, COACH_CAPS.treePaths), excerpts },
    relevant_memories: input.relevant_memories.slice(0, COACH_CAPS.memories),
  };
}

export const coachAgent: AgentDefinition<CoachInput, typeof CoachOutputSchema> = {
  callType: 'coach_agent',
  alias: 'sonnet',
  maxTokens: 8_192,
  output: CoachOutputSchema,
  system: () => COACH_SYSTEM_PROMPT,
  assemble: (input) => JSON.stringify(capped(input)),
};
