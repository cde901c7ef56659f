// Smoke: the app opens on the Landing view with live backend data, and its basic flows work end to end.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSampleRepo } from '../fixtures/sample-repo';
import { test, expect } from '../support/fixtures';
import { callToolOnce } from '../support/mcp-client';

const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { version: string };

test('Landing shows live backend status, the open project and the session state', async ({ paige }) => {
  const { page, projectDir } = paige;
  await expect(page.getByTestId('backend-status')).toBeVisible();
  await expect(page.getByTestId('app-version')).toHaveText(new RegExp(pkg.version.replace(/\./g, '\\.')));
  await expect(page.getByTestId('db-schema-version')).toHaveText(/10/);
  await expect(page.getByTestId('current-project')).toContainText(projectDir);
  await expect(page.getByTestId('session-state')).toContainText(/No active coaching session/i);
  if (paige.ready) {
    // The token left the address bar once read.
    expect(page.url()).not.toContain('token=');
  }
});

test('Home points to the next step: pick an issue, then continue the active session', async ({ paige }) => {
  const { page, dataDir, projectDir } = paige;
  createSampleRepo(projectDir);
  await expect(page.getByTestId('session-empty')).toBeVisible();
  await expect(page.getByTestId('session-continue')).toHaveCount(0);
  await page.getByTestId('next-step-pick-issue').click();
  await expect(page.getByTestId('nav-issues')).toHaveAttribute('aria-current', 'true');
  await expect(page.getByTestId('issues-view')).toBeVisible();

  await callToolOnce(dataDir, 'paige_start_session', { project_dir: projectDir });
  await page.getByTestId('nav-home').click();
  await expect(page.getByTestId('session-status')).toHaveText('active');
  await expect(page.getByTestId('next-step-pick-issue')).toHaveCount(0);
  await page.getByTestId('session-continue').click();
  await expect(page.getByTestId('nav-workspace')).toHaveAttribute('aria-current', 'true');
});

test('the safety mode explains itself under the field', async ({ paige }) => {
  const help = paige.page.getByTestId('setting-help-safety.mode');
  await expect(help).toHaveText('Claude Code may read and run read-only commands; it cannot edit your files.');
  await paige.page.getByTestId('setting-safety.mode').selectOption('standard');
  await expect(help).toContainText('asks before risky ones');
});

test('opening a folder makes it current and lists it under recent projects; a bad path explains itself', async ({
  paige,
}) => {
  const { page } = paige;
  const other = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'paige-e2e-other-')));
  await page.getByTestId('project-path-input').fill(other);
  await page.getByTestId('project-open-button').click();
  await expect(page.getByTestId('current-project')).toContainText(other);
  await expect(page.getByTestId('recent-projects')).toContainText(path.basename(other));

  await page.getByTestId('project-path-input').fill('/definitely/not/here');
  await page.getByTestId('project-open-button').click();
  await expect(page.getByTestId('project-open-error')).toContainText(/not found/i);
  await expect(page.getByTestId('current-project')).toContainText(other);
});

test.describe('with an environment override', () => {
  test.use({ paigeEnv: { PAIGE_HINT_LEVEL_DEFAULT: 'high' } });

  test('the overridden setting is shown read-only, and settings no feature reads are not shown', async ({ paige }) => {
    const input = paige.page.getByTestId('setting-hints.defaultLevel');
    await expect(input).toBeDisabled();
    await expect(input).toHaveValue('high');
    await expect(paige.page.getByTestId('settings-panel')).toContainText(/env/);
    await expect(paige.page.getByTestId('setting-logging.level')).toBeEnabled();
    // The observer reads its settings, so they are shown; no module reads the memory embedder, so it is not.
    await expect(paige.page.getByTestId('setting-observer.cooldownMs')).toHaveValue('120000');
    await expect(paige.page.getByTestId('setting-observer.confidence')).toHaveValue('0.7');
    // A decimal setting saves as a number; out of range it is refused next to the field.
    await paige.page.getByTestId('setting-observer.confidence').fill('1.5');
    await paige.page.getByTestId('settings-save').click();
    await expect(paige.page.getByTestId('setting-error-observer.confidence')).toHaveText('must be at most 1');
    // Save says which settings need fixing, next to the button.
    await expect(paige.page.getByTestId('settings-error-summary')).toHaveText(
      '1 setting needs fixing: Nudge confidence',
    );
    await paige.page.getByTestId('setting-observer.cooldownMs').fill('5');
    await paige.page.getByTestId('settings-save').click();
    await expect(paige.page.getByTestId('setting-error-observer.cooldownMs')).toHaveText(
      'must be at least 10 000 ms (10 s)',
    );
    await expect(paige.page.getByTestId('settings-error-summary')).toHaveText(
      '2 settings need fixing: Observer cooldown, Nudge confidence',
    );
    await paige.page.getByTestId('setting-observer.cooldownMs').fill('120000');
    await paige.page.getByTestId('setting-observer.confidence').fill('0.8');
    await paige.page.getByTestId('settings-save').click();
    await expect(paige.page.getByTestId('settings-saved')).toBeVisible();
    await expect(paige.page.getByTestId('setting-error-observer.confidence')).toHaveCount(0);
    await expect(paige.page.getByTestId('settings-error-summary')).toHaveCount(0);
    await expect(paige.page.getByTestId('setting-observer.confidence')).toHaveValue('0.8');
    await expect(paige.page.getByTestId('setting-memory.mode')).toBeVisible();
    // Memory's live state: the embedded Chroma server starts after the ready line and the status line follows it.
    await expect(paige.page.getByTestId('memory-status')).toHaveAttribute('data-backend', 'chroma');
    await expect(paige.page.getByTestId('memory-status')).toContainText('embedded Chroma');
    await expect(paige.page.getByTestId('setting-memory.embedder')).toHaveCount(0);
  });
});

test.describe('with an invalid settings file', () => {
  test.use({ dataFiles: { 'settings.json': '{"hints": {"defaultLevel": "maximum"}}' } });

  test('SETTINGS_INVALID is surfaced and the app still works on defaults', async ({ paige }) => {
    await expect(paige.page.getByTestId('app-error')).toContainText('SETTINGS_INVALID');
    await expect(paige.page.getByTestId('backend-status')).toBeVisible();
    expect(fs.readdirSync(paige.dataDir).some((f) => f.startsWith('settings.invalid-'))).toBe(true);
  });
});

test('the page has an icon: /favicon.ico is served', async ({ paige }) => {
  test.skip(!paige.ready, 'the headless backend serves the icon over HTTP');
  const res = await paige.page.request.get(new URL('/favicon.ico', paige.ready!.bridgeUrl).href);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toBe('image/x-icon');
});
