// The read-only allowlist: in read-only mode a command runs only when its name is here and its arguments use no flag
// that writes. Everything else is denied, so a command nobody thought of is denied rather than allowed.

type Check = (args: readonly string[]) => boolean;

const always: Check = () => true;

function has(args: readonly string[], ...names: string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    for (const n of names) if (a === n || a.startsWith(`${n}=`)) return true;
  }
  return false;
}

function shortCluster(args: readonly string[]): string {
  let out = '';
  for (const a of args) {
    if (a === '--') break;
    if (a.length > 1 && a.charCodeAt(0) === 45 && a.charCodeAt(1) !== 45) out += a.slice(1);
  }
  return out;
}

function positional(args: readonly string[]): string[] {
  const out: string[] = [];
  let opts = true;
  for (const a of args) {
    if (opts && a === '--') {
      opts = false;
      continue;
    }
    if (opts && a.length > 1 && a.charCodeAt(0) === 45) continue;
    out.push(a);
  }
  return out;
}

const without =
  (...flags: string[]): Check =>
  (args) =>
    !has(args, ...flags);

/** Commands that only read, whatever their flags (output redirections are judged separately). */
const PLAIN_READERS = [
  'ls',
  'cat',
  'head',
  'tail',
  'less',
  'more',
  'wc',
  'grep',
  'egrep',
  'fgrep',
  'rg',
  'ag',
  'ack',
  'pwd',
  'echo',
  'printf',
  'true',
  'false',
  ':',
  'test',
  '[',
  '[[',
  'which',
  'type',
  'whereis',
  'file',
  'stat',
  'du',
  'df',
  'diff',
  'cmp',
  'comm',
  'cut',
  'tr',
  'nl',
  'od',
  'hexdump',
  'basename',
  'dirname',
  'realpath',
  'readlink',
  'date',
  'whoami',
  'id',
  'groups',
  'uname',
  'hostname',
  'printenv',
  'env',
  'jq',
  'column',
  'fold',
  'expand',
  'paste',
  'join',
  'tac',
  'rev',
  'seq',
  'sleep',
  'cal',
  'uptime',
  'ps',
  'pgrep',
  'free',
  'lsof',
  'man',
  'help',
  'md5sum',
  'sha1sum',
  'sha256sum',
  'sha512sum',
  'shasum',
  'cksum',
  'strings',
  'nproc',
  'arch',
  'locale',
  'tty',
  'clear',
  'cd',
  'pushd',
  'popd',
  'read',
  'export',
  'set',
  'unset',
  'wait',
  'jobs',
  'exit',
  'return',
  'shift',
  'local',
  'declare',
  'base64',
  'zcat',
  'curl',
  'wget',
  'shellcheck',
  'cloc',
  'tokei',
];

/** `npm run <script>` names that build, test or check: their output is build artefacts, not the learner's code. */
const SCRIPT_NAME_RE = /^(test|build|lint|typecheck|type-check|check|compile|verify|bench)([:._-][a-z0-9:._-]*)?$/;
const FIXING_SCRIPT_RE = /fix|format|write|update|snapshot/;

function okScriptName(name: string | undefined): boolean {
  return name !== undefined && SCRIPT_NAME_RE.test(name) && !FIXING_SCRIPT_RE.test(name);
}

const NPM_READ = new Set([
  'test',
  't',
  'tst',
  'ls',
  'list',
  'll',
  'la',
  'outdated',
  'view',
  'info',
  'show',
  'v',
  'help',
  'explain',
  'why',
  'root',
  'prefix',
  'bin',
  'doctor',
  'search',
  'fund',
  'query',
]);

/** npm, pnpm, yarn and bun: tests, listed scripts that build or check, and the commands that only print. */
function packageManager(args: readonly string[]): boolean {
  const pos = positional(args);
  if (pos.length === 0) return has(args, '--version', '-v', '--help', '-h');
  const sub = pos[0] as string;
  if (sub === 'run' || sub === 'run-script') return okScriptName(pos[1]);
  if (sub === 'audit') return !pos.includes('fix') && !has(args, '--fix');
  if (sub === 'config') return pos[1] === 'get' || pos[1] === 'list' || pos[1] === 'ls';
  if (NPM_READ.has(sub)) return true;
  // `yarn test`, `pnpm build`: a script name directly.
  return okScriptName(sub);
}

