import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPtyEnv, HOOK_TIMEOUT_MS, isClaudeCommand, resolveLaunch } from './launch';
import { resolvePluginDir } from './plugin-dir';

const base = { args: ['--x'], safetyMode: 'standard' as const, channels: false, pluginDir: '/p' };

describe('resolveLaunch', () => {
  it('falls back to $SHELL (else /bin/sh) with the banner when the command is not on PATH', () => {
    const withShell = resolveLaunch({ ...base, command: 'claude' }, { PATH: '/nonexistent', SHELL: '/bin/sh' });
    expect(withShell).toMatchObject({
      file: '/bin/sh',
      args: [],
      fallback: true,
    });
    expect(withShell.banner?.split('\r\n')).toEqual([
      'claude not found — started your shell',
      'Install Claude Code: npm install -g @anthropic-ai/claude-code',
      'Or change the command in Home → Settings → Terminal command (terminal.command).',
    ]);
    // Another missing command gets no Claude Code install hint, only the setting.
    expect(resolveLaunch({ ...base, command: 'vim-x' }, { PATH: '/nonexistent' }).banner?.split('\r\n')).toEqual([
      'vim-x not found — started your shell',
      'Or change the command in Home → Settings → Terminal command (terminal.command).',
    ]);
    expect(resolveLaunch({ ...base, command: 'claude' }, { PATH: '/nonexistent' }).file).toBe('/bin/sh');
  });

  it('passes only terminal.args to a command that is not claude', () => {
    expect(resolveLaunch({ ...base, command: 'sh' }, { PATH: '/bin:/usr/bin' })).toMatchObject({
      args: ['--x'],
      fallback: false,
    });
    expect(isClaudeCommand('/usr/local/bin/claude')).toBe(true);
    expect(isClaudeCommand('claude-dev')).toBe(false);
  });
});

describe('buildPtyEnv', () => {
  it('drops the bridge token and secret-store keys, keeping a key the user exported themselves', () => {
    const env = buildPtyEnv({
      parent: { PAIGE_BRIDGE_TOKEN: 't', ANTHROPIC_API_KEY: 'from-store', GITHUB_TOKEN: 'exported', HOME: '/h' },
      secretKeys: ['ANTHROPIC_API_KEY', 'GITHUB_TOKEN'],
      secretKeysFromParent: new Set(['GITHUB_TOKEN']),
      mcpUrl: '',
      mcpToken: '',
      projectDir: '/proj',
      ptyId: 'id',
      safetyMode: 'standard',
      nodePath: '/usr/bin/node',
    });
    expect(env.PAIGE_BRIDGE_TOKEN).toBeUndefined();
    expect(env.ANTHROPIC_API_KEY).toBeUndefined();
    expect(env.GITHUB_TOKEN).toBe('exported');
    expect(env).toMatchObject({ HOME: '/h', PAIGE_SAFETY_MODE: 'standard', PAIGE_NODE: '/usr/bin/node' });
  });
});

