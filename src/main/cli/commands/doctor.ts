// `paige doctor`: checks this machine for what Paige needs. Each check is pass, warn or fail with one line on what
// to do; any fail makes the exit code 1. Nothing is changed except a probe file created and removed in the data dir.
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { execFile } from 'node:child_process';
import type { DoctorCheck, DoctorOutput } from '../../../shared/cli/output';
import type { DoctorArgs } from '../args';
import { makeStyle, wrap, type CliIo, type CliLog } from '../io';
import { SECRETS_FILE, makeReadContext, pidAlive, readRuntimeInfo, readSettings } from '../read-context';

/** Oldest Node the plugin hooks run on. */
const MIN_HOOK_NODE_MAJOR = 18;
/** `--version` of a healthy tool answers well within this; a hung tool must not hang the doctor. */
const TOOL_TIMEOUT_MS = 10_000;
/** The online check waits this long for the API before calling it unreachable. */
const ONLINE_TIMEOUT_MS = 20_000;

interface ToolRun {
  ok: boolean;
  missing: boolean;
  stdout: string;
  stderr: string;
}

function runTool(cmd: string, args: string[], env: Readonly<Record<string, string | undefined>>): Promise<ToolRun> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { timeout: TOOL_TIMEOUT_MS, env: env as NodeJS.ProcessEnv, windowsHide: true },
      (err, stdout, stderr) => {
        const code = (err as NodeJS.ErrnoException | null)?.code;
        resolve({
          ok: err === null,
          missing: code === 'ENOENT' || code === 'EACCES',
          stdout: String(stdout),
          stderr: String(stderr),
        });
      },
    );
  });
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0]?.trim() ?? '';
}

function check(id: string, title: string, status: DoctorCheck['status'], detail: string, fix?: string): DoctorCheck {
  return status === 'pass' || fix === undefined ? { id, title, status, detail } : { id, title, status, detail, fix };
}

async function claudeChecks(command: string, env: CliIo['env']): Promise<{ claude: DoctorCheck; present: boolean }> {
  const r = await runTool(command, ['--version'], env);
  if (r.ok)
    return { claude: check('claude', 'Claude Code', 'pass', `${command}: ${firstLine(r.stdout)}`), present: true };
  if (r.missing) {
    return {
      claude: check(
        'claude',
        'Claude Code',
        'warn',
        `"${command}" is not on PATH: the terminal falls back to a shell and nudges show in the UI only`,
        'Install Claude Code (npm install -g @anthropic-ai/claude-code), or set terminal.command to its path',
      ),
      present: false,
    };
  }
  return {
    claude: check(
      'claude',
      'Claude Code',
      'warn',
      `"${command} --version" failed: ${firstLine(r.stderr || r.stdout)}`,
      `Run "${command} --version" yourself and fix what it reports`,
    ),
    present: true,
  };
}

async function nodeCheck(claudePresent: boolean, env: CliIo['env']): Promise<DoctorCheck> {
  const r = await runTool('node', ['-p', 'process.versions.node'], env);
  const version = firstLine(r.stdout);
  const major = Number.parseInt(version.split('.')[0] ?? '', 10);
  if (r.ok && Number.isFinite(major) && major >= MIN_HOOK_NODE_MAJOR) {
    return check('hook-runtime', 'Node for plugin hooks', 'pass', `node ${version} on PATH`);
  }
  const why = r.ok ? `node ${version} on PATH is older than ${MIN_HOOK_NODE_MAJOR}` : 'no node on PATH';
  const status = claudePresent ? 'fail' : 'warn';
  return check(
    'hook-runtime',
    'Node for plugin hooks',
    status,
    `${why}: the desktop app cannot run the Claude Code hooks that block edits and check commands`,
    `Install Node ${MIN_HOOK_NODE_MAJOR} or newer and put it on PATH`,
  );
}

async function ghChecks(env: CliIo['env']): Promise<DoctorCheck[]> {
  const v = await runTool('gh', ['--version'], env);
  if (!v.ok) {
    const fix = 'Install the GitHub CLI (https://cli.github.com) to browse issues and open pull requests';
    return [
      check('gh', 'GitHub CLI', 'warn', 'gh is not installed: issue lists and pull requests are disabled', fix),
      check('gh-auth', 'GitHub login', 'warn', 'not checked: gh is not installed', fix),
    ];
  }
  const auth = await runTool('gh', ['auth', 'status'], env);
  return [
    check('gh', 'GitHub CLI', 'pass', firstLine(v.stdout)),
    auth.ok
      ? check('gh-auth', 'GitHub login', 'pass', 'gh is logged in')
      : check(
          'gh-auth',
          'GitHub login',
          'warn',
          'gh is not logged in: issue lists and pull requests are disabled',
          'Run: gh auth login',
        ),
  ];
}

