// Read commands load only what they need: no Electron, MCP SDK, terminal host, watcher or app core in the process.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { LogLevelSchema } from '../../../shared/settings/schema';
import { LOG_LEVELS } from '../args';
import { tempDir } from '../../testing/harness';
import { seedDataDir, type Seeded } from './seed-data-dir';
import { BIN, ROOT, baseEnv, ensureBuilt } from './run-cli';

const BUILD_TIMEOUT_MS = 240_000;
const FORBIDDEN = [
  /@modelcontextprotocol/,
  /^electron$/,
  /node-pty/,
  /@xterm/,
  /^ws$/,
  /chokidar/,
  /\/serve-[\w-]+\.js$/,
  /static-files/,
];

let seeded: Seeded;
beforeAll(() => {
  ensureBuilt();
  seeded = seedDataDir(tempDir('paige-cli-light-'), tempDir('paige-cli-light-proj-'));
}, BUILD_TIMEOUT_MS);

/** Every module id the command asked Node to load, recorded by a preloaded hook. */
function modulesLoadedBy(args: string[]): string[] {
  const dir = tempDir('paige-cli-trace-');
  const hook = path.join(dir, 'trace.cjs');
  const out = path.join(dir, 'loaded.txt');
  fs.writeFileSync(
    hook,
    `const M = require('module'); const fs = require('fs'); const seen = [];
     const orig = M._load; M._load = function (req) { seen.push(req); return orig.apply(this, arguments); };
     process.on('exit', () => fs.writeFileSync(${JSON.stringify(out)}, seen.join('\\n')));`,
  );
  try {
    execFileSync(process.execPath, ['--require', hook, BIN, ...args], { cwd: ROOT, env: baseEnv(), stdio: 'ignore' });
  } catch {
    // The exit code does not matter here, only what was loaded.
  }
  return fs.readFileSync(out, 'utf8').split('\n');
}

describe('what a read command loads', () => {
  it.each([
    ['status', ['status', '--json']],
    ['sessions list', ['sessions', 'list']],
    ['search', ['search', 'tokenizer']],
    ['export', ['export', '2']],
  ])('%s loads no app core, MCP SDK, Electron or terminal code', (_name, args) => {
    const loaded = modulesLoadedBy([...args, '--data-dir', seeded.dataDir]);
    expect(loaded).toContain('better-sqlite3');
    for (const pattern of FORBIDDEN) expect(loaded.filter((m) => pattern.test(m))).toEqual([]);
  });

  it('the hook does see the heavy modules when serve loads them', () => {
    const loaded = modulesLoadedBy([
      'serve',
      '--project',
      '/nonexistent-paige-project',
      '--data-dir',
      tempDir('paige-cli-light-d-'),
    ]);
    expect(loaded.some((m) => /\/serve-[\w-]+\.js$/.test(m))).toBe(true);
    // The watcher loads with the app core (the bridge's WebSocket library only after the ready line, which this
    // failing start never reaches); a read command must see neither.
    expect(loaded.some((m) => /chokidar/.test(m))).toBe(true);
  });
});

describe('argument parsing', () => {
  it('knows the same log levels as the settings schema', () => {
    expect([...LOG_LEVELS]).toEqual(LogLevelSchema.options);
  });
});