/** A directory on PATH with an executable `claude` (a stub: only resolution on PATH matters here). */
function fakeClaudeOnPath(): { PATH: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paige-fake-claude-'));
  const file = path.join(dir, 'claude');
  fs.writeFileSync(file, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  return { PATH: dir, file };
}

describe('resolveLaunch for claude', () => {
  const pluginDir = resolvePluginDir({ from: __dirname });

  it('loads the Paige plugin, pre-allows its MCP tools and blocks the write tools in read_only mode', () => {
    const { PATH, file } = fakeClaudeOnPath();
    const plan = resolveLaunch(
      { command: 'claude', args: ['--model', 'sonnet'], safetyMode: 'read_only', channels: false, pluginDir },
      { PATH },
    );
    expect(plan).toMatchObject({ file, fallback: false, banner: null, command: 'claude' });
    expect(plan.args).toEqual([
      '--plugin-dir',
      pluginDir,
      '--allowedTools',
      'mcp__plugin_paige_paige',
      '--disallowedTools',
      'Write Edit NotebookEdit',
      '--permission-mode',
      'default',
      '--model',
      'sonnet',
    ]);
  });

  it('has no --disallowedTools backstop in standard mode but still asks for the ordinary permission mode; channel delivery adds the development-channels flag', () => {
    const { PATH } = fakeClaudeOnPath();
    const plan = resolveLaunch(
      { command: 'claude', args: [], safetyMode: 'standard', channels: true, pluginDir },
      { PATH },
    );
    expect(plan.args).toEqual([
      '--plugin-dir',
      pluginDir,
      '--allowedTools',
      'mcp__plugin_paige_paige',
      '--permission-mode',
      'default',
      '--dangerously-load-development-channels',
      'server:paige',
    ]);
  });
});

describe('buildPtyEnv', () => {
  it('passes every PAIGE_* variable the plugin hooks read, with the terminal settings', () => {
    const env = buildPtyEnv({
      parent: { PATH: '/usr/bin', TERM: 'dumb' },
      mcpUrl: 'http://127.0.0.1:4567/mcp',
      mcpToken: 'tok',
      projectDir: '/proj',
      ptyId: 'pty-1',
      safetyMode: 'read_only',
      nodePath: '/opt/node/bin/node',
    });
    expect(env).toEqual({
      PATH: '/usr/bin',
      TERM: 'xterm-256color',
      COLORTERM: 'truecolor',
      PAIGE_MCP_URL: 'http://127.0.0.1:4567/mcp',
      PAIGE_MCP_TOKEN: 'tok',
      PAIGE_PROJECT_DIR: '/proj',
      PAIGE_PTY_ID: 'pty-1',
      PAIGE_APP_PID: String(process.pid),
      PAIGE_HOOK_TIMEOUT_MS: '300',
      PAIGE_SAFETY_MODE: 'read_only',
      PAIGE_NODE: '/opt/node/bin/node',
    });
    expect(HOOK_TIMEOUT_MS).toBe(300);
  });
});

describe('resolvePluginDir', () => {
  it('is resources/claude-plugin under the repo root in dev, tests and paige serve', () => {
    const root = path.resolve(__dirname, '../../..');
    const dir = resolvePluginDir({ from: __dirname });
    expect(dir).toBe(path.join(root, 'resources', 'claude-plugin'));
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, '.claude-plugin', 'plugin.json'), 'utf8')) as {
      name: string;
    };
    expect(manifest.name).toBe('paige');
    expect(fs.existsSync(path.join(dir, 'hooks', 'paige-hook.mjs'))).toBe(true);
  });

  it('in a packaged app, prefers <resources>/claude-plugin, else the unpacked copy beside app.asar', () => {
    const res = path.join(path.sep, 'Applications', 'Paige.app', 'Contents', 'Resources');
    const from = path.join(res, 'app.asar', 'out', 'main', 'chunks');
    const extra = path.join(res, 'claude-plugin');
    expect(
      resolvePluginDir({
        from,
        resourcesPath: res,
        exists: (p) => p === path.join(extra, '.claude-plugin', 'plugin.json'),
      }),
    ).toBe(extra);
    expect(resolvePluginDir({ from, resourcesPath: res, exists: () => false })).toBe(
      path.join(res, 'app.asar.unpacked', 'resources', 'claude-plugin'),
    );
  });

  it('finds the plugin from any depth of the built layout (out/main, out/main/chunks)', () => {
    const root = path.resolve(__dirname, '../../..');
    const expected = path.join(root, 'resources', 'claude-plugin');
    expect(resolvePluginDir({ from: path.join(root, 'out', 'main') })).toBe(expected);
    expect(resolvePluginDir({ from: path.join(root, 'out', 'main', 'chunks') })).toBe(expected);
  });

  it('names the conventional place when no ancestor holds the plugin', () => {
    const from = path.join(path.sep, 'nowhere', 'app', 'out', 'main');
    expect(resolvePluginDir({ from, exists: () => false })).toBe(
      path.join(path.sep, 'nowhere', 'app', 'resources', 'claude-plugin'),
    );
  });
});