async function gitCheck(env: CliIo['env']): Promise<DoctorCheck> {
  const r = await runTool('git', ['--version'], env);
  return r.ok
    ? check('git', 'git', 'pass', firstLine(r.stdout))
    : check(
        'git',
        'git',
        'warn',
        'git is not installed: branches, commits and pull requests are disabled',
        'Install git and put it on PATH',
      );
}

/** Which memory backend the settings lead to here: Chroma at a URL, the embedded Chroma server, or full-text search. */
async function memoryCheck(mode: string, chromaUrl: string | null, env: CliIo['env']): Promise<DoctorCheck> {
  const fts = 'memories are searched with SQLite full-text search (FTS5)';
  if (mode === 'fts') return check('memory', 'Memory backend', 'pass', `memory.mode "fts": ${fts}`);
  if (mode === 'url' || (mode === 'auto' && chromaUrl !== null)) {
    if (chromaUrl === null) {
      return check(
        'memory',
        'Memory backend',
        'warn',
        `memory.mode is "url" but memory.chromaUrl is not set, so full-text search is used`,
        'Set memory.chromaUrl to your Chroma server, or set memory.mode to "auto"',
      );
    }
    const { heartbeat } = await import('../../memory/chroma-http');
    return (await heartbeat(chromaUrl.replace(/\/+$/, ''), 1_000))
      ? check('memory', 'Memory backend', 'pass', `memory.mode "${mode}": Chroma at ${chromaUrl} answers`)
      : check(
          'memory',
          'Memory backend',
          'warn',
          `memory.mode is "${mode}" but Chroma at ${chromaUrl} does not answer, so full-text search is used until it does`,
          `Start the Chroma server at ${chromaUrl}, or set memory.mode to "auto" for the embedded one`,
        );
  }
  const { locateChroma } = await import('../../memory/chroma-runner');
  const where = locateChroma(env);
  if (where.ok) {
    return check(
      'memory',
      'Memory backend',
      'pass',
      `memory.mode "${mode}": Paige starts its embedded Chroma server (data in the data dir's chroma folder); full-text search answers while it is down`,
    );
  }
  return mode === 'auto'
    ? check('memory', 'Memory backend', 'pass', `memory.mode "auto": ${where.reason}, so ${fts}`)
    : check(
        'memory',
        'Memory backend',
        'warn',
        `memory.mode is "embedded" but ${where.reason}, so full-text search is used`,
        'Reinstall Paige so the chromadb bindings for this platform are present, or set memory.mode to "fts"',
      );
}

async function apiKeyChecks(
  online: boolean,
  env: CliIo['env'],
  dataDir: string,
  baseUrl: string | null,
  model: string,
): Promise<DoctorCheck[]> {
  const key = env.ANTHROPIC_API_KEY ?? '';
  const stored = fs.existsSync(path.join(dataDir, SECRETS_FILE));
  const out: DoctorCheck[] = [];
  if (key !== '') out.push(check('api-key', 'Anthropic API key', 'pass', 'ANTHROPIC_API_KEY is set'));
  else if (stored)
    out.push(check('api-key', 'Anthropic API key', 'pass', 'a key is saved in the desktop app (encrypted)'));
  else {
    out.push(
      check(
        'api-key',
        'Anthropic API key',
        'warn',
        'no API key: planning, explanations, reviews, chat and nudges are disabled',
        'Set ANTHROPIC_API_KEY, or add a key in the app under Settings → Model',
      ),
    );
  }
  if (!online) return out;
  if (key === '') {
    out.push(
      check(
        'api-online',
        'Model call',
        'warn',
        stored ? 'not run: the key saved in the app is encrypted for the app only' : 'not run: there is no key to test',
        'Set ANTHROPIC_API_KEY and run paige doctor --online again',
      ),
    );
    return out;
  }
  out.push(await onlineCheck(key, baseUrl, model));
  return out;
}

