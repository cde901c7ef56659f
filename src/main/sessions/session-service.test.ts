import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PaigeDatabase } from '../db/database';
import { SessionService } from './session-service';
import { Logger, MemorySink } from '../logging/logger';
import { tempDir } from '../testing/harness';
import { isPaigeError } from '../../shared/ipc/errors';

const MIN = 60_000;

function setup(now: { t: number }) {
  const db = PaigeDatabase.open(path.join(tempDir(), 'paige.db'));
  const svc = new SessionService(db, new Logger([new MemorySink()], 'debug'), () => new Date(now.t));
  return { db, svc };
}

describe('SessionService', () => {
  it('allows one active session at a time', () => {
    const now = { t: Date.parse('2026-01-01T10:00:00.000Z') };
    const { svc } = setup(now);
    const s = svc.start({ projectDir: '/p', hintLevel: 'low', issueNumber: 7, issueTitle: 'Fix it' });
    expect(s.status).toBe('active');
    let caught: unknown;
    try {
      svc.start({ projectDir: '/p', hintLevel: 'low' });
    } catch (err) {
      caught = err;
    }
    expect(isPaigeError(caught) && caught.code).toBe('ACTIVE_SESSION_EXISTS');
    expect(svc.snapshot()?.session.id).toBe(s.id);
    expect(svc.snapshot()?.issueContext).toEqual({ number: 7, title: 'Fix it', summary: '' });
  });

  it('ends a session only from active, with duration', () => {
    const now = { t: Date.parse('2026-01-01T10:00:00.000Z') };
    const { svc } = setup(now);
    const s = svc.start({ projectDir: '/p', hintLevel: 'low' });
    now.t += 5 * MIN;
    const ended = svc.end(s.id, 'wrapping_up', 'user');
    expect(ended.totalDurationMs).toBe(5 * MIN);
    expect(ended.endedAt).toBe('2026-01-01T10:05:00.000Z');
    expect(() => svc.end(s.id, 'wrapping_up', 'user')).toThrow(/not active/);
    expect(svc.getActive()).toBeNull();
  });

  it('keeps the active id it read until a start, an end, a forced end or a recovery changes it', () => {
    const now = { t: Date.parse('2026-01-01T10:00:00.000Z') };
    const { svc } = setup(now);
    expect(svc.activeId()).toBeNull();
    const a = svc.start({ projectDir: '/p', hintLevel: 'low' });
    expect(svc.activeId()).toBe(a.id);
    // A refused start leaves it as it was.
    expect(() => svc.start({ projectDir: '/p', hintLevel: 'low' })).toThrow(/already active/);
    expect(svc.activeId()).toBe(a.id);
    svc.end(a.id, 'wrapping_up', 'user');
    expect(svc.activeId()).toBeNull();
    const b = svc.start({ projectDir: '/p', hintLevel: 'low' });
    expect(svc.activeId()).toBe(b.id);
    svc.forceEnd(b.id);
    expect(svc.activeId()).toBeNull();
    const c = svc.start({ projectDir: '/p', hintLevel: 'low' });
    expect(svc.activeId()).toBe(c.id);
    now.t += 16 * MIN;
    svc.recoverAfterCrash(15 * MIN);
    expect(svc.activeId()).toBe(svc.getActive()?.id ?? null);
    expect(svc.activeId()).toBeNull();
  });

  it('recovers an orphaned active session older than the threshold with three not-run rows', () => {
    const now = { t: Date.parse('2026-01-01T10:00:00.000Z') };
    const { db, svc } = setup(now);
    const s = svc.start({ projectDir: '/p', hintLevel: 'low' });
    now.t += 16 * MIN;
    const report = svc.recoverAfterCrash(15 * MIN);
    expect(report.orphaned).toEqual([s.id]);
    const after = svc.get(s.id);
    expect(after?.status).toBe('completed_with_errors');
    expect(after?.endReason).toBe('orphan_recovered');
    expect(after?.endedAt).toBe('2026-01-01T10:00:00.000Z');
    const rows = db.sqlite
      .prepare('SELECT agent_name, resolved_at FROM session_wrap_up_errors WHERE session_id = ? ORDER BY agent_name')
      .all(s.id);
    expect(rows).toEqual([
      { agent_name: 'dreyfus', resolved_at: null },
      { agent_name: 'knowledge_gap', resolved_at: null },
      { agent_name: 'reflection', resolved_at: null },
    ]);
    expect(svc.getActive()).toBeNull();
  });

  it('keeps a recently active session active for re-attach', () => {
    const now = { t: Date.parse('2026-01-01T10:00:00.000Z') };
    const { svc } = setup(now);
    const s = svc.start({ projectDir: '/p', hintLevel: 'low' });
    now.t += 14 * MIN;
    expect(svc.recoverAfterCrash(15 * MIN).keptActive).toEqual([s.id]);
    expect(svc.getActive()?.id).toBe(s.id);
  });

  it('closes an interrupted wrap-up with error rows for agents that left no results', () => {
    const now = { t: Date.parse('2026-01-01T10:00:00.000Z') };
    const { db, svc } = setup(now);
    const s = svc.start({ projectDir: '/p', hintLevel: 'low' });
    svc.end(s.id, 'wrapping_up', 'claude_exit');
    db.sqlite
      .prepare(
        `INSERT INTO dreyfus_history (skill_area, stage, confidence, session_id, assessed_at) VALUES ('testing', 'Novice', 0.5, ?, ?)`,
      )
      .run(s.id, new Date(now.t).toISOString());
    svc.recoverAfterCrash(15 * MIN);
    expect(svc.get(s.id)?.status).toBe('completed_with_errors');
    const agents = (
      db.sqlite
        .prepare('SELECT agent_name FROM session_wrap_up_errors WHERE session_id = ? ORDER BY agent_name')
        .all(s.id) as {
        agent_name: string;
      }[]
    ).map((r) => r.agent_name);
    expect(agents).toEqual(['knowledge_gap', 'reflection']);
  });

  it('lists sessions newest first with a cursor', () => {
    const now = { t: Date.parse('2026-01-01T10:00:00.000Z') };
    const { svc } = setup(now);
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s = svc.start({ projectDir: '/p', hintLevel: 'low' });
      ids.push(s.id);
      svc.end(s.id, 'wrapping_up', 'user');
    }
    const first = svc.list({ limit: 2 });
    expect(first.sessions.map((s) => s.id)).toEqual([ids[4], ids[3]]);
    expect(first.hasMore).toBe(true);
    const second = svc.list({ limit: 2, cursor: first.nextCursor ?? undefined });
    expect(second.sessions.map((s) => s.id)).toEqual([ids[2], ids[1]]);
    const last = svc.list({ limit: 2, cursor: second.nextCursor ?? undefined });
    expect(last).toEqual({ sessions: [expect.objectContaining({ id: ids[0] })], hasMore: false, nextCursor: null });
  });
});
