// The `paige` tool commands as a user and a script run them: the built bin/paige.js in a child process on a seeded
// data dir, human and --json output, exit codes, and secrets kept out of exports.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ExportDocumentSchema,
  ExportWrittenSchema,
  SearchOutputSchema,
  SessionsListOutputSchema,
  StatusOutputSchema,
} from '../../../shared/cli/output';
import { ErrorShapeSchema as CliErrorSchema } from '../../../shared/ipc/errors';
import { tempDir } from '../../testing/harness';
import { PLANTED_API_KEY, PLANTED_GH_TOKEN, seedDataDir, type Seeded } from './seed-data-dir';
import { ensureBuilt, runCli } from './run-cli';

/** A build can take a while on a shared machine. */
const BUILD_TIMEOUT_MS = 240_000;

let seeded: Seeded;
let dd: string[];

beforeAll(() => {
  ensureBuilt();
  seeded = seedDataDir(tempDir('paige-cli-data-'), tempDir('paige-cli-proj-'), { actions: 200 });
  dd = ['--data-dir', seeded.dataDir];
}, BUILD_TIMEOUT_MS);

function json(stdout: string): unknown {
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] as string) as unknown;
}

describe('paige status', () => {
  it('reports the database, counts and active session, as text and as JSON', async () => {
    const text = await runCli(['status', ...dd]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Instance\s+not running/);
    expect(text.stdout).toMatch(/Sessions\s+5/);
    expect(text.stdout).toMatch(/Actions\s+203/);
    expect(text.stdout).toContain(`#${seeded.activeSessionId} issue #104`);
    expect(text.stdout).not.toContain('\u001b[');
    for (const line of text.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);

    const r = await runCli(['status', '--json', ...dd]);
    expect(r.code).toBe(0);
    const s = StatusOutputSchema.parse(json(r.stdout));
    expect(s.counts).toEqual({ sessions: 5, actions: 203, memories: 1 });
    expect(s.database?.schemaVersion).toBe(10);
    expect(s.activeSession?.id).toBe(seeded.activeSessionId);
    expect(s.running.running).toBe(false);
    expect(s.memory).toEqual({ configuredMode: 'auto', effective: 'fts', chromaUrl: null });
    expect(s.llm.apiKeySource).toBe('none');
  });

  it('says the model is configured when ANTHROPIC_API_KEY is set, without printing the key', async () => {
    const r = await runCli(['status', '--json', ...dd], { env: { ANTHROPIC_API_KEY: PLANTED_API_KEY } });
    const s = StatusOutputSchema.parse(json(r.stdout));
    expect(s.llm).toMatchObject({ configured: true, apiKeySource: 'env' });
    expect(r.stdout + r.stderr).not.toContain(PLANTED_API_KEY);
  });

  it('works on a data dir where Paige never ran, and creates nothing there', async () => {
    const empty = tempDir('paige-cli-empty-');
    const r = await runCli(['status', '--json', '--data-dir', empty]);
    expect(r.code).toBe(0);
    expect(StatusOutputSchema.parse(json(r.stdout)).database).toBeNull();
    expect(fs.readdirSync(empty)).toEqual([]);
  });

  it('takes no instance lock and leaves the database file unchanged', async () => {
    const db = path.join(seeded.dataDir, 'paige.db');
    const before = fs.readFileSync(db);
    for (const cmd of [
      ['status'],
      ['sessions', 'list'],
      ['search', 'tokenizer'],
      ['export', String(seeded.richSessionId)],
    ]) {
      expect((await runCli([...cmd, ...dd])).code).toBe(0);
    }
    expect(fs.existsSync(path.join(seeded.dataDir, 'paige.lock'))).toBe(false);
    expect(fs.readFileSync(db).equals(before)).toBe(true);
    expect(fs.statSync(path.join(seeded.dataDir, 'paige.db-wal')).size).toBe(0);
  });
});

describe('a data dir this user cannot write to', () => {
  it('is still read, from the file alone, when SQLite cannot create its WAL index there', async () => {
    const ro = tempDir('paige-cli-ro-read-');
    fs.copyFileSync(path.join(seeded.dataDir, 'paige.db'), path.join(ro, 'paige.db'));
    fs.chmodSync(path.join(ro, 'paige.db'), 0o644);
    fs.chmodSync(ro, 0o555);
    // Root writes anywhere: run as nobody then, as a user with a read-only folder would.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, cwd: '/' } : {};
    try {
      const r = await runCli(['status', '--json', '--data-dir', ro], { env: { HOME: '/tmp' }, ...asUser });
      expect(r.stderr).toBe('');
      expect(StatusOutputSchema.parse(json(r.stdout)).counts.actions).toBe(203);
      const s = await runCli(['search', 'tokenizer', '--kind', 'memory', '--json', '--data-dir', ro], asUser);
      expect(SearchOutputSchema.parse(json(s.stdout)).results).toHaveLength(1);
      expect(fs.readdirSync(ro)).toEqual(['paige.db']);
    } finally {
      fs.chmodSync(ro, 0o700);
    }
  });
});

