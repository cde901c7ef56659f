// The memory service (docs/memory.md): SQLite `memories` is the truth, a Chroma collection the rebuildable vector
// index. Adds write SQLite first and then index; queries go to Chroma when it is up and to full-text search (bm25
// over memories_fts) otherwise. Any Chroma failure answers the same call from full-text search, never throws, and
// flips the backend to `fts`; reconnects run in the background (at most every 30 s, and on the next add) and index
// the rows still pending before the backend is `chroma` again.
import type { MemoryBackend, MemoryHit } from '../../shared/domain/memory';
import type { Logger } from '../logging/logger';
import { ChromaCollection } from './chroma-http';
import type { Embedder } from './embedder';
import { indexText, type MemoryStore, type NewMemory } from './memory-store';

/** How the service reaches a Chroma server: an embedded child process or a configured URL. */
export interface ChromaConnector {
  readonly kind: 'embedded' | 'url';
  /** The URL of a live server, starting the embedded one first when needed; rejects when none answers. */
  connect(): Promise<string>;
  /** Registers a listener for the server going away on its own (the embedded child exited). */
  onLost(listener: (reason: string) => void): () => void;
  stop(): Promise<void>;
}

interface MemoryServiceOptions {
  store: MemoryStore;
  embedder: Embedder;
  logger: Logger;
  /** Null: full-text search only (mode `fts`, or no Chroma available). */
  connector: ChromaConnector | null;
  /** Why there is no connector, for the status line. */
  unavailableReason?: string | null;
  /** The backend changed (`chroma` ↔ `fts`): the core recomputes and emits the capabilities. */
  onBackendChange(): void;
  /** Minimum time between background reconnect attempts. */
  retryMs?: number;
}

interface MemoryQuery {
  text: string;
  limit: number;
  /** Only this project's memories; undefined or null searches every project. */
  project?: string | null;
}

interface MemoryQueryResult {
  backend: MemoryBackend;
  results: MemoryHit[];
}

interface MemoryStatus {
  backend: MemoryBackend;
  /** Where the vector index lives: an embedded child process, a URL, or none (full-text only). */
  chroma: 'embedded' | 'url' | null;
  embedder: string;
  collection: string;
  /** Rows not yet in the current collection. */
  pending: number;
  /** Why Chroma is not in use, when it is not. */
  reason: string | null;
}

const DEFAULT_RETRY_MS = 30_000;
const INDEX_BATCH = 256;
/** A project-filtered query fetches this many times the expected number of unfiltered neighbours… */
const OVERFETCH = 3;
/** …up to this many; beyond, Chroma filters by project itself. */
const MAX_OVERFETCH = 300;

/** `paige_memories__hash384`: one collection per embedder, so changing it never mixes vector spaces. */
function collectionName(embedderId: string): string {
  return `paige_memories__${embedderId.replace(/[^a-zA-Z0-9]/g, '')}`;
}

export class MemoryService {
  private connector: ChromaConnector | null;
  private unavailableReason: string | null;
  private collection: ChromaCollection | null = null;
  private connecting: Promise<boolean> | null = null;
  private indexing: Promise<void> = Promise.resolve();
  private retryTimer: NodeJS.Timeout | null = null;
  private lastError: string | null = null;
  private stopped = false;
  private releaseLost: (() => void) | null = null;
  private readonly retryMs: number;

  constructor(private readonly opts: MemoryServiceOptions) {
    this.connector = opts.connector;
    this.unavailableReason = opts.unavailableReason ?? null;
    this.retryMs = opts.retryMs ?? DEFAULT_RETRY_MS;
    this.watch();
  }

  get embedder(): Embedder {
    return this.opts.embedder;
  }

  /** The backend answering queries right now. */
  backend(): MemoryBackend {
    return this.collection ? 'chroma' : 'fts';
  }

