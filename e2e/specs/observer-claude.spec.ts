// The observer with the real Claude Code TUI in the terminal (scripted fake model): the learner opens a file outside
// the phase's work, triage says wrong_file, the nudge lands in Claude Code's prompt while it is idle, and Claude's
// scripted answer (a paige_show_message call through the plugin) reaches the sidebar.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server';
import { callTool, loadDeferredTools, say } from '../fake-anthropic/script';
import { textOf, type MessagesRequest } from '../fake-anthropic/wire';
import {
  connectBridge,
  invokeOk,
  measure,
  pluginTool,
  openBridgePage,
  realClaudeSpec,
  startServeForClaude,
} from '../support/paige-plugin';
import { screen, screenLines } from '../support/terminal-screen';
import type { SessionSnapshot } from '../../src/shared/domain/session';

const SHOW_MESSAGE = pluginTool('paige_show_message');
const REPLY = 'The plan starts in src/api/routes.ts: open it and find where routes are registered.';

const defer = realClaudeSpec();

const VERDICT = {
  should_nudge: true,
  confidence: 0.85,
  signal: 'wrong_file',
  reasoning: 'The learner opened a file unrelated to the work while routes.ts is untouched.',
  suggested_context: {
    current_file: 'src/utils/format.ts',
    expected_file: 'src/api/routes.ts',
    time_in_file: 2,
    phase_description: null,
  },
};

test('a nudge typed into Claude Code’s idle prompt gets Claude’s scripted answer into the sidebar', async () => {
  test.setTimeout(120_000);
  const projectDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'paige-obs-claude-')));
  defer(() => fs.rmSync(projectDir, { recursive: true, force: true }));
  for (const f of ['src/api/routes.ts', 'src/utils/format.ts']) {
    fs.mkdirSync(path.dirname(path.join(projectDir, f)), { recursive: true });
    fs.writeFileSync(path.join(projectDir, f), `// ${f}\nexport {};\n`);
  }
  const fake: FakeAnthropic = await startFakeAnthropic({
    script: [
      // Paige's triage call comes first: Claude Code sends no main request until it is given a prompt.
      (req: MessagesRequest) => {
        expect(textOf(req.system)).toContain('quiet observer inside Paige');
        return say(JSON.stringify(VERDICT));
      },
      loadDeferredTools([SHOW_MESSAGE]),
      callTool(SHOW_MESSAGE, { message: REPLY, type: 'hint' }, 'Paige noticed something; let me point the way.'),
      say('I left a pointer in the sidebar.'),
    ],
  });
  defer(() => fake.close());
  const { serve } = await startServeForClaude(defer, { projectDir, fakeUrl: fake.url });
  const bridge = await connectBridge(serve.bridgeUrl);
  defer(() => bridge.close());
  const page = await openBridgePage(defer, serve.bridgeUrl);
  await page.getByTestId('nav-workspace').click();
  await expect(page.getByTestId('terminal-status')).toHaveAttribute('data-state', 'running', { timeout: 15_000 });
  await expect
    .poll(async () => (await screenLines(page)).some((l) => l.trim() === '❯'), { timeout: 30_000 })
    .toBe(true);
  // The plugin's SessionStart hook started the coaching session; the observer runs for it.
  await expect
    .poll(async () => (await invokeOk<SessionSnapshot | null>(bridge, 'session:snapshot'))?.observer.active)
    .toBe(true);
  await expect(page.getByTestId('observer-state')).toHaveText('Paige is watching quietly');

  await page.getByTestId('tree-item-src').click();
  await page.getByTestId('tree-item-src/utils').click();
  const opened = performance.now();
  await page.getByTestId('tree-item-src/utils/format.ts').click();

  const message = page.locator('[data-testid^="coach-message-"]', { hasText: REPLY });
  await expect(message).toBeVisible({ timeout: 60_000 });
  measure(
    'file opened → nudge in Claude Code → Claude’s message in the sidebar',
    Math.round(performance.now() - opened),
  );
  await expect(page.getByTestId('observer-checked-in')).toHaveAttribute('data-signal', 'wrong_file');
  expect(fake.scriptErrors).toEqual([]);
  const main = fake.mainRequests().map((r) => r.body as MessagesRequest);
  expect(main.length).toBeGreaterThanOrEqual(3);
  // Claude Code's first turn carried the nudge line as the user's prompt.
  expect(JSON.stringify(main[1]?.messages)).toContain('[PAIGE_OBSERVER]');
  expect(JSON.stringify(main[1]?.messages)).toContain('\\"signal\\":\\"wrong_file\\"');
  await expect.poll(() => screen(page), { timeout: 15_000 }).toContain('I left a pointer in the sidebar.');
});
