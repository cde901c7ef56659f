// The IDE end to end: open from the explorer, type, save with the shortcut, and react to edits made outside Paige.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from '../support/fixtures';

const SAVE = process.platform === 'darwin' ? 'Meta+S' : 'Control+S';

async function openReadme(page: Page): Promise<void> {
  await page.getByTestId('nav-workspace').click();
  await expect(page.getByTestId('ide-view')).toBeVisible();
  await page.getByTestId('tree-item-README.md').click();
  await expect(page.getByTestId('tab-README.md')).toBeVisible();
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('sample');
}

/** Types at the end of the document. */
async function typeAtEnd(page: Page, text: string): Promise<void> {
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
}

test('open a file from the explorer, type, see dirty state and status bar, save with the shortcut', async ({
  paige,
}) => {
  const { page, projectDir } = paige;
  // Monaco and its worker load from the bundle under the app's CSP: no errors, nothing fetched from elsewhere.
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('request', (r) => {
    if (!r.url().startsWith('http://127.0.0.1') && !r.url().startsWith('ws://127.0.0.1')) problems.push(r.url());
  });
  await openReadme(page);
  await expect(page.getByTestId('status-language')).toHaveText('markdown');
  await expect(page.getByTestId('status-dirty')).toHaveText('All saved');

  await typeAtEnd(page, 'EDITEDBYTEST');
  await expect(page.getByTestId('dirty-README.md')).toBeVisible();
  await expect(page.getByTestId('status-dirty')).toHaveText('1 unsaved');
  await expect(page.getByTestId('status-cursor')).toHaveText(/Ln 2, Col 13/);

  await page.keyboard.press(SAVE);
  await expect(page.getByTestId('dirty-README.md')).toHaveCount(0);
  await expect(page.getByTestId('status-dirty')).toHaveText('All saved');
  expect(fs.readFileSync(path.join(projectDir, 'README.md'), 'utf8')).toBe('# sample project\nEDITEDBYTEST');
  // The Landing view is still one click away.
  await page.getByTestId('nav-home').click();
  await expect(page.getByTestId('backend-status')).toBeVisible();
  await page.getByTestId('nav-workspace').click();
  await expect(page.getByTestId('tab-README.md')).toBeVisible();
  expect(problems).toEqual([]);
});

test('an external edit reloads a clean buffer; on a dirty buffer it asks', async ({ paige }, testInfo) => {
  const { page, projectDir } = paige;
  const file = path.join(projectDir, 'README.md');
  await openReadme(page);

  const t0 = Date.now();
  fs.writeFileSync(file, '# CHANGEDOUTSIDE\n');
  await page.waitForFunction(
    () => document.querySelector('.monaco-editor .view-lines')?.textContent?.includes('CHANGEDOUTSIDE') ?? false,
    null,
    { polling: 'raf', timeout: 5_000 },
  );
  const latencyMs = Date.now() - t0;
  testInfo.annotations.push({ type: 'external-edit-latency-ms', description: String(latencyMs) });
  console.log(`[measure] external edit → editor reloaded in ${latencyMs} ms`);
  await expect(page.getByTestId('dirty-README.md')).toHaveCount(0);

  await typeAtEnd(page, 'MINE');
  await expect(page.getByTestId('dirty-README.md')).toBeVisible();
  fs.writeFileSync(file, '# THEIRS\n');
  await expect(page.getByTestId('conflict-prompt')).toBeVisible();
  // The learner's text is untouched until they choose.
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('MINE');
  await page.getByTestId('conflict-reload').click();
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('THEIRS');
  await expect(page.getByTestId('dirty-README.md')).toHaveCount(0);
});

test('closing a tab with unsaved edits asks first; keeping my edits then saving overwrites', async ({ paige }) => {
  const { page, projectDir } = paige;
  await openReadme(page);
  await typeAtEnd(page, 'UNSAVED');
  await page.getByTestId('close-README.md').click();
  await expect(page.getByTestId('unsaved-prompt')).toBeVisible();
  await page.getByTestId('unsaved-cancel').click();
  await expect(page.getByTestId('tab-README.md')).toBeVisible();

  fs.writeFileSync(path.join(projectDir, 'README.md'), 'other\n');
  await expect(page.getByTestId('conflict-prompt')).toBeVisible();
  await page.getByTestId('conflict-keep').click();
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press(SAVE);
  await expect(page.getByTestId('dirty-README.md')).toHaveCount(0);
  expect(fs.readFileSync(path.join(projectDir, 'README.md'), 'utf8')).toContain('UNSAVED');

  await typeAtEnd(page, 'X');
  await page.getByTestId('close-README.md').click();
  await page.getByTestId('unsaved-discard').click();
  await expect(page.getByTestId('tab-README.md')).toHaveCount(0);
  expect(fs.readFileSync(path.join(projectDir, 'README.md'), 'utf8')).not.toContain('UNSAVEDX');
});

test('the explorer follows files created and deleted on disk and keeps folders expanded', async ({ paige }) => {
  const { page, projectDir } = paige;
  fs.mkdirSync(path.join(projectDir, 'src'));
  fs.writeFileSync(path.join(projectDir, 'src', 'a.ts'), 'export {};\n');
  await page.getByTestId('nav-workspace').click();
  await page.getByTestId('tree-item-src').click();
  await expect(page.getByTestId('tree-item-src/a.ts')).toBeVisible();
  fs.writeFileSync(path.join(projectDir, 'src', 'b.ts'), 'export {};\n');
  await expect(page.getByTestId('tree-item-src/b.ts')).toBeVisible();
  fs.rmSync(path.join(projectDir, 'src', 'a.ts'));
  await expect(page.getByTestId('tree-item-src/a.ts')).toHaveCount(0);
  await expect(page.getByTestId('tree-item-src/b.ts')).toBeVisible();
  // The terminal panel sits below the editor, and the panes resize by dragging their dividers.
  await expect(page.locator('.ide-bottom')).toBeVisible();
  const explorer = page.locator('.ide-explorer');
  const before = (await explorer.boundingBox())?.width ?? 0;
  const handle = await page.getByTestId('resize-explorer').boundingBox();
  if (!handle) throw new Error('no explorer resize handle');
  await page.mouse.move(handle.x + handle.width / 2, handle.y + 100);
  await page.mouse.down();
  await page.mouse.move(handle.x + handle.width / 2 + 80, handle.y + 100, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => (await explorer.boundingBox())?.width ?? 0).toBeGreaterThan(before + 60);
});
