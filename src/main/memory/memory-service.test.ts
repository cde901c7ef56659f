// The memory module against the real embedded Chroma server Paige starts as a child process: adds are indexed, queries
// rank nearest first and filter by project; killing the server mid-run answers the next query from full-text search
// and flips the capability to `fts`; the server coming back indexes the rows written meanwhile and restores `chroma`;
// a new embedder gets its own collection and a full re-index; missing bindings make `auto` pick full-text search.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { InvokeChannel } from '../../shared/ipc/contract';
import { SearchMemoriesOutputSchema } from '../../shared/domain/memory';
import { tempDir, type TestCore } from '../testing/harness';
import { hashEmbedder } from './embedder';
import { chromaPids, indexState, memory, nextMemoryCapability, sessionIn, startMemoryCore } from './testing/memory-kit';

const cores: TestCore[] = [];
afterEach(async () => {
  for (const t of cores.splice(0)) await t.core.shutdown('test end');
});

async function boot(...args: Parameters<typeof startMemoryCore>): Promise<TestCore> {
  const t = await startMemoryCore(...args);
  cores.push(t);
  return t;
}

const meta = { transport: 'bridge' as const, clientId: 't' };

async function invoke(t: TestCore, channel: InvokeChannel, input: unknown): Promise<unknown> {
  const env = await t.core.router.dispatch(channel, input as never, meta);
  if (!env.ok) throw new Error(`${channel}: ${JSON.stringify(env.error)}`);
  return env.value;
}

const A = '/work/projects/alpha';
const B = '/work/projects/beta';

function seed(t: TestCore) {
  const sa = sessionIn(t, A);
  const sb = sessionIn(t, B);
  return [
    memory('a1', sa, A, 'Fixed the debounce in SearchBar by moving the timer into a ref', ['react', 'hooks']),
    memory('a2', sa, A, 'Struggled with async effect cleanup in React components', ['react', 'effects']),
    memory('a3', sa, A, 'Wrote the CSV parser as a state machine for quoted fields', ['parsing', 'csv']),
    memory('b1', sb, B, 'Debounce the SearchBar input in the beta project as well', ['react']),
    memory('b2', sb, B, 'Configured the Postgres connection pool size', ['database']),
  ];
}