describe('--log-level', () => {
  it('debug adds JSON diagnostics on stderr and leaves stdout one document', async () => {
    const r = await runCli(['sessions', 'list', '--json', '--log-level', 'debug', ...dd]);
    expect(SessionsListOutputSchema.parse(json(r.stdout)).sessions).toHaveLength(5);
    const lines = r.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: string; msg: string; durationMs?: number });
    expect(lines.find((l) => l.msg === 'command done')).toMatchObject({ level: 'debug' });
    const quiet = await runCli(['sessions', 'list', '--json', ...dd]);
    expect(quiet.stderr).toBe('');
  });
});

describe('paige sessions list', () => {
  it('lists newest first with duration and cost, and pages with the cursor it prints', async () => {
    const text = await runCli(['sessions', 'list', ...dd]);
    expect(text.code).toBe(0);
    const rows = text.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^ID\s+STARTED\s+STATUS\s+TIME\s+COST\s+PROJECT\s+ISSUE$/);
    expect(rows.slice(1).map((l) => Number(l.trim().split(/\s+/)[0]))).toEqual([5, 4, 3, 2, 1]);
    expect(text.stdout).toContain('$0.04');
    for (const line of rows) expect(line.length).toBeLessThanOrEqual(80);

    const first = SessionsListOutputSchema.parse(
      json((await runCli(['sessions', 'list', '--limit', '2', '--json', ...dd])).stdout),
    );
    expect(first.sessions.map((s) => s.id)).toEqual([5, 4]);
    expect(first.nextCursor).not.toBeNull();
    const second = SessionsListOutputSchema.parse(
      json(
        (await runCli(['sessions', 'list', '--limit', '2', '--cursor', first.nextCursor as string, '--json', ...dd]))
          .stdout,
      ),
    );
    expect(second.sessions.map((s) => s.id)).toEqual([3, 2]);
    const rich = second.sessions.find((s) => s.id === seeded.richSessionId);
    expect(rich).toMatchObject({ durationMs: 42 * 60_000, issueNumber: 101 });
    expect(rich?.costUsd).toBeCloseTo(0.0375, 6);
  });

  it('filters by status', async () => {
    const r = await runCli(['sessions', 'list', '--status', 'completed_with_errors', '--json', ...dd]);
    expect(SessionsListOutputSchema.parse(json(r.stdout)).sessions.map((s) => s.id)).toEqual([3]);
  });
});

