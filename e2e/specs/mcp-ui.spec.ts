// Claude Code's hands on the UI, end to end: a real MCP SDK client over HTTP drives the session, the editor, the
// explorer and the coaching sidebar, and every connected window shows the effect.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from '../support/fixtures';
import { callToolOk, mcpClient } from '../support/mcp-client';

// At the `high` hint level every coaching highlight and glow shows (lower levels hide some; docs/coaching.md).
test.use({ dataFiles: { 'settings.json': JSON.stringify({ hints: { defaultLevel: 'high' } }) } });

const APP_TS = [
  'export function sum(xs: number[]): number {',
  '  let total = 0;',
  '  for (let i = 0; i <= xs.length; i++) total += xs[i];',
  '  return total;',
  '}',
  '',
].join('\n');
const HOVER_TEXT = 'Does this loop stop one step too late?';

/** What every window must show once the calls are made. */
async function expectEffects(page: Page, messageId: string): Promise<void> {
  await expect(page.getByTestId('ide-view')).toBeVisible();
  // The file is open in a focused tab.
  await expect(page.getByTestId('tab-src/app.ts')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('let total = 0;');
  // Lines 2–3 carry the warning highlight, line 5 the info one.
  await expect(page.locator('.monaco-editor .paige-line-warning')).toHaveCount(2);
  await expect(page.locator('.monaco-editor .paige-line-hint')).toHaveCount(1);
  // The hinted files glow, and so do the folders above them (the most urgent style wins).
  await expect(page.getByTestId('tree-item-src')).toHaveAttribute('data-hint', 'error');
  await expect(page.getByTestId('tree-item-src')).toHaveClass(/hint-glow-error/);
  // The sidebar: session status, issue card, message.
  await expect(page.getByTestId('coach-session')).toHaveAttribute('data-status', 'active');
  await expect(page.getByTestId('coach-issue-title')).toHaveText('Sum is off by one');
  await expect(page.getByTestId('coach-issue')).toContainText('#42');
  await expect(page.getByTestId('coach-issue')).toContainText('bug');
  await expect(page.getByTestId('coach-issue-summary')).toHaveText('sum() reads past the end of the array.');
  await expect(page.getByTestId(`coach-message-${messageId}`)).toContainText('Look at the loop bounds.');
}

test('an MCP client opens a file, highlights lines, hints files and coaches in every window', async ({ paige }) => {
  // Two windows, Monaco twice and a dozen MCP calls: more than the default 30 s on a busy two-core CI machine.
  test.setTimeout(60_000);
  const { page, dataDir, projectDir, ready } = paige;
  fs.mkdirSync(path.join(projectDir, 'src', 'util'), { recursive: true });
  fs.writeFileSync(path.join(projectDir, 'src', 'app.ts'), APP_TS);
  fs.writeFileSync(path.join(projectDir, 'src', 'util', 'deep.ts'), 'export const deep = 1;\n');

  // A second browser window on the same backend (headless only: the Electron app has one window).
  const browser = page.context().browser();
  const secondContext = ready && browser ? await browser.newContext() : null;
  const second = secondContext ? await secondContext.newPage() : null;
  if (second && ready) await second.goto(ready.bridgeUrl);

  await page.getByTestId('nav-workspace').click();
  await expect(page.getByTestId('tree-item-src')).toBeVisible();
  await expect(page.getByTestId('coach-session')).toHaveAttribute('data-status', 'none');

  const client = await mcpClient(dataDir);
  try {
    await callToolOk(client, 'paige_start_session', { project_dir: projectDir });
    await callToolOk(client, 'paige_open_file', { path: 'src/app.ts' });
    await callToolOk(client, 'paige_highlight_lines', {
      path: path.join(projectDir, 'src', 'app.ts'),
      ranges: [
        { start: 2, end: 3, style: 'warning', hover_text: HOVER_TEXT },
        { start: 5, end: 5, style: 'info' },
      ],
    });
    await callToolOk(client, 'paige_hint_files', { paths: ['src/app.ts'], style: 'suggested' });
    await callToolOk(client, 'paige_hint_files', { paths: ['src/util/deep.ts'], style: 'error' });
    const shown = await callToolOk(client, 'paige_show_message', {
      message: 'Look at the loop bounds.',
      type: 'hint',
      anchor: { path: 'src/app.ts', start_line: 3, end_line: 3 },
    });
    const messageId = String(shown.message_id);
    await callToolOk(client, 'paige_show_issue_context', {
      title: 'Sum is off by one',
      summary: 'sum() reads past the end of the array.',
      number: 42,
      labels: ['bug'],
      url: 'https://github.com/example/repo/issues/42',
    });

    await expectEffects(page, messageId);
    // The tab came to the front without taking the keyboard: the learner may be typing to Claude Code.
    expect(await page.evaluate(() => document.activeElement?.closest('.monaco-editor') === null)).toBe(true);
    // The second window was on Home: opening a file brought it to the editor too.
    if (second) await expectEffects(second, messageId);

    // Hovering a highlighted line (over its text, moving like a hand would) shows its hover text.
    const line = await page.locator('.monaco-editor .view-line', { hasText: 'let total' }).boundingBox();
    if (!line) throw new Error('line 2 is not rendered');
    await page.mouse.move(line.x + 40, line.y + line.height / 2, { steps: 4 });
    await expect(page.locator('.monaco-hover:not(.hidden)')).toContainText(HOVER_TEXT);

    // Expanded folders show the file-level glows below them.
    await page.getByTestId('tree-item-src').click();
    await expect(page.getByTestId('tree-item-src/app.ts')).toHaveAttribute('data-hint', 'suggested');
    await expect(page.getByTestId('tree-item-src/util')).toHaveAttribute('data-hint', 'error');
    await page.getByTestId('tree-item-src/util').click();
    await expect(page.getByTestId('tree-item-src/util/deep.ts')).toHaveClass(/hint-glow-error/);

    // The session's open files now include the file Claude Code opened, active in the editor.
    await expect
      .poll(async () => (await callToolOk(client, 'paige_get_open_files', {})).files)
      .toEqual([{ path: 'src/app.ts', dirty: false, active: true }]);

    // Dismissing a message in one window removes it in every window.
    await page.getByTestId(`coach-dismiss-${messageId}`).click();
    await expect(page.getByTestId(`coach-message-${messageId}`)).toHaveCount(0);
    if (second) await expect(second.getByTestId(`coach-message-${messageId}`)).toHaveCount(0);

    // Clearing highlights and hints takes them away everywhere.
    await callToolOk(client, 'paige_clear_highlights', { path: 'src/app.ts' });
    await callToolOk(client, 'paige_clear_hints', {});
    for (const p of second ? [page, second] : [page]) {
      await expect(p.locator('.monaco-editor .paige-line-warning')).toHaveCount(0);
      await expect(p.getByTestId('tree-item-src')).not.toHaveAttribute('data-hint', /.+/);
    }
  } finally {
    await client.close();
    await secondContext?.close();
  }
});

test('a file opened and highlighted before the editor code has loaded shows once it loads', async ({ paige }) => {
  test.setTimeout(60_000);
  const { page, dataDir, projectDir, ready } = paige;
  const browser = page.context().browser();
  test.skip(!ready || !browser, 'holds the IDE chunk in a second browser window (headless backend only)');
  fs.mkdirSync(path.join(projectDir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(projectDir, 'src', 'app.ts'), APP_TS);

  // A fresh window whose IDE code (the lazy view and Monaco) is held back until the effects have been sent.
  const context = await browser!.newContext();
  const held = await context.newPage();
  let release = (): void => undefined;
  const gate = new Promise<void>((r) => (release = r));
  const asked: string[] = [];
  await held.route(/\/assets\/(IdeView|monaco-setup)-[^/]+\.js$/, async (route) => {
    asked.push(route.request().url());
    await gate;
    await route.continue();
  });
  await held.goto(ready!.bridgeUrl);
  await expect(held.locator('.header-status')).toHaveAttribute('data-status', 'open');

  const client = await mcpClient(dataDir);
  try {
    await callToolOk(client, 'paige_start_session', { project_dir: projectDir });
    await callToolOk(client, 'paige_open_file', { path: 'src/app.ts' });
    await callToolOk(client, 'paige_highlight_lines', {
      path: 'src/app.ts',
      ranges: [{ start: 5, end: 5, style: 'info' }],
    });
    // The window went to the Workspace and asked for the IDE's code, which is still held.
    await expect.poll(() => asked.length).toBeGreaterThan(0);
    await expect(held.getByTestId('ide-loading')).toBeVisible();
    release();
    await expect(held.getByTestId('tab-src/app.ts')).toHaveAttribute('aria-selected', 'true');
    await expect(held.locator('.monaco-editor .view-lines')).toContainText('let total = 0;');
    await expect(held.locator('.monaco-editor .paige-line-hint')).toHaveCount(1);
  } finally {
    release();
    await client.close();
    await context.close();
  }
});
