// Argument parsing for the `paige` CLI. Usage errors carry exit code 2 and name the help to read.
import type { LogLevel } from '../../shared/settings/schema';

/**
 * The log levels of the settings schema, spelled out so that parsing arguments does not load zod (about half of a
 * read command's start-up); a test keeps the two lists equal.
 */
export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
const isLogLevel = (v: string): boolean => (LOG_LEVELS as readonly string[]).includes(v);

export class UsageError extends Error {
  readonly exitCode = 2;
  /** The command whose usage the hint points at (`paige help <command>`). */
  command: string | undefined;
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

/** Flags every read command and doctor accept. */
interface CommonArgs {
  json: boolean;
  dataDir?: string;
  logLevel?: string;
}

type SessionStatusFilter = 'active' | 'wrapping_up' | 'completed' | 'completed_with_errors';

export interface StatusArgs extends CommonArgs {
  command: 'status';
}
export interface SessionsListArgs extends CommonArgs {
  command: 'sessions-list';
  status?: SessionStatusFilter;
  limit: number;
  cursor?: string;
}
export interface SearchArgs extends CommonArgs {
  command: 'search';
  query: string;
  kind?: 'action' | 'chat' | 'memory';
  sessionId?: number;
  limit: number;
  cursor?: string;
}
export interface ExportArgs extends CommonArgs {
  command: 'export';
  sessionId: number;
  out?: string;
}
export interface DoctorArgs extends CommonArgs {
  command: 'doctor';
  online: boolean;
  project?: string;
}

export type ToolArgs = StatusArgs | SessionsListArgs | SearchArgs | ExportArgs | DoctorArgs;

type CliArgs = ServeArgs | ToolArgs | { command: 'help'; topic?: string } | { command: 'version' };

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
  if (command === undefined || command === '--help' || command === '-h') return { command: 'help' };
  if (command === 'help') return rest[0] !== undefined ? { command: 'help', topic: rest[0] } : { command: 'help' };
  if (command === 'version' || command === '--version' || command === '-v') return { command: 'version' };
  if (rest.includes('--help') || rest.includes('-h')) return { command: 'help', topic: command };
  if (command !== 'serve') return parseToolArgs(command, rest);

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
        if (!isLogLevel(value)) {
          throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
        }
        out.logLevel = value;
        break;
    }
  }
  return out;
}

const USAGE = `Usage: paige serve --project DIR [options]

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

/** Most rows one page of `sessions list` or `search` returns. */
const MAX_LIMIT = 100;
const DEFAULT_SESSIONS_LIMIT = 20;
const DEFAULT_SEARCH_LIMIT = 20;
const SESSION_STATUSES: readonly SessionStatusFilter[] = [
  'active',
  'wrapping_up',
  'completed',
  'completed_with_errors',
];
const SEARCH_KINDS = ['action', 'chat', 'memory'] as const;

interface FlagSpec {
  values: readonly string[];
  bools: readonly string[];
}

const COMMON: FlagSpec = { values: ['--data-dir', '--log-level'], bools: ['--json'] };
const TOOL_FLAGS: Record<ToolArgs['command'], FlagSpec> = {
  status: { values: [], bools: [] },
  'sessions-list': { values: ['--status', '--limit', '--cursor'], bools: [] },
  search: { values: ['--kind', '--session', '--limit', '--cursor'], bools: [] },
  export: { values: ['--out'], bools: [] },
  doctor: { values: ['--project'], bools: ['--online'] },
};

function usageError(command: string, message: string): UsageError {
  const err = new UsageError(message);
  err.command = command;
  return err;
}

/** Splits flags from positionals; `--flag value` and `--flag=value` both work, `--` ends the flags. */
function scan(
  command: ToolArgs['command'],
  argv: readonly string[],
): { flags: Map<string, string | true>; positionals: string[] } {
  const spec = TOOL_FLAGS[command];
  const values = new Set([...COMMON.values, ...spec.values]);
  const bools = new Set([...COMMON.bools, ...spec.bools]);
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!token.startsWith('--') || token === '-') {
      positionals.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const flag = eq > 0 ? token.slice(0, eq) : token;
    if (bools.has(flag)) {
      if (eq > 0) throw usageError(command, `${flag} takes no value`);
      flags.set(flag, true);
      continue;
    }
    if (!values.has(flag)) throw usageError(command, `unknown option "${flag}"`);
    const value = eq > 0 ? token.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw usageError(command, `${flag} needs a value`);
    flags.set(flag, value);
  }
  return { flags, positionals };
}

function intFlag(
  command: string,
  flag: string,
  raw: string | true | undefined,
  min: number,
  max: number,
): number | undefined {
  if (raw === undefined || raw === true) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw usageError(command, `${flag} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return n;
}

