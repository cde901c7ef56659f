// `paige search`: the app's search (same query sanitizer, bm25 ranking and snippets) on a read-only database.
import type { SearchOutput } from '../../../shared/cli/output';
import type { SearchQuery } from '../../../shared/domain/workspace';
import { SearchService, sanitizeQuery } from '../../search/search-service';
import type { SearchArgs } from '../args';
import { makeStyle, shortTime, type CliIo, type CliLog } from '../io';
import { makeReadContext, requireDatabase } from '../read-context';

export function search(args: SearchArgs, io: CliIo): SearchOutput {
  // An empty query is the caller's mistake whether or not a database exists: check it first.
  sanitizeQuery(args.query);
  const db = requireDatabase(makeReadContext(args.dataDir, io.env));
  try {
    const q: SearchQuery = { query: args.query, limit: args.limit };
    if (args.kind !== undefined) q.kinds = [args.kind];
    if (args.sessionId !== undefined) q.sessionId = args.sessionId;
    if (args.cursor !== undefined) q.cursor = args.cursor;
    return { query: args.query, ...new SearchService(db).query(q) };
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