describe('memory with the embedded Chroma server', () => {
  it('indexes what it adds and answers nearest first, within the project or across all of them', async () => {
    const t = await boot();
    const svc = t.core.get('memory');
    expect(await svc.connect()).toBe(true);
    expect(t.core.capabilities().memory).toBe('chroma');
    expect(chromaPids(t.dataDir)).toHaveLength(1);

    expect(await svc.add([])).toEqual({ added: 0 });
    expect(await svc.add(seed(t))).toEqual({ added: 5 });
    expect(indexState(t)).toEqual({ total: 5, pending: 0, embedders: ['hash-384'] });

    const inA = await svc.query({ text: 'debounce the search bar timer', limit: 3, project: A });
    expect(inA.backend).toBe('chroma');
    expect(inA.results.map((r) => r.id)[0]).toBe('a1');
    expect(inA.results.every((r) => r.id.startsWith('a'))).toBe(true);
    const scores = inA.results.map((r) => r.score);
    expect([...scores].sort((x, y) => y - x)).toEqual(scores);
    expect(inA.results[0]).toMatchObject({ content: expect.stringContaining('SearchBar'), tags: ['react', 'hooks'] });

    const all = await svc.query({ text: 'debounce the search bar', limit: 2 });
    expect(all.results.map((r) => r.id).sort()).toEqual(['a1', 'b1']);

    // The IPC channel answers the same shape as the MCP tool; with no project open, scope "project" searches all.
    const ipc = SearchMemoriesOutputSchema.parse(
      await invoke(t, 'search:memories', { query: 'postgres pool', limit: 1, scope: 'all' }),
    );
    expect(ipc).toMatchObject({ backend: 'chroma', results: [{ id: 'b2', importance: 'medium' }] });
    expect(await invoke(t, 'memory:status', {})).toMatchObject({
      mode: 'embedded',
      backend: 'chroma',
      chroma: 'embedded',
      embedder: 'hash-384',
      collection: 'paige_memories__hash384',
      pending: 0,
      reason: null,
    });
  });

  it('filters by project both ways: over-fetching for a large project, a Chroma where for a small one', async () => {
    const t = await boot();
    const svc = t.core.get('memory');
    expect(await svc.connect()).toBe(true);
    const sa = sessionIn(t, A);
    const sc = sessionIn(t, '/work/projects/gamma');
    const many = Array.from({ length: 320 }, (_, i) =>
      memory(`big${i}`, sa, A, `Note ${i} about the search bar debounce and timers, variant ${i % 17}`),
    );
    await svc.add([
      ...many,
      memory('c1', sc, '/work/projects/gamma', 'Debounce the search bar in gamma'),
      memory('c2', sc, '/work/projects/gamma', 'Gamma uses a search bar with timers too'),
    ]);
    const small = await svc.query({ text: 'search bar debounce timers', limit: 2, project: '/work/projects/gamma' });
    expect(small.backend).toBe('chroma');
    expect(small.results.map((r) => r.id).sort()).toEqual(['c1', 'c2']);
    const large = await svc.query({ text: 'search bar debounce timers', limit: 5, project: A });
    expect(large.results).toHaveLength(5);
    expect(large.results.every((r) => r.id.startsWith('big'))).toBe(true);
    expect((await svc.query({ text: 'anything', limit: 5, project: '/nowhere' })).results).toEqual([]);
  });

  it('answers from full-text search when the server is killed, then indexes the pending rows once it is back', async () => {
    const t = await boot({ retryMs: 600_000 });
    const svc = t.core.get('memory');
    expect(await svc.connect()).toBe(true);
    await svc.add(seed(t));
    const [pid] = chromaPids(t.dataDir);

    const toFts = nextMemoryCapability(t.core.events, 'fts');
    process.kill(pid!, 'SIGKILL');
    const during = await svc.query({ text: 'postgres connection pool', limit: 5, project: B });
    expect(during.backend).toBe('fts');
    expect(during.results.map((r) => r.id)).toEqual(['b2']);
    expect((await toFts).memory).toBe('fts');
    expect(t.core.capabilities().memory).toBe('fts');
    expect(t.logs.records().some((r) => r.level === 'warn' && String(r.msg).startsWith('memory index'))).toBe(true);

    // An add while the server is down lands in SQLite, pending, and starts a reconnect; once Chroma is back the
    // pending row is indexed and the capability says so.
    const toChroma = nextMemoryCapability(t.core.events, 'chroma');
    const sb = sessionIn(t, B);
    await svc.add([memory('b3', sb, B, 'Added an index on orders.customer_id to speed up the report', ['sql'])]);
    await toChroma;
    expect(indexState(t).pending).toBe(0);
    const after = chromaPids(t.dataDir);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(pid);
    const found = await svc.query({ text: 'index on orders customer', limit: 1, project: B });
    expect(found).toMatchObject({ backend: 'chroma', results: [{ id: 'b3' }] });
  });

  it('restarts a crashed server in the background without waiting for an add', async () => {
    const t = await boot({ retryMs: 300 });
    const svc = t.core.get('memory');
    expect(await svc.connect()).toBe(true);
    const [pid] = chromaPids(t.dataDir);
    const toFts = nextMemoryCapability(t.core.events, 'fts');
    const toChroma = toFts.then(() => nextMemoryCapability(t.core.events, 'chroma'));
    process.kill(pid!, 'SIGKILL');
    await toChroma;
    expect(chromaPids(t.dataDir)).not.toContain(pid);
    expect((await svc.query({ text: 'anything', limit: 1 })).backend).toBe('chroma');
  });

  it('a new embedder gets its own collection and every memory is re-indexed into it', async () => {
    const dataDir = tempDir('paige-data-');
    const first = await startMemoryCore({}, { dataDir });
    expect(await first.core.get('memory').connect()).toBe(true);
    await first.core.get('memory').add(seed(first));
    expect(indexState(first).embedders).toEqual(['hash-384']);
    await first.core.shutdown('embedder change');
    expect(chromaPids(dataDir)).toEqual([]);

    const t = await boot({ embedder: hashEmbedder(128) }, { dataDir });
    const svc = t.core.get('memory');
    expect(await svc.connect()).toBe(true);
    expect(indexState(t)).toEqual({ total: 5, pending: 0, embedders: ['hash-128'] });
    expect(svc.status()).toMatchObject({ collection: 'paige_memories__hash128', pending: 0, backend: 'chroma' });
    const r = await svc.query({ text: 'csv parser quoted fields', limit: 1, project: A });
    expect(r).toMatchObject({ backend: 'chroma', results: [{ id: 'a3' }] });
    expect(t.logs.records().some((x) => x.msg === 'memories indexed' && x.count === 5)).toBe(true);
  });

  it('auto picks full-text search when the native bindings cannot be found, and says why', async () => {
    const t = await boot({ chromaBinding: 'chromadb-js-bindings-missing-for-this-test' }, { mode: 'auto' });
    const svc = t.core.get('memory');
    expect(await svc.connect()).toBe(false);
    expect(t.core.capabilities().memory).toBe('fts');
    expect(chromaPids(t.dataDir)).toEqual([]);
    expect(fs.existsSync(`${t.dataDir}/chroma`)).toBe(false);
    await svc.add(seed(t));
    const r = await svc.query({ text: 'state machine csv', limit: 2, project: A });
    expect(r.backend).toBe('fts');
    expect(r.results[0]?.id).toBe('a3');
    expect(await invoke(t, 'memory:status', {})).toMatchObject({
      mode: 'auto',
      backend: 'fts',
      chroma: null,
      reason: expect.stringContaining('bindings'),
    });
  });
});