/** One minimal Messages API call (1 output token) with the real SDK. */
async function onlineCheck(key: string, baseUrl: string | null, model: string): Promise<DoctorCheck> {
  const sdk = await import('@anthropic-ai/sdk');
  const client = new sdk.Anthropic({
    apiKey: key,
    ...(baseUrl ? { baseURL: baseUrl } : {}),
    maxRetries: 0,
    timeout: ONLINE_TIMEOUT_MS,
  });
  const where = baseUrl ?? 'api.anthropic.com';
  try {
    await client.messages.create({ model, max_tokens: 1, messages: [{ role: 'user', content: 'ping' }] });
    return check('api-online', 'Model call', 'pass', `${model} answered at ${where}`);
  } catch (err) {
    if (err instanceof sdk.AuthenticationError || err instanceof sdk.PermissionDeniedError) {
      return check(
        'api-online',
        'Model call',
        'fail',
        `the API refused the key (HTTP ${err.status})`,
        'Create a new key at console.anthropic.com and set ANTHROPIC_API_KEY to it',
      );
    }
    if (err instanceof sdk.APIError && err.status !== undefined) {
      return check(
        'api-online',
        'Model call',
        'warn',
        `the API answered HTTP ${err.status} at ${where}`,
        'Try again later; if it persists, check the model settings and your account',
      );
    }
    return check(
      'api-online',
      'Model call',
      'warn',
      `could not reach ${where}: ${(err as Error).message}`,
      'Check your network, proxy and ANTHROPIC_BASE_URL',
    );
  }
}

async function nativeChecks(): Promise<DoctorCheck[]> {
  const runtime = `Node ${process.versions.node} (ABI ${process.versions.modules})`;
  const out: DoctorCheck[] = [];
  let sqliteOk = false;
  try {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(':memory:');
    try {
      const version = (db.prepare('select sqlite_version() as v').get() as { v: string }).v;
      sqliteOk = true;
      out.push(check('native-sqlite', 'better-sqlite3', 'pass', `loads under ${runtime}, SQLite ${version}`));
      try {
        db.exec("CREATE VIRTUAL TABLE probe USING fts5(x, tokenize='unicode61 remove_diacritics 2')");
        out.push(check('fts5', 'SQLite FTS5', 'pass', 'FTS5 is available'));
      } catch (err) {
        out.push(
          check(
            'fts5',
            'SQLite FTS5',
            'fail',
            `SQLite has no FTS5: ${(err as Error).message}`,
            'Reinstall better-sqlite3 from npm (its bundled SQLite has FTS5): npm rebuild better-sqlite3',
          ),
        );
      }
    } finally {
      db.close();
    }
  } catch (err) {
    out.push(
      check(
        'native-sqlite',
        'better-sqlite3',
        'fail',
        `does not load under ${runtime}: ${firstLine((err as Error).message)}`,
        'Rebuild it for this Node: npm rebuild better-sqlite3',
      ),
    );
  }
  if (!sqliteOk)
    out.push(
      check('fts5', 'SQLite FTS5', 'fail', 'not checked: better-sqlite3 does not load', 'Fix better-sqlite3 first'),
    );
  try {
    await import('node-pty');
    out.push(check('native-pty', 'node-pty', 'pass', `loads under ${runtime}`));
  } catch (err) {
    out.push(
      check(
        'native-pty',
        'node-pty',
        'fail',
        `does not load under ${runtime}: ${firstLine((err as Error).message)}`,
        'Rebuild it for this Node: npm rebuild node-pty',
      ),
    );
  }
  return out;
}

