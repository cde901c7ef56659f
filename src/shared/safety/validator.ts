// The command safety validator (rules in docs/safety.md): a pure function from a shell command to a risk, a decision
// and the rules that matched. Used by `paige_validate_command`, `safety:validate` and the PreToolUse hook.
import { decodeEscapes } from './escapes';
import { scanInlineCode } from './inline-code';
import { parseShell, type Redirect, type Script, type SimpleCommand, type Word } from './lexer';
import { isReadOnlyCommand } from './read-only';
import { RULES, riskRank, type RiskLevel, type RuleCategory, type RuleDef, type RuleId } from './rules';

export type SafetyMode = 'read_only' | 'standard';
export type Decision = 'allow' | 'ask' | 'deny';

export interface MatchedRule {
  id: RuleId;
  category: RuleCategory;
  risk: RiskLevel;
}

export interface ValidationResult {
  risk_level: RiskLevel;
  decision: Decision;
  read_only_violation: boolean;
  matched_rules: MatchedRule[];
  reason: string;
  elapsed_us: number;
}

export interface ValidateOptions {
  mode: SafetyMode;
  /** Working directory the command would run in; decides whether `rm -rf *` is at the root or home. */
  cwd?: string | undefined;
}

/** Longer commands are not analysed in full: only their start is checked, and they are never allowed. */
export const MAX_COMMAND_LENGTH = 10_000;
/** Substitutions and `sh -c` strings are followed this deep; deeper is `high`. */
export const MAX_ANALYSIS_DEPTH = 3;

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'fish', 'ash', 'csh', 'tcsh']);
const POWERSHELLS = new Set(['pwsh', 'powershell', 'powershell.exe', 'pwsh.exe']);
const INTERPRETERS = new Set([
  ...SHELLS,
  ...POWERSHELLS,
  'python',
  'python2',
  'python3',
  'node',
  'nodejs',
  'perl',
  'ruby',
  'php',
  'lua',
  'deno',
  'bun',
  'iex',
  'invoke-expression',
  'source',
  '.',
  'eval',
]);
const FETCHERS = new Set(['curl', 'wget', 'iwr', 'irm', 'invoke-webrequest', 'invoke-restmethod']);
const NETWORK_SINKS = new Set([
  ...FETCHERS,
  'nc',
  'ncat',
  'netcat',
  'socat',
  'telnet',
  'ssh',
  'scp',
  'sftp',
  'rsync',
  'ftp',
  'mail',
  'sendmail',
  'mutt',
]);
/** Commands that name a secret path without revealing its content. */
const SECRET_SAFE_COMMANDS = new Set([
  'ls',
  'stat',
  'test',
  '[',
  '[[',
  'file',
  'du',
  'chmod',
  'chown',
  'mkdir',
  'touch',
  'ssh',
  'ssh-add',
  'ssh-keygen',
  'source',
  '.',
]);
const SHELL_KEYWORDS = new Set(['!', '{', '}', 'then', 'do', 'else', 'elif', 'if', 'done', 'fi', 'esac', 'in']);
const COMPOUND_HEADS = new Set(['for', 'select', 'case', 'function']);
const FS_WRITE_COMMANDS = new Set([
  'rm',
  'rmdir',
  'unlink',
  'mv',
  'cp',
  'install',
  'ln',
  'mkdir',
  'touch',
  'truncate',
  'chmod',
  'chown',
  'chgrp',
  'patch',
  'shred',
]);
const PARTITION_TOOLS = new Set(['fdisk', 'sfdisk', 'cfdisk', 'gdisk', 'sgdisk', 'parted', 'wipefs']);
const POWER_COMMANDS = new Set(['shutdown', 'reboot', 'halt', 'poweroff']);
const HARMLESS_SINK_TARGETS = new Set([
  '/dev/null',
  '/dev/stdout',
  '/dev/stderr',
  '/dev/tty',
  '/dev/fd/1',
  '/dev/fd/2',
  '-',
]);
const OUTPUT_REDIRECTS = new Set(['>', '>>', '>|', '&>', '&>>', '<>']);
const GIT_WRITE_SUBCOMMANDS = new Set([
  'add',
  'commit',
  'push',
  'pull',
  'merge',
  'rebase',
  'reset',
  'checkout',
  'switch',
  'restore',
  'stash',
  'cherry-pick',
  'revert',
  'apply',
  'am',
  'rm',
  'mv',
  'clean',
  'tag',
  'filter-branch',
  'filter-repo',
]);
/** git global options that take a value as the next word. */
const GIT_GLOBAL_ARG_OPTS = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path']);
/** `git branch` options after which a positional word is a pattern or commit, not a new branch name. */
const GIT_BRANCH_LIST_OPTS = new Set([
  '--list',
  '-l',
  '--contains',
  '--no-contains',
  '--merged',
  '--no-merged',
  '--points-at',
  '-a',
  '--all',
  '-r',
  '--remotes',
]);
const GIT_BRANCH_WRITE_OPTS = new Set([
  '-d',
  '-D',
  '--delete',
  '-m',
  '-M',
  '--move',
  '-c',
  '-C',
  '--copy',
  '-u',
  '--set-upstream-to',
  '--unset-upstream',
  '--edit-description',
  '-f',
  '--force',
]);
const INSTALL_SUBCOMMANDS: Record<string, ReadonlySet<string>> = {
  npm: new Set(['install', 'i', 'in', 'isntall', 'add', 'ci', 'uninstall', 'un', 'remove', 'rm', 'r', 'update', 'up']),
  pnpm: new Set(['install', 'i', 'add', 'remove', 'rm', 'uninstall', 'un', 'update', 'up', 'upgrade']),
  yarn: new Set(['install', 'add', 'remove', 'upgrade', 'up']),
  bun: new Set(['install', 'i', 'add', 'remove', 'rm', 'update']),
  pip: new Set(['install', 'uninstall']),
  pip3: new Set(['install', 'uninstall']),
  pipx: new Set(['install', 'uninstall']),
  poetry: new Set(['add', 'remove', 'install']),
  cargo: new Set(['add', 'install', 'remove']),
  go: new Set(['get', 'install']),
  brew: new Set(['install', 'uninstall', 'remove', 'upgrade', 'reinstall']),
  apt: new Set(['install', 'remove', 'purge', 'upgrade', 'full-upgrade', 'autoremove']),
  'apt-get': new Set(['install', 'remove', 'purge', 'upgrade', 'dist-upgrade', 'autoremove']),
  yum: new Set(['install', 'remove', 'erase', 'upgrade', 'update']),
  dnf: new Set(['install', 'remove', 'erase', 'upgrade', 'update']),
  gem: new Set(['install', 'uninstall']),
  composer: new Set(['require', 'install', 'remove', 'update']),
};
const PUBLISH_SUBCOMMANDS: Record<string, ReadonlySet<string>> = {
  npm: new Set(['publish', 'unpublish']),
  pnpm: new Set(['publish']),
  yarn: new Set(['publish']),
  bun: new Set(['publish']),
  cargo: new Set(['publish']),
  twine: new Set(['upload']),
  gem: new Set(['push']),
  poetry: new Set(['publish']),
};
/** Option words that take a value, per wrapper, so the wrapped command is found. */
const SUDO_ARG_OPTS = new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-T', '-U', '--user', '--group']);
const XARGS_ARG_OPTS = new Set([
  '-I',
  '-n',
  '-P',
  '-L',
  '-d',
  '-E',
  '-s',
  '-a',
  '--arg-file',
  '--delimiter',
  '--max-args',
  '--max-procs',
  '--max-lines',
  '--replace',
]);
const TIMEOUT_ARG_OPTS = new Set(['-s', '-k', '--signal', '--kill-after']);
const NO_ARG_OPTS: ReadonlySet<string> = new Set();
const EXEC_ARG_OPTS = new Set(['-a']);
const NICE_ARG_OPTS = new Set(['-n']);
const PACKAGE_ARG_OPTS = new Set(['--prefix', '-C', '--cwd', '--dir', '--filter']);
// Precompiled, anchored, without nested quantifiers: linear-time and allocated once, never per call.
const DIGITS_RE = /^\d+$/;
const SHORT_I_RE = /^-[a-zA-Z]*i/;
const SECRET_VAR_RE = /KEY|TOKEN|SECRET|PASSW/i;
const KEYCHAIN_READ_RE = /^find-(generic|internet)-password$/;
const DISKUTIL_ERASE_RE = /^(erase|secureerase|zerodisk|randomdisk|partitiondisk|reformat)/;
const OCTAL_MODE_RE = /^[0-7]{4}$/;
const ROOT_OWNER_RE = /^(root|0)([:.].*)?$/;
const SHORT_CLUSTER_RE = /^-[a-zA-Z]+$/;
const SHORT_O_RE = /^-[a-zA-Z]*O/;
const PS_COMMAND_RE = /^-(c|command)$/i;
const ENV_TEMPLATE_SUFFIXES = new Set(['example', 'sample', 'template', 'dist', 'defaults']);
const SECRET_BASENAMES = new Set(['.netrc', '.git-credentials', '.pgpass', '.envrc']);
const PUBLIC_SSH_FILES = new Set(['known_hosts', 'config', 'authorized_keys']);
const CRITICAL_RM_TARGETS = new Set([
  '/',
  '/*',
  '~',
  '~/*',
  '$HOME',
  '${HOME}',
  '$HOME/*',
  '${HOME}/*',
  '..',
  '../*',
  '/.',
  '~/.',
]);
const ROOT_OR_HOME = new Set(['/', '/*', '~', '~/*', '$HOME', '${HOME}', '$HOME/*', '${HOME}/*']);

