// Where the Claude Code plugin (resources/claude-plugin) lives on disk, for `claude --plugin-dir`: the repo
// root in dev, tests and `paige serve`; outside the asar archive in a packaged Electron app.
import fs from 'node:fs';
import path from 'node:path';

const PLUGIN_DIR_NAME = 'claude-plugin';

interface PluginDirInput {
  /**
   * Where the running code lives (`__dirname`): src/main under tests, out/main or out/main/chunks in a build. The app
   * root is the nearest ancestor holding resources/claude-plugin, so the bundler's chunk layout does not matter.
   */
  from: string;
  /** Electron's `process.resourcesPath` in a packaged app; undefined under plain Node. */
  resourcesPath?: string | undefined;
  exists?: (p: string) => boolean;
}

const MANIFEST = ['.claude-plugin', 'plugin.json'];

/**
 * Claude Code is a separate process and cannot read inside app.asar, so a packaged app ships the plugin either as an
 * extra resource (`<resourcesPath>/claude-plugin`) or unpacked next to the archive (`app.asar.unpacked/...`).
 */
export function resolvePluginDir(input: PluginDirInput): string {
  const exists = input.exists ?? ((p: string) => fs.existsSync(p));
  if (input.resourcesPath) {
    const extra = path.join(input.resourcesPath, PLUGIN_DIR_NAME);
    if (exists(path.join(extra, ...MANIFEST))) return extra;
  }
  const start = path.resolve(input.from);
  const segments = start.split(path.sep);
  const asarIndex = segments.findIndex((s) => s.endsWith('.asar'));
  if (asarIndex >= 0) {
    // Inside the archive: the app root is the archive itself; its unpacked twin is what another process can read.
    segments[asarIndex] = `${segments[asarIndex] ?? ''}.unpacked`;
    const unpackedRoot = segments.slice(0, asarIndex + 1).join(path.sep);
    return path.join(unpackedRoot, 'resources', PLUGIN_DIR_NAME);
  }
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'resources', PLUGIN_DIR_NAME);
    if (exists(path.join(candidate, ...MANIFEST))) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  // Not found anywhere above: name the conventional place (two levels up) so the launch error points somewhere useful.
  return path.join(path.resolve(start, '../..'), 'resources', PLUGIN_DIR_NAME);
}
