// Runs the real Claude Code CLI (`@anthropic-ai/claude-code`, pinned in devDependencies) against the fake Anthropic API
// in an isolated HOME, for the real-client e2e tests.
//
// What was measured with 2.1.328 on linux-x64 (Node 20; the package says node >= 22 but it ships a native binary, so
// npm only warns EBADENGINE and the binary runs):
// - Install: the wrapper's optionalDependencies pull the one platform package (~370 MB binary); its postinstall
//   hard-links that binary over `bin/claude.exe`, which `node_modules/.bin/claude` points at. `claudeBinary()` runs the
//   platform package's binary directly, so a skipped postinstall (`--ignore-scripts`) does not matter.
// - Env: ANTHROPIC_BASE_URL (no /v1) + ANTHROPIC_API_KEY are enough to reach the fake. CLAUDE_CODE_DISABLE_NONESSENTIAL_
//   TRAFFIC=1 removes everything else the CLI sends: the `HEAD /api/hello` probe to the base URL, the MCP registry and
//   1P event-log calls to api.anthropic.com, and the interactive session-title call (a tool-less POST /v1/messages
//   with `output_config.format` = {title}). DISABLE_AUTOUPDATER=1 stops the TUI's "Auto-updating…". DISABLE_TELEMETRY
//   and DISABLE_ERROR_REPORTING are belt and braces. With these, `-p` makes exactly one POST /v1/messages?beta=true
//   per model turn (always `stream: true`, user-agent `claude-cli/2.1.328 (external, sdk-cli)`), and never calls
//   count_tokens, /v1/models or any OAuth endpoint. A `-p` run with one tool round trip takes ~1-2 s.
// - Config: CLAUDE_CONFIG_DIR=<home>/.claude holds `.claude.json`. `-p` needs nothing in it (it skips onboarding and
//   the trust dialog). The TUI needs all three seeds `prepareClaudeHome` writes: without `hasCompletedOnboarding` it
//   checks api.anthropic.com and exits 1 offline; without `projects[dir].hasTrustDialogAccepted` it shows the trust
//   dialog; without `customApiKeyResponses.approved` (last 20 chars of the key) it asks whether to use the key. Seeded,
//   it opens at the prompt in "auto mode", which runs Write in the project without asking.
// - Permissions under `-p` (nobody to ask): read-only Bash (`ls`) runs; other Bash (`npm test`, redirections) is
//   refused "This command requires approval" unless `--allowedTools "Bash(npm test:*)"`; a hook's `ask` is refused
//   with the hook's reason. `--permission-mode bypassPermissions` is refused when running as root (CI is root).
// - MCP: `--mcp-config '{"mcpServers":{"paige":{"type":"http","url":…,"headers":{"Authorization":"Bearer …"}}}}'`
//   (a JSON string works as well as a file) + `--strict-mcp-config`; the tools are `mcp__paige__<tool>`, and
//   `--allowedTools "mcp__paige__*"` lets `-p` call them without a permission prompt. MCP tools are *deferred*: the
//   first request lists their names in a system message and carries only `ToolSearch`; a model turn calling
//   `ToolSearch {query: "select:<name>"}` gets back a `tool_reference` block and the tool appears in later requests'
//   `tools` with `defer_loading: true` (script.ts `loadDeferredTools`). Calling the tool without that step also works
//   in 2.1.328, and ENABLE_TOOL_SEARCH=false sends every tool up front.
// - Plugins: `--plugin-dir <dir>` loads a plugin for the session; its `.mcp.json` `${VAR}`s expand from the CLI's env
//   and its tools are `mcp__plugin_<plugin>_<server>__<tool>`. Its hooks/hooks.json SessionStart (source "startup";
//   additionalContext reaches the first request as a `role: "system"` message "SessionStart hook additional context:
//   …"), PreToolUse (a `deny` becomes an is_error tool_result "PreToolUse:Write hook error: <reason>", and wins over
//   `--allowedTools Write`) and SessionEnd (reason "other", awaited before exit) all run under `-p`. A tool named in
//   `--disallowedTools` is removed from the request and never reaches PreToolUse: calling it yields "No such tool
//   available: Write. Write is disabled for this session…".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { ROOT } from './electron-binary';

