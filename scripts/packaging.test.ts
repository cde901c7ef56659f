// The packaging config as data: targets, what goes into and next to the archive, and the fuse list. electron-builder
// and an Electron binary are not needed (neither can be downloaded on the machine these tests run on).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import config, { FUSES } from '../electron-builder.config.mjs';

const ROOT = path.resolve(__dirname, '..');

describe('packaging config', () => {
  it('flips the fuses: no RunAsNode, NODE_OPTIONS or inspect flags; cookie encryption, ASAR integrity, ASAR only', () => {
    expect(config.electronFuses).toBe(FUSES);
    expect(FUSES).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(Object.isFrozen(FUSES)).toBe(true);
  });

  it('builds AppImage and deb, dmg and nsis from the build output, in an archive', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.asar).toBe(true);
    expect(config.files).toContain('out/**');
    expect(config.files.some((f) => f.startsWith('src'))).toBe(false);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      main: string;
      scripts: Record<string, string>;
    };
    expect(pkg.main.startsWith('out/')).toBe(true);
    expect(pkg.scripts.dist).toContain('electron-builder --config electron-builder.config.mjs');
  });

  it('keeps natives and the Claude Code plugin where other processes can read them, and rebuilds natives', () => {
    expect(config.asarUnpack).toContain('**/*.node');
    // resolvePluginDir looks for <resourcesPath>/claude-plugin in a packaged app.
    expect(config.extraResources).toContainEqual({ from: 'resources/claude-plugin', to: 'claude-plugin' });
    expect(fs.existsSync(path.join(ROOT, 'resources/claude-plugin/.claude-plugin/plugin.json'))).toBe(true);
    expect(config.npmRebuild).toBe(true);
  });

  it('has an app icon of at least 512 px', () => {
    const png = fs.readFileSync(path.join(ROOT, config.icon));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
    expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(512);
  });
});
