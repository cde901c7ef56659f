// Helpers for the real-client tests of the Paige plugin: the terminal's env, an IPC bridge client, the hook
// entry run directly, Claude Code's hook timings, the action log and a project content hash.
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { chromium, test, type Page } from '@playwright/test';
import { NodeBridgeTransport } from '../../src/main/testing/bridge-client';
import { claudeEnv, claudePathDir, prepareClaudeHome, type ClaudeHome } from './claude-cli';
import { ROOT } from './electron-binary';
import { startPaigeServe, type PaigeServe } from './paige-serve';

export const PLUGIN_DIR = path.join(ROOT, 'resources', 'claude-plugin');
export const HOOK_ENTRY = path.join(PLUGIN_DIR, 'hooks', 'paige-hook.mjs');
/** The hook's reason for denying a file-writing tool, verbatim. */
export const WRITE_DENY_REASON = 'Paige is in coaching mode: you write the code; I can point and explain.';
/** How Claude Code 2.1 reports a PreToolUse deny to the model (observed behaviour). */
export const hookDenied = (tool: string, reason: string): string => `PreToolUse:${tool} hook error: ${reason}`;
/** Plugin `paige`, server `paige`: Claude Code names its tools `mcp__plugin_<plugin>_<server>__<tool>`. */
export const pluginTool = (name: string): string => `mcp__plugin_paige_paige__${name}`;

type Cleanup = () => Promise<void> | void;

/**
 * The per-test setup every real-CLI spec shares: it runs once, in the browser project (the CLI does not care which
 * renderer is attached), and the returned `defer` registers a cleanup; cleanups run after each test, last first.
 */
export function realClaudeSpec(): (cleanup: Cleanup) => void {
  let cleanups: Cleanup[] = [];
  test.beforeEach(() => {
    test.skip(test.info().project.name !== 'browser', 'drives the real claude CLI; runs once, in the browser project');
  });
  test.afterEach(async () => {
    for (const c of cleanups.reverse()) await c();
    cleanups = [];
  });
  return (cleanup) => {
    cleanups.push(cleanup);
  };
}

/**
 * Paige's headless backend for the real Claude Code TUI in its terminal: a Claude home that trusts the project,
 * Claude Code first on PATH (then `path`, the test's own PATH unless given), and Paige's own model calls going to the
 * same fake as Claude Code's. `env` adds to that; `defer` stops the server, then removes the home.
 */
export async function startServeForClaude(
  defer: (cleanup: Cleanup) => void,
  opts: { projectDir: string; fakeUrl: string; env?: Record<string, string>; path?: string },
): Promise<{ home: ClaudeHome; serve: PaigeServe }> {
  const home = prepareClaudeHome({ trustedDirs: [opts.projectDir] });
  defer(() => home.dispose());
  const serve = await startPaigeServe({
    projectDir: opts.projectDir,
    env: {
      ...claudeEnv(home, opts.fakeUrl),
      ...opts.env,
      PATH: `${claudePathDir()}${path.delimiter}${opts.path ?? process.env.PATH ?? ''}`,
    },
  });
  defer(() => serve.stop());
  return { home, serve };
}

/** A Chromium page (the project's launch options) on the headless bridge's URL; `defer` closes the browser. */
export async function openBridgePage(defer: (cleanup: Cleanup) => void, bridgeUrl: string): Promise<Page> {
  const browser = await chromium.launch(test.info().project.use.launchOptions);
  defer(() => browser.close());
  const page = await browser.newPage();
  await page.goto(bridgeUrl);
  return page;
}

/** What Paige's terminal passes to Claude Code (docs/terminal.md, environment) that the plugin reads. */
export function pluginEnv(opts: {
  mcpUrl: string;
  mcpToken: string;
  projectDir: string;
  safetyMode?: 'read_only' | 'standard';
  ptyId?: string;
}): Record<string, string> {
  return {
    PAIGE_MCP_URL: opts.mcpUrl,
    PAIGE_MCP_TOKEN: opts.mcpToken,
    PAIGE_PROJECT_DIR: opts.projectDir,
    PAIGE_PTY_ID: opts.ptyId ?? 'e2e-pty',
    PAIGE_HOOK_TIMEOUT_MS: '300',
    PAIGE_SAFETY_MODE: opts.safetyMode ?? 'read_only',
    PAIGE_NODE: process.execPath,
  };
}

/** An IPC client on the headless bridge (the same contract the renderer uses), from the ready line's URL. */
export async function connectBridge(bridgeUrl: string): Promise<NodeBridgeTransport> {
  const url = new URL(bridgeUrl);
  const token = new URLSearchParams(url.hash.slice(1)).get('token');
  return NodeBridgeTransport.connect({ url: `ws://${url.host}/bridge`, token });
}