  status(): MemoryStatus {
    return {
      backend: this.backend(),
      chroma: this.connector?.kind ?? null,
      embedder: this.opts.embedder.id,
      collection: collectionName(this.opts.embedder.id),
      pending: this.opts.store.pendingCount(this.opts.embedder.id),
      reason: this.collection ? null : (this.lastError ?? this.unavailableReason),
    };
  }

  /** Connects in the background; start-up does not wait for Chroma. */
  start(): void {
    if (this.connector) void this.connect();
  }

  /** Switches to another connector (the memory settings changed): the old one stops, the new one connects. */
  async reconfigure(connector: ChromaConnector | null, unavailableReason: string | null): Promise<void> {
    const old = this.connector;
    this.releaseLost?.();
    this.connector = connector;
    this.unavailableReason = unavailableReason;
    this.lastError = null;
    this.setCollection(null);
    await old?.stop();
    await this.connecting?.catch(() => false);
    this.watch();
    this.start();
  }

  /**
   * Connects to Chroma, opens this embedder's collection and indexes every pending row; true when Chroma is in use
   * afterwards. One attempt at a time; callers during an attempt share it.
   */
  connect(): Promise<boolean> {
    if (this.stopped || !this.connector) return Promise.resolve(false);
    if (this.collection) return Promise.resolve(true);
    if (this.connecting) return this.connecting;
    const connector = this.connector;
    this.connecting = (async () => {
      try {
        const url = await connector.connect();
        const collection = await ChromaCollection.open(url, collectionName(this.opts.embedder.id), {
          embedder: this.opts.embedder.id,
          dimensions: this.opts.embedder.dimensions,
        });
        if (this.stopped || this.connector !== connector) return false;
        await this.indexPending(collection);
        this.lastError = null;
        this.setCollection(collection);
        // Rows added while the last batch was in flight are indexed now rather than at the next add.
        if (this.opts.store.pendingCount(this.opts.embedder.id) > 0) void this.indexStored();
        this.opts.logger.info('memory index ready', {
          backend: 'chroma',
          collection: collection.name,
          url: new URL(url).origin,
        });
        return true;
      } catch (err) {
        // A connector replaced meanwhile (the settings changed) failed because it was stopped: nothing to report.
        if (this.connector === connector) this.fail(err, 'connect');
        return false;
      } finally {
        this.connecting = null;
      }
    })();
    return this.connecting;
  }

  /** Writes the memories to SQLite, then indexes them (or leaves them pending and reconnects in the background). */
  async add(memories: readonly NewMemory[]): Promise<{ added: number }> {
    if (memories.length === 0) return { added: 0 };
    this.opts.store.insert(memories);
    await this.indexStored();
    return { added: memories.length };
  }

  /**
   * Indexes rows already written to SQLite (the wrap-up stores its memories in its own transaction). Never throws:
   * when Chroma is down the rows stay pending and a reconnect starts in the background.
   */
  async indexStored(): Promise<void> {
    const collection = this.collection;
    if (!collection) {
      if (!this.stopped && this.connector && !this.connecting) void this.connect();
      return;
    }
    try {
      await this.indexPending(collection);
    } catch (err) {
      this.fail(err, 'index');
    }
  }

  /** Nearest memories from Chroma; on any failure (or while it is down) the same query from full-text search. */
  async query(q: MemoryQuery): Promise<MemoryQueryResult> {
    const project = q.project ?? null;
    const collection = this.collection;
    if (collection) {
      try {
        const [embedding] = await this.opts.embedder.embed([q.text]);
        return { backend: 'chroma', results: await this.nearest(collection, embedding!, q.limit, project) };
      } catch (err) {
        this.fail(err, 'query');
      }
    }
    return { backend: 'fts', results: this.opts.store.searchText(q.text, q.limit, project) };
  }

