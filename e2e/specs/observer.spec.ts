// The observer end to end in the browser: the learner opens files, the scripted Triage model says wrong_file, and the
// nudge is typed into the idle program in the real pty (a shell-based stand-in for Claude Code's prompt) with a
// "Paige checked in" marker in the sidebar; muting stops triage; with the shell fallback the nudge is a sidebar message.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { chromium, expect, test, type Page } from '@playwright/test';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server';
import { say } from '../fake-anthropic/script';
import { startPaigeServe } from '../support/paige-serve';
import { realClaudeSpec } from '../support/paige-plugin';

// Runs once, in the browser project (node-pty is built for Node's ABI, not Electron's).
const defer = realClaudeSpec();

const VERDICT = {
  should_nudge: true,
  confidence: 0.85,
  signal: 'wrong_file',
  reasoning: 'The phase points at routes.ts; the learner keeps opening other files.',
  suggested_context: {
    current_file: 'format.ts',
    expected_file: 'routes.ts',
    time_in_file: 2,
    phase_description: 'Register GET /health in routes.ts',
  },
};

function screenLines(page: Page): Promise<string[]> {
  return page
    .locator('.xterm-rows > div')
    .evaluateAll((rows) => rows.map((r) => (r.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()));
}

/** A prompt that echoes each line it reads, like Claude Code waiting at its input box. */
function fakePrompt(dir: string): string {
  const file = path.join(dir, 'fake-claude.sh');
  fs.writeFileSync(
    file,
    '#!/bin/sh\nprintf "> "\nwhile IFS= read -r line; do\n  printf "GOT: %s\\n> " "$line"\ndone\n',
  );
  fs.chmodSync(file, 0o755);
  return file;
}

async function boot(
  terminalCommand: (tmp: string) => string,
  opts: { verdict?: object; env?: Record<string, string> } = {},
): Promise<{ page: Page; fake: FakeAnthropic }> {
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'paige-obs-e2e-')));
  defer(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const projectDir = path.join(tmp, 'project');
  fs.mkdirSync(projectDir);
  for (const f of ['routes.ts', 'format.ts', 'pool.ts']) fs.writeFileSync(path.join(projectDir, f), `// ${f}\n`);
  const fake = await startFakeAnthropic({ script: [say(JSON.stringify(opts.verdict ?? VERDICT))] });
  defer(() => fake.close());
  const serve = await startPaigeServe({
    projectDir,
    env: {
      ANTHROPIC_API_KEY: 'sk-ant-observer-e2e-1234',
      ANTHROPIC_BASE_URL: fake.url,
      PAIGE_TERMINAL_COMMAND: terminalCommand(tmp),
      ...opts.env,
    },
  });
  defer(() => serve.stop());
  const client = new Client({ name: 'paige-observer-e2e', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(serve.mcpUrl), {
      requestInit: { headers: { Authorization: `Bearer ${serve.mcpToken}` } },
    }),
  );
  defer(() => client.close());
  const browser = await chromium.launch(test.info().project.use.launchOptions);
  defer(() => browser.close());
  const page = await browser.newPage();
  await page.goto(serve.bridgeUrl);
  await page.getByTestId('nav-workspace').click();
  await expect(page.getByTestId('terminal-status')).toHaveAttribute('data-state', 'running', { timeout: 15_000 });
  const started = (await client.callTool({
    name: 'paige_start_session',
    arguments: { project_dir: projectDir },
  })) as CallToolResult;
  expect(started.isError ?? false).toBe(false);
  await expect(page.getByTestId('observer-state')).toHaveText('Paige is watching quietly');
  return { page, fake };
}

test('a nudge is typed into the idle prompt and the sidebar shows that Paige checked in; mute stops triage', async () => {
  test.setTimeout(60_000);
  const { page, fake } = await boot(fakePrompt);
  await expect.poll(async () => (await screenLines(page)).some((l) => l.startsWith('>'))).toBe(true);

  await page.getByTestId('tree-item-format.ts').click();
  await expect
    .poll(async () => (await screenLines(page)).find((l) => l.startsWith('GOT: [PAIGE_OBSERVER]')) ?? '', {
      timeout: 15_000,
    })
    .toContain('GOT: [PAIGE_OBSERVER] {"signal":"wrong_file","confidence":0.85');
  await expect(page.getByTestId('observer-checked-in')).toContainText('Paige checked in');
  await expect(page.getByTestId('observer-checked-in')).toHaveAttribute('data-signal', 'wrong_file');
  expect(fake.mainRequests()).toHaveLength(1);
  expect(fake.mainRequests()[0]!.body!.model).toBe('claude-haiku-4-5-20251001');

  await page.getByTestId('observer-mute').click();
  await expect(page.getByTestId('observer-card')).toHaveAttribute('data-muted', 'true');
  await expect(page.getByTestId('observer-state')).toHaveText('Muted: Paige will not check in');
  // Muted triggers are dropped as they happen, so once the tab is open no request can follow.
  await page.getByTestId('tree-item-pool.ts').click();
  await expect(page.getByTestId('tab-pool.ts')).toBeVisible();
  expect(fake.mainRequests()).toHaveLength(1);
});

test('with the shell fallback the nudge appears as a sidebar message', async () => {
  test.setTimeout(60_000);
  const { page } = await boot(() => 'no-such-claude-for-paige-e2e');
  await page.getByTestId('tree-item-format.ts').click();
  await expect(page.getByTestId('coach-messages')).toContainText(
    'The current phase points at routes.ts — worth a look?',
  );
  await expect(page.getByTestId('observer-checked-in')).toBeVisible();
  expect((await screenLines(page)).join('\n')).not.toContain('[PAIGE_OBSERVER]');
});

test('while the learner types in flow the sidebar says so and no triage request reaches the model', async () => {
  test.setTimeout(60_000);
  // Edits trigger every 20th update here, so the burst itself is what is tested, not an edit trigger before flow.
  const { page, fake } = await boot(fakePrompt, {
    verdict: { ...VERDICT, should_nudge: false, signal: 'no_nudge' },
    env: { PAIGE_OBSERVER_BUFFER_TRIGGER: '20' },
  });
  await page.getByTestId('tree-item-routes.ts').click();
  await expect.poll(() => fake.mainRequests().length).toBe(1);
  await page.locator('.monaco-editor .view-lines').click();
  // A typist with short pauses: each keystroke outlasts the editor's 300 ms debounce, so each is a buffer update.
  await page.keyboard.type('export const health = 1;', { delay: 350 });
  await expect(page.getByTestId('observer-state')).toHaveText('You are in flow: Paige stays quiet');
  await expect(page.getByTestId('observer-card')).toHaveAttribute('data-flow', 'true');
  // Opening a file is a trigger; in flow it is suppressed before triage, synchronously, so none can follow.
  await page.getByTestId('tree-item-format.ts').click();
  await expect(page.getByTestId('tab-format.ts')).toBeVisible();
  expect(fake.mainRequests()).toHaveLength(1);
});
