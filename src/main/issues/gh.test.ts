// The gh wrapper against the fake `gh` (e2e/fixtures/fake-gh) on the sample repository, and the mapping of the real
// CLI's failure messages to errors that say what to do.
import { describe, expect, it } from 'vitest';
import { installFakeGh, type GhScenario } from '../../../e2e/fixtures/fake-gh/fixtures';
import { createSampleRepo } from '../../../e2e/fixtures/sample-repo';
import { tempDir } from '../testing/harness';
import { GhClient, ghError } from './gh';

function client(scenario: GhScenario | null) {
  const dir = tempDir('paige-gh-');
  createSampleRepo(dir);
  const gh = scenario === null ? null : installFakeGh(scenario);
  return { dir, gh, client: new GhClient(() => ({ ...process.env, ...(gh ? gh.env : { PATH: '/nonexistent' }) })) };
}

describe('GhClient', () => {
  it('lists open issues, the learner’s open PRs and the login with the CLI’s JSON shapes', async () => {
    const { dir, client: c } = client('issues');
    const issues = await c.listOpenIssues(dir);
    expect(issues).toHaveLength(40);
    const seven = issues.find((i) => i.number === 7)!;
    expect(seven).toMatchObject({
      title: 'Completing a to-do twice re-opens it',
      labels: [
        { name: 'bug', color: 'd73a4a' },
        { name: 'good first issue', color: '7057ff' },
      ],
      assignees: ['octo-learner'],
      url: 'https://github.com/paige-fixtures/todo-app/issues/7',
    });
    expect(seven.commentCount).toBe((7 * 3) % 7);
    expect((await c.listMyOpenPrs(dir)).map((p) => [p.number, p.isDraft])).toEqual([
      [42, true],
      [41, false],
    ]);
    expect(await c.login(dir)).toBe('octo-learner');
    expect(await c.viewIssue(dir, 7)).toMatchObject({ number: 7, labels: ['bug', 'good first issue'] });
  });

  it.each([
    ['not-logged-in' as const, 'GH_AUTH', '`gh auth login`'],
    ['no-remote' as const, 'GH_NO_REPO', '`git remote add origin'],
    [null, 'GH_UNAVAILABLE', 'install it from https://cli.github.com'],
  ])('gh %s → %s', async (scenario, code, hint) => {
    const { dir, client: c } = client(scenario);
    const err = await c.listOpenIssues(dir).catch((e: unknown) => e);
    expect(err).toMatchObject({ code });
    expect((err as Error).message).toContain(hint);
  });

  it('in a folder that is not a git repository: GH_NO_REPO saying to run `git init`', async () => {
    const { client: c } = client('issues');
    const err = await c.listOpenIssues(tempDir('paige-gh-nogit-')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'GH_NO_REPO' });
    expect((err as Error).message).toContain('`git init`');
  });

  it('an issue that does not exist is a gh failure naming it', async () => {
    const { dir, client: c } = client('issues');
    await expect(c.viewIssue(dir, 999)).rejects.toMatchObject({
      code: 'GH_UNAVAILABLE',
      message: expect.stringContaining('number of 999') as unknown,
    });
  });
});

describe('ghError', () => {
  const exit = (code: number | string, killed = false) => ({ code, killed, message: `exit ${code}` }) as never;
  it.each([
    ['spawn ENOENT', exit('ENOENT'), '', 'GH_UNAVAILABLE'],
    ['issue list, no token', exit(4), 'To get started with GitHub CLI, please run:  gh auth login\n', 'GH_AUTH'],
    [
      'auth status, logged out',
      exit(1),
      'You are not logged into any GitHub hosts. To log in, run: gh auth login',
      'GH_AUTH',
    ],
    [
      'bad credentials',
      exit(1),
      'HTTP 401: Bad credentials (https://api.github.com/graphql)\nTry authenticating with:  gh auth login',
      'GH_AUTH',
    ],
    ['no remotes', exit(1), 'no git remotes found', 'GH_NO_REPO'],
    [
      'remotes on another host',
      exit(1),
      'none of the git remotes configured for this repository point to a known GitHub host. To tell gh about a new GitHub host, please use `gh auth login`',
      'GH_NO_REPO',
    ],
    [
      'not a repository',
      exit(1),
      'failed to run git: fatal: not a git repository (or any of the parent directories): .git',
      'GH_NO_REPO',
    ],
    ['timeout', exit('SIGTERM', true), '', 'GH_UNAVAILABLE'],
    ['anything else', exit(1), 'HTTP 502: Bad Gateway', 'GH_UNAVAILABLE'],
  ])('%s → %s', (_name, err, stderr, code) => {
    expect(ghError(err, stderr).code).toBe(code);
  });

  it('outside a git repository it says to run `git init`, not only `git remote add`', () => {
    const notRepo = ghError(
      exit(1),
      'failed to run git: fatal: not a git repository (or any of the parent directories): .git',
    );
    expect(notRepo.code).toBe('GH_NO_REPO');
    expect(notRepo.message).toMatch(/^This folder is not a git repository: run `git init`/);
    const noRemote = ghError(exit(1), 'no git remotes found');
    expect(noRemote.message).toMatch(/^This project has no GitHub remote/);
    expect(noRemote.message).not.toContain('git init');
  });
});
