// The Issues view in the browser, on the sample repository (real git history, GitHub origin) with the fake `gh`
// (40 open issues, two open PRs by the learner) and the fake Anthropic API rating each issue: the issue of the active
// session shows first under In progress and not among the ranked issues, which fill in one by one with their
// ratings. Without gh, logged out, or without a GitHub remote the view says which and how to fix it, and the
// workspace keeps working.
import { say, type Reply, type Step } from '../fake-anthropic/script';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server';
import { textOf } from '../fake-anthropic/wire';
import { installFakeGh, type FakeGh, type GhScenario } from '../fixtures/fake-gh/fixtures';
import { createSampleRepo } from '../fixtures/sample-repo';
import { expect, test } from '../support/fixtures';
import { callToolOnce, OBSERVER_OFF } from '../support/mcp-client';

const RATED = 15;

function rating(n: number): Reply {
  return say(
    JSON.stringify({
      summary: `You would work on issue ${n} of the to-do app: a contained change with a test to go with it.`,
      difficulty: n % 2 === 0 ? 'low' : 'medium',
      suitability: n % 3 === 0 ? 'excellent' : 'good',
      recommended_focus: 'testing',
      confidence: 0.7,
    }),
  );
}

const withFakes = test.extend<{
  ghScenario: GhScenario | null;
  gh: FakeGh | null;
  fake: FakeAnthropic;
}>({
  ghScenario: ['issues', { option: true }],
  gh: async ({ ghScenario }, use) => {
    await use(ghScenario === null ? null : installFakeGh(ghScenario));
  },
  fake: async ({ gate }, use) => {
    // Every rating after the first four waits for the gate, so the view can be seen mid-stream.
    const steps: Step[] = Array.from({ length: RATED }, (_, k) => async (req) => {
      if (k >= 4) await gate.promise;
      const issue = (JSON.parse(textOf(req.messages[0]!.content)) as { issue: { number: number } }).issue;
      return rating(issue.number);
    });
    const fake = await startFakeAnthropic({ script: steps });
    await use(fake);
    await fake.close();
  },
  paigeEnv: async ({ fake, gh }, use) => {
    await use({
      ANTHROPIC_API_KEY: 'sk-ant-e2e-issues-1234',
      ANTHROPIC_BASE_URL: fake.url,
      // Without the fake, PATH holds the system directories only: there is no `gh` on this machine.
      ...(gh ? gh.env : { PATH: '/usr/bin:/bin' }),
    });
  },
});
withFakes.use({ dataFiles: OBSERVER_OFF });

withFakes(
  'ranked issues stream in with ratings; the active session’s issue is in progress, not ranked',
  async ({ paige, fake, gh, gate }) => {
    test.setTimeout(60_000);
    const { page, dataDir, projectDir } = paige;
    createSampleRepo(projectDir);
    // Claude Code started a session on #7 (the store's re-open bug).
    await callToolOnce(dataDir, 'paige_start_session', {
      project_dir: projectDir,
      issue_number: 7,
      issue_title: 'Completing a to-do twice re-opens it',
    });

    await page.getByTestId('nav-issues').click();
    const view = page.getByTestId('issues-view');
    await expect(view).toBeVisible();

    // In progress first: the session's issue with its labels from GitHub, then the learner's two open PRs.
    const inProgress = view.getByTestId('in-progress');
    await expect(inProgress.getByTestId('in-progress-issue-7')).toContainText('In session now');
    await expect(inProgress.getByTestId('in-progress-issue-7')).toContainText('good first issue');
    await expect(inProgress.getByTestId('in-progress-pr-42')).toContainText('Draft pull request');
    await expect(inProgress.getByTestId('in-progress-pr-41')).toContainText('Open pull request');
    await expect(inProgress.getByTestId('in-progress-open-pr-42')).toHaveAttribute('title', /\/pull\/42$/);

    // Mid-stream: four issues in, the rest being assessed.
    const list = view.getByTestId('issues-list');
    await expect(list.locator('> li')).toHaveCount(4);
    await expect(view.getByTestId('issues-progress')).toHaveText('Assessing 5 of 15…');
    gate.open();
    await expect(list.locator('> li')).toHaveCount(RATED);
    // 39 open issues besides #7, the 15 best shown; the model rated them.
    await expect(view.getByTestId('issues-progress')).toHaveText(
      'The 15 best starting points of 39 open issues, ranked by labels and activity.',
    );
    await expect(view.getByTestId('issues-unrated')).toHaveCount(0);

    // Ranked best first, #7 not among them, every card rated and summarised.
    const scores = await list
      .locator('> li')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-score'))));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    await expect(list.getByTestId('issue-7')).toHaveCount(0);
    await expect(list.getByTestId('issue-difficulty')).toHaveCount(RATED);
    await expect(list.getByTestId('issue-suitability')).toHaveCount(RATED);
    const first = list.locator('> li').first();
    const n = Number((await first.getAttribute('data-testid'))!.replace('issue-', ''));
    await expect(first.getByTestId('issue-summary')).toContainText(`issue ${n} of the to-do app`);
    await expect(first.getByTestId('issue-difficulty')).toHaveText(
      n % 2 === 0 ? 'Difficulty: Low' : 'Difficulty: Medium',
    );
    // In progress is above the ranked list.
    const inProgressBox = (await inProgress.boundingBox())!;
    const listBox = (await list.boundingBox())!;
    expect(inProgressBox.y).toBeLessThan(listBox.y);
    expect(fake.mainRequests()).toHaveLength(RATED);
    expect(gh!.calls().every((c) => c.cwd === projectDir)).toBe(true);

    // The card shows its description on demand; picking is its own button.
    const details = first.getByTestId(`issue-details-${n}`);
    if ((await details.count()) > 0) {
      await expect(details).toHaveAttribute('aria-expanded', 'false');
      await details.click();
      await expect(first.getByTestId('issue-body')).toBeVisible();
      await expect(details).toHaveAttribute('aria-expanded', 'true');
    }
    await expect(first.getByTestId(`issue-work-${n}`)).toHaveText('Work on this issue');

    // Picking an issue while #7's session is active: refused on the card, then ending it starts the new one and the
    // Planning view shows its run (plan.spec.ts follows a run to the end).
    await first.getByRole('button', { name: /Work on/ }).click();
    await expect(first.getByTestId(`issue-select-error-${n}`)).toContainText('ACTIVE_SESSION_EXISTS');
    await first.getByTestId('issue-force-select').click();
    await expect(page.getByTestId('planning-view')).toBeVisible();
  },
);

