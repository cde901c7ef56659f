// Argument parsing for the `paige` CLI. Usage errors carry exit code 2 (SPEC §18.1).
import { LogLevelSchema } from '../../shared/settings/schema';

export class UsageError extends Error {
  readonly exitCode = 2;
}

export interface ServeArgs {
  command: 'serve';
  project?: string;
  dataDir?: string;
  mcpPort?: number;
  bridgePort?: number;
  noTerminal: boolean;
  open: boolean;
  logLevel?: string;
  resetDb: boolean;
}

export type CliArgs = ServeArgs | { command: 'help' } | { command: 'version' };

const VALUE_FLAGS = new Set(['--project', '--data-dir', '--mcp-port', '--bridge-port', '--log-level']);
const BOOL_FLAGS = new Set(['--no-terminal', '--open', '--reset-db']);

function parsePort(flag: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || !(n === 0 || (n >= 1024 && n <= 65535))) {
    throw new UsageError(`${flag} must be 0 or a port between 1024 and 65535 (got "${raw}")`);
  }
  return n;
}

export function parseArgs(argv: readonly string[]): CliArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h')
    return { command: 'help' };
  if (command === 'version' || command === '--version' || command === '-v') return { command: 'version' };
  if (command !== 'serve') throw new UsageError(`unknown command "${command}"`);

  const out: ServeArgs = { command: 'serve', noTerminal: false, open: false, resetDb: false };
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i] as string;
    const eq = token.indexOf('=');
    const flag = eq > 0 ? token.slice(0, eq) : token;
    if (BOOL_FLAGS.has(flag)) {
      if (eq > 0) throw new UsageError(`${flag} takes no value`);
      if (flag === '--no-terminal') out.noTerminal = true;
      if (flag === '--open') out.open = true;
      if (flag === '--reset-db') out.resetDb = true;
      continue;
    }
    if (!VALUE_FLAGS.has(flag)) throw new UsageError(`unknown option "${flag}"`);
    let value: string | undefined;
    if (eq > 0) value = token.slice(eq + 1);
    else value = rest[++i];
    if (value === undefined || value === '') throw new UsageError(`${flag} needs a value`);
    switch (flag) {
      case '--project':
        out.project = value;
        break;
      case '--data-dir':
        out.dataDir = value;
        break;
      case '--mcp-port':
        out.mcpPort = parsePort(flag, value);
        break;
      case '--bridge-port':
        out.bridgePort = parsePort(flag, value);
        break;
      case '--log-level':
        if (!LogLevelSchema.safeParse(value).success) {
          throw new UsageError(`--log-level must be one of ${LogLevelSchema.options.join(', ')}`);
        }
        out.logLevel = value;
        break;
    }
  }
  return out;
}

export const USAGE = `Usage: paige serve --project DIR [options]

Runs Paige headless: the same backend as the desktop app, with the UI served to a browser.

Options:
  --project DIR       project folder to open (default: the last opened project)
  --data-dir DIR      where Paige keeps its state (default: ~/.paige, or PAIGE_DATA_DIR)
  --bridge-port N     port for the browser UI (default 0: any free port)
  --mcp-port N        port for the MCP server (default 0: any free port)
  --no-terminal       do not start the embedded terminal
  --open              open the UI in the default browser
  --log-level L       trace|debug|info|warn|error|fatal|silent
  --reset-db          move the database aside (paige.db.corrupt-<time>) and start empty

Prints one JSON line {"event":"ready","bridgeUrl":…} on stdout when ready; logs go to stderr.
`;
