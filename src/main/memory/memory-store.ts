// The `memories` table, the source of truth for memory: inserts, the rows still to index for an embedder, marking
// rows indexed, reading rows back by id, and the full-text answer (memories_fts, bm25) used whenever the vector index
// cannot answer.
import type BetterSqlite3 from 'better-sqlite3';
import type { MemoryHit } from '../../shared/domain/memory';
import type { PaigeDatabase } from '../db/database';

export interface NewMemory {
  id: string;
  sessionId: number;
  /** The project directory (realpath) the memory belongs to. */
  project: string;
  content: string;
  tags: readonly string[];
  importance: 'low' | 'medium' | 'high';
  createdAt?: string;
}

interface StoredMemory {
  id: string;
  sessionId: number;
  project: string;
  content: string;
  tags: string[];
  importance: 'low' | 'medium' | 'high';
  createdAt: string;
}

const WORD = /[\p{L}\p{N}_]+/gu;
/** Words of a query sent to FTS5 (ORed): the rarest ones, so a long text stays a cheap query. */
const MAX_FTS_WORDS = 8;
/**
 * A word in more than this share of the memories ("the", "a", or a word every memory of a project shares) adds
 * almost nothing to bm25 but makes it score nearly every row: it is left out of the query unless nothing rarer is.
 */
const COMMON_WORD_SHARE = 0.1;
/** Below this many memories with the word, it is never "common" (a small store keeps every word). */
const COMMON_WORD_MIN_DOCS = 50;

/** Tags are stored comma-joined, so a comma inside a tag is dropped. */
function joinTags(tags: readonly string[]): string {
  return tags
    .map((t) => t.replaceAll(',', ' ').trim())
    .filter(Boolean)
    .join(',');
}

function splitTags(tags: string): string[] {
  return tags === '' ? [] : tags.split(',');
}

/** The text embedded and stored as the document: the content, then the tags. */
export function indexText(m: { content: string; tags: readonly string[] }): string {
  return m.tags.length === 0 ? m.content : `${m.content}\n${m.tags.join(', ')}`;
}

/** Words of the text as FTS5 indexes them: lowercased, diacritics removed (the table's tokenizer folds them too). */
function queryWords(text: string): string[] {
  const folded = text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  return [...new Set(folded.match(WORD) ?? [])];
}

type Row = {
  id: string;
  session_id: number;
  project: string;
  content: string;
  tags: string;
  importance: 'low' | 'medium' | 'high';
  created_at: string;
};

function toStored(r: Row): StoredMemory {
  return {
    id: r.id,
    sessionId: r.session_id,
    project: r.project,
    content: r.content,
    tags: splitTags(r.tags),
    importance: r.importance,
    createdAt: r.created_at,
  };
}

const COLUMNS = ['id', 'session_id', 'project', 'content', 'tags', 'importance', 'created_at'] as const;

export class MemoryStore {
  private readonly statements = new Map<string, BetterSqlite3.Statement<unknown[]>>();
  private vocabReady = false;

  constructor(
    private readonly db: PaigeDatabase,
    private readonly now: () => Date,
  ) {}

  /** One transaction; returns the ids written. */
  insert(memories: readonly NewMemory[]): string[] {
    const ts = this.now().toISOString();
    return this.db.transaction(() =>
      memories.map((m) => {
        this.db.run(
          this.db.qb.insertInto('memories').values({
            id: m.id,
            session_id: m.sessionId,
            project: m.project,
            content: m.content,
            tags: joinTags(m.tags),
            importance: m.importance,
            created_at: m.createdAt ?? ts,
            embedder: null,
            indexed_at: null,
          }),
        );
        return m.id;
      }),
    );
  }

  /** Rows not yet in the index of `embedder` (never indexed, or indexed for another embedder), oldest first. */
  pending(embedder: string, limit: number): StoredMemory[] {
    return this.db
      .all(
        this.db.qb
          .selectFrom('memories')
          .select(COLUMNS)
          .where((eb) =>
            eb.or([eb('indexed_at', 'is', null), eb('embedder', 'is', null), eb('embedder', '!=', embedder)]),
          )
          .orderBy('created_at')
          .orderBy('id')
          .limit(limit),
      )
      .map(toStored);
  }