for (const [scenario, code, title, hint] of [
  ['not-logged-in', 'GH_AUTH', 'The GitHub CLI is not logged in', 'gh auth login'],
  ['no-remote', 'GH_NO_REPO', 'Paige cannot find this project on GitHub', 'git remote add origin'],
  [null, 'GH_UNAVAILABLE', 'The GitHub CLI is not available', 'https://cli.github.com'],
] as const) {
  withFakes.describe(`gh ${scenario ?? 'missing'}`, () => {
    withFakes.use({ ghScenario: scenario });
    withFakes(`the Issues view says ${code} and how to fix it; the workspace still works`, async ({ paige, fake }) => {
      const { page, projectDir } = paige;
      createSampleRepo(projectDir, scenario === 'no-remote' ? { remote: null } : {});
      await page.getByTestId('nav-issues').click();
      const error = page.getByTestId('issues-error');
      await expect(error).toHaveAttribute('data-code', code);
      await expect(error).toContainText(title);
      await expect(error).toContainText(hint);
      await expect(page.getByTestId('issues-list').locator('> li')).toHaveCount(0);
      expect(fake.mainRequests()).toHaveLength(0);

      // The rest of the app: the workspace shows the project, and Refresh asks again.
      await page.getByTestId('nav-workspace').click();
      await expect(page.getByTestId('tree-item-src')).toBeVisible();
      await page.getByTestId('nav-issues').click();
      await page.getByTestId('issues-refresh').click();
      await expect(page.getByTestId('issues-error')).toHaveAttribute('data-code', code);
    });
  });
}

withFakes('the view follows a session that starts while it shows, with no Refresh', async ({ paige, fake, gate }) => {
  test.setTimeout(60_000);
  gate.open();
  const { page, dataDir, projectDir } = paige;
  createSampleRepo(projectDir);
  await page.getByTestId('nav-issues').click();
  const view = page.getByTestId('issues-view');
  const list = view.getByTestId('issues-list');
  await expect(view.getByTestId('issues-progress')).toHaveText(
    'The 15 best starting points of 40 open issues, ranked by labels and activity.',
  );
  await expect(list.getByTestId('issue-7')).toHaveCount(1);
  // With #7 in progress one more issue gets into the 15.
  fake.enqueue((req) =>
    rating((JSON.parse(textOf(req.messages[0]!.content)) as { issue: { number: number } }).issue.number),
  );

  await callToolOnce(dataDir, 'paige_start_session', {
    project_dir: projectDir,
    issue_number: 7,
    issue_title: 'Completing a to-do twice re-opens it',
  });
  await expect(view.getByTestId('in-progress-issue-7')).toContainText('In session now');
  await expect(list.getByTestId('issue-7')).toHaveCount(0);
  await expect(view.getByTestId('issues-progress')).toHaveText(
    'The 15 best starting points of 39 open issues, ranked by labels and activity.',
  );
});

const withoutKey = withFakes.extend({
  paigeEnv: async ({ gh }, use) => {
    await use({ ...gh!.env, ANTHROPIC_API_KEY: '' });
  },
});
withoutKey(
  'without a model the issues are ranked, not rated, and picking says it cannot plan',
  async ({ paige, fake }) => {
    const { page, projectDir } = paige;
    createSampleRepo(projectDir);
    await page.getByTestId('nav-issues').click();
    const view = page.getByTestId('issues-view');
    await expect(view.getByTestId('issues-progress')).toHaveText(
      'The 15 best starting points of 40 open issues, ranked by labels and activity.',
    );
    await expect(view.getByTestId('issues-unrated')).toHaveText(
      'Not rated: no model is configured (no Anthropic API key).',
    );
    const first = view.getByTestId('issues-list').locator('> li').first();
    await expect(first.getByTestId('issue-difficulty')).toHaveCount(0);
    const work = first.getByRole('button', { name: /Work on this issue/ });
    await expect(work).toHaveAttribute('title', /cannot plan it without a model/);
    await expect(first).toContainText('cannot plan the work');
    // A long body's summary is cut at a word boundary with an ellipsis.
    const summaries = await view.getByTestId('issue-summary').allTextContents();
    expect(summaries.some((s) => s.endsWith('…'))).toBe(true);
    expect(fake.mainRequests()).toHaveLength(0);
  },
);

withFakes('a folder that is not a git repository: the Issues view says to run git init first', async ({ paige }) => {
  const { page } = paige;
  // No sample repository: the project folder is a plain folder.
  await page.getByTestId('nav-issues').click();
  const error = page.getByTestId('issues-error');
  await expect(error).toHaveAttribute('data-code', 'GH_NO_REPO');
  await expect(error).toContainText('This folder is not a git repository: run `git init`');
});
