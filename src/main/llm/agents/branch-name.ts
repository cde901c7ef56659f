// The branch namer: an issue's number, title and labels → a short kebab-case name for the learner's branch.
import { z } from 'zod';
import { truncate, type AgentDefinition } from './kit';

/** A branch name's part after the login: short enough to read in a prompt and a PR list. */
export const BRANCH_NAME_MAX = 50;

interface BranchNameInput {
  issue: { number: number; title: string; labels: string[] };
}

const BranchNameOutputSchema = z.object({ name: z.string().min(1).max(200) });

const SYSTEM = [
  'You name git branches. Given a GitHub issue, answer with a short branch name in kebab-case: lowercase ASCII',
  `letters, digits and single hyphens, at most ${BRANCH_NAME_MAX} characters, starting with the issue number,`,
  'then two to five words saying what the change does (e.g. "42-quoted-csv-fields"). No slashes, no prefix.',
  'Answer with JSON only: {"name": "..."}.',
].join('\n');

export const branchNameAgent: AgentDefinition<BranchNameInput, typeof BranchNameOutputSchema> = {
  callType: 'branch_name',
  alias: 'haiku',
  maxTokens: 128,
  output: BranchNameOutputSchema,
  system: () => SYSTEM,
  assemble: (input) =>
    JSON.stringify({
      issue: {
        number: input.issue.number,
        title: truncate(input.issue.title, 300),
        labels: input.issue.labels.slice(0, 10),
      },
    }),
};
