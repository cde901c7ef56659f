// `paige status`: the running instance (runtime.json + /healthz), the database and what it holds, the memory
// backend and whether a model is configured. Reads only.
import fs from 'node:fs';
import path from 'node:path';
import { APP_VERSION } from '../../version';
import type { StatusOutput } from '../../../shared/cli/output';
import type { StatusArgs } from '../args';
import { SERVER_FILE } from '../../memory/chroma-runner';
import { fields, formatBytes, makeStyle, shortTime, type CliIo, type CliLog } from '../io';
import {
  SECRETS_FILE,
  dbPath,
  makeReadContext,
  openDatabase,
  pidAlive,
  readRuntimeInfo,
  readSettings,
  type RuntimeInfo,
} from '../read-context';

/** /healthz answers at once when the bridge is up; anything slower counts as unreachable. */
const HEALTHZ_TIMEOUT_MS = 1_000;

async function askHealthz(port: number): Promise<{ ok: boolean; uptimeS: number | null }> {
  const http = await import('node:http');
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: HEALTHZ_TIMEOUT_MS }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        try {
          const parsed = JSON.parse(body) as { status?: unknown; uptimeS?: unknown };
          resolve({
            ok: res.statusCode === 200 && parsed.status === 'ok',
            uptimeS: typeof parsed.uptimeS === 'number' ? parsed.uptimeS : null,
          });
        } catch {
          resolve({ ok: false, uptimeS: null });
        }
      });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ ok: false, uptimeS: null }));
  });
}

