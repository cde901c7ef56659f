// Builds better-sqlite3 for Electron's ABI into `.native/electron-<ver>/` from a scratch copy, so the Node-ABI build
// in node_modules (which `npm test` and `paige serve` load) is never touched.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Compiling SQLite from source takes minutes on a slow machine; a hung download should not block forever. */
const BUILD_TIMEOUT_MS = 15 * 60 * 1000;
/** How much of a failed build's output is kept in the error message. */
const OUTPUT_TAIL_CHARS = 2000;

export function electronSqlitePath(root, electronVersion) {
  return path.join(root, '.native', `electron-${electronVersion}`, 'better_sqlite3.node');
}

/**
 * Environment for `npm run install` in the scratch copy: prebuild-install fetches an Electron prebuilt and node-gyp
 * falls back to Electron's headers. A `nodedir` (set in this machine's npmrc) would make node-gyp compile against
 * Node's headers instead, so it is cleared here and on the command line.
 */
export function electronBuildEnv(baseEnv, electronVersion) {
  const env = { ...baseEnv };
  for (const key of Object.keys(env)) {
    const lower = key.toLowerCase();
    if (lower === 'npm_config_build_from_source' || lower === 'npm_config_nodedir') delete env[key];
  }
  env.npm_config_runtime = 'electron';
  env.npm_config_target = electronVersion;
  env.npm_config_disturl = 'https://electronjs.org/headers';
  return env;
}

/** Runs npm through the npm that started us when there is one (works on Windows without a shell). */
function npmCommand(env) {
  const execPath = env.npm_execpath;
  if (execPath && /npm-cli\.c?js$/.test(execPath)) return { cmd: process.execPath, pre: [execPath] };
  return { cmd: process.platform === 'win32' ? 'npm.cmd' : 'npm', pre: [] };
}

function run(cmd, args, opts) {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32' && cmd.endsWith('.cmd'),
    });
    const keep = (chunk) => {
      output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: -1, output: `${output}\n${err.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? -1 : 0), output });
    });
  });
}

/**
 * Returns the path of an Electron-ABI `better_sqlite3.node`, building it on first use.
 * Throws when neither a prebuilt nor a source build is possible (e.g. offline without cached headers).
 */
export async function ensureElectronSqlite({ root, electronVersion, log = () => {}, env = process.env }) {
  const target = electronSqlitePath(root, electronVersion);
  if (fs.existsSync(target)) return target;

  const source = path.join(root, 'node_modules', 'better-sqlite3');
  if (!fs.existsSync(path.join(source, 'package.json'))) throw new Error(`${source} is missing; run npm install`);
  const nativeDir = path.join(root, '.native');
  fs.mkdirSync(nativeDir, { recursive: true });
  // Under the project root so npm's PATH walk finds node_modules/.bin/prebuild-install.
  const scratch = fs.mkdtempSync(path.join(nativeDir, 'tmp-'));
  try {
    // realpath + dereference: node_modules/better-sqlite3 may be a symlink (linked installs), and cpSync would
    // otherwise copy the link itself.
    const realSource = fs.realpathSync(source);
    const excluded = path.join(realSource, 'build');
    fs.cpSync(realSource, scratch, { recursive: true, dereference: true, filter: (file) => file !== excluded });
    log(`Building better-sqlite3 for Electron ${electronVersion} (one time)…`);
    const npm = npmCommand(env);
    const result = await run(npm.cmd, [...npm.pre, 'run', 'install', '--nodedir='], {
      cwd: scratch,
      env: electronBuildEnv(env, electronVersion),
      timeoutMs: BUILD_TIMEOUT_MS,
    });
    const built = path.join(scratch, 'build', 'Release', 'better_sqlite3.node');
    if (result.code !== 0 || !fs.existsSync(built)) {
      throw new Error(
        `better-sqlite3 could not be built for Electron ${electronVersion} (exit ${result.code})\n${result.output.trim()}`,
      );
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    // Copy then rename, so a concurrent start never loads a half-written binary.
    const partial = `${target}.${process.pid}.partial`;
    fs.copyFileSync(built, partial);
    fs.renameSync(partial, target);
    log(`better-sqlite3 for Electron ${electronVersion} is ready.`);
    return target;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
