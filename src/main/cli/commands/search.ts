// `paige search`: the app's search (same query sanitizer, bm25 ranking and snippets) on a read-only database.
import type { SearchOutput } from '../../../shared/cli/output';
import type { SearchQuery, SearchResult } from '../../../shared/domain/workspace';
import { REDACTED, redactString } from '../../../shared/redact';
import { SearchService, sanitizeQuery } from '../../search/search-service';
import type { SearchArgs } from '../args';
import { makeStyle, shortTime, type CliIo, type CliLog } from '../io';
import { makeReadContext, requireDatabase } from '../read-context';

const WORD = /[\p{L}\p{N}_]+/gu;

/**
 * Chat messages are indexed as typed, so a snippet can hold a key a learner pasted. Output of this command ends up in
 * terminals, scripts and bug reports: secrets are replaced, and the highlights are found again in the new text (they
 * are the matched words, so the same words are marked, outside the replacements).
 */
export function redactResult(r: SearchResult): SearchResult {
  const snippet = redactString(r.snippet);
  if (snippet === r.snippet) return r;
  const words = new Set(r.highlights.map(([a, b]) => r.snippet.slice(a, b).toLowerCase()));
  const hidden: [number, number][] = [];
  for (let i = snippet.indexOf(REDACTED); i >= 0; i = snippet.indexOf(REDACTED, i + 1))
    hidden.push([i, i + REDACTED.length]);
  const highlights: [number, number][] = [];
  for (const m of snippet.matchAll(WORD)) {
    const at = m.index;
    if (words.has(m[0].toLowerCase()) && !hidden.some(([a, b]) => at >= a && at < b))
      highlights.push([at, at + m[0].length]);
  }
  return { ...r, snippet, highlights };
}

export function search(args: SearchArgs, io: CliIo): SearchOutput {
  // An empty query is the caller's mistake whether or not a database exists: check it first.
  sanitizeQuery(args.query);
  const db = requireDatabase(makeReadContext(args.dataDir, io.env));
  try {
    const q: SearchQuery = { query: args.query, limit: args.limit };
    if (args.kind !== undefined) q.kinds = [args.kind];
    if (args.sessionId !== undefined) q.sessionId = args.sessionId;
    if (args.cursor !== undefined) q.cursor = args.cursor;
    const page = new SearchService(db).query(q);
    return { query: args.query, ...page, results: page.results.map(redactResult) };
  } finally {
    db.close();
  }
}

export function renderSearch(out: SearchOutput, io: CliIo): string {
  const st = makeStyle(io);
  if (out.results.length === 0) return `No matches for ${JSON.stringify(out.query)}.\n`;
  const lines: string[] = [];
  for (const r of out.results) {
    const where = r.sessionId !== null ? `session ${r.sessionId}` : 'no session';
    lines.push(st.dim(`${r.kind.padEnd(6)} ${r.id}  ${where}  ${shortTime(r.createdAt)}`));
    // Highlights are character ranges into the snippet; apply them back to front so earlier offsets stay valid.
    // Newlines become spaces one for one, so the ranges still line up.
    let text = r.snippet.replace(/\s/g, ' ');
    for (const [from, to] of [...r.highlights].sort((a, b) => b[0] - a[0])) {
      text = text.slice(0, from) + st.bold(text.slice(from, to)) + text.slice(to);
    }
    lines.push(`  ${text}`);
  }
  if (out.nextCursor) lines.push(st.dim(`More: add --cursor ${out.nextCursor}`));
  return lines.join('\n') + '\n';
}

export function run(args: SearchArgs, io: CliIo, log: CliLog): Promise<number> {
  const out = search(args, io);
  log.debug('search done', { results: out.results.length, hasMore: out.hasMore });
  io.stdout(args.json ? JSON.stringify(out) + '\n' : renderSearch(out, io));
  return Promise.resolve(0);
}
