// Reads Paige's own switches from the Electron command line (`electron . --project DIR`). Pure, no 'electron'.
import path from 'node:path';

interface LaunchFlags {
  dataDir?: string;
  projectDir?: string;
  logLevel?: string;
}

const FLAG_KEYS = { '--project': 'projectDir', '--data-dir': 'dataDir', '--log-level': 'logLevel' } as const;
type FlagName = keyof typeof FLAG_KEYS;

function isFlagName(name: string): name is FlagName {
  return Object.prototype.hasOwnProperty.call(FLAG_KEYS, name);
}

/**
 * Accepts `--flag value` and `--flag=value`; ignores everything else, because Chromium and electron-vite add their
 * own switches to the same argv. Paths are resolved against `cwd`.
 */
export function parseLaunchFlags(argv: readonly string[], cwd: string): LaunchFlags {
  const flags: LaunchFlags = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (!isFlagName(name)) continue;
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (argv[i + 1] !== undefined && !argv[i + 1]?.startsWith('--')) value = argv[++i];
    if (value === undefined || value === '') continue;
    const key = FLAG_KEYS[name];
    flags[key] = key === 'logLevel' ? value : path.resolve(cwd, value);
  }
  return flags;
}