interface CmdInfo {
  fetch: boolean;
  interp: boolean;
  sink: boolean;
  secretSource: boolean;
}

interface Summary {
  fetches: boolean;
  readsSecret: boolean;
}

class Analysis {
  readonly matches = new Map<RuleId, RiskLevel>();
  /** Something in the command fetches from the network / decodes a payload (base64 -d, xxd -r, …). */
  fetches = false;
  decodes = false;
  /** Files the command writes (redirections, downloads, tee, cp/mv), to spot a script written and then run. */
  readonly written = new Set<string>();
  /** Script files the command runs. */
  readonly scripts: string[] = [];
  /** Command names not on the read-only list, for the reason. */
  readonly unlisted: string[] = [];
  /** Simple `NAME=value` assignments seen so far, to see through `x=rm; $x -rf ~`. */
  readonly vars = new Map<string, string>();
  /** Functions the command defines; calling one runs its body, which is analysed where it is defined. */
  readonly functions = new Set<string>();
  /** Set when a write-style or opaque rule is added; lets a command that already has one skip the allowlist rule. */
  flagged = false;
  constructor(readonly opts: ValidateOptions) {}
  add(id: RuleId): void {
    const def: RuleDef = RULES[id];
    if (def.write === true || def.opaque === true) this.flagged = true;
    if (!this.matches.has(id)) this.matches.set(id, def.risk);
  }
}

function basename(s: string): string {
  const k = s.lastIndexOf('/');
  return k === -1 ? s : s.slice(k + 1);
}

function isAssignment(s: string): boolean {
  const eq = s.indexOf('=');
  if (eq <= 0) return false;
  for (let k = 0; k < eq; k++) {
    const c = s.charCodeAt(k);
    const ok = c === 95 || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (k > 0 && c >= 48 && c <= 57);
    if (!ok) return false;
  }
  return true;
}

/** Letters of every short-option cluster (`-rf` → r, f) before `--`. */
function shortFlags(args: readonly string[]): string {
  let out = '';
  for (const a of args) {
    if (a === '--') break;
    if (a.length > 1 && a.charCodeAt(0) === 45 && a.charCodeAt(1) !== 45) out += a.slice(1);
  }
  return out;
}

function hasArg(args: readonly string[], ...names: string[]): boolean {
  for (const a of args) {
    if (a === '--') return false;
    for (const n of names) if (a === n) return true;
  }
  return false;
}

