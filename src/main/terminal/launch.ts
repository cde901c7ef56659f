// What the terminal runs and with which environment (docs/terminal.md).
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { findOnPath } from '../health/capabilities';

/** Hooks must answer fast so the app logs their decision; the hook falls back locally past this. @visibleForTesting */
export const HOOK_TIMEOUT_MS = 300;
/** Oldest Node the plugin hooks run on. */
const MIN_HOOK_NODE_MAJOR = 18;
/**
 * Tools Claude Code must not use in read_only mode: a second layer independent of the PreToolUse hook. Only tools the
 * pinned Claude Code has: a name it does not know (2.1.x has no MultiEdit) shows a "Deny rule matches no tool" warning
 * at every launch.
 */
const READ_ONLY_DISALLOWED_TOOLS = 'Write Edit NotebookEdit';
/**
 * Claude Code 2.1.x starts in its "auto" permission mode (a classifier approves calls without asking) when nothing
 * configures a mode. Paige asks for the ordinary mode in both safety modes, so Claude Code asks the learner before
 * anything neither they nor Paige's hook has allowed, and its footer does not claim auto-approval.
 */
const PERMISSION_MODE = 'default';
/** Paige's own read-only MCP tools (plugin `paige`, server `paige`) need no permission prompt. */
const PAIGE_ALLOWED_TOOLS = 'mcp__plugin_paige_paige';

interface LaunchSettings {
  command: string;
  args: readonly string[];
  safetyMode: 'read_only' | 'standard';
  /** Pass the development-channels flag (observer nudges over Claude Code's channel). */
  channels: boolean;
  pluginDir: string;
}

export interface LaunchPlan {
  file: string;
  args: string[];
  /** The configured command was not found: this is the user's shell. */
  fallback: boolean;
  /** The command as configured (what the UI shows). */
  command: string;
  /** Printed into the terminal before the shell's own output when falling back. */
  banner: string | null;
}

/** Whether `command` is Claude Code, which gets Paige's plugin and tool flags. @visibleForTesting */
export function isClaudeCommand(command: string): boolean {
  const base = path.basename(command).toLowerCase();
  return base === 'claude' || base === 'claude.exe' || base === 'claude.cmd';
}

export function resolveLaunch(settings: LaunchSettings, env: Readonly<Record<string, string | undefined>>): LaunchPlan {
  const found = findOnPath(settings.command, env);
  if (found !== null) {
    const args: string[] = [];
    if (isClaudeCommand(settings.command)) {
      args.push('--plugin-dir', settings.pluginDir, '--allowedTools', PAIGE_ALLOWED_TOOLS);
      if (settings.safetyMode === 'read_only') args.push('--disallowedTools', READ_ONLY_DISALLOWED_TOOLS);
      args.push('--permission-mode', PERMISSION_MODE);
      if (settings.channels) args.push('--dangerously-load-development-channels', 'server:paige');
    }
    args.push(...settings.args);
    return { file: found, args, fallback: false, command: settings.command, banner: null };
  }
  const shell =
    process.platform === 'win32'
      ? (windowsShell(env) ?? 'cmd.exe')
      : env.SHELL && env.SHELL !== ''
        ? env.SHELL
        : '/bin/sh';
  return {
    file: shell,
    args: [],
    fallback: true,
    command: settings.command,
    banner: fallbackBanner(settings.command),
  };
}

/** The npm package that installs the `claude` command. */
const CLAUDE_CODE_PACKAGE = '@anthropic-ai/claude-code';

/**
 * What the terminal prints when the configured command is missing: that the shell started instead, how to install
 * Claude Code when that was the command, and which setting names the command. Short lines: they must not wrap.
 */
function fallbackBanner(command: string): string {
  const lines = [`${path.basename(command)} not found — started your shell`];
  if (isClaudeCommand(command)) lines.push(`Install Claude Code: npm install -g ${CLAUDE_CODE_PACKAGE}`);
  lines.push('Or change the command in Home → Settings → Terminal command (terminal.command).');
  return lines.join('\r\n');
}

interface PtyEnvInput {
  parent: Readonly<Record<string, string | undefined>>;
  /** Keys Paige loaded from its secret store; removed unless the parent env had them itself. */
  secretKeys?: readonly string[];
  secretKeysFromParent?: ReadonlySet<string>;
  mcpUrl: string;
  mcpToken: string;
  projectDir: string;
  ptyId: string;
  safetyMode: string;
  nodePath: string;
}

export function buildPtyEnv(input: PtyEnvInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.parent)) if (v !== undefined) env[k] = v;
  delete env.PAIGE_BRIDGE_TOKEN;
  for (const k of input.secretKeys ?? []) if (!input.secretKeysFromParent?.has(k)) delete env[k];
  Object.assign(env, {
    TERM: 'xterm-256color',
    COLORTERM: 'truecolor',
    PAIGE_MCP_URL: input.mcpUrl,
    PAIGE_MCP_TOKEN: input.mcpToken,
    PAIGE_PROJECT_DIR: input.projectDir,
    PAIGE_PTY_ID: input.ptyId,
    PAIGE_APP_PID: String(process.pid),
    PAIGE_HOOK_TIMEOUT_MS: String(HOOK_TIMEOUT_MS),
    PAIGE_SAFETY_MODE: input.safetyMode,
    PAIGE_NODE: input.nodePath,
  });
  return env;
}

/**
 * An absolute path to a Node ≥ 18 for the plugin hooks: this process when it is Node, else `node` on PATH
 * (inside Electron `process.execPath` is the Electron binary). Empty when none is found.
 */
export function findHookNode(env: Readonly<Record<string, string | undefined>>): string {
  if (!process.versions.electron) return process.execPath;
  const candidate = findOnPath('node', env);
  if (candidate === null) return '';
  const r = spawnSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8', timeout: 2_000 });
  const major = Number.parseInt(String(r.stdout).split('.')[0] ?? '', 10);
  return Number.isFinite(major) && major >= MIN_HOOK_NODE_MAJOR ? candidate : '';
}

/** Windows names its shell in `ComSpec`; a copied environment keeps the key's case, so look it up case-insensitively. */
function windowsShell(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const found = Object.entries(env).find(([k, v]) => k.toLowerCase() === 'comspec' && v !== undefined && v !== '');
  return found?.[1];
}