  pendingCount(embedder: string): number {
    return (
      this.db.get(
        this.db.qb
          .selectFrom('memories')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where((eb) =>
            eb.or([eb('indexed_at', 'is', null), eb('embedder', 'is', null), eb('embedder', '!=', embedder)]),
          ),
      )?.n ?? 0
    );
  }

  /** Memories in the project, and in all. */
  counts(project: string): { inProject: number; total: number } {
    const inProject = (
      this.cached('SELECT count(*) AS n FROM memories WHERE project = ?').get(project) as { n: number }
    ).n;
    const total = (this.cached('SELECT count(*) AS n FROM memories').get() as { n: number }).n;
    return { inProject, total };
  }

  byIds(ids: readonly string[]): StoredMemory[] {
    if (ids.length === 0) return [];
    return this.db
      .all(
        this.db.qb
          .selectFrom('memories')
          .select(COLUMNS)
          .where('id', 'in', [...ids]),
      )
      .map(toStored);
  }

  markIndexed(ids: readonly string[], embedder: string): void {
    if (ids.length === 0) return;
    const ts = this.now().toISOString();
    this.db.run(
      this.db.qb
        .updateTable('memories')
        .set({ indexed_at: ts, embedder })
        .where('id', 'in', [...ids]),
    );
  }

  /**
   * The query for FTS5: the text's words ORed (any may match), minus words in most memories, rarest first. Document
   * frequencies come from an fts5vocab view of the index (a temp table of this connection).
   */
  private ftsMatch(text: string): string | null {
    const words = queryWords(text);
    if (words.length === 0) return null;
    if (!this.vocabReady) {
      this.db.sqlite.exec(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.memories_fts_terms USING fts5vocab(main, 'memories_fts', 'row')",
      );
      this.vocabReady = true;
    }
    const total = (this.cached('SELECT count(*) AS n FROM memories').get() as { n: number }).n;
    const df = new Map<string, number>();
    const lookup = this.cached('SELECT doc FROM temp.memories_fts_terms WHERE term = ?');
    for (const w of words) {
      const row = lookup.get(w) as { doc: number } | undefined;
      if (row && row.doc > 0) df.set(w, row.doc);
    }
    const found = [...df.entries()].sort((a, b) => a[1] - b[1]);
    if (found.length === 0) return null;
    const common = Math.max(COMMON_WORD_MIN_DOCS, total * COMMON_WORD_SHARE);
    const rare = found.filter(([, n]) => n <= common);
    const chosen = (rare.length > 0 ? rare : found.slice(0, 3)).slice(0, MAX_FTS_WORDS);
    return chosen.map(([w]) => `"${w}"`).join(' OR ');
  }

  private cached(sql: string): BetterSqlite3.Statement<unknown[]> {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.sqlite.prepare<unknown[]>(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  /** bm25 over content and tags; the score maps bm25 into 0–1 (higher is closer). */
  searchText(text: string, limit: number, project: string | null): MemoryHit[] {
    const match = this.ftsMatch(text);
    if (match === null) return [];
    // FTS5 virtual tables are outside Kysely's typed schema; the SQL is fixed text and every value is a parameter.
    const sql = `SELECT m.id AS id, m.content AS content, m.tags AS tags, m.importance AS importance,
        m.created_at AS created_at, bm25(memories_fts) AS rank
      FROM memories_fts f JOIN memories m ON m.rowid = f.rowid
      WHERE memories_fts MATCH ?${project === null ? '' : ' AND m.project = ?'}
      ORDER BY rank LIMIT ?`;
    const params: unknown[] = project === null ? [match, limit] : [match, project, limit];
    const rows = this.cached(sql).all(...params) as (Omit<Row, 'session_id' | 'project'> & {
      rank: number;
    })[];
    return rows.map((r) => {
      const s = Math.max(0, -r.rank);
      return {
        id: r.id,
        content: r.content,
        tags: splitTags(r.tags),
        importance: r.importance,
        created_at: r.created_at,
        score: s / (1 + s),
      };
    });
  }
}