/** The pinned devDependency (package.json), which the binary must report. */
export const CLAUDE_CODE_VERSION = (
  JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }
).devDependencies['@anthropic-ai/claude-code'];
/** The key the fake accepts; any value works, the fake does not check it. */
export const FAKE_API_KEY = 'sk-ant-fake-key-for-tests-000000';
const VERSION_CHECK_MS = 10_000;
/** A real binary is hundreds of MB; the wrapper's placeholder before postinstall is a few KB. */
const MIN_BINARY_BYTES = 1_000_000;

let cached: { path: string; version: string } | { reason: string } | undefined;

/** The installed native `claude` binary and its version, or why it cannot run here. */
export function claudeBinary(): { path: string; version: string } | { reason: string } {
  if (cached) return cached;
  const scope = path.join(ROOT, 'node_modules', '@anthropic-ai');
  const exe = process.platform === 'win32' ? 'claude.exe' : 'claude';
  const platform = `${process.platform}-${process.arch}`;
  const candidates = [
    path.join(scope, `claude-code-${platform}`, exe),
    path.join(scope, `claude-code-${platform}-musl`, exe),
    path.join(scope, 'claude-code', 'bin', 'claude.exe'),
  ];
  const found = candidates.find((p) => fs.existsSync(p) && fs.statSync(p).size > MIN_BINARY_BYTES);
  if (!found) {
    cached = { reason: `no native claude binary for ${platform} under ${scope} (run npm install)` };
    return cached;
  }
  try {
    const out = execFileSync(found, ['--version'], { encoding: 'utf8', timeout: VERSION_CHECK_MS, env: baseEnv() });
    cached = { path: found, version: out.trim().split(/\s/)[0] ?? '' };
  } catch (err) {
    cached = { reason: `${found} --version failed: ${(err as Error).message}` };
  }
  return cached;
}

/**
 * A directory to put first on PATH so that a bare `claude` (what Paige's terminal spawns) is the pinned binary: the
 * platform package's own directory, or a temp dir with a `claude` symlink when only `bin/claude.exe` is usable.
 */
export function claudePathDir(): string {
  const bin = claudeBinary();
  if ('reason' in bin) throw new Error(bin.reason);
  if (path.basename(bin.path) === 'claude') return path.dirname(bin.path);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paige-claude-bin-'));
  fs.symlinkSync(bin.path, path.join(dir, 'claude'));
  return dir;
}

export interface ClaudeHome {
  /** The HOME given to the CLI. */
  home: string;
  /** CLAUDE_CONFIG_DIR (<home>/.claude): .claude.json, settings.json, projects/ transcripts, debug logs. */
  configDir: string;
  dispose(): void;
}

/**
 * A fresh HOME with a seeded `.claude.json` so neither `-p` nor the TUI shows onboarding, the API-key approval or the
 * trust dialog for `trustedDirs`.
 */
export function prepareClaudeHome(opts: { trustedDirs?: string[]; apiKey?: string } = {}): ClaudeHome {
  const home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'paige-claude-home-')));
  const configDir = path.join(home, '.claude');
  fs.mkdirSync(configDir, { recursive: true });
  const projects: Record<string, unknown> = {};
  for (const dir of opts.trustedDirs ?? []) {
    projects[dir] = { hasTrustDialogAccepted: true, hasCompletedProjectOnboarding: true, allowedTools: [] };
  }
  const config = {
    hasCompletedOnboarding: true,
    lastOnboardingVersion: CLAUDE_CODE_VERSION,
    numStartups: 1,
    theme: 'dark',
    customApiKeyResponses: { approved: [(opts.apiKey ?? FAKE_API_KEY).slice(-20)], rejected: [] },
    projects,
  };
  fs.writeFileSync(path.join(configDir, '.claude.json'), JSON.stringify(config, null, 2), { mode: 0o600 });
  return { home, configDir, dispose: () => fs.rmSync(home, { recursive: true, force: true }) };
}

