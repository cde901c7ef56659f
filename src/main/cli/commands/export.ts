// `paige export <session>`: everything recorded for one session as one JSON document (format version 1), secrets
// redacted, to stdout or to a file created with mode 0600.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PaigeError } from '../../../shared/ipc/errors';
import { REDACTED, isSecretKey, redactString } from '../../../shared/redact';
import type { ExportDocument, ExportWritten } from '../../../shared/cli/output';
import { APP_VERSION } from '../../version';
import type { PaigeDatabase } from '../../db/database';
import type { ExportArgs } from '../args';
import type { CliIo, CliLog } from '../io';
import { makeReadContext, requireDatabase } from '../read-context';

export const EXPORT_FORMAT_VERSION = 1;
/** Columns that hold JSON text; they are exported as parsed values. */
const JSON_COLUMNS = new Set([
  'data',
  'expected_files',
  'target_files',
  'related_concepts',
  'constraints',
  'user_attempts',
]);
/** Deeper than any document Paige writes; stops a pathological value from recursing without end. */
const MAX_DEPTH = 64;
const JsonValue = z.json();

type Obj = Record<string, unknown>;

function camel(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function parseJsonColumn(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  try {
    const parsed = JsonValue.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A database row with camelCase keys and its JSON columns parsed. */
function shape(row: object): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(row)) out[camel(k)] = JSON_COLUMNS.has(k) ? parseJsonColumn(v) : v;
  return out;
}

/**
 * Secrets never leave in an export: values that look like keys or tokens are replaced wherever they appear, and a
 * text value under a secret-sounding key (apiKey, token, password…) is replaced whole. Counts such as inputTokens are
 * numbers and stay.
 */
export function redactDocument(value: unknown, key = '', depth = 0): unknown {
  if (typeof value === 'string') return isSecretKey(key) ? REDACTED : redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => redactDocument(v, key, depth + 1));
  const out: Obj = {};
  for (const [k, v] of Object.entries(value as Obj)) out[k] = redactDocument(v, k, depth + 1);
  return out;
}

function sessionDuration(s: {
  total_duration_ms: number | null;
  started_at: string;
  ended_at: string | null;
  last_activity_at: string;
}): number {
  if (s.total_duration_ms !== null) return Math.max(0, s.total_duration_ms);
  const ms = Date.parse(s.ended_at ?? s.last_activity_at) - Date.parse(s.started_at);
  return Number.isFinite(ms) ? Math.max(0, ms) : 0;
}

export function buildExport(db: PaigeDatabase, sessionId: number, now: Date = new Date()): ExportDocument {
  const qb = db.qb;
  const session = db.get(qb.selectFrom('sessions').selectAll().where('id', '=', sessionId));
  if (!session) {
    throw new PaigeError('NOT_FOUND', `No session ${sessionId}: list them with \`paige sessions list\`.`, {
      sessionId,
    });
  }
  const plans = db.all(qb.selectFrom('plans').selectAll().where('session_id', '=', sessionId).orderBy('id'));
  const planDocs = plans.map((p) => {
    const phases = db.all(qb.selectFrom('phases').selectAll().where('plan_id', '=', p.id).orderBy('number'));
    return {
      ...shape(p),
      id: p.id,
      phases: phases.map((ph) => ({
        ...shape(ph),
        id: ph.id,
        tasks: db
          .all(qb.selectFrom('phase_tasks').selectAll().where('phase_id', '=', ph.id).orderBy('number'))
          .map(shape),
        hints: db.all(qb.selectFrom('phase_hints').selectAll().where('phase_id', '=', ph.id).orderBy('id')).map(shape),
        progressEvents: db
          .all(
            qb
              .selectFrom('progress_events')
              .selectAll()
              .where('phase_id', '=', ph.id)
              .orderBy('created_at')
              .orderBy('id'),
          )
          .map(shape),
      })),
    };
  });
  const actions = db
    .all(
      qb.selectFrom('action_log').selectAll().where('session_id', '=', sessionId).orderBy('created_at').orderBy('id'),
    )
    .map((a) => ({ ...shape(a), id: a.id, actionType: a.action_type, createdAt: a.created_at }));
  const apiCalls = db.all(qb.selectFrom('api_call_log').selectAll().where('session_id', '=', sessionId).orderBy('id'));
  const gaps = db.all(qb.selectFrom('knowledge_gaps').selectAll().where('session_id', '=', sessionId).orderBy('id'));
  const chats = db.all(
    qb.selectFrom('chat_sessions').selectAll().where('coaching_session_id', '=', sessionId).orderBy('created_at'),
  );
  const doc = {
    formatVersion: EXPORT_FORMAT_VERSION,
    exportedAt: now.toISOString(),
    appVersion: APP_VERSION,
    session: { ...shape(session), id: session.id, projectDir: session.project_dir, status: session.status },
    plans: planDocs,
    actions,
    apiCalls: apiCalls.map(shape),
    wrapUpErrors: db
      .all(qb.selectFrom('session_wrap_up_errors').selectAll().where('session_id', '=', sessionId).orderBy('id'))
      .map(shape),
    knowledgeGaps: gaps.map((g) => ({
      ...shape(g),
      id: g.id,
      katas: db.all(qb.selectFrom('kata_specs').selectAll().where('gap_id', '=', g.id).orderBy('id')).map(shape),
    })),
    memories: db
      .all(
        qb.selectFrom('memories').selectAll().where('session_id', '=', sessionId).orderBy('created_at').orderBy('id'),
      )
      .map(shape),
    chatSessions: chats.map((c) => ({
      ...shape(c),
      id: c.id,
      messages: db
        .all(qb.selectFrom('chat_messages').selectAll().where('chat_session_id', '=', c.id).orderBy('seq'))
        .map(shape),
    })),
    totals: {
      durationMs: sessionDuration(session),
      costUsd: Math.max(
        0,
        apiCalls.reduce((sum, c) => sum + c.cost_estimate, 0),
      ),
      apiCalls: apiCalls.length,
    },
  };
  return redactDocument(doc) as ExportDocument;
}

/** Writes beside the target and renames, so a reader never sees half a file and the mode is 0600 from the start. */
function writePrivate(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' });
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'EISDIR') {
      throw new PaigeError('PERMISSION_DENIED', `Cannot write ${file} (${code}): choose another --out path.`, { code });
    }
    throw err;
  }
}

export function run(args: ExportArgs, io: CliIo, log: CliLog): Promise<number> {
  const db = requireDatabase(makeReadContext(args.dataDir, io.env));
  let doc: ExportDocument;
  try {
    doc = buildExport(db, args.sessionId);
  } finally {
    db.close();
  }
  log.debug('export built', { sessionId: args.sessionId, actions: doc.actions.length });
  if (args.out === undefined) {
    io.stdout((args.json ? JSON.stringify(doc) : JSON.stringify(doc, null, 2)) + '\n');
    return Promise.resolve(0);
  }
  const file = path.resolve(args.out);
  const text = JSON.stringify(doc, null, 2) + '\n';
  writePrivate(file, text);
  const written: ExportWritten = { sessionId: args.sessionId, out: file, bytes: Buffer.byteLength(text) };
  io.stdout(
    args.json
      ? JSON.stringify(written) + '\n'
      : `Wrote session ${args.sessionId} to ${file} (${written.bytes} bytes, mode 0600).\n`,
  );
  return Promise.resolve(0);
}
