import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { electronBuildEnv, electronSqlitePath, ensureElectronSqlite } from './electron-native.mjs';
import {
  electronBinaryPath,
  electronLaunchProblem,
  exitCodeFor,
  headlessNotice,
  headlessProjectDir,
  runChild,
  splitArgs,
} from './start.mjs';

const temps: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paige-start-'));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('electronLaunchProblem', () => {
  it('needs a display on Linux', () => {
    expect(electronLaunchProblem({ platform: 'linux', env: {}, binaryExists: true })).toMatch(/DISPLAY/);
    expect(electronLaunchProblem({ platform: 'linux', env: { DISPLAY: ':0' }, binaryExists: true })).toBeNull();
    expect(
      electronLaunchProblem({ platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0' }, binaryExists: true }),
    ).toBeNull();
    expect(electronLaunchProblem({ platform: 'darwin', env: {}, binaryExists: true })).toBeNull();
  });

  it('needs the binary', () => {
    expect(electronLaunchProblem({ platform: 'darwin', env: {}, binaryExists: false })).toMatch(/binary/);
  });
});

describe('electronBinaryPath', () => {
  it('reads path.txt like electron/index.js does, without downloading', () => {
    const root = tempDir();
    expect(electronBinaryPath(root, {})).toBeNull();
    const pkg = path.join(root, 'node_modules', 'electron');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, 'path.txt'), 'electron');
    expect(electronBinaryPath(root, {})).toBe(path.join(pkg, 'dist', 'electron'));
    expect(electronBinaryPath(root, { ELECTRON_OVERRIDE_DIST_PATH: '/opt/e' })).toBe(path.join('/opt/e', 'electron'));
  });
});

describe('argument handling', () => {
  it('resolves path flags against the directory npm start was typed in', () => {
    expect(splitArgs(['--project', 'demo', '--data-dir=d', '--log-level', 'debug'], '/home/u')).toEqual({
      project: path.resolve('/home/u/demo'),
      rest: ['--data-dir', path.resolve('/home/u/d'), '--log-level', 'debug'],
    });
    expect(splitArgs([], '/x')).toEqual({ project: undefined, rest: [] });
  });

  it('picks the headless project from the flag, then PAIGE_PROJECT_DIR, then INIT_CWD, then cwd', () => {
    expect(headlessProjectDir('/flag', { PAIGE_PROJECT_DIR: '/env' }, '/cwd')).toBe('/flag');
    expect(headlessProjectDir(undefined, { PAIGE_PROJECT_DIR: '/env', INIT_CWD: '/init' }, '/cwd')).toBe('/env');
    expect(headlessProjectDir(undefined, { INIT_CWD: '/init' }, '/cwd')).toBe('/init');
    expect(headlessProjectDir(undefined, {}, '/cwd')).toBe('/cwd');
  });

  it('prints a single-line fallback notice', () => {
    const line = headlessNotice('no DISPLAY\nor WAYLAND_DISPLAY');
    expect(line).toBe(
      'Electron cannot launch here (no DISPLAY or WAYLAND_DISPLAY); starting Paige headless — open the URL below in a browser.',
    );
    expect(line).not.toContain('\n');
  });
});

describe('runChild', () => {
  it('exits with the child code', async () => {
    await expect(runChild(process.execPath, ['-e', 'process.exit(3)'], { env: process.env })).resolves.toBe(3);
  });

  it('relays a burst of SIGTERMs to the child once and reports its exit', async () => {
    const ready = path.join(tempDir(), 'ready');
    // The child exits with 40 + the number of SIGTERMs it saw, shortly after the first.
    const script = [
      'let n = 0;',
      "process.on('SIGTERM', () => { n += 1; setTimeout(() => process.exit(40 + n), 300); });",
      `require('fs').writeFileSync(${JSON.stringify(ready)}, '');`,
      'setInterval(() => {}, 1000);',
    ].join('\n');
    const before = process.listenerCount('SIGTERM');
    const pending = runChild(process.execPath, ['-e', script], { env: process.env });
    await expect.poll(() => fs.existsSync(ready), { timeout: 10_000 }).toBe(true);
    process.emit('SIGTERM', 'SIGTERM');
    process.emit('SIGTERM', 'SIGTERM');
    await expect(pending).resolves.toBe(41);
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });

  it('maps signals to 128 + n', () => {
    expect(exitCodeFor(null, 'SIGINT')).toBe(130);
    expect(exitCodeFor(0, null)).toBe(0);
    expect(exitCodeFor(null, null)).toBe(1);
  });
});