/** Writable means a file can really be created there (a mode check alone says nothing for root or read-only mounts). */
function dataDirCheck(dataDir: string): DoctorCheck {
  let dir = dataDir;
  while (!fs.existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  const probe = path.join(dir, `.paige-doctor-${process.pid}`);
  try {
    if (!fs.statSync(dir).isDirectory())
      throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR' });
    fs.writeFileSync(probe, '', { flag: 'wx', mode: 0o600 });
    fs.rmSync(probe, { force: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return check(
      'data-dir',
      'Data dir writable',
      'fail',
      `cannot write in ${dir} (${code})`,
      `Make ${dir} writable (chmod u+w) or pass --data-dir / set PAIGE_DATA_DIR to a writable folder`,
    );
  }
  return dir === dataDir
    ? check('data-dir', 'Data dir writable', 'pass', dataDir)
    : check('data-dir', 'Data dir writable', 'pass', `${dataDir} does not exist yet; it will be created in ${dir}`);
}

function projectCheck(project: string | null): DoctorCheck {
  if (project === null)
    return check('project', 'Project readable', 'pass', 'not checked: no project given (pass --project DIR)');
  try {
    if (!fs.statSync(project).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    fs.readdirSync(project);
    fs.accessSync(project, fs.constants.R_OK | fs.constants.X_OK);
    return check('project', 'Project readable', 'pass', project);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return check(
      'project',
      'Project readable',
      'fail',
      `cannot read ${project} (${code})`,
      'Pass an existing folder you can read with --project',
    );
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

async function portChecks(
  ports: { name: string; env: string; port: number }[],
  dataDir: string,
): Promise<DoctorCheck[]> {
  const fixed = ports.filter((p) => p.port !== 0);
  if (fixed.length === 0)
    return [check('ports', 'Ports free', 'pass', 'MCP and bridge ports are chosen by the system at start (0)')];
  const runtime = readRuntimeInfo(dataDir);
  const ours = runtime !== null && pidAlive(runtime.pid) ? runtime : null;
  const out: DoctorCheck[] = [];
  for (const p of fixed) {
    const id = `port-${p.name.toLowerCase()}`;
    const title = `${p.name} port ${p.port}`;
    if (await portFree(p.port)) {
      out.push(check(id, title, 'pass', 'free'));
    } else if (ours && (ours.mcpPort === p.port || ours.bridgePort === p.port)) {
      out.push(check(id, title, 'pass', `in use by the running Paige (pid ${ours.pid})`));
    } else {
      out.push(
        check(
          id,
          title,
          'warn',
          `port ${p.port} is in use by another program: Paige will not start on it`,
          `Stop what uses port ${p.port}, or set ${p.env}=0 to let the system pick one`,
        ),
      );
    }
  }
  return out;
}

export async function runDoctor(args: DoctorArgs, io: CliIo): Promise<DoctorOutput> {
  const ctx = makeReadContext(args.dataDir, io.env);
  const settings = readSettings(ctx.dataDir, io.env);
  const s = settings.values;
  const [claude, gh, git, native] = await Promise.all([
    claudeChecks(s.terminal.command, io.env),
    ghChecks(io.env),
    gitCheck(io.env),
    nativeChecks(),
  ]);
  const settingsCheck =
    settings.problems.length === 0
      ? check('settings', 'Settings', 'pass', 'settings.json and environment overrides are valid')
      : check(
          'settings',
          'Settings',
          'warn',
          settings.problems.join('; '),
          'Fix settings.json (the app moves an invalid one aside and uses defaults)',
        );
  const checks: DoctorCheck[] = [
    settingsCheck,
    claude.claude,
    await nodeCheck(claude.present, io.env),
    ...gh,
    git,
    await memoryCheck(s.memory.mode, s.memory.chromaUrl, io.env),
    ...(await apiKeyChecks(
      args.online,
      io.env,
      ctx.dataDir,
      s.llm.baseUrl,
      s.llm.models.haiku?.[0] ?? 'claude-haiku-4-5-20251001',
    )),
    ...native,
    dataDirCheck(ctx.dataDir),
    projectCheck(args.project !== undefined ? path.resolve(args.project) : s.projectDir),
    ...(await portChecks(
      [
        { name: 'MCP', env: 'PAIGE_MCP_PORT', port: s.mcp.port },
        { name: 'Bridge', env: 'PAIGE_BRIDGE_PORT', port: s.bridge.port },
      ],
      ctx.dataDir,
    )),
  ];
  const summary = { pass: 0, warn: 0, fail: 0 };
  for (const c of checks) summary[c.status] += 1;
  return { checks, summary };
}

export function renderDoctor(out: DoctorOutput, io: CliIo): string {
  const st = makeStyle(io);
  const mark = { pass: st.green('pass'), warn: st.yellow('warn'), fail: st.red('fail') };
  const w = Math.max(...out.checks.map((c) => c.title.length));
  const indent = 'pass  '.length + w + 2;
  const room = io.columns - indent;
  const lines: string[] = [];
  for (const c of out.checks) {
    lines.push(`${mark[c.status]}  ${c.title.padEnd(w)}  ${wrap(c.detail, room, indent)}`);
    if (c.fix) lines.push(' '.repeat(indent) + st.dim(wrap('fix: ' + c.fix, room, indent)));
  }
  const { pass, warn, fail } = out.summary;
  lines.push('', `${pass} passed, ${warn} warning${warn === 1 ? '' : 's'}, ${fail} failed`);
  return lines.join('\n') + '\n';
}

export async function run(args: DoctorArgs, io: CliIo, log: CliLog): Promise<number> {
  const out = await runDoctor(args, io);
  log.debug('doctor done', out.summary);
  io.stdout(args.json ? JSON.stringify(out) + '\n' : renderDoctor(out, io));
  return out.summary.fail > 0 ? 1 : 0;
}
