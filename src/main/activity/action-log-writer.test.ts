import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PaigeDatabase } from '../db/database';
import { Logger, MemorySink } from '../logging/logger';
import { tempDir } from '../testing/harness';
import { ActionLogWriter, BATCH_SIZE, FLUSH_INTERVAL_MS, localDay, type ActionRow } from './action-log-writer';

let db: PaigeDatabase;
let sessionId: number;
let logs: MemorySink;

function openDb(file = path.join(tempDir('paige-alw-'), 'paige.db')): PaigeDatabase {
  return PaigeDatabase.open(file);
}

function insertSession(d: PaigeDatabase): number {
  const ts = new Date().toISOString();
  return Number(
    d.run(
      d.qb
        .insertInto('sessions')
        .values({ project_dir: '/p', status: 'active', hint_level: 'medium', started_at: ts, last_activity_at: ts }),
    ).lastInsertRowid,
  );
}

function row(seq: number, type = 'file_open', createdAt = new Date().toISOString()): ActionRow {
  return { sessionId, actionType: type, data: { path: `src/f${seq}.ts`, seq }, correlationId: `c${seq}`, createdAt };
}

function persistedSeqs(d: PaigeDatabase): number[] {
  return d
    .all(d.qb.selectFrom('action_log').select(['data']).orderBy('id'))
    .map((r) => (JSON.parse(String(r.data)) as { seq: number }).seq);
}

beforeEach(() => {
  db = openDb();
  sessionId = insertSession(db);
  logs = new MemorySink();
});
afterEach(() => {
  vi.useRealTimers();
  if (db.isOpen) db.close();
});

describe('ActionLogWriter (docs/activity.md)', () => {
  it('persists a burst of 10 000 events, all of them, in order, in batches of at most 256 per transaction', async () => {
    const batches: number[] = [];
    const w = new ActionLogWriter(db, new Logger([logs], 'debug'), { onFlushed: (n) => batches.push(n) });
    const spy = vi.spyOn(db, 'transaction');
    for (let i = 0; i < 10_000; i++) w.enqueue(row(i));
    // Enqueueing never touched the database.
    expect(spy).not.toHaveBeenCalled();
    expect(w.pending).toBe(10_000);
    await vi.waitFor(() => expect(w.pending).toBe(0), { timeout: 20_000, interval: 20 });
    expect(spy.mock.calls.length).toBe(batches.length);
    expect(Math.max(...batches)).toBeLessThanOrEqual(BATCH_SIZE);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(persistedSeqs(db)).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
    const fts = db.sqlite.prepare('SELECT count(*) AS n FROM action_log_fts').get() as { n: number };
    expect(fts.n).toBe(10_000);
    const daily = db.all(db.qb.selectFrom('action_counts_daily').selectAll());
    expect(daily).toEqual([{ day: localDay(new Date().toISOString()), action_type: 'file_open', count: 10_000 }]);
    w.close();
  });

  it('flushes a trickle after 50 ms (fake timers) and writes the search projection and daily rollup together', () => {
    vi.useFakeTimers();
    const w = new ActionLogWriter(db, new Logger([logs], 'debug'));
    w.enqueue(row(1, 'file_save'));
    w.enqueue(row(2, 'file_open'));
    vi.advanceTimersByTime(FLUSH_INTERVAL_MS - 1);
    expect(persistedSeqs(db)).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(persistedSeqs(db)).toEqual([1, 2]);
    const hit = db.sqlite.prepare("SELECT rowid FROM action_log_fts WHERE action_log_fts MATCH 'save'").all();
    expect(hit).toHaveLength(1);
    const counts = db.all(
      db.qb.selectFrom('action_counts_daily').select(['action_type', 'count']).orderBy('action_type'),
    );
    expect(counts).toEqual([
      { action_type: 'file_open', count: 1 },
      { action_type: 'file_save', count: 1 },
    ]);
    w.close();
  });

  it('on a full queue drops buffer_summary rows first and warns once per minute', () => {
    vi.useFakeTimers();
    const w = new ActionLogWriter(db, new Logger([logs], 'debug'), { queueCap: 4 });
    w.enqueue(row(0));
    w.enqueue(row(1, 'buffer_summary'));
    w.enqueue(row(2));
    w.enqueue(row(3));
    w.enqueue(row(4));
    w.enqueue(row(5));
    expect(w.dropped).toBe(2);
    w.flushAll();
    // The summary made room for seq 4; with none left, seq 5 itself was dropped.
    expect(persistedSeqs(db)).toEqual([0, 2, 3, 4]);
    expect(logs.records().filter((r) => String(r.msg).includes('queue full'))).toHaveLength(1);
    w.close();
  });

  it('close() flushes synchronously and later rows are refused', () => {
    const w = new ActionLogWriter(db, new Logger([logs], 'debug'));
    for (let i = 0; i < 600; i++) w.enqueue(row(i));
    w.close();
    expect(persistedSeqs(db)).toHaveLength(600);
    w.enqueue(row(600));
    expect(w.pending).toBe(0);
  });

  it('kill -9 mid-burst loses at most the rows that were still queued', async () => {
    const file = path.join(tempDir('paige-kill-'), 'paige.db');
    const chunk = 50;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, '__fixtures__/burst-writer.ts'), file],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, BURST_CHUNK: String(chunk) },
      },
    );
    let out = '';
    let maxPending = 0;
    const last = await new Promise<{ enqueued: number; pending: number; flushed: number }>((resolve, reject) => {
      let enqueued = 0;
      let pending = 0;
      let flushed = 0;
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const lines = out.split('\n');
        out = lines.pop() ?? '';
        for (const line of lines) {
          const e = /^enqueued (\d+) pending (\d+)$/.exec(line);
          const f = /^flushed (\d+)$/.exec(line);
          if (e) {
            enqueued = Number(e[1]);
            pending = Number(e[2]);
            maxPending = Math.max(maxPending, pending);
          }
          if (f) flushed = Number(f[1]);
          if (flushed >= 3_000 && child.exitCode === null && !child.killed) {
            child.kill('SIGKILL');
            resolve({ enqueued, pending, flushed });
          }
        }
      });
      child.once('exit', (code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`child exited early: ${code}`));
      });
    });
    await new Promise((r) => child.once('exit', r));
    const after = openDb(file);
    try {
      const seqs = persistedSeqs(after);
      // Everything persisted is the prefix of what was sent, in order, with nothing torn.
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i));
      // Every flush the child reported survived the kill.
      expect(seqs.length).toBeGreaterThanOrEqual(last.flushed);
      // What was lost is at most what sat in the queue (plus the one chunk that may have followed the last report).
      const lost = last.enqueued + chunk - seqs.length;
      // The measured bound for docs/activity.md (crash loss): printed so a run shows it.
      console.log(
        `kill -9 mid-burst: ${Math.max(0, lost)} rows lost (bound ${last.pending + chunk}), max queued ${maxPending}`,
      );
      expect(lost).toBeLessThanOrEqual(last.pending + chunk);
      expect(maxPending).toBeLessThanOrEqual(BATCH_SIZE + chunk);
      expect(after.quickCheck()).toBe('ok');
    } finally {
      after.close();
    }
  }, 30_000);
});
