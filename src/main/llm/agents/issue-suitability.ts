// The Issue Suitability agent: reads one open issue and says, in Paige's voice, what it is about, how hard it is and
// how well it suits this learner now, given their Dreyfus stages and the knowledge gaps they are working on.
import { z } from 'zod';
import { IssueDifficultySchema, IssueSuitabilitySchema } from '../../../shared/domain/issues';
import { truncate, type AgentDefinition } from './kit';

/** The issue body sent to the model, in characters. @visibleForTesting */
export const SUITABILITY_MAX_BODY_CHARS = 2_000;
const MAX_LABELS = 20;
const MAX_SKILLS = 20;
const MAX_GAPS = 20;

interface IssueSuitabilityInput {
  issue: { number: number; title: string; body: string; labels: string[] };
  dreyfus: { skill_area: string; stage: string; confidence: number }[];
  gaps: string[];
}

const IssueSuitabilityOutputSchema = z.object({
  summary: z.string().min(1).max(600),
  difficulty: IssueDifficultySchema,
  suitability: IssueSuitabilitySchema,
  recommended_focus: z.string(),
  confidence: z.number().min(0).max(1),
});
export type IssueSuitabilityOutput = z.output<typeof IssueSuitabilityOutputSchema>;

/** @visibleForTesting */
export const ISSUE_SUITABILITY_SYSTEM_PROMPT = [
  'You are Paige, a friendly coding coach. A developer is choosing which open GitHub issue of their project to work',
  'on next, with you coaching them through it. You see one issue, their skill assessments (Dreyfus stages per skill',
  'area; an empty list means nothing is known yet, so treat them as a Novice) and the knowledge gaps they are',
  'working on.',
  '',
  'Answer with JSON only:',
  '- `summary`: 150 to 250 characters, speaking to the developer ("you"), saying what the issue asks for and what',
  '  working on it would involve. No markdown, no issue number.',
  '- `difficulty`: low, medium, high, very_high or extreme, for a developer at their stage, judged from the issue',
  '  itself (scope, how many parts of the code it touches, how clear it is).',
  '- `suitability`: excellent, good, fair or poor: how well this issue fits them now. A clear, bounded issue that',
  '  exercises a gap they are working on is excellent; something far above their stage, vague, or not really code',
  '  work (questions, duplicates, discussions) is poor.',
  '- `recommended_focus`: one short phrase naming the skill this issue would practise.',
  '- `confidence`: 0 to 1, how sure you are, lower when the issue says little.',
].join('\n');

export const issueSuitabilityAgent: AgentDefinition<IssueSuitabilityInput, typeof IssueSuitabilityOutputSchema> = {
  callType: 'issue_suitability',
  alias: 'haiku',
  maxTokens: 512,
  output: IssueSuitabilityOutputSchema,
  system: () => ISSUE_SUITABILITY_SYSTEM_PROMPT,
  assemble: (input) =>
    JSON.stringify({
      issue: {
        number: input.issue.number,
        title: input.issue.title.slice(0, 500),
        body: truncate(input.issue.body, SUITABILITY_MAX_BODY_CHARS),
        labels: input.issue.labels.slice(0, MAX_LABELS),
      },
      dreyfus: input.dreyfus.slice(0, MAX_SKILLS),
      knowledge_gaps: input.gaps.slice(0, MAX_GAPS),
    }),
};
