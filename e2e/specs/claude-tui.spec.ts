// Claude Code's TUI in Paige's browser terminal (default command `claude`, with the plugin): a typed prompt makes the
// model call paige_show_message and the message shows in the sidebar; the hooks run in interactive mode too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server';
import { callTool, loadDeferredTools, say, toolResults, toolResultText, type Reply } from '../fake-anthropic/script';
import type { MessagesRequest } from '../fake-anthropic/wire';
import { claudeEnv, claudePathDir, prepareClaudeHome, type ClaudeHome } from '../support/claude-cli';
import { startPaigeServe, type PaigeServe } from '../support/paige-serve';
import { connectBridge, hookTimings, invokeOk, measure, pluginTool, realClaudeSpec } from '../support/paige-plugin';
import type { Session, SessionSnapshot } from '../../src/shared/domain/session';

const SHOW_MESSAGE = pluginTool('paige_show_message');
const MESSAGE = 'What do you expect sum([1, 2]) to return? Run it and compare.';

const defer = realClaudeSpec();

/** What each xterm row shows (the DOM renderer pads with no-break spaces). */
function screenLines(page: Page): Promise<string[]> {
  return page
    .locator('.xterm-rows > div')
    .evaluateAll((rows) => rows.map((r) => (r.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()));
}

async function screen(page: Page): Promise<string> {
  return (await screenLines(page)).join('\n');
}

test('the default terminal command runs Claude Code’s TUI with the plugin; a typed prompt puts a coaching message in the sidebar', async () => {
  test.setTimeout(90_000);
  const projectDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'paige-tui-proj-')));
  defer(() => fs.rmSync(projectDir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(projectDir, 'src'));
  fs.writeFileSync(path.join(projectDir, 'src', 'app.ts'), 'export const sum = (xs: number[]) => 0;\n');

  let messageId: string | null = null;
  const fake: FakeAnthropic = await startFakeAnthropic({
    script: [
      loadDeferredTools([SHOW_MESSAGE]),
      callTool(SHOW_MESSAGE, { message: MESSAGE, type: 'hint' }, 'Let me put that where you can see it.'),
      (req: MessagesRequest): Reply => {
        const block = toolResults(req)[0];
        const result = block ? (JSON.parse(toolResultText(block)) as { message_id?: unknown }) : {};
        messageId = typeof result.message_id === 'string' ? result.message_id : null;
        return say('I left you a question in the sidebar.');
      },
    ],
  });
  defer(() => fake.close());
  const home: ClaudeHome = prepareClaudeHome({ trustedDirs: [projectDir] });
  defer(() => home.dispose());

  // Paige's own environment is what the terminal inherits: the pinned `claude` first on PATH, the isolated HOME and
  // config dir, and the fake API. No PAIGE_TERMINAL_COMMAND: the default command is `claude`.
  // terminal.args (appended after Paige's own) only adds Claude Code's debug log, to time the hooks it runs.
  const debugFile = path.join(home.home, 'debug.log');
  const env = {
    ...claudeEnv(home, fake.url),
    PATH: `${claudePathDir()}${path.delimiter}${process.env.PATH ?? ''}`,
    PAIGE_TERMINAL_ARGS: JSON.stringify(['--debug-file', debugFile]),
    // The TUI (not -p) otherwise clones Anthropic's plugin marketplace from GitHub at start-up.
    CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL: '1',
  };
  defer(() => {
    if (test.info().status !== test.info().expectedStatus && fs.existsSync(debugFile)) {
      fs.copyFileSync(debugFile, test.info().outputPath('claude-debug.log'));
    }
  });
  const serve: PaigeServe = await startPaigeServe({ projectDir, env });
  defer(() => serve.stop());
  const bridge = await connectBridge(serve.bridgeUrl);
  defer(() => bridge.close());

  const browser: Browser = await chromium.launch(test.info().project.use.launchOptions);
  defer(() => browser.close());
  const page: Page = await browser.newPage();
  await page.goto(serve.bridgeUrl);
  const opened = performance.now();
  await page.getByTestId('nav-workspace').click();
  const status = page.getByTestId('terminal-status');
  await expect(status).toHaveAttribute('data-state', 'running', { timeout: 15_000 });
  await expect(page.getByTestId('terminal-exit-banner')).toHaveCount(0);

  // Claude Code's TUI is up at its input prompt with its permission-mode footer, not the shell fallback.
  await expect
    .poll(
      async () =>
        (await screenLines(page)).some((l) => l.trim() === '❯') && (await screen(page)).includes('? for shortcuts'),
      {
        timeout: 30_000,
      },
    )
    .toBe(true);
  measure('workspace opened → Claude Code TUI prompt in xterm', Math.round(performance.now() - opened));
  expect(await screen(page)).not.toContain('not found — started your shell');
  // Read-only mode: Claude Code is told the ordinary permission mode (not its own "auto mode" default), and every tool
  // Paige disallows exists in the pinned version (an unknown one prints "Deny rule … matches no tool" at launch).
  expect(await screen(page)).toContain('manual mode on');
  expect(await screen(page)).not.toContain('auto mode on');
  expect(await screen(page)).not.toContain('matches no tool');

  // Claude Code loaded the plugin from the directory Paige passed (the debug log names a missing one).
  const debugLog = (): string => (fs.existsSync(debugFile) ? fs.readFileSync(debugFile, 'utf8') : '');
  const pluginLines = (): string[] =>
    debugLog()
      .split('\n')
      .filter((l) => /Loading hooks from plugin: paige|Plugin loading errors|Plugin path does not exist/.test(l));
  await expect
    .poll(pluginLines, { message: 'claude --plugin-dir must name the plugin (see claude-debug.log)' })
    .toContainEqual(expect.stringContaining('Loading hooks from plugin: paige'));

  // The plugin's SessionStart hook ran in interactive mode: Paige has a session bound to a Claude Code session.
  let sessionId = 0;
  await expect
    .poll(async () => {
      const snapshot = await invokeOk<SessionSnapshot | null>(bridge, 'session:snapshot');
      sessionId = snapshot?.session.id ?? 0;
      return snapshot?.session.claudeSessionId;
    })
    .toMatch(/^[0-9a-f-]{36}$/);
  await expect(page.getByTestId('coach-session')).toHaveAttribute('data-status', 'active');

  await page.getByTestId('terminal-host').click();
  const typed = performance.now();
  await page.keyboard.type('Coach me on src/app.ts');
  await expect.poll(() => screen(page)).toContain('Coach me on src/app.ts');
  await page.keyboard.press('Enter');

  // The message the model sent through the plugin's MCP tool is in the sidebar.
  const message = page.locator('[data-testid^="coach-message-"]', { hasText: MESSAGE });
  await expect(message).toBeVisible({ timeout: 30_000 });
  measure('prompt typed → coaching message in the sidebar', Math.round(performance.now() - typed));
  await expect.poll(() => screen(page), { timeout: 15_000 }).toContain('I left you a question in the sidebar.');
  expect(messageId).not.toBeNull();
  await expect(page.getByTestId(`coach-message-${messageId ?? ''}`)).toContainText(MESSAGE);

  expect(fake.scriptErrors).toEqual([]);
  expect(fake.exhaustedCount()).toBe(0);
  const main = fake.mainRequests().map((r) => r.body as MessagesRequest);
  expect(main).toHaveLength(3);
  // The first turn carried the plugin's SessionStart context and the user's typed prompt.
  expect(JSON.stringify(main[0]?.messages)).toContain('SessionStart hook additional context');
  expect(JSON.stringify(main[0]?.messages)).toContain('Coach me on src/app.ts');

  // Quitting Claude Code in the terminal runs the SessionEnd hook, which ends the session.
  await page.keyboard.type('/exit');
  await expect.poll(() => screen(page)).toContain('/exit');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('terminal-exit-banner')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('coach-session')).not.toHaveAttribute('data-status', 'active');
  const { sessions } = await invokeOk<{ sessions: Session[] }>(bridge, 'session:list');
  expect(sessions.find((s) => s.id === sessionId)?.endReason).toBe('claude_exit');
  const timings = hookTimings(debugLog());
  for (const t of timings) measure(`${t.hook} hook inside the TUI`, t.ms);
  expect(timings.map((t) => t.hook)).toEqual(['SessionStart:startup', expect.stringMatching(/^SessionEnd:/)]);
  for (const t of timings) expect(t.status, t.hook).toBe(0);
  // SessionEnd returns within 1 s (SessionStart has a 1.5 s budget to reach the app and is only reported).
  expect(timings[1]?.ms).toBeLessThan(1_000);
});