/** Tools `npx` may start in read-only mode, with the check for their own arguments. */
const TOOLS: Record<string, Check> = {
  vitest: (a) => !has(a, '-u', '--update'),
  jest: (a) => !has(a, '-u', '--updateSnapshot'),
  mocha: always,
  ava: (a) => !has(a, '-u', '--update-snapshots'),
  tap: always,
  jasmine: always,
  playwright: (a) => a[0] === 'test' && !has(a, '-u', '--update-snapshots'),
  tsc: always,
  'vue-tsc': always,
  eslint: without('--fix', '--fix-dry-run', '-o', '--output-file', '--init'),
  prettier: (a) => has(a, '--check', '-c', '--list-different', '-l') && !has(a, '--write', '-w'),
  biome: (a) => (a[0] === 'check' || a[0] === 'lint' || a[0] === 'ci') && !has(a, '--write', '--apply', '--fix'),
};

function npx(args: readonly string[]): boolean {
  let k = 0;
  while (k < args.length && (args[k] as string).startsWith('-')) {
    // `-p pkg` / `--package pkg` installs something else first.
    if (args[k] === '-p' || args[k] === '--package' || (args[k] as string).startsWith('--package=')) return false;
    k++;
  }
  const tool = args[k];
  if (tool === undefined) return false;
  const check = TOOLS[tool];
  return check !== undefined && check(args.slice(k + 1));
}

const PYTHON_MODULES: Record<string, Check> = {
  pytest: always,
  unittest: always,
  mypy: always,
  pyflakes: always,
  flake8: always,
  pylint: always,
  pip: (a) => ['list', 'show', 'freeze', 'check', '--version'].includes(a[0] ?? ''),
  pydoc: always,
  black: (a) => has(a, '--check', '--diff'),
  ruff: (a) => a[0] === 'check' && !has(a, '--fix'),
};

function python(args: readonly string[]): boolean {
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) return true;
  if (args[0] === '-m' && args[1] !== undefined) {
    const check = PYTHON_MODULES[args[1]];
    return check !== undefined && check(args.slice(2));
  }
  return false;
}

const GIT_READ = new Set([
  'status',
  'log',
  'diff',
  'show',
  'blame',
  'annotate',
  'ls-files',
  'ls-tree',
  'ls-remote',
  'rev-parse',
  'rev-list',
  'describe',
  'shortlog',
  'grep',
  'cat-file',
  'whatchanged',
  'name-rev',
  'merge-base',
  'count-objects',
  'help',
  'version',
  'check-ignore',
  'check-attr',
  'for-each-ref',
  'show-ref',
  'show-branch',
  'range-diff',
  'cherry',
  'fetch',
  'var',
]);
const GIT_GLOBAL_VALUE_OPTS = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace']);

/** git subcommands that only read; writing forms of branch, tag and stash are judged by the git rules. */
function git(args: readonly string[]): boolean {
  let k = 0;
  while (k < args.length && (args[k] as string).startsWith('-')) {
    if (args[k] === '--version' || args[k] === '--help') return true;
    k += GIT_GLOBAL_VALUE_OPTS.has(args[k] as string) ? 2 : 1;
  }
  const sub = args[k];
  const rest = args.slice(k + 1);
  if (sub === undefined) return false;
  // `git diff --output=f` and `git log --output f` write a file.
  if (has(rest, '--output', '-o') && sub !== 'grep') return false;
  if (GIT_READ.has(sub)) return true;
  switch (sub) {
    case 'branch':
    case 'tag':
      // Creating or deleting is a write-style git rule of its own; the listing forms are read-only.
      return true;
    case 'stash':
      return rest[0] === 'list' || rest[0] === 'show';
    case 'clean':
      return has(rest, '-n', '--dry-run') && !has(rest, '-f', '--force');
    case 'apply':
      return has(rest, '--check', '--stat', '--numstat', '--summary');
    case 'remote':
      return rest.length === 0 || rest[0] === '-v' || rest[0] === 'show' || rest[0] === 'get-url';
    case 'config':
      return has(rest, '--get', '--get-all', '--list', '-l', '--get-regexp') || rest[0] === 'get' || rest[0] === 'list';
    case 'reflog':
      return rest.length === 0 || rest[0] === 'show';
    case 'worktree':
      return rest[0] === 'list';
    case 'submodule':
      return rest[0] === 'status' || rest.length === 0;
    case 'notes':
      return rest[0] === 'list' || rest[0] === 'show';
    default:
      return false;
  }
}

const CARGO_READ = new Set(['test', 'build', 'check', 'doc', 'tree', 'metadata', 'bench', 'version', '--version']);
const GO_READ = new Set(['test', 'build', 'vet', 'version', 'env', 'list', 'doc']);
const MAKE_TARGETS = new Set(['test', 'tests', 'check', 'build', 'lint', 'all']);

