// Where the Claude Code plugin (resources/claude-plugin, SPEC §17) lives on disk, for `claude --plugin-dir`: the repo
// root in dev, tests and `paige serve`; outside the asar archive in a packaged Electron app.
import fs from 'node:fs';
import path from 'node:path';

export const PLUGIN_DIR_NAME = 'claude-plugin';

export interface PluginDirInput {
  /** The folder holding package.json and resources/ (two levels above out/main or src/main). */
  appRoot: string;
  /** Electron's `process.resourcesPath` in a packaged app; undefined under plain Node. */
  resourcesPath?: string | undefined;
  exists?: (p: string) => boolean;
}

/**
 * Claude Code is a separate process and cannot read inside app.asar, so a packaged app ships the plugin either as an
 * extra resource (`<resourcesPath>/claude-plugin`) or unpacked next to the archive (`app.asar.unpacked/...`).
 */
export function resolvePluginDir(input: PluginDirInput): string {
  const exists = input.exists ?? ((p: string) => fs.existsSync(p));
  if (input.resourcesPath) {
    const extra = path.join(input.resourcesPath, PLUGIN_DIR_NAME);
    if (exists(path.join(extra, '.claude-plugin', 'plugin.json'))) return extra;
  }
  const inRoot = path.join(input.appRoot, 'resources', PLUGIN_DIR_NAME);
  const segments = inRoot.split(path.sep);
  const asarIndex = segments.findIndex((s) => s.endsWith('.asar'));
  if (asarIndex >= 0) {
    segments[asarIndex] = `${segments[asarIndex] ?? ''}.unpacked`;
    return segments.join(path.sep);
  }
  return inRoot;
}