async function runningInstance(info: RuntimeInfo | null): Promise<StatusOutput['running']> {
  const alive = info !== null && pidAlive(info.pid);
  const out: StatusOutput['running'] = {
    running: alive,
    pid: alive ? info.pid : null,
    appVersion: alive ? info.appVersion : null,
    bridgeUrl: alive && info.bridgePort !== null ? `http://127.0.0.1:${info.bridgePort}/` : null,
    mcpUrl: alive ? info.mcpUrl : null,
    health: null,
    uptimeS: null,
  };
  if (alive && info.bridgePort !== null) {
    const h = await askHealthz(info.bridgePort);
    out.health = h.ok ? 'ok' : 'unreachable';
    out.uptimeS = h.uptimeS;
  }
  return out;
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** The Chroma server a running Paige uses, when it answers: memory.chromaUrl, or the embedded one's server.json. */
async function liveChroma(dataDir: string, memory: { mode: string; chromaUrl: string | null }): Promise<string | null> {
  if (memory.mode === 'fts') return null;
  let url: string | null = memory.chromaUrl;
  if (url === null || memory.mode === 'embedded') {
    try {
      const raw = JSON.parse(fs.readFileSync(path.join(dataDir, 'chroma', SERVER_FILE), 'utf8')) as {
        pid?: unknown;
        url?: unknown;
      };
      url = typeof raw.pid === 'number' && pidAlive(raw.pid) && typeof raw.url === 'string' ? raw.url : null;
    } catch {
      url = null;
    }
  }
  if (url === null) return null;
  const { heartbeat } = await import('../../memory/chroma-http');
  return (await heartbeat(url.replace(/\/+$/, ''), HEALTHZ_TIMEOUT_MS)) ? url : null;
}

export async function collectStatus(args: StatusArgs, io: CliIo, log: CliLog): Promise<StatusOutput> {
  const ctx = makeReadContext(args.dataDir, io.env);
  const settings = readSettings(ctx.dataDir, io.env);
  for (const p of settings.problems) log.warn(p);
  const running = await runningInstance(readRuntimeInfo(ctx.dataDir));

  const out: StatusOutput = {
    appVersion: APP_VERSION,
    dataDir: ctx.dataDir,
    running,
    database: null,
    activeSession: null,
    counts: { sessions: 0, actions: 0, memories: 0 },
    memory: { configuredMode: settings.values.memory.mode, effective: 'fts', chromaUrl: null },
    llm: { configured: false, apiKeySource: 'none', baseUrl: settings.values.llm.baseUrl },
  };
  const keyInEnv = (io.env.ANTHROPIC_API_KEY ?? '') !== '';
  const keyStored = fs.existsSync(path.join(ctx.dataDir, SECRETS_FILE));
  out.llm.apiKeySource = keyInEnv ? 'env' : keyStored ? 'secret_store' : 'none';
  out.llm.configured = out.llm.apiKeySource !== 'none';

  if (running.running) {
    const url = await liveChroma(ctx.dataDir, settings.values.memory);
    if (url !== null) out.memory = { ...out.memory, effective: 'chroma', chromaUrl: url };
  }

  const db = openDatabase(ctx);
  if (db) {
    try {
      const file = dbPath(ctx);
      out.database = {
        path: file,
        sizeBytes: fileSize(file) + fileSize(`${file}-wal`),
        schemaVersion: db.schemaVersion,
      };
      const count = (table: 'sessions' | 'action_log' | 'memories'): number =>
        db.get(db.qb.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')))?.n ?? 0;
      out.counts = { sessions: count('sessions'), actions: count('action_log'), memories: count('memories') };
      const active = db.get(
        db.qb
          .selectFrom('sessions')
          .select(['id', 'project_dir', 'issue_number', 'issue_title', 'started_at'])
          .where('status', '=', 'active'),
      );
      if (active) {
        out.activeSession = {
          id: active.id,
          projectDir: active.project_dir,
          issueNumber: active.issue_number,
          issueTitle: active.issue_title,
          startedAt: active.started_at,
        };
      }
    } finally {
      db.close();
    }
  }
  return out;
}

export function renderStatus(s: StatusOutput, io: CliIo): string {
  const st = makeStyle(io);
  const r = s.running;
  const instance = r.running
    ? `${st.green('running')} (pid ${r.pid}${r.appVersion ? `, ${r.appVersion}` : ''})` +
      (r.health === null
        ? ''
        : r.health === 'ok'
          ? `, healthy${r.uptimeS !== null ? `, up ${r.uptimeS}s` : ''}`
          : `, ${st.yellow('not answering /healthz')}`)
    : st.dim('not running');
  const rows: [string, string][] = [
    ['Paige', s.appVersion],
    ['Instance', instance],
  ];
  if (r.bridgeUrl) rows.push(['Browser UI', r.bridgeUrl]);
  if (r.mcpUrl) rows.push(['MCP', r.mcpUrl]);
  rows.push(['Data dir', s.dataDir]);
  rows.push([
    'Database',
    s.database
      ? `${formatBytes(s.database.sizeBytes)}, schema ${s.database.schemaVersion}`
      : st.dim('none yet (Paige has not run with this data dir)'),
  ]);
  const a = s.activeSession;
  rows.push([
    'Active session',
    a
      ? `#${a.id}${a.issueNumber !== null ? ` issue #${a.issueNumber}` : ''} in ${a.projectDir}, since ${shortTime(a.startedAt)}`
      : st.dim('none'),
  ]);
  rows.push(['Sessions', String(s.counts.sessions)]);
  rows.push(['Actions', String(s.counts.actions)]);
  rows.push(['Memories', String(s.counts.memories)]);
  rows.push([
    'Memory search',
    s.memory.effective === 'chroma'
      ? `Chroma at ${s.memory.chromaUrl ?? '?'} (setting: ${s.memory.configuredMode})`
      : `full-text (SQLite FTS5); setting: ${s.memory.configuredMode}`,
  ]);
  const key = { env: 'API key from ANTHROPIC_API_KEY', secret_store: 'API key saved in the app', none: '' }[
    s.llm.apiKeySource
  ];
  rows.push([
    'Model',
    s.llm.configured
      ? `${st.green('configured')}: ${key}`
      : `${st.yellow('no API key')}: set ANTHROPIC_API_KEY, or store one in the desktop app (Settings → AI)`,
  ]);
  return fields(rows, io.columns);
}

export async function run(args: StatusArgs, io: CliIo, log: CliLog): Promise<number> {
  const s = await collectStatus(args, io, log);
  io.stdout(args.json ? JSON.stringify(s) + '\n' : renderStatus(s, io));
  return 0;
}
