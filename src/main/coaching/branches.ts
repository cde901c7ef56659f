// The learner's branch for an issue (docs/coaching.md): the first session on an issue creates `<login>/<kebab-name>`
// (named by the branch_name agent; `paige/issue-<n>` when it cannot be), a resumed session checks it out again and
// re-applies its saved stash. Nothing here blocks planning: a dirty tree or a git failure is logged and told to the
// learner, and the session goes on on the current branch.
import { PaigeError } from '../../shared/ipc/errors';
import type { LlmClient } from '../llm/client';
import { BRANCH_NAME_MAX, branchNameAgent } from '../llm/agents/branch-name';
import { runAgent } from '../llm/agents/kit';
import type { Logger } from '../logging/logger';
import type { Git } from './git';

interface BranchDeps {
  git: Git;
  ghLogin(): Promise<string | null>;
  client(): LlmClient | undefined;
  sessionId: number;
  logger: Logger;
  /** A warning for the learner in the coaching sidebar. */
  notify(message: string): void;
}

/**
 * Lowercase ASCII words joined by single hyphens, at most `max` characters, no hyphen at either end.
 * @visibleForTesting
 */
export function kebab(text: string, max = BRANCH_NAME_MAX): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
}

function fallbackBranch(issueNumber: number): string {
  return `paige/issue-${issueNumber}`;
}

function reason(err: unknown): string {
  return err instanceof PaigeError ? err.message : String(err);
}

async function isRepo(git: Git): Promise<boolean> {
  try {
    return (await git(['rev-parse', '--is-inside-work-tree'])).trim() === 'true';
  } catch {
    return false;
  }
}

async function isDirty(git: Git): Promise<boolean> {
  return (await git(['status', '--porcelain'])).trim().length > 0;
}

/** `<login>/<kebab-name>` from the agent, or the fallback when the login, the model or its answer is missing. */
async function branchName(deps: BranchDeps, issue: { number: number; title: string; labels: string[] }) {
  const login = await deps.ghLogin();
  const client = deps.client();
  if (login === null || !client) return fallbackBranch(issue.number);
  try {
    const out = await runAgent(client, branchNameAgent, { issue }, { sessionId: deps.sessionId });
    const name = kebab(out.value.name);
    return name.length > 0 ? `${login}/${name}` : fallbackBranch(issue.number);
  } catch (err) {
    deps.logger.warn('branch_name agent failed; using the fallback name', { err: reason(err) });
    return fallbackBranch(issue.number);
  }
}

/**
 * Creates (or switches to) the issue's branch. Returns its name when the learner is on it, null when the project is
 * not a git repository, the tree is dirty or git failed.
 */
export async function createIssueBranch(
  deps: BranchDeps,
  issue: { number: number; title: string; labels: string[] },
): Promise<string | null> {
  if (!(await isRepo(deps.git))) {
    deps.logger.info('the project is not a git repository; no issue branch', { issue: issue.number });
    return null;
  }
  const name = await branchName(deps, issue);
  try {
    if (await isDirty(deps.git)) {
      deps.logger.info('uncommitted changes; the issue branch was not created', { branch: name });
      deps.notify(
        `You have uncommitted changes, so Paige left you on your current branch. Commit or stash them, then ` +
          `run \`git checkout -b ${name}\` to work on this issue on its own branch.`,
      );
      return null;
    }
    const exists = await deps.git(['rev-parse', '--verify', '--quiet', `refs/heads/${name}`]).then(
      () => true,
      () => false,
    );
    await deps.git(exists ? ['checkout', name] : ['checkout', '-b', name]);
    return name;
  } catch (err) {
    deps.logger.warn('issue branch not created', { branch: name, err: reason(err) });
    deps.notify(`Paige could not create the branch ${name} (${reason(err)}); you are on your current branch.`);
    return null;
  }
}

/**
 * Checks out a resumed session's branch and pops its saved stash. A conflict leaves the stash in place and throws
 * GIT_CONFLICT; other failures are told to the learner. Returns whether the stash was applied.
 */
export async function checkoutIssueBranch(
  deps: BranchDeps,
  branch: string,
  stashName: string | null,
): Promise<boolean> {
  if (!(await isRepo(deps.git))) return false;
  try {
    if ((await deps.git(['rev-parse', '--abbrev-ref', 'HEAD'])).trim() !== branch) {
      if (await isDirty(deps.git)) {
        deps.notify(`You have uncommitted changes, so Paige did not switch to ${branch}; commit or stash them first.`);
        return false;
      }
      await deps.git(['checkout', branch]);
    }
  } catch (err) {
    deps.logger.warn('issue branch not checked out', { branch, err: reason(err) });
    deps.notify(`Paige could not switch to ${branch} (${reason(err)}); you are on your current branch.`);
    return false;
  }
  if (stashName === null) return false;
  const list = await deps.git(['stash', 'list', '--format=%gd%x00%s']).catch(() => '');
  const ref = list
    .split('\n')
    .map((l) => l.split('\0'))
    .find(([, subject]) => subject?.endsWith(stashName))?.[0];
  if (!ref) return false;
  try {
    await deps.git(['stash', 'pop', ref]);
    return true;
  } catch (err) {
    throw new PaigeError('GIT_CONFLICT', `Your saved changes (${stashName}) conflict with ${branch}: ${reason(err)}`, {
      stashName,
    });
  }
}
