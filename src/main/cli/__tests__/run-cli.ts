// Runs the built `bin/paige.js` as a child process (building first when the sources are newer than out/).
import path from 'node:path';
import { execFile, spawnSync } from 'node:child_process';

export const ROOT = path.resolve(__dirname, '../../../..');
export const BIN = path.join(ROOT, 'bin/paige.js');

/** Brings out/ up to date the way `npm run serve` does; a no-op when nothing changed. */
export function ensureBuilt(): void {
  const res = spawnSync(process.execPath, [path.join(ROOT, 'scripts/serve.mjs'), '--build-only'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`build failed:\n${res.stderr}`);
}

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  uid?: number;
  gid?: number;
  cwd?: string;
}

/** A minimal environment, so the developer's own PAIGE_* or ANTHROPIC_* variables never leak into a test. */
export function baseEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };
}

export function runCli(args: string[], opts: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: opts.cwd ?? ROOT,
        env: { ...baseEnv(), ...opts.env } as NodeJS.ProcessEnv,
        ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.gid ?? opts.uid } : {}),
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}
