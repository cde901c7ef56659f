// `paige serve`: AppCore in plain Node plus the bridge, a ready line on stdout, and signal-driven shutdown.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { AppCore, headlessPlatform, type StartStep } from '../app';
import { paigeModules } from '../app-modules';
import type { BridgeServer } from '../bridge/bridge-server';
import { DataDirError, dataDirProblem, resolveDataDir } from '../config/data-dir';
import { validatesOutput } from '../dev-mode';
import { isPaigeError } from '../../shared/ipc/errors';
import type { SettingsPatch } from '../../shared/settings/schema';
import type { ServeArgs } from './args';

/** A bridge token supplied by the environment (tests) must be at least this long. */
const MIN_TOKEN_LENGTH = 32;
/** A data folder that cannot be used is a configuration error (docs/reliability.md, exit codes). */
const DATA_DIR_EXIT_CODE = 2;
/** How long after the ready line the lazily loaded parts are loaded anyway. */
const PRELOAD_DELAY_MS = 200;

export interface ServeIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  exit: (code: number) => void;
  env: Record<string, string | undefined>;
  appVersion: string;
  rendererDir: string | null;
  /** A person is watching the terminal: also print the URL as a sentence. */
  interactive?: boolean;
}

export interface RunningServer {
  core: AppCore;
  bridge: BridgeServer;
  stop(reason: string): Promise<number>;
}

export async function serve(args: ServeArgs, io: ServeIo): Promise<RunningServer | null> {
  const env = io.env;
  const tokenFromEnv = env.PAIGE_BRIDGE_TOKEN;
  if (tokenFromEnv !== undefined && tokenFromEnv.length < MIN_TOKEN_LENGTH) {
    io.stderr(`paige: PAIGE_BRIDGE_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters`);
    io.exit(2);
    return null;
  }
  if (args.resetDb) moveDatabaseAside(resolveDataDir(args.dataDir, env), io);

  const settings: SettingsPatch = {};
  if (args.mcpPort !== undefined) settings.mcp = { port: args.mcpPort };
  if (args.bridgePort !== undefined) settings.bridge = { port: args.bridgePort };

  const token = tokenFromEnv ?? randomBytes(32).toString('base64url');
  const failAt = env.PAIGE_TEST_FAIL_AT;
  let core: AppCore;
  try {
    core = await AppCore.start({
      appVersion: io.appVersion,
      env,
      platform: headlessPlatform,
      validateOutput: validatesOutput(env),
      modules: paigeModules({
        noTerminal: args.noTerminal === true,
        bridge: { token, rendererDir: io.rendererDir },
      }),
      flags: {
        ...(args.dataDir !== undefined ? { dataDir: args.dataDir } : {}),
        ...(args.project !== undefined ? { projectDir: args.project } : {}),
        ...(args.logLevel !== undefined ? { logLevel: args.logLevel } : {}),
        settings,
      },
      ...(failAt ? { failAt: failAt as StartStep } : {}),
    });
  } catch (err) {
    if (isPaigeError(err)) {
      io.stderr(`paige: ${err.message}`);
      const usage = err.code === 'PROJECT_NOT_FOUND' || err.code === 'INVALID_PATH' || err.code === 'VALIDATION_FAILED';
      io.exit(usage ? 2 : 1);
      return null;
    }
    const { code, syscall } = err as NodeJS.ErrnoException;
    if (syscall === 'listen' && (code === 'EADDRINUSE' || code === 'EACCES')) {
      io.stderr(`paige: could not start the bridge: ${(err as Error).message}`);
      io.exit(1);
      return null;
    }
    const problem = dataDirFailure(err, resolveDataDir(args.dataDir, env));
    if (problem) {
      io.stderr(`paige: ${problem}`);
      io.exit(DATA_DIR_EXIT_CODE);
      return null;
    }
    throw err;
  }

  const projectDir = core.get('projects').projectDir;
  if (projectDir === null) {
    io.stderr('paige: no project to open: pass --project DIR (or set PAIGE_PROJECT_DIR)');
    await core.shutdown('no project');
    io.exit(2);
    return null;
  }

  const bridge = core.get('bridge');
  const mcp = core.get('mcp');
  io.stdout(
    JSON.stringify({
      event: 'ready',
      bridgeUrl: bridge.url,
      mcpUrl: mcp.connection()?.url ?? null,
      pid: process.pid,
      projectDir,
      startupMs: Math.round(performance.now()),
    }),
  );
  if (io.interactive) io.stderr(`Paige is ready. Open ${bridge.url}`);
  if (args.open) openInBrowser(bridge.url);
  // What the ready line did not wait for: the MCP SDK and the WebSocket server, loaded before the first request needs
  // them but a moment after the line, so whoever waits for it (on a busy machine) gets the CPU first. A request that
  // comes sooner loads what it needs itself.
  setTimeout(() => {
    mcp.preload();
    bridge.preload();
  }, PRELOAD_DELAY_MS).unref();

  return { core, bridge, stop: (reason) => core.shutdown(reason) };
}

/** The one-line message for a start-up failure on the data folder itself, or null for anything else. */
function dataDirFailure(err: unknown, dataDir: string): string | null {
  const e = err as { code?: unknown; path?: unknown };
  const onDataDir =
    err instanceof DataDirError ||
    (typeof e.path === 'string' && (e.path === dataDir || e.path.startsWith(dataDir + path.sep))) ||
    (typeof e.code === 'string' && e.code.startsWith('SQLITE_'));
  return onDataDir ? (dataDirProblem(err, dataDir)?.message ?? null) : null;
}

function moveDatabaseAside(dataDir: string, io: ServeIo): void {
  const db = path.join(dataDir, 'paige.db');
  if (!fs.existsSync(db)) return;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (const suffix of ['', '-wal', '-shm']) {
    if (fs.existsSync(db + suffix)) fs.renameSync(db + suffix, `${db}.corrupt-${stamp}${suffix}`);
  }
  fs.rmSync(path.join(dataDir, 'paige.dirty'), { force: true });
  io.stderr(`paige: moved the database aside to paige.db.corrupt-${stamp}; starting empty`);
}

function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  execFile(cmd, args as string[], () => undefined);
}
