// The Dreyfus agent (wrap-up): updates the developer's stage per skill area from the accumulated evidence and this
// session. Storage clamps every move to one stage per wrap-up (clampStage).
import { z } from 'zod';
import { DREYFUS_STAGES, type AgentDefinition, type DreyfusStage } from './kit';

const MAX_SKILLS = 50;

export interface DreyfusInput {
  current_assessments: { skill_area: string; stage: DreyfusStage; confidence: number }[];
  /** Per assessed skill, over the sessions in its history. */
  evidence: {
    skill_area: string;
    sessions: number;
    hint_trend: 'rising' | 'falling' | 'flat' | 'unknown';
    completion_rate: number | null;
  }[];
  this_session: {
    issue_title: string | null;
    phases: { title: string; status: string }[];
    phases_completed: number;
    hints_used: number;
    independent_completions: number;
  };
}

const StageSchema = z.enum(DREYFUS_STAGES);

const DreyfusOutputSchema = z.object({
  assessments: z
    .array(
      z.object({
        skill_area: z.string().min(1).max(120),
        stage: StageSchema,
        previous_stage: StageSchema.nullable(),
        confidence: z.number().min(0).max(1),
        evidence: z.string().min(1),
        recommendation: z.string(),
      }),
    )
    .max(20),
});
export type DreyfusOutput = z.output<typeof DreyfusOutputSchema>;

/**
 * The stage a skill may take after one wrap-up: at most one step from where it stood before. A skill never assessed
 * before takes the proposed stage (an initial assessment is not a move).
 */
export function clampStage(before: DreyfusStage | null, proposed: DreyfusStage): DreyfusStage {
  if (before === null) return proposed;
  const from = DREYFUS_STAGES.indexOf(before);
  const to = DREYFUS_STAGES.indexOf(proposed);
  return DREYFUS_STAGES[Math.max(from - 1, Math.min(from + 1, to))]!;
}

/** @visibleForTesting */
export const DREYFUS_SYSTEM_PROMPT = [
  'You are Paige, a coding coach, updating your picture of a developer after a coaching session. You use the Dreyfus',
  'model of skill acquisition: Novice (follows rules, needs step-by-step help), Advanced Beginner (recognises',
  'situations, still leans on hints), Competent (plans their own approach, works through problems), Proficient (sees',
  'the whole, adapts quickly) and Expert (works fluently, intuitively).',
  '',
  'You see the current assessments, the evidence accumulated per skill area (sessions seen, whether hint use is',
  'rising or falling, the share of phases completed) and what happened this session (phases completed, hints used,',
  'phases completed without any hint).',
  '',
  'Return assessments for the skill areas this session says something about: the stage, the previous stage (null for',
  'a new skill area), your confidence from 0 to 1, the evidence in one or two sentences, and one recommendation for',
  'the next session. Reuse the exact skill_area names of current assessments. Move a stage only on clear evidence, and',
  'never by more than one stage at a time; one session is little evidence. Answer with JSON only.',
].join('\n');

function capped(input: DreyfusInput): DreyfusInput {
  return {
    current_assessments: input.current_assessments.slice(0, MAX_SKILLS),
    evidence: input.evidence.slice(0, MAX_SKILLS),
    this_session: { ...input.this_session, phases: input.this_session.phases.slice(0, 5) },
  };
}

export const dreyfusAgent: AgentDefinition<DreyfusInput, typeof DreyfusOutputSchema> = {
  callType: 'dreyfus_agent',
  alias: 'sonnet',
  maxTokens: 2_048,
  output: DreyfusOutputSchema,
  system: () => DREYFUS_SYSTEM_PROMPT,
  assemble: (input) => JSON.stringify(capped(input)),
};