/** awk is read-only unless its program runs commands or prints into a file or a pipe. */
const AWK_WRITES_RE = /system|getline|[>|]\s*"|[>|]\s*[a-zA-Z_$(]/;

function awk(args: readonly string[]): boolean {
  if (has(args, '-i', '--include', '-f', '--file')) return false;
  const program = positional(args)[0];
  return program === undefined || !AWK_WRITES_RE.test(program);
}

/** sed is read-only without -i and without the `w` (write a file) or `e` (run a command) commands in its script. */
const DIGITS_RE = /^\d+$/;
const SED_WRITES_RE = /(^|[;{}\s/0-9$])[wWe](\s|$)/;

function sed(args: readonly string[]): boolean {
  if (has(args, '--in-place') || shortCluster(args).includes('i')) return false;
  for (const a of args) if (SED_WRITES_RE.test(a) || a.includes('/w ')) return false;
  return true;
}

/** find without -delete, -fprint* and -fls; -exec / -ok commands are checked one by one by the validator. */
const find: Check = without('-delete', '-fprint', '-fprint0', '-fprintf', '-fls');

const tar: Check = (a) => {
  const first = a[0] ?? '';
  const cluster = first.startsWith('-') ? shortCluster(a) : first + shortCluster(a);
  return (cluster.includes('t') || has(a, '--list')) && !cluster.includes('x') && !cluster.includes('c');
};

/** `sh -c "<string>"`: the string is checked command by command, like the command line itself. */
const shellString: Check = (a) => shortCluster(a).includes('c');

const CHECKS: Record<string, Check> = {
  ...Object.fromEntries(PLAIN_READERS.map((n) => [n, always])),
  ...TOOLS,
  git,
  sh: shellString,
  bash: shellString,
  zsh: shellString,
  dash: shellString,
  npm: packageManager,
  pnpm: packageManager,
  yarn: packageManager,
  bun: (a) => (a[0] === 'test' ? true : a[0] === 'x' ? false : packageManager(a)),
  npx,
  python,
  python3: python,
  py: python,
  node: (a) => a.length === 1 && (a[0] === '--version' || a[0] === '-v'),
  deno: (a) => a[0] === '--version' || a[0] === 'test' || a[0] === 'check' || a[0] === 'lint',
  ruby: (a) => a.length === 1 && (a[0] === '--version' || a[0] === '-v'),
  java: (a) => a.length === 1 && (a[0] === '-version' || a[0] === '--version'),
  rustc: (a) => a.length === 1 && (a[0] === '--version' || a[0] === '-V'),
  pytest: always,
  'py.test': always,
  mypy: always,
  flake8: always,
  pylint: always,
  ruff: PYTHON_MODULES.ruff as Check,
  black: PYTHON_MODULES.black as Check,
  cargo: (a) =>
    CARGO_READ.has(a[0] ?? '') || (a[0] === 'clippy' && !has(a, '--fix')) || (a[0] === 'fmt' && has(a, '--check')),
  go: (a) => GO_READ.has(a[0] ?? ''),
  gofmt: (a) => has(a, '-l', '-d') && !has(a, '-w'),
  make: (a) => positional(a).every((t) => MAKE_TARGETS.has(t) && !t.includes('=')),
  find,
  awk,
  gawk: awk,
  mawk: awk,
  sed,
  tar,
  unzip: (a) => has(a, '-l', '-t', '-Z', '-v'),
  sort: without('-o', '--output'),
  uniq: (a) => positional(a).length <= 1,
  tree: without('-o'),
  xxd: (a) => !has(a, '-r') && positional(a).length <= 1,
  tee: (a) => positional(a).every((t) => t === '/dev/null' || t === '/dev/stdout' || t === '/dev/stderr'),
  yq: without('-i', '--inplace'),
  gh: (a) =>
    (['pr', 'issue', 'repo', 'run', 'release'].includes(a[0] ?? '') &&
      ['view', 'list', 'status', 'diff', 'checks'].includes(a[1] ?? '')) ||
    a[0] === 'status' ||
    a[0] === '--version',
  top: (a) => has(a, '-b', '-l'),
  history: (a) => a.length === 0 || DIGITS_RE.test(a[0] ?? ''),
};

/** Whether `name args…` is known to only read. `name` is the command after wrappers, without its directory. */
export function isReadOnlyCommand(name: string, args: readonly string[]): boolean {
  const check = Object.prototype.hasOwnProperty.call(CHECKS, name) ? CHECKS[name] : undefined;
  return check !== undefined && check(args);
}
