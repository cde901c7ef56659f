import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { PaigeDatabase } from './database';
import { LATEST_SCHEMA_VERSION } from './migrate';
import { tempDir } from '../testing/harness';
import { isPaigeError } from '../../shared/ipc/errors';

const SCHEMA_TABLES = [
  'sessions',
  'plans',
  'phases',
  'phase_tasks',
  'phase_hints',
  'progress_events',
  'dreyfus_assessments',
  'dreyfus_history',
  'knowledge_gaps',
  'kata_specs',
  'action_log',
  'action_counts_daily',
  'api_call_log',
  'session_wrap_up_errors',
  'hint_level_spans',
  'issue_labels',
  'projects',
  'learning_materials',
  'memories',
  'chat_sessions',
  'chat_turns',
  'chat_messages',
  'schema_migrations',
];
const FTS_TABLES = ['action_log_fts', 'chat_messages_fts', 'memories_fts'];

const sha = (file: string): string => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function insertSession(db: PaigeDatabase, status: string): void {
  const ts = new Date().toISOString();
  db.sqlite
    .prepare(
      `INSERT INTO sessions (project_dir, status, hint_level, started_at, last_activity_at, ended_at) VALUES (?, ?, 'low', ?, ?, ?)`,
    )
    .run('/p', status, ts, ts, status === 'active' ? null : ts);
}

describe('PaigeDatabase', () => {
  it('creates every table of the spec, the FTS tables, WAL, and records the migration', () => {
    const file = path.join(tempDir(), 'paige.db');
    const db = PaigeDatabase.open(file);
    const names = (
      db.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    ).map((r) => r.name);
    for (const t of [...SCHEMA_TABLES, ...FTS_TABLES]) expect(names).toContain(t);
    expect(db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    const audit = db.sqlite.prepare('SELECT version, name FROM schema_migrations').all();
    expect(audit).toEqual([{ version: 10, name: 'initial' }]);
    db.close();
  });

  it('is idempotent: reopening applies nothing twice', () => {
    const file = path.join(tempDir(), 'paige.db');
    PaigeDatabase.open(file).close();
    const db = PaigeDatabase.open(file);
    expect(db.sqlite.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: 1 });
    db.close();
  });

  it('refuses a database from a newer app with DB_TOO_NEW and leaves the file byte-identical', () => {
    const file = path.join(tempDir(), 'paige.db');
    const raw = new Database(file);
    raw.exec('CREATE TABLE future (x)');
    raw.pragma('user_version = 9990');
    raw.close();
    const before = sha(file);
    let caught: unknown;
    try {
      PaigeDatabase.open(file);
    } catch (err) {
      caught = err;
    }
    expect(isPaigeError(caught) && caught.code).toBe('DB_TOO_NEW');
    expect(sha(file)).toBe(before);
    expect(fs.existsSync(file + '-wal')).toBe(false);
  });

  it('enforces one active session with the unique partial index', () => {
    const db = PaigeDatabase.open(path.join(tempDir(), 'paige.db'));
    insertSession(db, 'active');
    insertSession(db, 'completed');
    expect(() => insertSession(db, 'active')).toThrow(/UNIQUE constraint failed/);
    db.close();
  });

  it('enforces foreign keys and check constraints', () => {
    const db = PaigeDatabase.open(path.join(tempDir(), 'paige.db'));
    const ts = new Date().toISOString();
    expect(() =>
      db.sqlite.prepare(`INSERT INTO action_log (session_id, action_type, created_at) VALUES (999, 'x', ?)`).run(ts),
    ).toThrow(/FOREIGN KEY/);
    expect(() => insertSession(db, 'paused')).toThrow(/CHECK constraint failed/);
    db.close();
  });

  it('survives kill -9 during a write burst: the next open passes integrity_check', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'paige.db');
    PaigeDatabase.open(file).close();
    const script = path.join(dir, 'burst.cjs');
    const driver = require.resolve('better-sqlite3');
    fs.writeFileSync(
      script,
      `const D = require(${JSON.stringify(driver)});
       const db = new D(${JSON.stringify(file)});
       db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL'); db.pragma('foreign_keys = ON');
       const ts = new Date().toISOString();
       const s = db.prepare("INSERT INTO sessions (project_dir, status, hint_level, started_at, last_activity_at) VALUES ('/p','active','low',?,?)").run(ts, ts);
       const ins = db.prepare("INSERT INTO action_log (session_id, action_type, data, created_at) VALUES (?, 'buffer_significant_change', ?, ?)");
       const batch = db.transaction((n) => { for (let i = 0; i < n; i++) ins.run(s.lastInsertRowid, JSON.stringify({ i, pad: 'x'.repeat(200) }), ts); });
       process.stdout.write('go\\n');
       for (;;) batch(200);`,
    );
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await new Promise((r) => setTimeout(r, 400));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const db = PaigeDatabase.open(file);
    expect(db.integrityCheck()).toBe('ok');
    const rows = db.sqlite.prepare('SELECT count(*) AS n FROM action_log').get() as { n: number };
    expect(rows.n).toBeGreaterThan(0);
    expect(rows.n % 200).toBe(0);
    db.close();
  });
});

describe('WAL checkpoints between transactions', () => {
  const write = (db: PaigeDatabase): void => {
    const ts = new Date().toISOString();
    db.transaction(() => {
      db.run(
        db.qb.insertInto('sessions').values({
          project_dir: '/p',
          status: 'completed',
          hint_level: 'low',
          started_at: ts,
          last_activity_at: ts,
          ended_at: ts,
        }),
      );
    });
  };

  it('checkpoints from a timer after writes, stops when writes stop, and leaves commits to SQLite when disabled', () => {
    vi.useFakeTimers();
    try {
      const timed = PaigeDatabase.open(path.join(tempDir('pdb-ckpt-'), 'paige.db'));
      const plain = PaigeDatabase.open(path.join(tempDir('pdb-ckpt-'), 'paige.db'), { timedCheckpoints: false });
      const timedSpy = vi.spyOn(timed, 'checkpoint');
      const plainSpy = vi.spyOn(plain, 'checkpoint');
      expect(timed.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBeGreaterThan(1_000);
      expect(plain.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1_000);

      write(timed);
      write(plain);
      vi.advanceTimersByTime(1_000);
      expect(timedSpy).toHaveBeenCalledTimes(1);
      // No writes since: the next tick stops the timer without checkpointing, and later ticks do nothing.
      vi.advanceTimersByTime(5_000);
      expect(timedSpy).toHaveBeenCalledTimes(1);
      write(timed);
      vi.advanceTimersByTime(1_000);
      expect(timedSpy).toHaveBeenCalledTimes(2);
      expect(plainSpy).not.toHaveBeenCalled();
      expect(vi.getTimerCount()).toBe(1);

      timed.close();
      plain.close();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a checkpoint moves committed frames into the database file', () => {
    const file = path.join(tempDir('pdb-ckpt-'), 'paige.db');
    const db = PaigeDatabase.open(file, { timedCheckpoints: false });
    for (let i = 0; i < 20; i++) write(db);
    expect(db.checkpoint()).toBeGreaterThan(0);
    const reader = new Database(file, { readonly: true });
    expect(reader.prepare('SELECT count(*) AS n FROM sessions').get()).toEqual({ n: 20 });
    reader.close();
    db.close();
  });
});
