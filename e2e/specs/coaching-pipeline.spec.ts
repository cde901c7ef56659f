// The coaching pipeline in the browser: Claude Code (a real MCP SDK client) hands over its plan for a real bug, the
// sidebar shows the pipeline's steps while the fake model is held at the file selector, then the phases with phase 1
// active and its files glowing; a Coach answer that does not fit leaves the failure in the sidebar.
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { say } from '../fake-anthropic/script';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server';
import { COACH_PLAN, ISSUE_SUMMARY, PLAN_TEXT, PROJECT, SELECTION } from '../fixtures/coaching-plan';
import { expect, test } from '../support/fixtures';
import { callToolOk, mcpClient, OBSERVER_OFF } from '../support/mcp-client';

const withFake = test.extend<{ fake: FakeAnthropic }>({
  // eslint-disable-next-line no-empty-pattern
  fake: async ({}, use) => {
    const fake = await startFakeAnthropic();
    await use(fake);
    await fake.close();
  },
  paigeEnv: async ({ fake }, use) => {
    await use({ ANTHROPIC_API_KEY: 'sk-ant-e2e-pipeline-1234', ANTHROPIC_BASE_URL: fake.url });
  },
});
// The observer would spend a scripted answer on phase 1 starting; it is not under test here.
withFake.use({ dataFiles: OBSERVER_OFF });

function runPipeline(client: Client): Promise<CallToolResult> {
  return client.callTool({
    name: 'paige_run_coaching_pipeline',
    arguments: { plan_text: PLAN_TEXT, issue_summary: ISSUE_SUMMARY, issue_number: 42 },
  }) as Promise<CallToolResult>;
}

withFake(
  'Claude Code hands over its plan: the sidebar shows the steps, then the phases',
  async ({ paige, fake, gate }) => {
    test.setTimeout(60_000);
    const { page, dataDir, projectDir } = paige;
    for (const [rel, text] of Object.entries(PROJECT)) {
      fs.mkdirSync(path.dirname(path.join(projectDir, rel)), { recursive: true });
      fs.writeFileSync(path.join(projectDir, rel), text);
    }
    fake.enqueue(
      async () => {
        await gate.promise;
        return say(JSON.stringify(SELECTION));
      },
      say(JSON.stringify(COACH_PLAN)),
    );

    await page.getByTestId('nav-workspace').click();
    await expect(page.getByTestId('tree-item-src')).toBeVisible();
    const client = await mcpClient(dataDir);
    try {
      await callToolOk(client, 'paige_start_session', {
        project_dir: projectDir,
        issue_number: 42,
        issue_title: 'CSV import breaks on quoted fields',
      });
      await expect(page.getByTestId('coach-session')).toHaveAttribute('data-status', 'active');

      // While the model is held: the planning card with its step and bar.
      const run = runPipeline(client);
      const card = page.getByTestId('coach-planning');
      await expect(card).toHaveAttribute('data-step', 'exploring');
      await expect(card).toContainText('Exploring the repository');
      await expect(card.getByRole('progressbar')).toBeVisible();
      gate.open();
      const r = await run;
      expect(r.isError ?? false, JSON.stringify(r.content)).toBe(false);

      // The plan: the card gives way to the stepper, phase 1 active; phase 1's files glow in the explorer.
      await expect(card).toHaveCount(0);
      await expect(page.getByTestId('coach-phases')).toContainText('Quoted fields in the CSV parser');
      await expect(page.getByTestId('coach-phase-1')).toHaveAttribute('data-status', 'active');
      await expect(page.getByTestId('coach-phase-2')).toHaveAttribute('data-status', 'pending');
      await expect(page.getByTestId('coach-phase-3')).toHaveAttribute('data-status', 'pending');
      // Phase 1's hints need the `high` hint level; the learner raises it from `low` with the keyboard.
      await expect(page.getByTestId('tree-item-src')).not.toHaveAttribute('data-hint', /.+/);
      await page.keyboard.press('Control+Shift+H');
      await page.keyboard.press('Control+Shift+H');
      await expect(page.getByTestId('hint-level')).toHaveAttribute('data-level', 'high');
      await expect(page.getByTestId('tree-item-src')).toHaveAttribute('data-hint', 'warning');

      // A reload reads the same plan (headless: the token travels in the printed URL, not in the reloaded page's).
      if (paige.ready) await page.goto(paige.ready.bridgeUrl);
      else await page.reload();
      await page.getByTestId('nav-workspace').click();
      await expect(page.getByTestId('coach-phase-1')).toHaveAttribute('data-status', 'active');

      // A Coach answer with no phases: nothing replaces the plan and the failure stays in the sidebar.
      fake.enqueue(say(JSON.stringify(SELECTION)), say(JSON.stringify({ ...COACH_PLAN, phases: [] })));
      const bad = await runPipeline(client);
      expect(bad.isError).toBe(true);
      await expect(card).toHaveAttribute('data-step', 'failed');
      await expect(card).toContainText('Planning failed');
      await expect(page.getByTestId('coach-phase-1')).toHaveAttribute('data-status', 'active');
    } finally {
      await client.close();
    }
  },
);