/** Only what the CLI needs from the parent: nothing of the developer's own Claude or Anthropic setup leaks in. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' };
  if (process.env.TMPDIR) env.TMPDIR = process.env.TMPDIR;
  return env;
}

/** The environment that points the CLI at the fake and turns off everything that would leave the machine. */
export function claudeEnv(
  home: ClaudeHome,
  baseUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...baseEnv(),
    HOME: home.home,
    CLAUDE_CONFIG_DIR: home.configDir,
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_KEY: FAKE_API_KEY,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    // Offline: the TUI would otherwise try to clone the official plugin marketplace from GitHub on first start.
    CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    ...extra,
  };
}

/** An `--mcp-config` value for Paige's MCP endpoint (HTTP transport, bearer token). */
export function paigeMcpConfig(url: string, token: string): string {
  return JSON.stringify({
    mcpServers: { paige: { type: 'http', url, headers: { Authorization: `Bearer ${token}` } } },
  });
}

export interface RunClaudeOptions {
  prompt: string;
  cwd: string;
  /** The fake's URL. */
  baseUrl: string;
  /** Defaults to a fresh home, removed after the run. */
  home?: ClaudeHome;
  /** Paige's MCP endpoint, added with --mcp-config --strict-mcp-config. */
  mcp?: { url: string; token: string };
  pluginDirs?: string[];
  allowedTools?: string[];
  disallowedTools?: string[];
  outputFormat?: 'json' | 'stream-json';
  /** More CLI arguments, placed before the prompt. */
  args?: string[];
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Writes the CLI's debug log (every hook, MCP connection and request) to this file. */
  debugFile?: string;
}

/** The `--output-format json` result line (the fields the tests read). */
export interface ClaudeResult {
  type: 'result';
  subtype: string;
  is_error: boolean;
  result?: string;
  num_turns: number;
  session_id: string;
  permission_denials: unknown[];
  [key: string]: unknown;
}

export interface ClaudeRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
  /** The result object (json: the whole stdout; stream-json: the last `type: result` line). */
  result: ClaudeResult | undefined;
  /** stream-json only: every line parsed. */
  events: Record<string, unknown>[];
}

const DEFAULT_RUN_TIMEOUT_MS = 45_000;

/** `claude -p <prompt>` against the fake; never rejects for a CLI failure, so a test can assert on the outcome. */
export async function runClaudePrint(opts: RunClaudeOptions): Promise<ClaudeRun> {
  const bin = claudeBinary();
  if ('reason' in bin) throw new Error(bin.reason);
  const ownHome = opts.home === undefined;
  const home = opts.home ?? prepareClaudeHome({ trustedDirs: [opts.cwd] });
  const format = opts.outputFormat ?? 'json';
  const args = ['-p', '--output-format', format];
  if (format === 'stream-json') args.push('--verbose');
  if (opts.mcp) args.push('--mcp-config', paigeMcpConfig(opts.mcp.url, opts.mcp.token), '--strict-mcp-config');
  for (const dir of opts.pluginDirs ?? []) args.push('--plugin-dir', dir);
  if (opts.allowedTools?.length) args.push('--allowedTools', opts.allowedTools.join(','));
  if (opts.disallowedTools?.length) args.push('--disallowedTools', opts.disallowedTools.join(','));
  if (opts.debugFile) args.push('--debug-file', opts.debugFile);
  args.push(...(opts.args ?? []), '--', opts.prompt);

  const started = performance.now();
  const child = spawn(bin.path, args, {
    cwd: opts.cwd,
    env: claudeEnv(home, opts.baseUrl, opts.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, opts.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS);
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('exit', (code, sig) => resolve([code, sig])),
  );
  clearTimeout(timer);
  if (ownHome) home.dispose();

  const events: Record<string, unknown>[] = [];
  let result: ClaudeResult | undefined;
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const v = JSON.parse(line) as Record<string, unknown>;
      events.push(v);
      if (v.type === 'result') result = v as ClaudeResult;
    } catch {
      // A partial line from a killed process: the test sees it in stdout.
    }
  }
  return {
    exitCode,
    signal,
    stdout,
    stderr,
    durationMs: Math.round(performance.now() - started),
    timedOut,
    result,
    events: format === 'stream-json' ? events : [],
  };
}
