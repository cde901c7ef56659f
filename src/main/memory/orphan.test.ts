// A crashed Paige leaves no Chroma server behind: `paige serve` (a real child process) starts its embedded server,
// is killed with SIGKILL, and the server's watchdog ends the server too.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/harness';
import { chromaPids } from './testing/memory-kit';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'src/main/cli/index.ts');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the embedded Chroma server', () => {
  it('ends when the Paige process that started it is killed', async () => {
    const dataDir = tempDir('paige-data-');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CLI, 'serve', '--project', tempDir('paige-proj-'), '--data-dir', dataDir, '--no-terminal'],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PAIGE_MEMORY_MODE: 'embedded' } },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // The memory module logs this once Chroma answers and its collection is open.
    await new Promise<void>((resolve, reject) => {
      let err = '';
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        if (err.includes('"memory index ready"')) resolve();
      });
      child.once('exit', () => reject(new Error(`serve exited: ${err.slice(-2000)}`)));
    });
    const [pid] = chromaPids(dataDir);
    expect(pid).toBeDefined();
    child.kill('SIGKILL');
    await exited;
    // The watchdog checks its parent every second; wait for the server to be gone (no fixed sleep).
    const deadline = Date.now() + 10_000;
    while (alive(pid!) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(alive(pid!)).toBe(false);
  }, 30_000);
});
