// The plan experience in the browser on the sample to-do app (real git history, fake `gh`, fake model): picking
// issue #7 in the Issues view shows the Planning view's steps (the files read while exploring) until the plan is ready,
// then the IDE with the plan in the sidebar, phase 1's files glowing and its lines highlighted as the hint level
// allows; the level changes from the keyboard, an edit dismisses the highlight it touches, phase 2 starts through
// `paige_update_phase`, a reload shows the same state, and picking the issue again in a new session resumes the plan
// without asking the model.
import { execFileSync } from 'node:child_process';
import type { Locator } from '@playwright/test';
import type { Step } from '../fake-anthropic/script';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server';
import { installFakeGh, type FakeGh } from '../fixtures/fake-gh/fixtures';
import { createSampleRepo } from '../fixtures/sample-repo';
import { agentOf, ISSUE_NUMBER, ISSUE_TITLE, paigeAnswer } from '../fixtures/todo-plan';
import { expect, test } from '../support/fixtures';
import { callToolOk, mcpClient, OBSERVER_OFF } from '../support/mcp-client';

const withFakes = test.extend<{
  gh: FakeGh;
  fake: FakeAnthropic;
}>({
  // eslint-disable-next-line no-empty-pattern
  gh: async ({}, use) => {
    await use(installFakeGh('issues'));
  },
  fake: async ({ gate }, use) => {
    // Every request is answered by the agent it is for, whatever the order (ratings stream beside planning); the
    // Coach waits for the gate, so the Planning view can be seen mid-run.
    const step: Step = async (req) => {
      if (agentOf(req) === 'coach') await gate.promise;
      return paigeAnswer(req);
    };
    const fake = await startFakeAnthropic({ script: Array.from({ length: 200 }, () => step) });
    await use(fake);
    await fake.close();
  },
  paigeEnv: async ({ fake, gh }, use) => {
    await use({ ANTHROPIC_API_KEY: 'sk-ant-e2e-plan-1234', ANTHROPIC_BASE_URL: fake.url, ...gh.env });
  },
});
/** The element's box, which must be on screen. */
async function box(l: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const b = await l.boundingBox();
  expect(b, 'element is laid out').not.toBeNull();
  return b!;
}

// The observer would ask the model about phase starts; it is not under test here.
withFakes.use({ dataFiles: OBSERVER_OFF });