  /**
   * The nearest memories, read back from SQLite in Chroma's order. A project filter as a Chroma `where` costs several
   * times an unfiltered query, so when the project holds a fair share of the memories the unfiltered nearest are
   * fetched (enough to expect `limit` of the project three times over) and filtered here; the `where` query runs
   * only when that share is small or the over-fetch came back short. Either way the answer is the project's nearest.
   */
  private async nearest(
    collection: ChromaCollection,
    embedding: number[],
    limit: number,
    project: string | null,
  ): Promise<MemoryHit[]> {
    const read = (hits: { id: string; distance: number }[]): (MemoryHit & { project: string })[] => {
      const rows = new Map(this.opts.store.byIds(hits.map((h) => h.id)).map((r) => [r.id, r]));
      return hits.flatMap((h) => {
        const r = rows.get(h.id);
        if (!r) return [];
        const hit = {
          id: r.id,
          content: r.content,
          tags: r.tags,
          importance: r.importance,
          created_at: r.createdAt,
          score: 1 - h.distance,
          project: r.project,
        };
        return [hit];
      });
    };
    const strip = (hits: (MemoryHit & { project: string })[]): MemoryHit[] =>
      hits.map(({ project: _project, ...hit }) => hit);
    if (project === null) return strip(read(await collection.query(embedding, limit, null)));
    const { inProject, total } = this.opts.store.counts(project);
    if (inProject === 0) return [];
    const fetch = Math.min(total, Math.ceil((limit * total * OVERFETCH) / inProject));
    if (fetch <= MAX_OVERFETCH) {
      const hits = read(await collection.query(embedding, fetch, null)).filter((h) => h.project === project);
      if (hits.length >= limit || fetch >= total) return strip(hits.slice(0, limit));
    }
    return strip(read(await collection.query(embedding, limit, { project })));
  }

  /**
   * Stops reconnecting and the embedded server; later adds only write SQLite. The server stops first, so a start or an
   * index call in flight fails at once instead of running into its timeout during shutdown.
   */
  async shutdown(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.releaseLost?.();
    this.collection = null;
    await this.connector?.stop();
    await this.connecting?.catch(() => false);
    await this.indexing.catch(() => undefined);
  }

  private watch(): void {
    this.releaseLost = this.connector?.onLost((reason) => this.fail(new Error(reason), 'server')) ?? null;
  }

  /** Pending rows in batches, one at a time across callers (an add during a re-index waits its turn). */
  private indexPending(collection: ChromaCollection): Promise<void> {
    const run = async (): Promise<void> => {
      const { store, embedder } = this.opts;
      const t0 = performance.now();
      let total = 0;
      for (;;) {
        const rows = store.pending(embedder.id, INDEX_BATCH);
        if (rows.length === 0) break;
        const embeddings = await embedder.embed(rows.map(indexText));
        await collection.upsert(
          rows.map((r, i) => ({
            id: r.id,
            embedding: embeddings[i]!,
            document: indexText(r),
            metadata: {
              session_id: r.sessionId,
              project: r.project,
              created_at: r.createdAt,
              importance: r.importance,
              tags: r.tags.join(','),
            },
          })),
        );
        store.markIndexed(
          rows.map((r) => r.id),
          embedder.id,
        );
        total += rows.length;
      }
      if (total > 0) {
        this.opts.logger.info('memories indexed', {
          count: total,
          collection: collection.name,
          durationMs: Math.round(performance.now() - t0),
        });
      }
    };
    const next = this.indexing.catch(() => undefined).then(run);
    this.indexing = next;
    return next;
  }

  private setCollection(c: ChromaCollection | null): void {
    const before = this.backend();
    this.collection = c;
    if (this.backend() !== before) this.opts.onBackendChange();
  }

  /** Chroma failed: answer from full-text search from now on, and try again later. */
  private fail(err: unknown, during: string): void {
    if (this.stopped) return;
    const message = err instanceof Error ? err.message : String(err);
    this.lastError = `Chroma is unavailable (${during}): ${message}`;
    if (this.collection) {
      this.opts.logger.warn('memory index unavailable; answering from full-text search', { during, error: message });
    } else {
      this.opts.logger.warn('memory index could not connect; using full-text search', { during, error: message });
    }
    this.setCollection(null);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.stopped || !this.connector || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, this.retryMs);
    this.retryTimer.unref();
  }
}
