// Memory service at 10 000 memories: adds in wrap-up-sized batches (SQLite + hash-384 + Chroma upsert), query
// latency from the embedded Chroma server and from the full-text fallback, a full re-index into a new collection
// (what an embedder change does), and hash-384 embedding throughput. Real SQLite file, real Chroma child process.
// Runs alone with `npx tsx bench/memory.ts`, and as part of `npm run bench`.
import path from 'node:path';
import { ChromaRunner, locateChroma } from '../src/main/memory/chroma-runner';
import { hashEmbedder, type Embedder } from '../src/main/memory/embedder';
import { MemoryService, type ChromaConnector } from '../src/main/memory/memory-service';
import { MemoryStore, type NewMemory } from '../src/main/memory/memory-store';
import { startTestCore, type TestCore } from '../src/main/testing/harness';
import { rng } from '../src/shared/testing/rng';
import { median, pct } from './stats';

const MEMORIES = 10_000;
const ADD_BATCH = 10;
const QUERIES = 1_000;
const WARMUP = 100;
const PROJECTS = 5;
/** Target: p99 < 30 ms at 10 000 memories (goal < 10 ms), for Chroma and for the full-text fallback. */
const P99_TARGET_MS = 30;

const TOPICS = [
  'react hooks',
  'useEffect cleanup',
  'debounce',
  'state machine',
  'csv parsing',
  'async await',
  'promises',
  'error handling',
  'typescript generics',
  'sql joins',
  'database index',
  'connection pool',
  'unit tests',
  'mocking',
  'git rebase',
  'merge conflicts',
  'regular expressions',
  'closures',
  'event loop',
  'memoization',
  'css grid',
  'flexbox',
  'accessibility',
  'http caching',
  'rest api',
  'graphql',
  'websockets',
  'streams',
  'file system',
  'path handling',
  'unicode',
  'dates and time zones',
  'recursion',
  'binary search',
  'sorting',
  'hash maps',
  'immutability',
  'redux',
  'forms validation',
  'authentication',
  'jwt tokens',
  'cors',
];
const VERBS = ['fixed', 'struggled with', 'learned', 'refactored', 'debugged', 'tested', 'explained', 'rewrote'];
const FILES = ['SearchBar.tsx', 'parse.ts', 'api.ts', 'db.ts', 'App.tsx', 'utils.ts', 'server.ts', 'hooks.ts'];

function text(r: () => number): { content: string; tags: string[] } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const a = pick(TOPICS);
  const b = pick(TOPICS);
  return {
    content: `${pick(VERBS)} ${a} in ${pick(FILES)}; ${pick(VERBS)} ${b} after a hint about ${pick(TOPICS)}`,
    tags: [a.split(' ')[0]!, b.split(' ')[0]!],
  };
}

function line(name: string, xs: number[], note: string): string {
  return `${name}: p50 ${median(xs).toFixed(2)} ms, p99 ${pct(xs, 0.99).toFixed(2)} ms (n=${xs.length}); ${note}`;
}

function embeddedConnector(runner: ChromaRunner): ChromaConnector {
  return {
    kind: 'embedded',
    connect: () => runner.ensure(),
    onLost: (l) => runner.onUnexpectedExit(() => l('exited')),
    stop: () => runner.stop(),
  };
}