withFakes(
  'pick an issue → Planning view → IDE with the plan; hint levels, phase 2, reload, resume',
  async ({ paige, fake, gate }) => {
    test.setTimeout(120_000);
    const { page, dataDir, projectDir } = paige;
    createSampleRepo(projectDir);
    const planningCalls = () =>
      fake.mainRequests().filter((r) => ['branch', 'selector', 'coach'].includes(agentOf(r.body!))).length;

    // Issues view → "Work on #7".
    await page.getByTestId('nav-issues').click();
    const card = page.getByTestId(`issue-${ISSUE_NUMBER}`);
    await card.getByRole('button', { name: /Work on/ }).click();

    // The Planning view while the Coach is held: reading the issue and exploring are done (with the files read),
    // planning is under way.
    const view = page.getByTestId('planning-view');
    await expect(view).toBeVisible();
    await expect(page.getByTestId('planning-issue-title')).toHaveText(ISSUE_TITLE);
    await expect(page.getByTestId('planning-step-planning')).toHaveAttribute('data-state', 'active');
    await expect(page.getByTestId('planning-step-fetching')).toHaveAttribute('data-state', 'done');
    await expect(page.getByTestId('planning-step-exploring')).toHaveAttribute('data-state', 'done');
    await expect(page.getByTestId('planning-files')).toContainText('src/store.ts');
    await expect(page.getByTestId('planning-files')).toContainText('test/store.test.ts');
    await expect(page.getByTestId('planning-step-writing_hints')).toHaveAttribute('data-state', 'pending');
    // A reload mid-run comes back to the same Planning view from the snapshot. (Headless: the token travels in the
    // printed URL's fragment, so the page leaves first to load it for real.)
    const reload = async (): Promise<void> => {
      if (paige.ready) {
        await page.goto('about:blank');
        await page.goto(paige.ready.bridgeUrl);
      } else await page.reload();
    };
    await reload();
    await expect(page.getByTestId('planning-step-planning')).toHaveAttribute('data-state', 'active');
    // The Issues tab stays: the session names the open project even though Home was skipped.
    await expect(page.getByTestId('nav-issues')).toBeVisible();
    await expect(page.getByTestId('planning-files')).toContainText('src/store.ts');
    await expect(page.getByTestId('planning-issue-title')).toHaveText(ISSUE_TITLE);
    // The Coach's step holds one percentage for the whole call: the view shows how long it has been going.
    await expect(page.getByTestId('planning-elapsed')).toHaveText(/^\d+s$/, { timeout: 15_000 });
    gate.open();

    // The IDE with the plan: phase 1 active, its detail at the default `low` level (summary and the low task hint).
    await expect(page.getByTestId('ide-view')).toBeVisible();
    // At 1440 px the sidebar holds the hint switch (High inside its right edge) and the End session row (the note on
    // its own line, the button below it); the thumbs are drawn icons with a name and a tooltip.
    for (const width of [1280, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      const side = await box(page.getByTestId('ide-sidebar'));
      for (const l of ['off', 'low', 'medium', 'high']) {
        const b = await box(page.getByTestId(`hint-level-${l}`));
        expect(b.x + b.width, `${l} at ${width} px`).toBeLessThanOrEqual(side.x + side.width);
        // Whole labels, not cut off.
        expect(
          await page.getByTestId(`hint-level-${l}`).evaluate((el) => el.scrollWidth <= el.clientWidth),
          `${l} at ${width} px`,
        ).toBe(true);
      }
    }
    const sidebar = await box(page.getByTestId('ide-sidebar'));
    const endRow = page.getByRole('region', { name: 'End session' });
    const note = await box(endRow.getByText('Done for now?'));
    const end = await box(page.getByTestId('wrapup-end-session'));
    expect(note.x + note.width).toBeLessThanOrEqual(sidebar.x + sidebar.width);
    expect(note.y + note.height).toBeLessThanOrEqual(end.y);
    expect(
      await page.getByTestId('ide-sidebar').evaluate((el) => el.scrollWidth <= el.clientWidth),
      'the sidebar does not scroll sideways',
    ).toBe(true);
    const up = page.getByTestId('plan-feedback-up');
    await expect(up).toHaveAttribute('title', 'This plan helps');
    await expect(up.locator('svg')).toBeVisible();

    await expect(page.getByTestId('coach-phase-1')).toHaveAttribute('data-status', 'active');
    await expect(page.getByTestId('coach-phase-2')).toHaveAttribute('data-status', 'pending');
    const level = page.getByTestId('hint-level');
    await expect(level).toHaveAttribute('data-level', 'low');
    await expect(page.getByTestId('plan-active-phase')).toContainText('What should done be after the second call?');
    // The learner's branch, named by the branch agent after their GitHub login.
    expect(
      execFileSync('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd: projectDir, encoding: 'utf8' }).trim(),
    ).toBe('octo-learner/7-complete-stays-done');

    // Low: the hinted files glow faintly, their folders do not; the editor shows no line highlight.
    await expect(page.getByTestId('tree-item-src')).not.toHaveAttribute('data-hint', /.+/);
    await page.getByTestId('tree-item-src').click();
    const store = page.getByTestId('tree-item-src/store.ts');
    await expect(store).toHaveAttribute('data-hint', 'warning');
    await expect(store).toHaveAttribute('data-glow', 'subtle');
    await store.click();
    await expect(page.locator('.monaco-editor .view-lines')).toContainText('complete(id: number)');
    const warningLines = page.locator('.monaco-editor .paige-line-warning');
    await expect(warningLines).toHaveCount(0);

    // Ctrl+Shift+] → medium: the folders glow, lines 21–22 are highlighted, task titles show.
    await page.keyboard.press('Control+Shift+BracketRight');
    await expect(level).toHaveAttribute('data-level', 'medium');
    await expect(page.getByTestId('tree-item-src')).toHaveAttribute('data-hint', 'warning');
    await expect(store).toHaveAttribute('data-glow', 'obvious');
    await expect(warningLines).toHaveCount(2);
    await expect(page.getByTestId('plan-active-phase')).toContainText('Complete an item twice in a test');
    // Ctrl+Shift+H cycles: high (the task accordion), then off (nothing glows, no highlight), then low again.
    await page.keyboard.press('Control+Shift+H');
    await expect(level).toHaveAttribute('data-level', 'high');
    await expect(store).toHaveAttribute('data-glow', 'unmissable');
    await expect(page.getByTestId('plan-task-1').locator('summary')).toHaveText('Complete an item twice in a test');
    await page.keyboard.press('Control+Shift+H');
    await expect(level).toHaveAttribute('data-level', 'off');
    await expect(store).not.toHaveAttribute('data-hint', /.+/);
    await expect(warningLines).toHaveCount(0);
    await page.keyboard.press('Control+Shift+BracketRight');
    await page.keyboard.press('Control+Shift+BracketRight');
    await expect(level).toHaveAttribute('data-level', 'medium');
    await expect(warningLines).toHaveCount(2);

    // An edit inside the highlighted lines dismisses the highlight; it stays dismissed across level changes.
    await page.locator('.monaco-editor .view-line', { hasText: 'const updated = toggle' }).click();
    await page.keyboard.press('End');
    await page.keyboard.type(' ');
    await expect(warningLines).toHaveCount(0);
    // Saved (a dirty tab would hold the reload below); the highlight stays dismissed.
    await page.keyboard.press('Control+S');
    await expect(page.getByTestId('status-dirty')).toHaveText('All saved');
    await page.keyboard.press('Control+Shift+H');
    await expect(level).toHaveAttribute('data-level', 'high');
    await expect(warningLines).toHaveCount(0);

    // Claude Code completes phase 1 and starts phase 2: the sidebar moves on, phase 2's file glows.
    const client = await mcpClient(dataDir);
    try {
      await callToolOk(client, 'paige_update_phase', { phase: 1, status: 'complete' });
      await callToolOk(client, 'paige_update_phase', { phase: 2, status: 'active' });
      await expect(page.getByTestId('coach-phase-1')).toHaveAttribute('data-status', 'complete');
      await expect(page.getByTestId('coach-phase-2')).toHaveAttribute('data-status', 'active');
      await expect(page.getByTestId('tree-item-src/todo.ts')).toHaveAttribute('data-hint', 'suggested');
      await expect(store).not.toHaveAttribute('data-hint', /.+/);

      // A message anchored to code: open at high, an icon at low (the learner can open it), plain messages stay open.
      const anchored = await callToolOk(client, 'paige_show_message', {
        message: 'Look at what toggle does to done.',
        type: 'hint',
        anchor: { path: 'src/todo.ts', start_line: 18, end_line: 20 },
      });
      const anchoredId = String(anchored.message_id);
      await callToolOk(client, 'paige_show_message', { message: 'Phase 2 is about `complete()`.', type: 'info' });
      const message = page.getByTestId(`coach-message-${anchoredId}`);
      await expect(message).toContainText('Look at what toggle does to done.');
      await page.keyboard.press('Control+Shift+BracketLeft');
      await page.keyboard.press('Control+Shift+BracketLeft');
      await expect(level).toHaveAttribute('data-level', 'low');
      await expect(message).not.toContainText('Look at what toggle does to done.');
      await expect(page.getByTestId('coach-messages')).toContainText('Phase 2 is about complete().');
      // Messages are Markdown: the backticks make inline code.
      await expect(page.getByTestId('coach-messages').locator('code', { hasText: 'complete()' })).toBeVisible();
      await page.getByTestId(`coach-message-expand-${anchoredId}`).click();
      await expect(message).toContainText('Look at what toggle does to done.');
      await page.keyboard.press('Control+Shift+BracketRight');
      await page.keyboard.press('Control+Shift+BracketRight');
      await expect(level).toHaveAttribute('data-level', 'high');
      // Editing inside the anchored lines dismisses that message; the plain one stays.
      await page.getByTestId('tree-item-src/todo.ts').click();
      await page.locator('.monaco-editor .view-line', { hasText: 'done: !todo.done' }).click();
      await page.keyboard.press('End');
      await page.keyboard.type(' ');
      await expect(message).toHaveCount(0);
      await expect(page.getByTestId('coach-messages')).toContainText('Phase 2 is about complete().');
      await page.keyboard.press('Control+S');
      await expect(page.getByTestId('status-dirty')).toHaveText('All saved');

      // A reload during the active session opens the Workspace again, with the same plan, phase and level.
      await reload();
      await expect(page.getByTestId('ide-view')).toBeVisible();
      await expect(page.getByTestId('nav-workspace')).toHaveAttribute('aria-current', 'true');
      await expect(page.getByTestId('coach-phase-2')).toHaveAttribute('data-status', 'active');
      await expect(page.getByTestId('hint-level')).toHaveAttribute('data-level', 'high');
      await page.getByTestId('tree-item-src').click();
      await expect(page.getByTestId('tree-item-src/todo.ts')).toHaveAttribute('data-hint', 'suggested');

      // The session ends; picking #7 again starts a new session that resumes the plan, with no planning call.
      const calls = planningCalls();
      await page.getByTestId('tree-item-src/store.ts').click();
      await expect(page.locator('.monaco-editor .view-lines')).toContainText('complete(id: number)');
      // Claude Code's own highlight too, beside the plan's glows.
      await callToolOk(client, 'paige_highlight_lines', {
        path: 'src/store.ts',
        ranges: [{ start: 1, end: 2, style: 'warning' }],
      });
      await expect(warningLines).not.toHaveCount(0);
      await callToolOk(client, 'paige_end_session', { reason: 'user' });
      await expect(page.getByTestId('coach-session')).not.toHaveAttribute('data-status', 'active');
      // The ended session's hints go: no glowing file or folder, no highlighted line.
      await expect(page.getByTestId('tree-item-src/todo.ts')).not.toHaveAttribute('data-hint', /.+/);
      await expect(page.getByTestId('tree-item-src')).not.toHaveAttribute('data-hint', /.+/);
      await expect(page.locator('.monaco-editor [class*="paige-line-"]')).toHaveCount(0);
      await page.getByTestId('nav-issues').click();
      await page.getByTestId(`in-progress-resume-${ISSUE_NUMBER}`).click();
      await expect(page.getByTestId('ide-view')).toBeVisible();
      await expect(page.getByTestId('coach-session')).toHaveAttribute('data-status', 'active');
      await expect(page.getByTestId('coach-phase-1')).toHaveAttribute('data-status', 'complete');
      await expect(page.getByTestId('coach-phase-2')).toHaveAttribute('data-status', 'active');
      expect(planningCalls()).toBe(calls);
    } finally {
      await client.close();
    }
  },
);