function sessionId(command: string, raw: string): number {
  const id = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(id) || id < 1) {
    throw usageError(
      command,
      `a session id is a positive whole number (got "${raw}"); list them with \`paige sessions list\``,
    );
  }
  return id;
}

function str(v: string | true | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function parseToolArgs(command: string, argv: readonly string[]): ToolArgs {
  let name: ToolArgs['command'];
  let args = argv;
  if (command === 'sessions') {
    const [sub, ...more] = argv;
    if (sub !== 'list') {
      throw usageError(
        'sessions',
        sub === undefined ? 'missing subcommand: try `paige sessions list`' : `unknown subcommand "sessions ${sub}"`,
      );
    }
    name = 'sessions-list';
    args = more;
  } else if (command === 'status' || command === 'search' || command === 'export' || command === 'doctor') {
    name = command;
  } else {
    throw new UsageError(`unknown command "${command}"`);
  }
  const shown = name === 'sessions-list' ? 'sessions list' : name;
  const { flags, positionals } = scan(name, args);
  const logLevel = str(flags.get('--log-level'));
  if (logLevel !== undefined && !isLogLevel(logLevel)) {
    throw usageError(shown, `--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const common: CommonArgs = { json: flags.get('--json') === true };
  const dataDir = str(flags.get('--data-dir'));
  if (dataDir !== undefined) common.dataDir = dataDir;
  if (logLevel !== undefined) common.logLevel = logLevel;
  const noPositionals = (): void => {
    if (positionals.length > 0) throw usageError(shown, `unexpected argument "${positionals[0]}"`);
  };

  switch (name) {
    case 'status':
      noPositionals();
      return { command: 'status', ...common };
    case 'sessions-list': {
      noPositionals();
      const status = str(flags.get('--status'));
      if (status !== undefined && !SESSION_STATUSES.includes(status as SessionStatusFilter)) {
        throw usageError(shown, `--status must be one of ${SESSION_STATUSES.join(', ')}`);
      }
      const out: SessionsListArgs = {
        command: 'sessions-list',
        ...common,
        limit: intFlag(shown, '--limit', flags.get('--limit'), 1, MAX_LIMIT) ?? DEFAULT_SESSIONS_LIMIT,
      };
      if (status !== undefined) out.status = status as SessionStatusFilter;
      const cursor = str(flags.get('--cursor'));
      if (cursor !== undefined) out.cursor = cursor;
      return out;
    }
    case 'search': {
      if (positionals.length === 0) throw usageError(shown, 'missing the search query: `paige search "words to find"`');
      const kind = str(flags.get('--kind'));
      if (kind !== undefined && !(SEARCH_KINDS as readonly string[]).includes(kind)) {
        throw usageError(shown, `--kind must be one of ${SEARCH_KINDS.join(', ')}`);
      }
      const out: SearchArgs = {
        command: 'search',
        ...common,
        query: positionals.join(' '),
        limit: intFlag(shown, '--limit', flags.get('--limit'), 1, MAX_LIMIT) ?? DEFAULT_SEARCH_LIMIT,
      };
      if (kind !== undefined) out.kind = kind as SearchArgs['kind'] & string;
      const session = str(flags.get('--session'));
      if (session !== undefined) out.sessionId = sessionId(shown, session);
      const cursor = str(flags.get('--cursor'));
      if (cursor !== undefined) out.cursor = cursor;
      return out;
    }
    case 'export': {
      const [id, ...extra] = positionals;
      if (id === undefined) throw usageError(shown, 'missing the session id: `paige export <session> [--out FILE]`');
      if (extra.length > 0) throw usageError(shown, `unexpected argument "${extra[0]}"`);
      const out: ExportArgs = { command: 'export', ...common, sessionId: sessionId(shown, id) };
      const file = str(flags.get('--out'));
      if (file !== undefined) out.out = file;
      return out;
    }
    case 'doctor': {
      noPositionals();
      const out: DoctorArgs = { command: 'doctor', ...common, online: flags.get('--online') === true };
      const project = str(flags.get('--project'));
      if (project !== undefined) out.project = project;
      return out;
    }
  }
}

const COMMON_HELP = `  --json              print one JSON document (errors too) instead of text
  --data-dir DIR      where Paige keeps its state (default: ~/.paige, or PAIGE_DATA_DIR)
  --log-level L       trace|debug|info|warn|error|fatal|silent (diagnostics on stderr)`;

/** Per-command help, printed by `paige help <command>` and `paige <command> --help`. */
export const COMMAND_HELP: Record<string, string> = {
  serve: USAGE,
  status: `Usage: paige status [--json] [--data-dir DIR]

What Paige knows without opening the app: the running instance (if any), version, data dir, database size and
schema, the active session, counts of sessions, actions and memories, the memory backend, and whether a model is
configured. Read-only: safe while the app runs.

Options:
${COMMON_HELP}
`,
  sessions: `Usage: paige sessions list [--status S] [--limit N] [--cursor C] [--json]

Coaching sessions, newest first: id, project, issue, status, start, duration and model cost.

Options:
  --status S          active|wrapping_up|completed|completed_with_errors
  --limit N           rows per page, 1-${MAX_LIMIT} (default ${DEFAULT_SESSIONS_LIMIT})
  --cursor C          continue after the page that printed this cursor
${COMMON_HELP}
`,
  search: `Usage: paige search <query> [--kind action|chat|memory] [--session ID] [--limit N] [--json]

Full-text search over the action log, coach chat and memories, ranked like the app's search box. Words must all
match; "quoted phrases" match as phrases; a trailing * matches a prefix (refact*).

Options:
  --kind K            only action, chat or memory results
  --session ID        only results from this coaching session
  --limit N           results per page, 1-${MAX_LIMIT} (default ${DEFAULT_SEARCH_LIMIT})
  --cursor C          continue after the page that printed this cursor
${COMMON_HELP}
`,
  export: `Usage: paige export <session> [--out FILE]

Writes everything Paige recorded for one session (plans, actions, model calls, gaps, memories, chats, totals) as
one JSON document, to stdout or to FILE (created with mode 0600). Keys, tokens and passwords are redacted.

Options:
  --out FILE          write to FILE instead of stdout
${COMMON_HELP}
`,
  doctor: `Usage: paige doctor [--online] [--project DIR] [--json]

Checks this machine for what Paige needs (claude, node, gh, git, the API key, native modules, SQLite FTS5, the data
dir, the project, ports) and prints pass, warn or fail with a one-line fix for each. Exits 1 if any check fails.

Options:
  --online            also make one minimal model call to test the API key
  --project DIR       also check that this project folder is readable
${COMMON_HELP}
`,
};
COMMAND_HELP['sessions-list'] = COMMAND_HELP.sessions as string;

export const OVERVIEW = `Usage: paige <command> [options]

Commands:
  serve               run Paige headless, with the UI in a browser
  status              what Paige knows: running instance, database, active session, counts
  sessions list       coaching sessions, newest first
  search <query>      full-text search over actions, chat and memories
  export <session>    one session as a JSON document (secrets redacted)
  doctor [--online]   check this machine for what Paige needs, with a fix for each problem
  help [command]      this text, or one command's options
  version             print the version

Read commands open the database read-only and work while the app runs. Every command but serve accepts --json,
--data-dir and --log-level. Exit codes: 0 ok, 1 failure (or a failed doctor check), 2 usage error.
`;