describe('paige search', () => {
  it('finds actions, chat and memories with the app ranking and highlight ranges', async () => {
    const r = await runCli(['search', 'tokenizer', '--json', '--limit', '50', ...dd]);
    expect(r.code).toBe(0);
    const out = SearchOutputSchema.parse(json(r.stdout));
    const kinds = new Set(out.results.map((x) => x.kind));
    expect(kinds).toEqual(new Set(['action', 'chat', 'memory']));
    const ranks = out.results.map((x) => x.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    for (const hit of out.results) {
      expect(hit.highlights.length).toBeGreaterThan(0);
      for (const [from, to] of hit.highlights) expect(hit.snippet.slice(from, to).toLowerCase()).toMatch(/^tokenizer/);
    }
  });

  it('narrows by kind and session, and prints readable text', async () => {
    const mem = SearchOutputSchema.parse(
      json((await runCli(['search', 'tokenizer', '--kind', 'memory', '--json', ...dd])).stdout),
    );
    expect(mem.results.map((x) => x.kind)).toEqual(['memory']);
    const one = SearchOutputSchema.parse(
      json(
        (await runCli(['search', 'file', '--session', String(seeded.richSessionId), '--limit', '100', '--json', ...dd]))
          .stdout,
      ),
    );
    expect(one.results.length).toBeGreaterThan(0);
    expect(one.results.every((x) => x.sessionId === seeded.richSessionId)).toBe(true);
    const text = await runCli(['search', 'escape', '--kind', 'memory', ...dd]);
    expect(text.stdout).toContain('memory');
    expect(text.stdout).toContain('tokenizer escape branch');
  });

  it('sanitizes operators like the app: a query of only operators is VALIDATION_FAILED', async () => {
    const r = await runCli(['search', 'AND OR NOT', '--json', ...dd]);
    expect(r.code).toBe(1);
    expect(CliErrorSchema.parse(json(r.stdout)).code).toBe('VALIDATION_FAILED');
    const ok = await runCli(['search', 'tokenizer AND (', '--json', ...dd]);
    expect(ok.code).toBe(0);
  });

  it('never shows a secret from the action log or a chat message in snippets', async () => {
    const r = await runCli(['search', 'curl', '--json', ...dd]);
    expect(r.code).toBe(0);
    expect(SearchOutputSchema.parse(json(r.stdout)).results.length).toBeGreaterThan(0);
    expect(r.stdout).not.toContain(PLANTED_GH_TOKEN);

    // The learner pasted a key into the coach chat; the message is found, the key is not shown.
    const chat = await runCli(['search', 'key', '--kind', 'chat', '--json', ...dd]);
    const [hit] = SearchOutputSchema.parse(json(chat.stdout)).results;
    expect(hit?.snippet).toContain('[REDACTED]');
    expect(chat.stdout).not.toContain('PLANTED');
    expect(hit?.highlights.map(([a, b]) => hit.snippet.slice(a, b))).toEqual(['key']);
    const text = await runCli(['search', 'key', '--kind', 'chat', ...dd]);
    expect(text.stdout).toContain('My key is [REDACTED]');
  });
});

describe('paige export', () => {
  it('prints the whole session document to stdout', async () => {
    const r = await runCli(['export', String(seeded.richSessionId), '--json', ...dd]);
    expect(r.code).toBe(0);
    const doc = ExportDocumentSchema.parse(json(r.stdout));
    expect(doc.session.id).toBe(seeded.richSessionId);
    expect(doc.plans[0]?.phases).toHaveLength(2);
    expect(doc.plans[0]?.phases[0]?.tasks).toHaveLength(1);
    expect(doc.plans[0]?.phases[0]?.progressEvents[0]).toMatchObject({
      eventType: 'hint_used',
      data: { level: 'low' },
    });
    expect(doc.knowledgeGaps[0]?.katas).toHaveLength(1);
    expect(doc.chatSessions[0]?.messages).toHaveLength(2);
    expect(doc.memories).toHaveLength(1);
    expect(doc.apiCalls[0]).toMatchObject({ inputTokens: 1200, outputTokens: 300 });
    expect(doc.totals.apiCalls).toBe(3);
    expect(doc.totals.costUsd).toBeCloseTo(0.0375, 6);
    expect(doc.totals.durationMs).toBe(42 * 60_000);
    const human = await runCli(['export', String(seeded.richSessionId), ...dd]);
    expect(ExportDocumentSchema.parse(JSON.parse(human.stdout)).session.id).toBe(seeded.richSessionId);
  });

  it('writes a 0600 file with no API key or token, though they sit in settings, env, logs and the data', async () => {
    const out = path.join(tempDir('paige-cli-out-'), 'session.json');
    const env = { ANTHROPIC_API_KEY: PLANTED_API_KEY, GH_TOKEN: PLANTED_GH_TOKEN };
    expect(fs.readFileSync(path.join(seeded.dataDir, 'settings.json'), 'utf8')).toContain(PLANTED_API_KEY);
    const r = await runCli(['export', String(seeded.richSessionId), '--out', out, '--json', ...dd], { env });
    expect(r.code).toBe(0);
    expect(ExportWrittenSchema.parse(json(r.stdout)).out).toBe(out);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(out, 'utf8');
    ExportDocumentSchema.parse(JSON.parse(text));
    for (const secret of [PLANTED_API_KEY, PLANTED_GH_TOKEN, 'PLANTED']) expect(text).not.toContain(secret);
    expect(text).toContain('[REDACTED]');
    expect(r.stdout + r.stderr).not.toContain('PLANTED');

    const human = await runCli(['export', String(seeded.richSessionId), '--out', out, ...dd], { env });
    expect(human.stdout).toMatch(/^Wrote session \d+ to .*session\.json/);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
  });

  it('an unknown session is exit 1 with NOT_FOUND', async () => {
    const r = await runCli(['export', '999', '--json', ...dd]);
    expect(r.code).toBe(1);
    expect(CliErrorSchema.parse(json(r.stdout))).toMatchObject({ code: 'NOT_FOUND', retryable: false });
    const text = await runCli(['export', '999', ...dd]);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('No session 999');
    expect(text.stdout).toBe('');
  });
});

describe('usage errors', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown command', ['frobnicate'], /paige help/],
    ['unknown option', ['status', '--verbose'], /paige help status/],
    ['missing query', ['search'], /paige help search/],
    ['bad kind', ['search', 'x', '--kind', 'files'], /paige help search/],
    ['bad limit', ['sessions', 'list', '--limit', '0'], /paige help sessions list/],
    ['bad status', ['sessions', 'list', '--status', 'done'], /paige help sessions list/],
    ['non-numeric session', ['export', 'abc'], /paige help export/],
    ['missing sessions subcommand', ['sessions'], /paige help sessions/],
    ['value missing', ['export', '1', '--out'], /paige help export/],
  ];
  it.each(cases)('%s exits 2 with a hint', async (_name, args, hint) => {
    const r = await runCli([...args, ...dd]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(hint);
    expect(r.stdout).toBe('');
  });

  it('with --json, a usage error also prints the error shape on stdout', async () => {
    const r = await runCli(['search', '--kind', 'files', '--json', ...dd]);
    expect(r.code).toBe(2);
    expect(CliErrorSchema.parse(json(r.stdout)).code).toBe('VALIDATION_FAILED');
  });

  it('help names every command and each command has its own help', async () => {
    const r = await runCli(['help']);
    expect(r.code).toBe(0);
    for (const c of ['serve', 'status', 'sessions list', 'search', 'export', 'doctor']) expect(r.stdout).toContain(c);
    const h = await runCli(['search', '--help']);
    expect(h.stdout).toContain('Usage: paige search');
  });
});
