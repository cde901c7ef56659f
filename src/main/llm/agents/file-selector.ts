// The file selector: the issue (and Claude Code's plan, when given) plus the repository's paths → at most eight
// files worth reading before planning, each with a reason.
import { z } from 'zod';
import { truncate, type AgentDefinition } from './kit';

/** Caps on what the selector is sent and may answer. */
const SELECTOR_CAPS = { text: 12_000, treePaths: 2_000, files: 8 } as const;

interface FileSelectorInput {
  issue: { title: string; body: string };
  plan_text: string | null;
  tree_paths: string[];
}

const FileSelectorOutputSchema = z.object({
  files: z.array(z.object({ path: z.string().min(1), reason: z.string() })).max(SELECTOR_CAPS.files),
});

const SYSTEM = [
  'You help a coding coach prepare a plan. Given an issue, maybe a plan for it, and the paths of a repository, pick',
  'at most 8 existing files (from tree_paths, exactly as written there) whose contents the planner should read: the',
  'files the work will change and the ones that show the conventions to follow. Give a short reason for each.',
  'Answer with JSON only.',
].join('\n');

export const fileSelectorAgent: AgentDefinition<FileSelectorInput, typeof FileSelectorOutputSchema> = {
  callType: 'repo_explore',
  alias: 'haiku',
  maxTokens: 1_024,
  output: FileSelectorOutputSchema,
  system: () => SYSTEM,
  assemble: (input) =>
    JSON.stringify({
      issue: { title: input.issue.title, body: truncate(input.issue.body, SELECTOR_CAPS.text) },
      plan_text: input.plan_text === null ? null : truncate(input.plan_text, SELECTOR_CAPS.text),
      tree_paths: input.tree_paths.slice(0, SELECTOR_CAPS.treePaths),
    }),
};