describe('memory settings', () => {
  it('changing memory.mode takes effect at once: the embedded server starts, and stops again for fts', async () => {
    const dataDir = tempDir('paige-data-');
    fs.writeFileSync(`${dataDir}/settings.json`, JSON.stringify({ memory: { mode: 'fts' } }));
    const t = await boot({}, { dataDir, env: { PAIGE_MEMORY_MODE: undefined } });
    expect(t.core.capabilities().memory).toBe('fts');
    expect(chromaPids(dataDir)).toEqual([]);

    const toChroma = nextMemoryCapability(t.core.events, 'chroma');
    await invoke(t, 'settings:update', { patch: { memory: { mode: 'embedded' } } });
    await toChroma;
    expect(chromaPids(dataDir)).toHaveLength(1);
    expect(await invoke(t, 'memory:status', {})).toMatchObject({ mode: 'embedded', backend: 'chroma' });

    const toFts = nextMemoryCapability(t.core.events, 'fts');
    await invoke(t, 'settings:update', { patch: { memory: { mode: 'fts' } } });
    await toFts;
    expect(await invoke(t, 'memory:status', {})).toMatchObject({ mode: 'fts', backend: 'fts', chroma: null });
  });
});

describe('memory in full-text mode', () => {
  it('search:query finds memories (memories_fts) next to actions and chat', async () => {
    const t = await boot({}, { mode: 'fts' });
    await t.core.get('memory').add(seed(t));
    const page = (await invoke(t, 'search:query', { query: 'debounce', kinds: ['memory'] })) as {
      results: { kind: string; id: string }[];
    };
    expect(page.results.map((r) => `${r.kind}:${r.id}`).sort()).toEqual(['memory:a1', 'memory:b1']);
    expect(indexState(t).pending).toBe(5);
    expect(t.core.capabilities().memory).toBe('fts');

    // search:memories answers from full-text search; bad input is refused before any search.
    const out = SearchMemoriesOutputSchema.parse(
      await invoke(t, 'search:memories', { query: 'postgres', scope: 'all' }),
    );
    expect(out).toMatchObject({ backend: 'fts', results: [{ id: 'b2' }] });
    for (const bad of [
      { query: '   ' },
      { query: 'x', limit: 0 },
      { query: 'x', limit: 21 },
      { query: 'x', scope: 'mine' },
    ]) {
      const env = await t.core.router.dispatch('search:memories', bad as never, meta);
      expect(!env.ok && env.error.code).toBe('VALIDATION_FAILED');
    }
  });
});
