// `paige sessions list`: coaching sessions newest first with their duration and model cost, one page at a time.
import path from 'node:path';
import { PaigeError } from '../../../shared/ipc/errors';
import type { SessionRow, SessionsListOutput } from '../../../shared/cli/output';
import type { SessionsListArgs } from '../args';
import { formatDuration, makeStyle, shortTime, table, type CliIo, type CliLog } from '../io';
import { makeReadContext, openDatabase } from '../read-context';

interface Cursor {
  startedAt: string;
  id: number;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.startedAt, c.id])).toString('base64url');
}

function decodeCursor(s: string): Cursor {
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && typeof v[0] === 'string' && Number.isInteger(v[1]))
      return { startedAt: v[0], id: v[1] as number };
  } catch {
    // Falls through to the error below.
  }
  throw new PaigeError(
    'VALIDATION_FAILED',
    'The --cursor value is not one this command printed; list again without it.',
  );
}

/** A running session's duration so far counts up to its last recorded activity, not to now. */
function durationOf(r: {
  total_duration_ms: number | null;
  started_at: string;
  ended_at: string | null;
  last_activity_at: string;
}): number {
  if (r.total_duration_ms !== null) return Math.max(0, r.total_duration_ms);
  const end = Date.parse(r.ended_at ?? r.last_activity_at);
  const start = Date.parse(r.started_at);
  return Number.isFinite(end - start) ? Math.max(0, end - start) : 0;
}

export function listSessions(args: SessionsListArgs, io: CliIo): SessionsListOutput {
  const ctx = makeReadContext(args.dataDir, io.env);
  const db = openDatabase(ctx);
  if (!db) return { sessions: [], nextCursor: null };
  try {
    let q = db.qb
      .selectFrom('sessions as s')
      .leftJoin(
        (eb) =>
          eb
            .selectFrom('api_call_log')
            .select(['session_id', (e) => e.fn.sum<number>('cost_estimate').as('cost')])
            .groupBy('session_id')
            .as('c'),
        (join) => join.onRef('c.session_id', '=', 's.id'),
      )
      .select([
        's.id',
        's.project_dir',
        's.issue_number',
        's.issue_title',
        's.status',
        's.started_at',
        's.ended_at',
        's.last_activity_at',
        's.total_duration_ms',
        'c.cost',
      ])
      .orderBy('s.started_at', 'desc')
      .orderBy('s.id', 'desc')
      .limit(args.limit + 1);
    if (args.status !== undefined) q = q.where('s.status', '=', args.status);
    if (args.cursor !== undefined) {
      const c = decodeCursor(args.cursor);
      q = q.where((eb) =>
        eb.or([
          eb('s.started_at', '<', c.startedAt),
          eb.and([eb('s.started_at', '=', c.startedAt), eb('s.id', '<', c.id)]),
        ]),
      );
    }
    const rows = db.all(q);
    const page = rows.slice(0, args.limit);
    const sessions: SessionRow[] = page.map((r) => ({
      id: r.id,
      projectDir: r.project_dir,
      issueNumber: r.issue_number,
      issueTitle: r.issue_title,
      status: r.status,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      durationMs: durationOf(r),
      costUsd: Math.max(0, r.cost ?? 0),
    }));
    const last = page[page.length - 1];
    return {
      sessions,
      nextCursor: rows.length > args.limit && last ? encodeCursor({ startedAt: last.started_at, id: last.id }) : null,
    };
  } finally {
    db.close();
  }
}

/** Short status words so the table fits 80 columns; --json keeps the stored values. */
const STATUS_LABEL: Record<SessionRow['status'], string> = {
  active: 'active',
  wrapping_up: 'wrapping up',
  completed: 'completed',
  completed_with_errors: 'with errors',
};

export function renderSessions(out: SessionsListOutput, io: CliIo): string {
  const st = makeStyle(io);
  if (out.sessions.length === 0) return 'No sessions yet.\n';
  const colour = (s: SessionRow['status']): ((x: string) => string) =>
    s === 'active' ? st.green : s === 'completed_with_errors' ? st.yellow : (x) => x;
  const text = table(
    [
      { header: 'ID', align: 'right' },
      { header: 'STARTED' },
      { header: 'STATUS' },
      { header: 'TIME', align: 'right' },
      { header: 'COST', align: 'right' },
      { header: 'PROJECT', flexible: true },
      { header: 'ISSUE', flexible: true },
    ],
    out.sessions.map((s) => [
      String(s.id),
      shortTime(s.startedAt),
      STATUS_LABEL[s.status],
      formatDuration(s.durationMs),
      `$${s.costUsd.toFixed(2)}`,
      path.basename(s.projectDir),
      s.issueNumber !== null ? `#${s.issueNumber}${s.issueTitle ? ` ${s.issueTitle}` : ''}` : '-',
    ]),
    io.columns,
  );
  // Colour after layout so escape codes never count towards the widths.
  const lines = text.split('\n');
  out.sessions.forEach((s, i) => {
    const line = lines[i + 1];
    const label = STATUS_LABEL[s.status];
    if (line !== undefined) lines[i + 1] = line.replace(` ${label} `, ` ${colour(s.status)(label)} `);
  });
  lines[0] = st.bold(lines[0] ?? '');
  let result = lines.join('\n');
  if (out.nextCursor) result += st.dim(`More: paige sessions list --cursor ${out.nextCursor}`) + '\n';
  return result;
}

export function run(args: SessionsListArgs, io: CliIo, log: CliLog): Promise<number> {
  const out = listSessions(args, io);
  log.debug('sessions listed', { count: out.sessions.length });
  io.stdout(args.json ? JSON.stringify(out) + '\n' : renderSessions(out, io));
  return Promise.resolve(0);
}
