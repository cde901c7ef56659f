import { describe, expect, it } from 'vitest';
import { buildPtyEnv, isClaudeCommand, resolveLaunch } from './launch';

const base = { args: ['--x'], safetyMode: 'standard' as const, channels: false, pluginDir: '/p' };

describe('resolveLaunch', () => {
  it('falls back to $SHELL (else /bin/sh) with the banner when the command is not on PATH', () => {
    const withShell = resolveLaunch({ ...base, command: 'claude' }, { PATH: '/nonexistent', SHELL: '/bin/sh' });
    expect(withShell).toMatchObject({
      file: '/bin/sh',
      args: [],
      fallback: true,
      banner: 'claude not found — started your shell',
    });
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