/** Invokes an IPC channel and returns its value; throws the error envelope. */
export async function invokeOk<T>(bridge: NodeBridgeTransport, channel: string, payload?: unknown): Promise<T> {
  const env = await bridge.invoke(channel, payload);
  if (!env.ok) throw new Error(`${channel}: ${JSON.stringify(env.error)}`);
  return env.value as T;
}

/** A hook that has not exited by then is hung; the tests' own limits are far below this. */
const HOOK_KILL_MS = 10_000;

export interface HookRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** From spawn to exit, Node start-up included (what Claude Code waits for). */
  durationMs: number;
}

/**
 * Spawn → exit of a Node that does nothing, run right before a timed hook: what the machine's load adds to any Node
 * process at that moment. A hook's own share is its duration minus this floor.
 */
export async function nodeFloorMs(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('close', resolve));
  return Math.round(performance.now() - started);
}

/** Runs the built hook entry the way Claude Code does: the event as argv, the hook JSON on stdin. */
export async function runHook(
  event: 'session-start' | 'session-end' | 'pre-tool-use',
  input: Record<string, unknown>,
  env: Record<string, string>,
): Promise<HookRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [HOOK_ENTRY, event], {
    env: { PATH: process.env.PATH ?? '', CLAUDE_PLUGIN_ROOT: PLUGIN_DIR, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(JSON.stringify({ hook_event_name: event, ...input }));
  const kill = setTimeout(() => child.kill('SIGKILL'), HOOK_KILL_MS);
  const exitCode = await new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  clearTimeout(kill);
  return { exitCode, stdout, stderr, durationMs: Math.round(performance.now() - started) };
}

/** A loopback URL where nothing listens (a port bound and released again). */
export async function closedPortUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/mcp`;
}

export interface ActionRow {
  sessionId: number;
  actionType: string;
  data: Record<string, unknown>;
}

/** The action log rows of the running server's database, read-only (WAL lets a reader in beside the writer). */
export function readActionLog(dataDir: string, actionType?: string): ActionRow[] {
  const db = new Database(path.join(dataDir, 'paige.db'), { readonly: true, fileMustExist: true });
  try {
    const sql =
      'SELECT session_id AS sessionId, action_type AS actionType, data FROM action_log' +
      (actionType === undefined ? '' : ' WHERE action_type = ?') +
      ' ORDER BY id';
    const stmt = db.prepare<unknown[], { sessionId: number; actionType: string; data: string | null }>(sql);
    const rows = actionType === undefined ? stmt.all() : stmt.all(actionType);
    return rows.map((r) => ({
      sessionId: r.sessionId,
      actionType: r.actionType,
      data: r.data === null ? {} : (JSON.parse(r.data) as Record<string, unknown>),
    }));
  } finally {
    db.close();
  }
}

/** sha256 of every file under `dir` (relative path → hash), to show a run left the project byte-identical. */
export function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else
        out[child] = crypto
          .createHash('sha256')
          .update(fs.readFileSync(path.join(dir, child)))
          .digest('hex');
    }
  };
  walk('');
  return out;
}

/** One `[measure]` line in the test output, the way the benchmarks report numbers. */
export function measure(name: string, value: number, unit = 'ms'): void {
  process.stdout.write(`[measure] ${name}: ${value} ${unit}\n`);
}

export interface HookTiming {
  /** e.g. `SessionStart:startup`, `PreToolUse:Bash`, `SessionEnd:other`. */
  hook: string;
  status: number;
  ms: number;
}

const HOOK_FINISHED =
  /\] Hooks: (\S+) \[.*paige-hook\.mjs.*\] \(plugin paige@inline\) finished with status (\d+) \((\d+)ms\)$/;
const SESSION_END_DONE = /\] (SessionEnd:\S+) \[.*paige-hook\.mjs.*\] completed with status (\d+)$/;

/**
 * How long Claude Code waited for each Paige hook, from its `--debug-file` log (2.1.328 wording). Claude Code logs the
 * duration of SessionStart/PreToolUse hooks itself; for SessionEnd it logs only the completion, so the duration is
 * measured from the line before it (Claude Code's last shutdown step before it runs the SessionEnd hooks).
 */
export function hookTimings(debugLog: string): HookTiming[] {
  const out: HookTiming[] = [];
  let previousAt = Number.NaN;
  for (const line of debugLog.split('\n')) {
    const at = Date.parse(line.slice(0, line.indexOf(' ')));
    const finished = HOOK_FINISHED.exec(line);
    const ended = SESSION_END_DONE.exec(line);
    if (finished) out.push({ hook: finished[1] ?? '', status: Number(finished[2]), ms: Number(finished[3]) });
    else if (ended) out.push({ hook: ended[1] ?? '', status: Number(ended[2]), ms: at - previousAt });
    if (Number.isFinite(at)) previousAt = at;
  }
  return out;
}