export async function runMemoryBench(): Promise<void> {
  const where = locateChroma(process.env);
  if (!where.ok) {
    console.log(`memory bench skipped: ${where.reason}`);
    return;
  }
  // The core opens the real database (memory module in full-text mode); the bench runs its own Chroma child.
  const t: TestCore = await startTestCore({ env: { PATH: process.env.PATH, PAIGE_LOG_LEVEL: 'warn' } });
  const runner = new ChromaRunner({
    cli: where.cli,
    node: where.node,
    dataDir: path.join(t.dataDir, 'chroma'),
    logger: t.core.logger,
    env: process.env,
  });
  const store = new MemoryStore(t.core.db, () => new Date());
  const make = (embedder: Embedder, connector: ChromaConnector | null) =>
    new MemoryService({ store, embedder, logger: t.core.logger, connector, onBackendChange: () => undefined });
  const connector = embeddedConnector(runner);
  const chroma = make(hashEmbedder(), connector);
  try {
    if (!(await chroma.connect())) throw new Error('chroma did not start');
    const db = t.core.db;
    const ts = new Date().toISOString();
    const projects = Array.from({ length: PROJECTS }, (_, i) => `/bench/project-${i}`);
    const sessions = projects.map((p) =>
      Number(
        db.run(
          db.qb.insertInto('sessions').values({
            project_dir: p,
            status: 'completed',
            hint_level: 'low',
            started_at: ts,
            ended_at: ts,
            last_activity_at: ts,
          }),
        ).lastInsertRowid,
      ),
    );
    // Seeded, so every run indexes and asks the same texts.
    const r = rng(13);
    const all: NewMemory[] = Array.from({ length: MEMORIES }, (_, i) => {
      const p = i % PROJECTS;
      return { id: `bench-${i}`, sessionId: sessions[p]!, project: projects[p]!, importance: 'medium', ...text(r) };
    });

    // Adds: SQLite transaction, then embed + upsert + mark indexed, ten at a time like a wrap-up.
    const addTimes: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < all.length; i += ADD_BATCH) {
      const s = performance.now();
      await chroma.add(all.slice(i, i + ADD_BATCH));
      addTimes.push(performance.now() - s);
    }
    const addS = (performance.now() - t0) / 1000;
    if (chroma.status().pending !== 0 || chroma.backend() !== 'chroma') throw new Error('adds were not all indexed');
    console.log(
      `memory add, batches of ${ADD_BATCH} to ${MEMORIES}: ${(MEMORIES / addS).toFixed(0)} memories/s ` +
        `(${addS.toFixed(1)} s); per batch p50 ${median(addTimes).toFixed(2)} ms, p99 ${pct(addTimes, 0.99).toFixed(2)} ms`,
    );

    const qr = rng(7);
    const queries = Array.from({ length: QUERIES + WARMUP }, (_, i) => ({
      text: `${text(qr).content}`,
      project: i % 2 === 0 ? projects[i % PROJECTS]! : null,
    }));
    const time = async (svc: MemoryService, backend: string): Promise<number[]> => {
      const out: number[] = [];
      for (const [i, q] of queries.entries()) {
        const s = performance.now();
        const res = await svc.query({ text: q.text, limit: 10, project: q.project });
        const ms = performance.now() - s;
        if (res.backend !== backend) throw new Error(`answered by ${res.backend}, not ${backend}`);
        if (i >= WARMUP) out.push(ms);
      }
      return out;
    };
    const target = `target p99 < ${P99_TARGET_MS} ms (goal < 10 ms); half with a project filter, limit 10`;
    console.log(line(`memory query, Chroma (embedded), ${MEMORIES} memories`, await time(chroma, 'chroma'), target));
    const fts = make(hashEmbedder(), null);
    console.log(line(`memory query, full-text fallback, ${MEMORIES} memories`, await time(fts, 'fts'), target));

    // Full re-index: another embedder id (same 384 dimensions) is a new collection, filled from SQLite.
    const other = hashEmbedder();
    const renamed: Embedder = { id: 'hash-384-bench', dimensions: other.dimensions, embed: (x) => other.embed(x) };
    const reindex = make(renamed, embeddedConnector(runner));
    const s = performance.now();
    if (!(await reindex.connect())) throw new Error('re-index failed');
    const reS = (performance.now() - s) / 1000;
    if (reindex.status().pending !== 0) throw new Error('re-index left rows pending');
    console.log(
      `memory full re-index (new collection) of ${MEMORIES}: ${reS.toFixed(2)} s (${(MEMORIES / reS).toFixed(0)} memories/s)`,
    );

    // hash-384 alone.
    const e = hashEmbedder();
    const texts = all.map((m) => `${m.content}\n${m.tags.join(', ')}`);
    await e.embed(texts.slice(0, 1_000));
    const es = performance.now();
    await e.embed(texts);
    const eMs = performance.now() - es;
    console.log(
      `hash-384 embedding: ${((texts.length / eMs) * 1000).toFixed(0)} texts/s, ${((eMs * 1000) / texts.length).toFixed(1)} us/text ` +
        `(n=${texts.length}, mean ${Math.round(texts.reduce((n, x) => n + x.length, 0) / texts.length)} chars)`,
    );
  } finally {
    await chroma.shutdown();
    await runner.stop();
    await t.core.shutdown('bench end');
  }
}

if (process.argv[1]?.endsWith('memory.ts')) {
  runMemoryBench().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
