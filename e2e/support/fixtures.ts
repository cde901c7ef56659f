// One fixture for both Playwright projects: `browser` runs `paige serve` + Chromium; `electron` launches the app.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { test as base, _electron, type Page } from '@playwright/test';
import { ROOT, electronBinary } from './electron-binary';

export interface PaigeApp {
  page: Page;
  dataDir: string;
  projectDir: string;
  /** The headless server's ready line (browser project only). */
  ready: { bridgeUrl: string; pid: number; startupMs: number } | null;
}

/** Holds what waits on `promise` (a fake model answer) until the test calls `open()`; opened at the end in any case. */
export interface Gate {
  promise: Promise<void>;
  open: () => void;
}

export interface PaigeOptions {
  /** Extra environment for the backend. */
  paigeEnv: Record<string, string>;
  /** Files written into the data dir before start (e.g. a bad settings.json). */
  dataFiles: Record<string, string>;
}

function tempDir(prefix: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

async function startServe(env: Record<string, string>, dataDir: string, projectDir: string) {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'out/main/cli.js'), 'serve', '--project', projectDir, '--data-dir', dataDir],
    {
      // Tests run the production build with output validation on, as development does.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PAIGE_VALIDATE_OUTPUT: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = await new Promise<PaigeApp['ready']>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as PaigeApp['ready']);
    });
    child.once('exit', (code) => reject(new Error(`paige serve exited ${code} before ready:\n${stderr}`)));
  });
  return { child, ready };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

export const test = base.extend<PaigeOptions & { paige: PaigeApp; gate: Gate }>({
  paigeEnv: [{}, { option: true }],
  dataFiles: [{}, { option: true }],
  // eslint-disable-next-line no-empty-pattern
  gate: async ({}, use) => {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    await use({ promise, open: () => open() });
    open();
  },
  // Depends on `playwright`, not `browser`: the electron project must not launch Chromium.
  paige: async ({ playwright, paigeEnv, dataFiles }, use, testInfo) => {
    const dataDir = tempDir('paige-e2e-data-');
    const projectDir = tempDir('paige-e2e-proj-');
    fs.writeFileSync(path.join(projectDir, 'README.md'), '# sample project\n');
    for (const [name, content] of Object.entries(dataFiles)) fs.writeFileSync(path.join(dataDir, name), content);

    if (testInfo.project.name === 'electron') {
      const bin = electronBinary();
      if ('reason' in bin) {
        testInfo.skip(true, `electron project skipped: ${bin.reason}`);
        return;
      }
      const app = await _electron.launch({
        executablePath: bin.path,
        args: [ROOT],
        env: {
          ...process.env,
          PAIGE_VALIDATE_OUTPUT: '1',
          ...paigeEnv,
          PAIGE_DATA_DIR: dataDir,
          PAIGE_PROJECT_DIR: projectDir,
        } as Record<string, string>,
      });
      const page = await app.firstWindow();
      await use({ page, dataDir, projectDir, ready: null });
      await app.close();
      return;
    }

    const { child, ready } = await startServe(paigeEnv, dataDir, projectDir);
    const browser = await playwright.chromium.launch(testInfo.project.use.launchOptions);
    const page = await browser.newPage();
    await page.goto(ready?.bridgeUrl ?? '');
    await use({ page, dataDir, projectDir, ready });
    await browser.close();
    await stop(child);
  },
});

export { expect } from '@playwright/test';
