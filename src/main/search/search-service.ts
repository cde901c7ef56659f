// Full-text search over the action log, chat messages and memories (docs/workspace.md, search): sanitized FTS5 queries,
// bm25 ranking, 12-token snippets with character-range highlights, and (rank, id) cursors.
import { z } from 'zod';
import type { SearchKind, SearchPage, SearchQuery, SearchResult } from '../../shared/domain/workspace';
import { PaigeError } from '../../shared/ipc/errors';
import { actionSearchText } from '../activity/action-types';
import type { PaigeDatabase } from '../db/database';

/** Tokens per snippet. @visibleForTesting */
export const SNIPPET_TOKENS = 12;
const DEFAULT_LIMIT = 20;
const KIND_ORDER: readonly SearchKind[] = ['action', 'chat', 'memory'];

const WORD = /[\p{L}\p{N}_]+/gu;
/** FTS5's operator keywords (uppercase only): stripped from bare words so they never act as syntax. */
const OPERATORS = new Set(['AND', 'OR', 'NOT', 'NEAR']);

interface Term {
  text: string;
  prefix: boolean;
}

interface SanitizedQuery {
  match: string;
  terms: Term[];
}

function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/**
 * Learner text → FTS5 syntax: words become quoted tokens (implicitly ANDed), "phrases" stay phrases, a trailing `*`
 * keeps prefix search; operators and punctuation never reach FTS5.
 */
export function sanitizeQuery(raw: string): SanitizedQuery {
  const parts: string[] = [];
  const terms: Term[] = [];
  for (const m of raw.matchAll(/"([^"]*)"|(\S+)/g)) {
    if (m[1] !== undefined) {
      const words = m[1].match(WORD) ?? [];
      if (words.length === 0) continue;
      parts.push(`"${words.join(' ')}"`);
      for (const w of words) terms.push({ text: fold(w), prefix: false });
      continue;
    }
    const token = m[2] ?? '';
    const prefix = token.endsWith('*');
    const words = (token.match(WORD) ?? []).filter((w) => !OPERATORS.has(w));
    words.forEach((w, i) => {
      const isPrefix = prefix && i === words.length - 1;
      parts.push(`"${w}"${isPrefix ? '*' : ''}`);
      terms.push({ text: fold(w), prefix: isPrefix });
    });
  }
  if (parts.length === 0) {
    throw new PaigeError('VALIDATION_FAILED', 'Type at least one word to search for.');
  }
  return { match: parts.join(' '), terms };
}

/** A window of SNIPPET_TOKENS tokens around the first match, with the matched tokens' ranges inside it. @visibleForTesting */
export function makeSnippet(text: string, terms: readonly Term[]): { snippet: string; highlights: [number, number][] } {
  const tokens = [...text.matchAll(WORD)].map((m) => ({ start: m.index, end: m.index + m[0].length, f: fold(m[0]) }));
  const hit = (f: string): boolean => terms.some((t) => (t.prefix ? f.startsWith(t.text) : f === t.text));
  const first = Math.max(
    0,
    tokens.findIndex((t) => hit(t.f)),
  );
  const from = Math.max(0, Math.min(first - Math.floor(SNIPPET_TOKENS / 3), tokens.length - SNIPPET_TOKENS));
  const window = tokens.slice(from, from + SNIPPET_TOKENS);
  const startTok = window[0];
  const endTok = window[window.length - 1];
  if (!startTok || !endTok) return { snippet: text.slice(0, 200), highlights: [] };
  const base = startTok.start;
  const snippet =
    (from > 0 ? '…' : '') + text.slice(base, endTok.end) + (from + SNIPPET_TOKENS < tokens.length ? '…' : '');
  const shift = from > 0 ? 1 - base : -base;
  const highlights = window.filter((t) => hit(t.f)).map((t): [number, number] => [t.start + shift, t.end + shift]);
  return { snippet, highlights };
}

const CursorSchema = z.object({ r: z.number(), k: z.number().int().min(0).max(2), i: z.number().int() });
type Cursor = z.infer<typeof CursorSchema>;

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(s: string): Cursor {
  try {
    return CursorSchema.parse(JSON.parse(Buffer.from(s, 'base64url').toString('utf8')));
  } catch {
    throw new PaigeError('VALIDATION_FAILED', 'The search cursor is not valid; start the search again.');
  }
}

