// `npm start`: opens the Electron app when it can run on this machine, otherwise starts `paige serve` for a browser.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureElectronSqlite } from './electron-native.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The lazy Electron download gets this long before we give up and go headless. */
const INSTALL_TIMEOUT_MS = 180_000;
/** A terminal Ctrl+C reaches us twice (tty + npm forwarding); signals this close together count once. */
const SIGNAL_DEDUPE_MS = 200;
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Why Electron cannot start here, or null when it can. */
export function electronLaunchProblem({ platform, env, binaryExists }) {
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return 'no DISPLAY or WAYLAND_DISPLAY';
  if (!binaryExists) return 'the Electron binary is not installed and could not be downloaded';
  return null;
}

/** Where node_modules/electron keeps its binary (same rules as electron/index.js, without its download side effect). */
export function electronBinaryPath(root, env) {
  const pkgDir = path.join(root, 'node_modules', 'electron');
  let relative;
  try {
    relative = fs.readFileSync(path.join(pkgDir, 'path.txt'), 'utf8').trim();
  } catch {
    return null;
  }
  if (relative === '') return null;
  const dist = env.ELECTRON_OVERRIDE_DIST_PATH || path.join(pkgDir, 'dist');
  return path.join(dist, relative);
}

export function electronVersion(root) {
  return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
}

const PATH_FLAGS = new Set(['--project', '--data-dir']);

/**
 * Splits our argv into the project dir (if given) and the rest, with path flags made absolute against `baseDir`
 * (npm runs scripts from the package root, so relative paths must be read from where the user typed them).
 */
export function splitArgs(argv, baseDir) {
  let project;
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (!PATH_FLAGS.has(name)) {
      rest.push(arg);
      continue;
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '') continue;
    const absolute = path.resolve(baseDir, value);
    if (name === '--project') project = absolute;
    else rest.push(name, absolute);
  }
  return { project, rest };
}

/** `--project`, else PAIGE_PROJECT_DIR, else the directory `npm start` was typed in. */
export function headlessProjectDir(project, env, cwd) {
  if (project) return project;
  if (env.PAIGE_PROJECT_DIR) return path.resolve(env.INIT_CWD || cwd, env.PAIGE_PROJECT_DIR);
  return env.INIT_CWD || cwd;
}

export function headlessNotice(reason) {
  const oneLine = reason.replace(/\s+/g, ' ').trim();
  return `Electron cannot launch here (${oneLine}); starting Paige headless — open the URL below in a browser.`;
}

/** Exit code for a child that ended with `code` or was killed by `signal` (shell convention 128 + n). */
export function exitCodeFor(code, signal) {
  if (code !== null && code !== undefined) return code;
  const n = signal ? os.constants.signals[signal] : undefined;
  return n ? 128 + n : 1;
}

/**
 * Runs a child with inherited stdio and relays our signals to it exactly once each. On POSIX the child gets its
 * own process group so a terminal Ctrl+C is not delivered to it twice (Paige treats a second SIGINT as "exit now").
 */
export function runChild(cmd, args, { env, cwd = ROOT } = {}) {
  return new Promise((resolve) => {
    const ownGroup = process.platform !== 'win32';
    // stdin is not passed: a child in a background process group that reads the tty would be stopped (SIGTTIN).
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'], detached: ownGroup });
    const last = new Map();
    const relay = (signal) => {
      const now = Date.now();
      if (now - (last.get(signal) ?? 0) < SIGNAL_DEDUPE_MS) return;
      last.set(signal, now);
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    const handlers = FORWARDED_SIGNALS.map((signal) => {
      const handler = () => relay(signal);
      process.on(signal, handler);
      return [signal, handler];
    });
    // If we die first, do not leave an orphaned app running in its own process group.
    const killOnExit = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    };
    process.on('exit', killOnExit);
    const done = (code) => {
      for (const [signal, handler] of handlers) process.off(signal, handler);
      process.off('exit', killOnExit);
      resolve(code);
    };
    child.on('error', (err) => {
      console.error(`Could not start ${cmd}: ${err.message}`);
      done(1);
    });
    child.on('exit', (code, signal) => done(exitCodeFor(code, signal)));
  });
}

/** Tries electron's own lazy download once; its output is dropped so the fallback notice stays one line. */
function tryInstallElectron(root, env) {
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'electron', 'install.js')], {
    cwd: root,
    env,
    stdio: 'ignore',
    timeout: INSTALL_TIMEOUT_MS,
  });
  return result.status === 0;
}

function findElectron(root, env) {
  const existing = electronBinaryPath(root, env);
  if (existing && fs.existsSync(existing)) return existing;
  if (!tryInstallElectron(root, env)) return null;
  const installed = electronBinaryPath(root, env);
  return installed && fs.existsSync(installed) ? installed : null;
}

async function runHeadless(reason, project, rest, env) {
  process.stderr.write(`${headlessNotice(reason)}\n`);
  const dir = headlessProjectDir(project, env, process.cwd());
  const built = await runChild(process.execPath, [path.join(ROOT, 'scripts', 'serve.mjs'), '--build-only'], { env });
  if (built !== 0) return built;
  // The CLI runs as our direct child: signals we relay reach it (serve.mjs leaves Ctrl-C to the terminal's group).
  return runChild(process.execPath, [path.join(ROOT, 'out', 'main', 'cli.js'), 'serve', '--project', dir, ...rest], {
    env,
  });
}

export async function main(argv = process.argv.slice(2), env = process.env) {
  const { project, rest } = splitArgs(argv, env.INIT_CWD || process.cwd());
  // Checked before the binary so a machine without a display never waits on a download it cannot use.
  const displayProblem = electronLaunchProblem({ platform: process.platform, env, binaryExists: true });
  if (displayProblem) return runHeadless(displayProblem, project, rest, env);
  const binary = findElectron(ROOT, env);
  const problem = electronLaunchProblem({ platform: process.platform, env, binaryExists: binary !== null });
  if (problem || binary === null) return runHeadless(problem ?? 'no Electron binary', project, rest, env);

  try {
    await ensureElectronSqlite({
      root: ROOT,
      electronVersion: electronVersion(ROOT),
      env,
      log: (m) => console.error(m),
    });
  } catch (err) {
    const firstLine = String(err instanceof Error ? err.message : err).split('\n')[0];
    return runHeadless(firstLine, project, rest, env);
  }

  const built = await runChild(process.execPath, [path.join(ROOT, 'scripts', 'serve.mjs'), '--build-only'], { env });
  if (built !== 0) return built;

  const electronEnv = { ...env };
  // Set in the parent (e.g. by a tool running under Electron), it would turn the app into a plain Node process.
  delete electronEnv.ELECTRON_RUN_AS_NODE;
  const projectArgs = project ? ['--project', project] : [];
  return runChild(binary, [ROOT, ...projectArgs, ...rest], { env: electronEnv });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
