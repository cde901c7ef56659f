// `npm start` where Electron cannot launch (no display): one line saying so, the headless backend with its URL, and
// a signal to the start script stops everything cleanly. Needs no browser, so it runs once, in the `browser` project.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { test, expect } from '@playwright/test';
import { ROOT } from '../support/electron-binary';

test.beforeEach(() => {
  test.skip(test.info().project.name !== 'browser', 'runs once, in the browser project');
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`without a display npm start falls back to paige serve, and ${signal} to it exits 0`, async () => {
    // start.mjs rebuilds first when sources are newer than out/ (not the case right after `npm test`'s build).
    test.setTimeout(180_000);
    const tmp = (p: string): string => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), p)));
    const projectDir = tmp('paige-start-proj-');
    const dataDir = tmp('paige-start-data-');
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'scripts/start.mjs'), '--project', projectDir, '--data-dir', dataDir, '--no-terminal'],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    await expect.poll(() => stdout, { timeout: 150_000 }).toContain('"event":"ready"');
    const notice = stderr.split('\n').filter((l) => l.startsWith('Electron cannot launch here'));
    expect(notice).toHaveLength(1);
    const ready = JSON.parse(stdout.split('\n').find((l) => l.startsWith('{')) ?? '{}') as { bridgeUrl?: string };
    expect(ready.bridgeUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/);
    const health = await fetch(new URL('/healthz', ready.bridgeUrl));
    expect(health.status).toBe(200);

    child.kill(signal);
    // Shutdown has a 5 s deadline (docs/reliability.md); give a busy machine twice that before calling it a hang.
    const deadline = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 10_000).unref());
    const outcome = await Promise.race([exited, deadline]);
    if (outcome === 'hung') child.kill('SIGKILL');
    expect(outcome).toBe(0);
    // The backend shut down too: its port no longer answers.
    await expect(fetch(new URL('/healthz', ready.bridgeUrl))).rejects.toThrow();
    fs.rmSync(projectDir, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
}