interface Row {
  rowid: number;
  rank: number;
  kindIndex: number;
  result: Omit<SearchResult, 'snippet' | 'highlights' | 'rank'> & { text: string };
}

const ActionDataSchema = z.unknown();

export class SearchService {
  constructor(private readonly db: PaigeDatabase) {}

  query(input: SearchQuery): SearchPage {
    const q = sanitizeQuery(input.query);
    const limit = input.limit ?? DEFAULT_LIMIT;
    const cursor = input.cursor ? decodeCursor(input.cursor) : null;
    const kinds = input.kinds?.length ? input.kinds : KIND_ORDER;
    const rows: Row[] = [];
    for (const kind of kinds) {
      const k = KIND_ORDER.indexOf(kind);
      rows.push(...this.fetch(kind, k, q.match, input.sessionId, cursor, limit + 1));
    }
    rows.sort((a, b) => a.rank - b.rank || a.kindIndex - b.kindIndex || a.rowid - b.rowid);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const hasMore = rows.length > limit;
    return {
      results: page.map((r) => {
        const { text, ...rest } = r.result;
        return { ...rest, rank: r.rank, ...makeSnippet(text, q.terms) };
      }),
      nextCursor: hasMore && last ? encodeCursor({ r: last.rank, k: last.kindIndex, i: last.rowid }) : null,
      hasMore,
    };
  }

  /** Rows of one kind strictly after the cursor in (rank, kind, rowid) order. */
  private fetch(
    kind: SearchKind,
    k: number,
    match: string,
    sessionId: number | undefined,
    cursor: Cursor | null,
    limit: number,
  ): Row[] {
    // FTS5 virtual tables are outside Kysely's typed schema; the SQL is fixed text and every value is a parameter.
    const inner = {
      action: `SELECT f.rowid AS rowid, bm25(action_log_fts) AS rank, a.session_id AS session_id,
          a.action_type AS a, a.data AS b, a.created_at AS created_at
        FROM action_log_fts f JOIN action_log a ON a.id = f.rowid
        WHERE action_log_fts MATCH ?`,
      chat: `SELECT m.rowid AS rowid, bm25(chat_messages_fts) AS rank, s.coaching_session_id AS session_id,
          m.id AS a, m.content AS b, m.created_at AS created_at
        FROM chat_messages_fts f JOIN chat_messages m ON m.rowid = f.rowid
        JOIN chat_sessions s ON s.id = m.chat_session_id
        WHERE chat_messages_fts MATCH ?`,
      memory: `SELECT m.rowid AS rowid, bm25(memories_fts) AS rank, m.session_id AS session_id,
          m.id AS a, m.content || ' ' || m.tags AS b, m.created_at AS created_at
        FROM memories_fts f JOIN memories m ON m.rowid = f.rowid
        WHERE memories_fts MATCH ?`,
    }[kind];
    const params: unknown[] = [match];
    let where = '1';
    if (sessionId !== undefined) {
      where += ' AND session_id = ?';
      params.push(sessionId);
    }
    if (cursor) {
      if (k > cursor.k) where += ' AND rank >= ?';
      else if (k < cursor.k) where += ' AND rank > ?';
      else where += ' AND (rank > ? OR (rank = ? AND rowid > ?))';
      params.push(cursor.r);
      if (k === cursor.k) params.push(cursor.r, cursor.i);
    }
    params.push(limit);
    const sql = `SELECT * FROM (${inner}) WHERE ${where} ORDER BY rank, rowid LIMIT ?`;
    const raw = this.db.sqlite.prepare(sql).all(...params) as {
      rowid: number;
      rank: number;
      session_id: number | null;
      a: string;
      b: string | null;
      created_at: string;
    }[];
    return raw.map((r) => {
      let text: string;
      let id: string;
      if (kind === 'action') {
        let data: unknown = null;
        try {
          data = r.b === null ? null : ActionDataSchema.parse(JSON.parse(r.b));
        } catch {
          data = null;
        }
        text = actionSearchText(r.a, data);
        id = String(r.rowid);
      } else {
        text = r.b ?? '';
        id = r.a;
      }
      return {
        rowid: r.rowid,
        rank: r.rank,
        kindIndex: k,
        result: { kind, id, sessionId: r.session_id, createdAt: r.created_at, text },
      };
    });
  }
}
