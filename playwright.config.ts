// Two projects run the same specs: `browser` (headless backend + Debian Chromium, runs everywhere) and `electron`
// (the real app, only where an Electron binary and a display exist; otherwise each test is skipped with the reason).
import { defineConfig } from '@playwright/test';
import { electronBinary } from './e2e/support/electron-binary';

const CHROMIUM = process.env.PAIGE_CHROMIUM ?? '/usr/bin/chromium';
const electron = electronBinary();
if ('reason' in electron) process.stderr.write(`[e2e] electron project: skipped (${electron.reason})\n`);

export default defineConfig({
  testDir: './e2e/specs',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  projects: [
    {
      name: 'browser',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: CHROMIUM,
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
    { name: 'electron' },
  ],
});