/** Arguments that are not options (everything after `--` counts). */
function positionals(args: readonly string[]): string[] {
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

/** First positional after skipping options, some of which take a value. */
function firstPositional(args: readonly string[], argOpts: ReadonlySet<string> = NO_ARG_OPTS): number {
  let k = 0;
  while (k < args.length) {
    const a = args[k] as string;
    if (a === '--') return k + 1;
    if (a.length > 1 && a.charCodeAt(0) === 45) {
      k += argOpts.has(a) ? 2 : 1;
      continue;
    }
    return k;
  }
  return k;
}

function normalizeTarget(t: string): string {
  let end = t.length;
  while (end > 1 && t.charCodeAt(end - 1) === 47) end--;
  let s = end === t.length ? t : t.slice(0, end);
  while (s.startsWith('//')) s = s.slice(1);
  return s;
}

function isHomeOrRoot(cwd: string | undefined): boolean {
  if (cwd === undefined) return false;
  const c = normalizeTarget(cwd);
  if (c === '/' || c === '~' || c === '/root' || c === '$HOME') return true;
  const parts = c.split('/');
  return parts.length === 3 && parts[0] === '' && (parts[1] === 'home' || parts[1] === 'Users');
}

export function isSecretPath(raw: string): boolean {
  if (raw.length === 0 || raw.length > 4096) return false;
  const p = normalizeTarget(raw);
  const base = basename(p);
  if (base === '.ssh') return true;
  if (p.includes('.ssh/')) return !base.endsWith('.pub') && !PUBLIC_SSH_FILES.has(base);
  if (p.endsWith('.aws/credentials') || p.endsWith('.config/gh/hosts.yml')) return true;
  if (base === '.env') return true;
  if (base.startsWith('.env.')) return !ENV_TEMPLATE_SUFFIXES.has(base.slice(5));
  if (base.endsWith('.pem') || base.endsWith('.p12') || base.endsWith('.pfx')) return true;
  // Private keys (id_rsa, id_ed25519) have no extension; id_utils.ts is not one.
  if (base.startsWith('id_') && base.length > 3 && !base.includes('.')) return true;
  return SECRET_BASENAMES.has(base);
}

/** A word naming a secret directly or as an option value (`--file=.env`, `-d @.env`, `-F f=@id_rsa`). */
function mentionsSecret(arg: string): boolean {
  if (isSecretPath(arg)) return true;
  const at = arg.lastIndexOf('@');
  if (at !== -1 && isSecretPath(arg.slice(at + 1))) return true;
  const eq = arg.lastIndexOf('=');
  return eq !== -1 && isSecretPath(arg.slice(eq + 1));
}

function isRemoteSpec(a: string): boolean {
  if (a.startsWith('rsync://')) return true;
  const colon = a.indexOf(':');
  return colon > 0 && !a.startsWith('/') && !a.startsWith('.');
}

export function validateCommand(command: string, opts: ValidateOptions): ValidationResult {
  const t0 = performance.now();
  const an = new Analysis(opts);
  try {
    if (command.length > MAX_COMMAND_LENGTH) {
      an.add('analysis.too_long');
      // The start is still checked, so `rm -rf ~` followed by padding is denied rather than asked about.
      analyzeSource(command.slice(0, MAX_COMMAND_LENGTH), 0, an);
    } else {
      analyzeSource(command, 0, an);
    }
    combine(an);
  } catch {
    // The analysis is meant never to throw (the fuzz test holds it to that); if it does, ask a person.
    an.add('analysis.internal_error');
  }
  return decide(an, opts.mode, t0);
}

const OPAQUE_RULES: readonly RuleId[] = [
  'opaque.dynamic_command',
  'opaque.eval',
  'opaque.shell_from_input',
  'opaque.inline_code',
  'opaque.script_file',
];
/** Categories whose match, next to hidden code, makes the whole command a denial. */
const HARMFUL_CATEGORIES: ReadonlySet<RuleCategory> = new Set([
  'destructive_fs',
  'disk_partition',
  'fork_bomb',
  'remote_exec',
  'history_rewrite',
  'credential_exfiltration',
  'system_modification',
]);

/** Hidden code next to a download, a decoded payload or a destructive command is denied, in every mode. */
function combine(an: Analysis): void {
  for (const script of an.scripts) {
    if (an.written.has(script)) an.add('opaque.write_then_run');
  }
  if (!OPAQUE_RULES.some((id) => an.matches.has(id))) return;
  let harmful = an.fetches || an.decodes;
  for (const id of an.matches.keys()) if (HARMFUL_CATEGORIES.has(RULES[id].category)) harmful = true;
  if (harmful) an.add('opaque.combined');
}

function analyzeSource(src: string, depth: number, an: Analysis): Summary {
  if (depth > MAX_ANALYSIS_DEPTH) {
    an.add('analysis.too_deep');
    return { fetches: false, readsSecret: false };
  }
  const parsed = parseShell(src);
  if (parsed.unbalanced) an.add('analysis.unbalanced');
  if (parsed.tooDeep) an.add('analysis.too_deep');
  return analyzeScript(parsed.script, depth, an);
}

function analyzeScript(script: Script, depth: number, an: Analysis): Summary {
  const summary: Summary = { fetches: false, readsSecret: false };
  // Function bodies being walked (for fork bombs) and open loops (true = endless `while true`).
  let pendingFn: string | null = null;
  const bodies: string[] = [];
  const loops: boolean[] = [];

  for (const pl of script.pipelines) {
    const infos: CmdInfo[] = [];
    let recursiveCalls = 0;
    for (let ci = 0; ci < pl.commands.length; ci++) {
      const cmd = pl.commands[ci] as SimpleCommand;
      if (cmd.funcDef !== null) {
        an.functions.add(cmd.funcDef);
        pendingFn = cmd.funcDef;
        continue;
      }
      const first = cmd.words[0]?.text;
      const second = cmd.words[1]?.text;
      if (first === 'function' && second !== undefined) {
        an.functions.add(second);
        if (cmd.words[2]?.text === '{') bodies.push(second);
        else pendingFn = second;
      } else if (first === '{' && pendingFn !== null) {
        bodies.push(pendingFn);
        pendingFn = null;
      } else if (first === '}' && bodies.length > 0) {
        bodies.pop();
      }
      if (first === 'while' || first === 'until' || first === 'for' || first === 'select') {
        const endless =
          (first === 'while' && (second === 'true' || second === ':')) || (first === 'until' && second === 'false');
        loops.push(endless);
      } else if (first === 'done') {
        loops.pop();
      }

      const info = analyzeCommand(cmd, depth, an, ci > 0 ? (pl.commands[ci - 1] as SimpleCommand) : null);
      infos.push(info);
      const name = commandName(cmd);
      if (name !== null && bodies.includes(name)) recursiveCalls++;
    }
    if (recursiveCalls > 0 && (recursiveCalls >= 2 || pl.background)) an.add('fork_bomb.function');
    if (pl.background && loops.includes(true)) an.add('fork_bomb.loop');

    let sawFetch = false;
    let sawSecret = false;
    for (const info of infos) {
      if (info.interp && sawFetch) an.add('remote_exec.pipe_to_interpreter');
      if (info.sink && sawSecret) an.add('credential_exfiltration.send');
      if (info.fetch) sawFetch = true;
      if (info.secretSource) sawSecret = true;
    }
    if (sawFetch) summary.fetches = true;
    if (sawSecret) summary.readsSecret = true;
  }
  return summary;
}

/** The name a command runs after keywords and assignments (not unwrapping), for function-call detection. */
function commandName(cmd: SimpleCommand): string | null {
  for (const w of cmd.words) {
    if (SHELL_KEYWORDS.has(w.text) || isAssignment(w.text)) continue;
    return w.text;
  }
  return null;
}

interface Resolved {
  name: string;
  args: string[];
  /** The command word as written (with its directory), to tell a script path from a command name. */
  head: string;
  /** Started by `xargs`: its arguments come from input. */
  viaXargs?: boolean;
}

/** Skips keywords, assignments and wrappers (sudo, env, xargs, …), recording privilege and nested command strings. */
function resolve(words: readonly string[], depth: number, an: Analysis): Resolved | null {
  let k = 0;
  let viaXargs = false;
  for (;;) {
    while (k < words.length) {
      const t = words[k] as string;
      if (isAssignment(t)) {
        const eq = t.indexOf('=');
        an.vars.set(t.slice(0, eq), t.slice(eq + 1));
        k++;
      } else if (SHELL_KEYWORDS.has(t) || t === 'while' || t === 'until') k++;
      else break;
    }
    const head = words[k];
    if (head === undefined) return null;
    if (COMPOUND_HEADS.has(head)) return null;
    const name = basename(head);
    const rest = words.slice(k + 1);
    switch (name) {
      case 'sudo':
      case 'doas':
      case 'pkexec': {
        an.add(
          name === 'sudo'
            ? 'privilege_escalation.sudo'
            : name === 'doas'
              ? 'privilege_escalation.doas'
              : 'privilege_escalation.pkexec',
        );
        k = k + 1 + firstPositional(rest, SUDO_ARG_OPTS);
        continue;
      }
      case 'su': {
        an.add('privilege_escalation.su');
        const c = rest.findIndex((a) => a === '-c' || a === '--command');
        const str = c === -1 ? undefined : rest[c + 1];
        if (str !== undefined) analyzeSource(str, depth + 1, an);
        return null;
      }
      case 'env': {
        let j = 0;
        while (j < rest.length) {
          const a = rest[j] as string;
          if (a === '-S' || a === '--split-string') {
            const str = rest[j + 1];
            if (str !== undefined) analyzeSource(str, depth + 1, an);
            return null;
          }
          if (a === '-u' || a === '-C' || a === '--unset' || a === '--chdir') j += 2;
          else if ((a.length > 1 && a.charCodeAt(0) === 45) || isAssignment(a)) j++;
          else break;
        }
        if (j >= rest.length) return { name: 'env', args: rest, head };
        k = k + 1 + j;
        continue;
      }
      case 'command': {
        if (rest[0] === '-v' || rest[0] === '-V') return null;
        k = k + 1 + firstPositional(rest);
        continue;
      }
      case 'builtin':
      case 'nohup':
      case 'exec':
      case 'time':
      case 'nice':
      case 'stdbuf':
      case 'ionice': {
        const argOpts = name === 'exec' ? EXEC_ARG_OPTS : name === 'nice' ? NICE_ARG_OPTS : NO_ARG_OPTS;
        k = k + 1 + firstPositional(rest, argOpts);
        continue;
      }
      case 'timeout': {
        // `timeout [options] DURATION COMMAND`
        k = k + 1 + firstPositional(rest, TIMEOUT_ARG_OPTS) + 1;
        continue;
      }
      case 'xargs': {
        const j = firstPositional(rest, XARGS_ARG_OPTS);
        if (j >= rest.length) return null;
        k = k + 1 + j;
        viaXargs = true;
        continue;
      }
      case 'busybox':
      case 'toybox': {
        // `busybox sh` is sh: the applet name is the command.
        if (rest.length === 0 || (rest[0] as string).startsWith('-')) return { name, args: rest, head };
        k += 1;
        continue;
      }
      default:
        return { name, args: rest, head, viaXargs };
    }
  }
}

/** The text a substitution prints when it is a single `echo`/`printf` of literal words (`$(echo rm)`), else null. */
function echoedText(script: Script): string | null {
  const only = script.pipelines.length === 1 ? script.pipelines[0]?.commands : undefined;
  const c = only?.length === 1 ? only[0] : undefined;
  if (c === undefined || c.redirects.length > 0) return null;
  const text = printedText(c);
  return text === null || text.includes('$') || text.includes('`') ? null : text;
}

/** What an `echo`/`printf` of literal words prints, escapes expanded (`printf '\x72\x6d'` prints `rm`); else null. */
function printedText(c: SimpleCommand): string | null {
  const words = c.words.map((w) => w.text);
  if (words[0] !== 'echo' && words[0] !== 'printf') return null;
  return decodeEscapes(
    words
      .slice(1)
      .filter((w) => !(w.startsWith('-') && w.length === 2))
      .join(' '),
  );
}

/** What a computed command word stands for, when the command itself says (`x=rm; $x`, `$(echo rm)`); else null. */
function staticValue(word: Word, an: Analysis): string | null {
  const t = word.text;
  if (word.substs.length === 1 && (t.startsWith('$(') || t.startsWith('`'))) {
    return echoedText(word.substs[0] as Script);
  }
  if (t.startsWith('${') && t.endsWith('}')) return an.vars.get(t.slice(2, -1)) ?? null;
  if (t.startsWith('$')) return an.vars.get(t.slice(1)) ?? null;
  return null;
}

function isDynamic(text: string): boolean {
  return text.includes('$') || text.includes('`');
}

/** Paths whose deletion or overwrite is catastrophic, for hidden commands that name them. */
function isCatastrophicTarget(a: string): boolean {
  const t = normalizeTarget(a);
  return CRITICAL_RM_TARGETS.has(t) || ROOT_OR_HOME.has(t) || isBlockDevice(t);
}

/** The command words after leading assignments and keywords: index of the word that names the command. */
function headIndex(words: readonly Word[]): number {
  let k = 0;
  while (k < words.length) {
    const t = (words[k] as Word).text;
    if (isAssignment(t) || SHELL_KEYWORDS.has(t)) k++;
    else break;
  }
  return k;
}

function analyzeCommand(cmd: SimpleCommand, depth: number, an: Analysis, pipeFrom: SimpleCommand | null): CmdInfo {
  const info: CmdInfo = { fetch: false, interp: false, sink: false, secretSource: false };
  let substFetch = false;
  let substSecret = false;
  if (cmd.subshell) {
    const s = analyzeScript(cmd.subshell, depth, an);
    info.fetch = s.fetches;
    info.secretSource = s.readsSecret;
  }
  for (const w of cmd.words) {
    for (const sub of w.substs) {
      if (depth + 1 > MAX_ANALYSIS_DEPTH) {
        an.add('analysis.too_deep');
        continue;
      }
      const s = analyzeScript(sub, depth + 1, an);
      if (s.fetches) substFetch = true;
      if (s.readsSecret) substSecret = true;
    }
  }
  an.flagged = false;
  const readsSecretRedirect = checkRedirects(cmd.redirects, an);

  let texts = cmd.words.map((w: Word) => w.text);
  const h = headIndex(cmd.words);
  const headWord = cmd.words[h];
  let dynamic = false;
  if (headWord !== undefined && isDynamic(headWord.text) && !headWord.text.startsWith('<(')) {
    // The command name is computed at run time. Say so, and judge what it most likely is when the command says.
    dynamic = true;
    an.add('opaque.dynamic_command');
    const value = staticValue(headWord, an);
    // Whatever it turns out to be, aimed at the root, the home directory or a disk it is denied.
    if (texts.slice(h + 1).some(isCatastrophicTarget)) an.add('opaque.combined');
    if (value !== null && value.trim() !== '') {
      texts = [...texts.slice(0, h), ...value.trim().split(WHITESPACE_RE), ...texts.slice(h + 1)];
    } else {
      // Unknown program: it may be a shell (`… | $SHELL`, `$SHELL -c "…"`), so its input is read as commands.
      info.interp = true;
      const c = texts.findIndex((t, k) => k > h && SHORT_CLUSTER_RE.test(t) && t.endsWith('c'));
      const str = c === -1 ? undefined : texts[c + 1];
      if (str !== undefined && depth + 1 <= MAX_ANALYSIS_DEPTH) analyzeSource(str, depth + 1, an);
      if (pipeFrom !== null) {
        an.add('opaque.shell_from_input');
        const text = pipedText(pipeFrom);
        if (text !== null && depth + 1 <= MAX_ANALYSIS_DEPTH) analyzeSource(text, depth + 1, an);
      }
    }
  }
  const r = resolve(texts, depth, an);
  if (r !== null && !(dynamic && isDynamic(r.head))) {
    matchCommand(r, cmd, depth, an, info, {
      substFetch,
      substSecret,
      readsSecretRedirect,
      pipeFrom,
      viaXargs: r.viaXargs === true,
    });
  } else if (readsSecretRedirect) {
    an.add('credential_exfiltration.read_secret');
    info.secretSource = true;
  }
  if (substFetch) info.fetch = true;
  if (substSecret) info.secretSource = true;
  return info;
}

/** Device files that are safe to write: everything else under /dev is a disk, memory or hardware. */
const HARMLESS_DEVICE_PREFIXES = ['/dev/fd/', '/dev/pts/', '/dev/shm/', '/dev/tcp/', '/dev/udp/'];
const HARMLESS_DEVICES = new Set([
  '/dev/zero',
  '/dev/random',
  '/dev/urandom',
  '/dev/full',
  '/dev/ptmx',
  '/dev/console',
]);

function isBlockDevice(target: string): boolean {
  if (!target.startsWith('/dev/') || HARMLESS_SINK_TARGETS.has(target) || HARMLESS_DEVICES.has(target)) return false;
  return !HARMLESS_DEVICE_PREFIXES.some((p) => target.startsWith(p));
}

/** `./x.sh` and `x.sh` name the same file. */
function pathKey(p: string): string {
  let s = p;
  while (s.startsWith('./')) s = s.slice(2);
  return s;
}

/** Records a file the command writes; a disk device is critical. */
function noteWrite(target: string, an: Analysis): void {
  if (isBlockDevice(normalizeTarget(target))) an.add('disk_partition.device_write');
  an.written.add(pathKey(target));
}

/** Write-style redirections; returns whether input comes from a secret file. */
function checkRedirects(redirects: readonly Redirect[], an: Analysis): boolean {
  let secret = false;
  const heredoc = redirects.some((r) => r.op === '<<' || r.op === '<<-');
  for (const r of redirects) {
    if (r.target.startsWith('/dev/tcp/') || r.target.startsWith('/dev/udp/')) an.add('remote_exec.reverse_shell');
    if (OUTPUT_REDIRECTS.has(r.op)) {
      if (!HARMLESS_SINK_TARGETS.has(r.target)) {
        an.add(heredoc ? 'write.heredoc_file' : 'write.redirect');
        noteWrite(r.target, an);
      }
    } else if (r.op === '>&') {
      const dup = r.target === '-' || DIGITS_RE.test(r.target);
      if (!dup && !HARMLESS_SINK_TARGETS.has(r.target)) {
        an.add('write.redirect');
        noteWrite(r.target, an);
      }
    } else if (r.op === '<' && isSecretPath(r.target)) {
      secret = true;
    }
  }
  return secret;
}

interface CmdContext {
  substFetch: boolean;
  substSecret: boolean;
  readsSecretRedirect: boolean;
  /** The command whose output this one reads through a pipe, else null. */
  pipeFrom: SimpleCommand | null;
  /** Run by `xargs`, so its arguments come from input. */
  viaXargs: boolean;
}

function matchCommand(
  r: Resolved,
  cmd: SimpleCommand,
  depth: number,
  an: Analysis,
  info: CmdInfo,
  ctx: CmdContext,
): void {
  const { args } = r;
  const name = r.name;
  // PowerShell names are case-insensitive; POSIX ones are not.
  const lname = name.toLowerCase();

  // A path as the command (`./run.sh`, `/tmp/x.sh`) is a script, unless it is a system binary.
  if (r.head.includes('/') && !SYSTEM_BIN_RE.test(r.head) && !r.head.includes('node_modules/.bin/')) {
    an.add('opaque.script_file');
    an.scripts.push(pathKey(r.head));
  }
  // Interpreters: what they run may come from the network, a nested command string, inline code or a file.
  if (INTERPRETERS.has(lname) || lname.startsWith('python3.') || lname === 'awk' || lname === 'gawk') {
    if (lname !== 'awk' && lname !== 'gawk') info.interp = true;
    if (ctx.substFetch) an.add('remote_exec.substitution');
    matchInterpreter(lname, args, cmd, depth, an, ctx);
  }
  if (DECODERS.has(lname) && decodes(lname, args)) an.decodes = true;

  // Network.
  if (FETCHERS.has(lname)) {
    info.fetch = true;
    an.fetches = true;
    an.add('network_fetch.fetch');
    if (downloadsToFile(lname, args)) {
      an.add('write.download');
      const target = downloadTarget(lname, args);
      if (target !== null) an.written.add(pathKey(target));
    }
  }
  if (NETWORK_SINKS.has(lname)) {
    info.sink = true;
    if ((lname === 'nc' || lname === 'ncat' || lname === 'netcat') && hasArg(args, '-e', '-c', '--exec', '--sh-exec')) {
      an.add('remote_exec.reverse_shell');
    }
    if (lname === 'socat' && args.some((a) => SOCAT_EXEC_RE.test(a))) an.add('remote_exec.reverse_shell');
    if (ctx.substSecret || ctx.readsSecretRedirect || sendsSecretArg(lname, args))
      an.add('credential_exfiltration.send');
  }

  // Secrets read.
  let readsSecret = ctx.readsSecretRedirect;
  if (!SECRET_SAFE_COMMANDS.has(lname) && !NETWORK_SINKS.has(lname)) {
    for (const a of args) {
      if (mentionsSecret(a)) {
        readsSecret = true;
        break;
      }
    }
  }
  if ((name === 'env' && positionals(args).length === 0) || (name === 'printenv' && args.length === 0)) {
    readsSecret = true;
  }
  if (name === 'printenv' && args.some((a) => SECRET_VAR_RE.test(a))) readsSecret = true;
  if (name === 'security' && KEYCHAIN_READ_RE.test(args[0] ?? '')) readsSecret = true;
  if (readsSecret) {
    info.secretSource = true;
    an.add('credential_exfiltration.read_secret');
  }

  if (FS_WRITE_COMMANDS.has(name)) an.add('write.fs_mutation');
  switch (name) {
    case 'rm':
      matchRm(args, an);
      break;
    case 'find':
      matchFind(args, depth, an, info);
      break;
    case 'shred':
      an.add('destructive_fs.shred');
      break;
    case 'chmod':
    case 'chown':
    case 'chgrp':
      matchPermissions(name, args, an);
      break;
    case 'dd':
      for (const a of args) {
        if (!a.startsWith('of=')) continue;
        const target = a.slice(3);
        if (target.startsWith('/dev/') && !HARMLESS_SINK_TARGETS.has(target) && target !== '/dev/zero') {
          an.add('disk_partition.dd_device');
          an.add('write.dd');
        } else if (!HARMLESS_SINK_TARGETS.has(target)) {
          an.add('write.dd');
        }
      }
      break;
    case 'diskutil': {
      const sub = (args[0] ?? '').toLowerCase();
      if (DISKUTIL_ERASE_RE.test(sub)) {
        an.add('disk_partition.diskutil_erase');
      }
      break;
    }
    case 'format':
    case 'format.com':
      an.add('disk_partition.format');
      break;
    case 'git':
      matchGit(args, an);
      break;
    case 'tee':
      if (positionals(args).some((a) => !HARMLESS_SINK_TARGETS.has(a))) an.add('write.tee');
      for (const a of positionals(args)) if (!HARMLESS_SINK_TARGETS.has(a)) noteWrite(a, an);
      break;
    case 'cp':
    case 'mv':
    case 'install':
    case 'ln':
    case 'rsync': {
      const dest = positionals(args).at(-1);
      if (dest !== undefined && positionals(args).length >= 2) noteWrite(dest, an);
      break;
    }
    case 'sed':
      if (args.some((a) => a.startsWith('--in-place') || (SHORT_I_RE.test(a) && !a.startsWith('--')))) {
        an.add('write.in_place_edit');
      }
      break;
    case 'perl':
    case 'ruby':
      if (args.some((a) => SHORT_I_RE.test(a) && !a.startsWith('--'))) an.add('write.in_place_edit');
      break;
    case 'awk':
    case 'gawk':
      for (let k = 0; k < args.length; k++) {
        const a = args[k] as string;
        if ((a === '-i' && args[k + 1] === 'inplace') || a === '-iinplace' || a === '--include=inplace') {
          an.add('write.in_place_edit');
        }
      }
      break;
    case 'tar': {
      const first = args[0] ?? '';
      const cluster = first.startsWith('-') ? shortFlags(args) : first + shortFlags(args);
      if (cluster.includes('x') || hasArg(args, '--extract', '--get')) an.add('write.extract');
      break;
    }
    case 'unzip':
    case '7z':
      if (name === 'unzip' ? !hasArg(args, '-l', '-t', '-Z') : args[0] === 'x' || args[0] === 'e') {
        an.add('write.extract');
      }
      break;
    default:
      break;
  }

  if (PARTITION_TOOLS.has(name) && !hasArg(args, '-l', '--list')) an.add('disk_partition.partition');
  if (name.startsWith('mkfs')) an.add('disk_partition.mkfs');
  matchSystem(name, args, an);
  matchPackages(name, args, an);

  // Read-only mode allows only commands known to read; one that already broke a rule needs no second reason.
  if (an.opts.mode === 'read_only' && !an.flagged && !an.functions.has(name) && !isReadOnlyCommand(lname, args)) {
    an.add('read_only.not_allowlisted');
    if (!an.unlisted.includes(name)) an.unlisted.push(name);
  }
}

const AWK_RUNS_RE = /system|\|/;
const SOCAT_EXEC_RE = /^(exec|system):/i;
const WHITESPACE_RE = /\s+/;
const SYSTEM_BIN_RE = /^\/(usr\/)?(local\/)?s?bin\/|^\/opt\/homebrew\/bin\/|^\/bin\//;
/** Interpreter flags that take the program as their value. */
const INLINE_CODE_FLAGS: Record<string, ReadonlySet<string>> = {
  python: new Set(['-c']),
  node: new Set(['-e', '--eval', '-p', '--print']),
  perl: new Set(['-e', '-E']),
  ruby: new Set(['-e']),
  php: new Set(['-r']),
  lua: new Set(['-e']),
  bun: new Set(['-e', '--eval', '-p', '--print']),
  deno: new Set(['eval']),
  osascript: new Set(['-e']),
};
/** Interpreter options that take a value which is not the program (`python -W ignore`, `node -r ts-node/register`). */
const INTERP_VALUE_OPTS = new Set([
  '-W',
  '-X',
  '-r',
  '--require',
  '--import',
  '--loader',
  '-I',
  '-M',
  '--experimental-loader',
]);
const DECODERS = new Set([
  'base64',
  'base32',
  'basenc',
  'xxd',
  'openssl',
  'uudecode',
  'gunzip',
  'zcat',
  'gzip',
  'bzip2',
  'xz',
  'rev',
]);

function decodes(name: string, args: readonly string[]): boolean {
  switch (name) {
    case 'base64':
    case 'base32':
    case 'basenc':
      return shortFlags(args).includes('d') || shortFlags(args).includes('D') || hasArg(args, '--decode');
    case 'xxd':
      return shortFlags(args).includes('r') || hasArg(args, '-revert');
    case 'openssl':
      return args.includes('-d') || args.includes('-base64') || args[0] === 'base64';
    case 'gzip':
    case 'bzip2':
    case 'xz':
      return shortFlags(args).includes('d') || hasArg(args, '--decompress');
    default:
      return true;
  }
}

function interpreterFamily(lname: string): string {
  if (lname.startsWith('python') || lname === 'py') return 'python';
  if (lname === 'nodejs') return 'node';
  return lname;
}

/** A program given inline is scanned like shell: deleting, fork bombs, devices, download-and-run, shell strings. */
function checkInlineCode(code: string, depth: number, an: Analysis, inline = true): void {
  if (inline) an.add('opaque.inline_code');
  const found = scanInlineCode(code);
  if (found.destructive) an.add('opaque.inline_destructive');
  if (found.networkExec) an.add('opaque.inline_network_exec');
  if (found.fetches) an.fetches = true;
  if (found.decodes) an.decodes = true;
  for (const s of found.shellStrings) {
    if (depth + 1 > MAX_ANALYSIS_DEPTH) break;
    analyzeSource(s, depth + 1, an);
  }
}

/** What a program fed on stdin says, when the pipe's writer is `echo`/`printf` of literal text. */
function pipedText(prev: SimpleCommand): string | null {
  return printedText(prev);
}

/** Text fed to a command on stdin by a here-document, a here-string or an `echo`/`printf` pipe, when it is visible. */
function stdinTexts(cmd: SimpleCommand, ctx: CmdContext): string[] {
  const out: string[] = [];
  for (const rd of cmd.redirects) {
    if (rd.body !== undefined) out.push(rd.body);
    else if (rd.op === '<<<') out.push(rd.target);
  }
  if (ctx.pipeFrom !== null) {
    const text = pipedText(ctx.pipeFrom);
    if (text !== null) out.push(text);
  }
  return out;
}

/** Programs given as `<(echo …)`: what the substitution prints, when it is a plain echo/printf. */
function processSubstTexts(cmd: SimpleCommand): string[] {
  const out: string[] = [];
  for (const w of cmd.words) {
    if (!w.text.startsWith('<(') || w.substs.length !== 1) continue;
    const text = echoedText(w.substs[0] as Script);
    if (text !== null) out.push(text);
  }
  return out;
}

function matchInterpreter(
  lname: string,
  args: readonly string[],
  cmd: SimpleCommand,
  depth: number,
  an: Analysis,
  ctx: CmdContext,
): void {
  const fromHeredoc = cmd.redirects.some((rd) => rd.op === '<<' || rd.op === '<<-' || rd.op === '<<<' || rd.op === '<');
  const nested = depth + 1 <= MAX_ANALYSIS_DEPTH;
  if (lname === 'eval') {
    an.add('opaque.eval');
    analyzeSource(args.join(' '), depth + 1, an);
    return;
  }
  if (lname === 'source' || lname === '.' || lname === 'iex' || lname === 'invoke-expression') {
    const fromSubst = args.some((a) => a.startsWith('<('));
    an.add(fromSubst || ctx.pipeFrom !== null || fromHeredoc ? 'opaque.shell_from_input' : 'opaque.eval');
    if (lname === 'source' || lname === '.') {
      const file = args[0];
      if (file !== undefined && !file.startsWith('<(')) an.scripts.push(pathKey(file));
    }
    if (nested) for (const t of [...stdinTexts(cmd, ctx), ...processSubstTexts(cmd)]) analyzeSource(t, depth + 1, an);
    return;
  }
  if (lname === 'awk' || lname === 'gawk') {
    const program = positionals(args)[0];
    if (program !== undefined && AWK_RUNS_RE.test(program)) checkInlineCode(program, depth, an);
    return;
  }
  if (SHELLS.has(lname)) {
    const flags = shortFlags(args);
    const pos = positionals(args);
    if (ctx.viaXargs) {
      // `… | xargs sh -c "{}"`: the shell runs whatever comes down the pipe.
      an.add('opaque.shell_from_input');
      if (nested) for (const t of stdinTexts(cmd, ctx)) analyzeSource(t, depth + 1, an);
    }
    if (flags.includes('c')) {
      // `sh -c "<string>"` is read like the command line itself.
      const str = pos[0];
      if (str !== undefined) analyzeSource(str, depth + 1, an);
      return;
    }
    const script = flags.includes('s') ? undefined : pos[0];
    if (script !== undefined && !script.startsWith('<(')) {
      an.add('opaque.script_file');
      an.scripts.push(pathKey(script));
      return;
    }
    if (script !== undefined || ctx.pipeFrom !== null || fromHeredoc || ctx.viaXargs) {
      an.add('opaque.shell_from_input');
      if (nested) for (const t of [...stdinTexts(cmd, ctx), ...processSubstTexts(cmd)]) analyzeSource(t, depth + 1, an);
    }
    return;
  }
  if (POWERSHELLS.has(lname)) {
    const c = args.findIndex((a) => PS_COMMAND_RE.test(a));
    if (c !== -1) analyzeSource(args.slice(c + 1).join(' '), depth + 1, an);
    else if (ctx.pipeFrom !== null || fromHeredoc || ctx.viaXargs) an.add('opaque.shell_from_input');
    return;
  }
  // python, node, perl, ruby, php, …: inline code, a module, a script file, or a program on stdin.
  const family = interpreterFamily(lname);
  const inline = INLINE_CODE_FLAGS[family];
  for (let k = 0; k < args.length; k++) {
    const a = args[k] as string;
    if (a === '--') break;
    if (inline?.has(a)) {
      checkInlineCode(args[k + 1] ?? '', depth, an);
      return;
    }
    // Clustered forms: `perl -pe '…'`, `python3 -Bc '…'`, `node -pe '…'`.
    if (inline !== undefined && SHORT_CLUSTER_RE.test(a)) {
      const letter = [...inline].find((f) => f.length === 2 && a.endsWith(f[1] as string));
      if (letter !== undefined) {
        checkInlineCode(args[k + 1] ?? '', depth, an);
        return;
      }
    }
    if (a === '-m' && family === 'python') return;
    if (a === '-') break;
    if (a.startsWith('-')) {
      if (INTERP_VALUE_OPTS.has(a)) k++;
      continue;
    }
    if (family === 'deno' || family === 'bun') {
      // `deno run x.ts`, `bun run x.ts`: the next word is the file.
      if (a === 'run' || a === 'x') continue;
      // A subcommand or a package.json script name, not a file.
      if (!a.includes('.') && !a.includes('/')) return;
    }
    if (a.startsWith('<(')) {
      an.add('opaque.shell_from_input');
      for (const t of processSubstTexts(cmd)) checkInlineCode(t, depth, an, false);
      return;
    }
    an.add('opaque.script_file');
    an.scripts.push(pathKey(a));
    return;
  }
  if (ctx.pipeFrom !== null || fromHeredoc || ctx.viaXargs) {
    an.add('opaque.shell_from_input');
    // The program on stdin is scanned like inline code when the command shows it.
    for (const t of stdinTexts(cmd, ctx)) checkInlineCode(t, depth, an, false);
  }
}

/** The file a download writes, when named (`curl -o f`, `wget -O f`); wget's default name is the URL's last part. */
function downloadTarget(name: string, args: readonly string[]): string | null {
  for (let k = 0; k < args.length; k++) {
    const a = args[k] as string;
    if (name === 'curl' && (a === '-o' || a === '--output')) return args[k + 1] ?? null;
    if (name === 'curl' && a.startsWith('--output=')) return a.slice(9);
    if (name === 'wget' && (a === '-O' || a === '--output-document')) return args[k + 1] ?? null;
    if (name === 'wget' && a.startsWith('--output-document=')) return a.slice(18);
  }
  const url = positionals(args).find((a) => a.includes('://'));
  if (url === undefined) return null;
  const last = url.slice(url.lastIndexOf('/') + 1);
  return last === '' ? null : last;
}

function downloadsToFile(name: string, args: readonly string[]): boolean {
  if (name === 'curl') {
    for (let k = 0; k < args.length; k++) {
      const a = args[k] as string;
      if (a === '-O' || a.startsWith('--remote-name')) return true;
      if (a === '-o' || a === '--output') {
        const v = args[k + 1];
        return v !== undefined && !HARMLESS_SINK_TARGETS.has(v);
      }
      if (a.startsWith('--output=')) return !HARMLESS_SINK_TARGETS.has(a.slice(9));
      if (SHORT_CLUSTER_RE.test(a) && (a.includes('O') || a.endsWith('o'))) {
        if (a.includes('O')) return true;
        const v = args[k + 1];
        return v !== undefined && !HARMLESS_SINK_TARGETS.has(v);
      }
    }
    return false;
  }
  if (name === 'wget') {
    if (hasArg(args, '--spider')) return false;
    for (let k = 0; k < args.length; k++) {
      const a = args[k] as string;
      let v: string | undefined;
      if (a === '-O' || a === '--output-document') v = args[k + 1];
      else if (a.startsWith('--output-document=')) v = a.slice(18);
      else if (SHORT_O_RE.test(a)) v = a.slice(a.indexOf('O') + 1) || args[k + 1];
      if (v !== undefined) return !HARMLESS_SINK_TARGETS.has(v);
    }
    return true;
  }
  return false;
}

/** Option values that name a credential the command uses rather than sends (`ssh -i key`, `curl --cert c.pem`). */
const CURL_CREDENTIAL_OPTS = new Set(['-E', '--cert', '--key', '--cacert', '--capath', '--proxy-cert', '--proxy-key']);
const SSH_CREDENTIAL_OPTS = new Set(['-i', '-F', '-e', '--rsh']);

function sendsSecretArg(name: string, args: readonly string[]): boolean {
  if (name === 'ssh') return false;
  const sources: string[] = [];
  for (let k = 0; k < args.length; k++) {
    const a = args[k] as string;
    if ((name === 'curl' ? CURL_CREDENTIAL_OPTS : SSH_CREDENTIAL_OPTS).has(a)) {
      k++;
      continue;
    }
    sources.push(a);
  }
  if (name === 'scp' || name === 'rsync' || name === 'sftp') {
    if (!sources.some(isRemoteSpec)) return false;
  }
  return sources.some(mentionsSecret);
}

function matchRm(args: readonly string[], an: Analysis): void {
  const flags = shortFlags(args);
  const recursive = flags.includes('r') || flags.includes('R') || hasArg(args, '--recursive');
  if (!recursive) return;
  const targets = positionals(args).map(normalizeTarget);
  const atRootOrHome = isHomeOrRoot(an.opts.cwd);
  const critical =
    hasArg(args, '--no-preserve-root') ||
    targets.some((t) => CRITICAL_RM_TARGETS.has(t) || (atRootOrHome && (t === '*' || t === '.' || t === './*')));
  an.add(critical ? 'destructive_fs.rm_root' : 'destructive_fs.rm_recursive');
}

function matchFind(args: readonly string[], depth: number, an: Analysis, info: CmdInfo): void {
  const paths: string[] = [];
  for (const a of args) {
    if (a.startsWith('-') || a === '(' || a === '!') break;
    paths.push(normalizeTarget(a));
  }
  let deletes = hasArg(args, '-delete');
  for (let k = 0; k < args.length; k++) {
    const a = args[k] as string;
    if (a !== '-exec' && a !== '-execdir' && a !== '-ok' && a !== '-okdir') continue;
    let end = k + 1;
    while (end < args.length && args[end] !== ';' && args[end] !== '+') end++;
    const inner = args.slice(k + 1, end);
    const innerName = basename(inner[0] ?? '');
    if (innerName === 'rm' || innerName === 'shred' || innerName === 'unlink' || innerName === 'rmdir') deletes = true;
    // The -exec command runs like any other command.
    const r = resolve(inner, depth, an);
    an.flagged = false;
    if (r !== null) {
      matchCommand(r, { words: [], redirects: [], subshell: null, funcDef: null }, depth, an, info, {
        substFetch: false,
        substSecret: false,
        readsSecretRedirect: false,
        pipeFrom: null,
        viaXargs: false,
      });
    }
    k = end;
  }
  if (!deletes) return;
  an.add('write.fs_mutation');
  an.add(paths.some((p) => ROOT_OR_HOME.has(p)) ? 'destructive_fs.find_delete_root' : 'destructive_fs.find_delete');
}

function matchPermissions(name: string, args: readonly string[], an: Analysis): void {
  const pos = positionals(args);
  const spec = pos[0] ?? '';
  const recursive = shortFlags(args).includes('R') || hasArg(args, '--recursive');
  if (recursive && pos.slice(1).some((t) => ROOT_OR_HOME.has(normalizeTarget(t)))) {
    an.add('destructive_fs.recursive_perm_root');
  }
  if (name === 'chmod') {
    const numericSetid = OCTAL_MODE_RE.test(spec) && (Number(spec[0]) & 6) !== 0;
    if (spec.includes('+s') || numericSetid) an.add('privilege_escalation.setuid');
  } else if (name === 'chown') {
    if (ROOT_OWNER_RE.test(spec)) an.add('privilege_escalation.chown_root');
  }
}

/** Branch names that are almost always a repository's default branch. */
const DEFAULT_BRANCHES = new Set(['main', 'master', 'trunk', 'refs/heads/main', 'refs/heads/master']);

function matchGit(args: readonly string[], an: Analysis): void {
  let k = 0;
  while (k < args.length) {
    const a = args[k] as string;
    if (!a.startsWith('-')) break;
    k += GIT_GLOBAL_ARG_OPTS.has(a) ? 2 : 1;
  }
  const sub = args[k];
  if (sub === undefined) return;
  const rest = args.slice(k + 1);
  const flags = shortFlags(rest);
  switch (sub) {
    case 'push': {
      const force =
        flags.includes('f') ||
        hasArg(rest, '--force', '--mirror', '--force-with-lease') ||
        rest.some((a) => a.startsWith('--force-with-lease=') || (a.startsWith('+') && a.length > 1));
      if (force) an.add('history_rewrite.force_push');
      const deletes = flags.includes('d') || hasArg(rest, '--delete');
      // Refspecs after the remote: `:main` deletes main, `+main` and `x:main` with --force overwrite it.
      const refspecs = positionals(rest).slice(1);
      for (const spec of refspecs) {
        const colon = spec.lastIndexOf(':');
        const dest = colon === -1 ? (spec.startsWith('+') ? spec.slice(1) : spec) : spec.slice(colon + 1);
        if (!DEFAULT_BRANCHES.has(dest)) continue;
        const emptySource = colon === 0 || (colon === 1 && spec.startsWith('+'));
        if (deletes || emptySource || force || spec.startsWith('+')) an.add('history_rewrite.default_branch');
      }
      break;
    }
    case 'reset':
      if (hasArg(rest, '--hard')) an.add('history_rewrite.reset_hard');
      break;
    case 'clean':
      if (flags.includes('f') || hasArg(rest, '--force')) an.add('history_rewrite.clean_force');
      break;
    case 'filter-branch':
    case 'filter-repo':
      an.add('history_rewrite.filter_branch');
      break;
    case 'rebase':
      an.add('history_rewrite.rebase');
      break;
    case 'reflog':
      if (rest[0] === 'expire' || rest[0] === 'delete') {
        an.add('history_rewrite.reflog_expire');
        an.add('write.git_mutation');
      }
      break;
    case 'gc':
      if (rest.some((a) => a === '--prune=now' || a === '--prune=all')) an.add('history_rewrite.gc_prune_now');
      break;
    case 'branch': {
      if (flags.includes('D') || (hasArg(rest, '-d', '--delete') && (flags.includes('f') || hasArg(rest, '--force')))) {
        an.add('history_rewrite.branch_force_delete');
      }
      const listing = rest.some((a) => GIT_BRANCH_LIST_OPTS.has(a));
      const writes = rest.some((a) => GIT_BRANCH_WRITE_OPTS.has(a)) || flags.includes('D');
      if (writes || (!listing && positionals(rest).length > 0)) an.add('write.git_mutation');
      return;
    }
    default:
      break;
  }
  if (!GIT_WRITE_SUBCOMMANDS.has(sub)) return;
  const readOnlyForm =
    (sub === 'stash' && (rest[0] === 'list' || rest[0] === 'show')) ||
    (sub === 'tag' && (rest.length === 0 || hasArg(rest, '-l', '--list', '-n'))) ||
    (sub === 'apply' && hasArg(rest, '--check', '--stat', '--numstat', '--summary')) ||
    (sub === 'clean' && (flags.includes('n') || hasArg(rest, '--dry-run')));
  if (!readOnlyForm) an.add('write.git_mutation');
}

function matchSystem(name: string, args: readonly string[], an: Analysis): void {
  if (POWER_COMMANDS.has(name)) an.add('system_modification.power');
  else if ((name === 'init' || name === 'telinit') && (args[0] === '0' || args[0] === '6')) {
    an.add('system_modification.power');
  } else if (name === 'kill') {
    let pids = args;
    if (args[0] === '-s' || args[0] === '-n') pids = args.slice(2);
    else if (args[0]?.startsWith('-') && args[0] !== '--') pids = args.slice(1);
    if (pids.some((p) => p === '1' || p === '-1')) an.add('system_modification.kill_all');
  } else if (name === 'killall') an.add('system_modification.kill_all');
  else if (name === 'pkill' && (shortFlags(args).includes('f') || hasArg(args, '--full'))) {
    an.add('system_modification.kill_all');
  } else if (name === 'systemctl') {
    const sub = args[firstPositional(args)];
    if (sub === 'poweroff' || sub === 'reboot' || sub === 'halt') an.add('system_modification.power');
    else if (sub === 'stop' || sub === 'disable' || sub === 'mask' || sub === 'kill' || sub === 'isolate') {
      an.add('system_modification.service');
    }
  } else if (name === 'service' && (args[1] === 'stop' || args[1] === 'disable')) {
    an.add('system_modification.service');
  } else if (name === 'launchctl') {
    const sub = args[0];
    if (sub === 'unload' || sub === 'remove' || sub === 'bootout' || sub === 'disable') {
      an.add('system_modification.service');
    }
  } else if (name === 'crontab' && shortFlags(args).includes('r')) an.add('system_modification.crontab_remove');
  else if ((name === 'iptables' || name === 'ip6tables') && hasArg(args, '-F', '--flush', '-X')) {
    an.add('system_modification.firewall_flush');
  } else if (name === 'nft' && args[0] === 'flush') an.add('system_modification.firewall_flush');
  else if (name === 'ufw' && (args[0] === 'disable' || args[0] === 'reset')) {
    an.add('system_modification.firewall_flush');
  }
}

function matchPackages(name: string, args: readonly string[], an: Analysis): void {
  let tool = name;
  let rest = args;
  if ((name.startsWith('python') || name === 'py') && args[0] === '-m' && args[1] !== undefined) {
    tool = args[1];
    rest = args.slice(2);
  } else if (name === 'uv' && args[0] === 'pip') {
    tool = 'pip';
    rest = args.slice(1);
  } else if (name === 'uv') {
    const sub = args[firstPositional(args)];
    if (sub === 'add' || sub === 'remove' || sub === 'sync') an.add('package_install.install');
    return;
  } else if (name === 'yarn' && args[0] === 'npm') {
    tool = 'npm';
    rest = args.slice(1);
  }
  const sub = rest[firstPositional(rest, PACKAGE_ARG_OPTS)];
  if (tool === 'yarn' && sub === undefined) {
    // Bare `yarn` installs.
    an.add('package_install.install');
    return;
  }
  if (sub === undefined) return;
  if (INSTALL_SUBCOMMANDS[tool]?.has(sub)) an.add('package_install.install');
  if (PUBLISH_SUBCOMMANDS[tool]?.has(sub)) an.add('package_publish.publish');
}

function isWriteRule(id: RuleId): boolean {
  const def: RuleDef = RULES[id];
  return def.write === true;
}

function isOpaqueRule(id: RuleId): boolean {
  const def: RuleDef = RULES[id];
  return def.opaque === true;
}

const DECISION_WORD: Record<Decision, string> = { allow: 'Allowed', ask: 'Needs confirmation', deny: 'Denied' };

const READ_ONLY_ADVICE =
  'Paige is coaching in read-only mode: the learner writes the code. To look around, use plain read-only commands ' +
  '(ls, cat, rg, git log, npm test); to change anything, explain the change and let the learner make it.';
const OPAQUE_ADVICE =
  'Paige only lets a command run when it can read everything it will do. Write the command out in full ' +
  '(no eval, no piping into a shell, no inline interpreter code, no script files), or ask the learner to run it.';
const UNLISTED_ADVICE =
  'In read-only mode only commands known to just read run. Ask the learner to run it, or to switch Paige to ' +
  'standard mode in Settings.';

function describe(m: MatchedRule, an: Analysis): string {
  if (m.id === 'read_only.not_allowlisted') {
    const names = an.unlisted.map((n) => `\`${n}\``).join(', ');
    return `${names === '' ? 'the command' : names} ${RULES[m.id].description} (${m.id})`;
  }
  return `${RULES[m.id].description} (${m.id})`;
}

function decide(an: Analysis, mode: SafetyMode, t0: number): ValidationResult {
  let top: RiskLevel = 'safe';
  let write = false;
  let opaque = false;
  for (const [id, risk] of an.matches) {
    if (riskRank(risk) > riskRank(top)) top = risk;
    if (isWriteRule(id)) write = true;
    if (isOpaqueRule(id)) opaque = true;
  }
  const matched: MatchedRule[] = [];
  for (const [id, risk] of an.matches) {
    // Privilege escalation is critical when it comes with a critical rule.
    const effective = top === 'critical' && RULES[id].category === 'privilege_escalation' ? 'critical' : risk;
    matched.push({ id, category: RULES[id].category, risk: effective });
  }
  matched.sort((a, b) => riskRank(b.risk) - riskRank(a.risk));

  let decision: Decision;
  if (top === 'critical') decision = 'deny';
  else if (mode === 'read_only' && (write || opaque)) decision = 'deny';
  else if (top === 'high') decision = 'ask';
  else decision = 'allow';

  let reason: string;
  if (matched.length === 0) {
    reason = 'Allowed: no risky pattern found.';
  } else {
    const readOnlyDeny = decision === 'deny' && top !== 'critical';
    let shown = readOnlyDeny
      ? matched.filter((m) => isWriteRule(m.id) || isOpaqueRule(m.id))
      : matched.filter((m) => m.risk === top);
    // The generic "not on the list" reason only when nothing more specific explains the denial.
    if (shown.length > 1) shown = shown.filter((m) => m.id !== 'read_only.not_allowlisted');
    const what = shown.map((m) => describe(m, an)).join('; ');
    if (readOnlyDeny) {
      const advice = shown.some((m) => isOpaqueRule(m.id))
        ? OPAQUE_ADVICE
        : shown.every((m) => m.id === 'read_only.not_allowlisted')
          ? UNLISTED_ADVICE
          : READ_ONLY_ADVICE;
      reason = `Denied in read-only mode: ${what}. ${advice}`;
    } else if (decision === 'deny') {
      reason =
        `Denied (${top}): ${what}. This could do lasting damage, so Paige does not run it; if it is really ` +
        'needed, the learner can read it and run it themselves.';
    } else {
      reason = `${DECISION_WORD[decision]} (${top}): ${what}.`;
    }
  }
  return {
    risk_level: top,
    decision,
    read_only_violation: write,
    matched_rules: matched,
    reason,
    elapsed_us: Math.round((performance.now() - t0) * 1000),
  };
}