describe('ensureElectronSqlite', () => {
  it('builds the scratch copy with Electron settings and leaves node_modules untouched', async () => {
    const root = tempDir();
    const pkg = path.join(root, 'node_modules', 'better-sqlite3');
    fs.mkdirSync(path.join(pkg, 'build', 'Release'), { recursive: true });
    fs.writeFileSync(path.join(pkg, 'build', 'Release', 'better_sqlite3.node'), 'node-abi');
    // Stands in for `prebuild-install || node-gyp rebuild`: records the settings the build would see.
    const fakeBuild = [
      "const fs = require('fs');",
      "if (fs.existsSync('build')) throw new Error('build/ was copied');",
      "fs.mkdirSync('build/Release', { recursive: true });",
      'const e = process.env;',
      "fs.writeFileSync('build/Release/better_sqlite3.node', [e.npm_config_runtime, e.npm_config_target, e.npm_config_disturl, e.npm_config_nodedir || '', e.npm_config_build_from_source || ''].join('|'));",
    ].join('\n');
    fs.writeFileSync(path.join(pkg, 'fake-build.js'), fakeBuild);
    fs.writeFileSync(
      path.join(pkg, 'package.json'),
      JSON.stringify({ name: 'better-sqlite3', version: '0.0.0', scripts: { install: 'node fake-build.js' } }),
    );
    const logs: string[] = [];
    const env = { ...process.env, npm_config_build_from_source: 'true', npm_config_nodedir: '/usr' };
    const file = await ensureElectronSqlite({ root, electronVersion: '42.1.0', env, log: (m) => logs.push(m) });

    expect(file).toBe(electronSqlitePath(root, '42.1.0'));
    expect(fs.readFileSync(file, 'utf8')).toBe('electron|42.1.0|https://electronjs.org/headers||');
    expect(fs.readFileSync(path.join(pkg, 'build', 'Release', 'better_sqlite3.node'), 'utf8')).toBe('node-abi');
    expect(fs.readdirSync(path.join(root, '.native'))).toEqual(['electron-42.1.0']);
    expect(logs.length).toBeGreaterThan(0);

    // Second call reuses the binary without building.
    fs.rmSync(path.join(pkg, 'fake-build.js'));
    await expect(ensureElectronSqlite({ root, electronVersion: '42.1.0', env })).resolves.toBe(file);
  });

  it('fails with the build output and cleans up when the build fails', async () => {
    const root = tempDir();
    const pkg = path.join(root, 'node_modules', 'better-sqlite3');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(
      path.join(pkg, 'package.json'),
      JSON.stringify({
        name: 'better-sqlite3',
        version: '0.0.0',
        scripts: { install: 'node -e "console.error(\'no headers\');process.exit(1)"' },
      }),
    );
    await expect(ensureElectronSqlite({ root, electronVersion: '42.1.0', env: process.env })).rejects.toThrow(
      /could not be built[\s\S]*no headers/,
    );
    expect(fs.readdirSync(path.join(root, '.native'))).toEqual([]);
  });

  it('drops build-from-source and nodedir from the build env', () => {
    const env = electronBuildEnv(
      { npm_config_build_from_source: 'true', NPM_CONFIG_NODEDIR: '/usr', PATH: '/bin' },
      '1.2.3',
    );
    expect(env).toEqual({
      PATH: '/bin',
      npm_config_runtime: 'electron',
      npm_config_target: '1.2.3',
      npm_config_disturl: 'https://electronjs.org/headers',
    });
  });
});
