// The real Claude Code TUI in Paige's terminal moves the plan on (scripted fake model): the learner picks issue #7
// of the sample to-do app, Paige plans it, and when the learner tells Claude Code phase 1 is done, Claude calls
// `paige_update_phase` through the plugin to complete it and start phase 2; the sidebar follows.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { callTool, loadDeferredTools, say, type Reply } from '../fake-anthropic/script';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server';
import type { MessagesRequest } from '../fake-anthropic/wire';
import { installFakeGh } from '../fixtures/fake-gh/fixtures';
import { createSampleRepo } from '../fixtures/sample-repo';
import { ISSUE_NUMBER, paigeAnswer } from '../fixtures/todo-plan';
import { measure, pluginTool, openBridgePage, realClaudeSpec, startServeForClaude } from '../support/paige-plugin';
import { screen } from '../support/terminal-screen';

const UPDATE_PHASE = pluginTool('paige_update_phase');
const defer = realClaudeSpec();

test('Claude Code completes phase 1 and starts phase 2 with paige_update_phase; the sidebar moves on', async () => {
  test.setTimeout(120_000);
  const projectDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'paige-plan-claude-')));
  defer(() => fs.rmSync(projectDir, { recursive: true, force: true }));
  createSampleRepo(projectDir);
  const gh = installFakeGh('issues');
  // Claude Code's turns (its requests carry tools); Paige's own agents are answered by what they are for.
  const claude: Reply[] = [
    loadDeferredTools([UPDATE_PHASE]),
    callTool(UPDATE_PHASE, { phase: 1, status: 'complete' }, 'Nice work: phase 1 is done.'),
    callTool(UPDATE_PHASE, { phase: 2, status: 'active' }),
    say('Phase 2 is yours: make complete() mark the item done.'),
  ];
  const step = (req: MessagesRequest): Reply =>
    (req.tools?.length ?? 0) > 0 ? (claude.shift() ?? say('Nothing more.')) : paigeAnswer(req);
  const fake: FakeAnthropic = await startFakeAnthropic({ script: Array.from({ length: 100 }, () => step) });
  defer(() => fake.close());
  const { serve } = await startServeForClaude(defer, {
    projectDir,
    fakeUrl: fake.url,
    path: gh.env.PATH,
    // The observer would ask the model about phase starts; it is not under test here.
    env: { ...gh.env, PAIGE_OBSERVER_ENABLED: 'false' },
  });
  const page = await openBridgePage(defer, serve.bridgeUrl);

  // Pick #7: the Planning view, then the IDE with phase 1 active; Claude Code starts in the terminal there.
  await page.getByTestId('nav-issues').click();
  await page
    .getByTestId(`issue-${ISSUE_NUMBER}`)
    .getByRole('button', { name: /Work on/ })
    .click();
  await expect(page.getByTestId('coach-phase-1')).toHaveAttribute('data-status', 'active', { timeout: 30_000 });
  await expect(page.getByTestId('ide-view')).toBeVisible();
  await expect(page.getByTestId('terminal-status')).toHaveAttribute('data-state', 'running', { timeout: 15_000 });
  await expect.poll(() => screen(page), { timeout: 30_000 }).toMatch(/^\s*❯\s*$/m);

  await page.getByTestId('terminal-host').click();
  const typed = performance.now();
  await page.keyboard.type('I finished phase 1');
  await expect.poll(() => screen(page)).toContain('I finished phase 1');
  await page.keyboard.press('Enter');

  await expect(page.getByTestId('coach-phase-2')).toHaveAttribute('data-status', 'active', { timeout: 30_000 });
  measure('prompt typed → phase 2 active in the sidebar', Math.round(performance.now() - typed));
  await expect(page.getByTestId('coach-phase-1')).toHaveAttribute('data-status', 'complete');
  await expect.poll(() => screen(page), { timeout: 15_000 }).toContain('Phase 2 is yours');
  expect(fake.scriptErrors).toEqual([]);
});
