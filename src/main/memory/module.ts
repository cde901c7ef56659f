// Feature module: semantic memory (docs/memory.md). SQLite `memories` is the truth; a Chroma collection (an embedded
// server started as a child process, or a configured URL) is the vector index, with full-text search whenever Chroma
// is off or down. Provides `memory` (the wrap-up indexes its memories through it, the coaching pipeline queries it),
// `search:memories`, `memory:status` and `paige_search_memories`; reports the `memory` capability live.
import path from 'node:path';
import type { Settings } from '../../shared/settings/schema';
import type { FeatureModule, ModuleContext } from '../modules/feature-module';
import { searchMemoriesTool } from '../mcp/tools/search-memories';
import { heartbeat } from './chroma-http';
import { ChromaRunner, locateChroma } from './chroma-runner';
import { hashEmbedder, type Embedder } from './embedder';
import { MemoryService, type ChromaConnector } from './memory-service';
import { MemoryStore } from './memory-store';

declare module '../modules/feature-module' {
  interface ServiceMap {
    memory: MemoryService;
  }
}

interface MemoryModuleOptions {
  /** The embedder; `hash-384` by default. */
  embedder?: Embedder;
  /** Another native bindings package to look for instead of this platform's (tests force it to be missing). */
  chromaBinding?: string;
  /** Minimum time between background reconnects (30 s by default). */
  retryMs?: number;
}

const URL_HEARTBEAT_TIMEOUT_MS = 2_000;

function urlConnector(url: string): ChromaConnector {
  const base = url.replace(/\/+$/, '');
  return {
    kind: 'url',
    connect: async () => {
      if (!(await heartbeat(base, URL_HEARTBEAT_TIMEOUT_MS))) throw new Error(`${base} does not answer its heartbeat`);
      return base;
    },
    onLost: () => () => undefined,
    stop: () => Promise.resolve(),
  };
}

function embeddedConnector(ctx: ModuleContext, cli: string, node: string): ChromaConnector {
  const runner = new ChromaRunner({
    cli,
    node,
    dataDir: path.join(ctx.dataDir, 'chroma'),
    logger: ctx.logger,
    env: ctx.env,
  });
  return {
    kind: 'embedded',
    connect: () => runner.ensure(),
    onLost: (listener) =>
      runner.onUnexpectedExit((code, signal) => listener(`the embedded server exited (${signal ?? `code ${code}`})`)),
    stop: () => runner.stop(),
  };
}

/** `auto`: the configured URL, else the embedded server when it can run here, else full-text search. */
function chooseConnector(
  ctx: ModuleContext,
  memory: Settings['memory'],
  opts: MemoryModuleOptions,
): { connector: ChromaConnector | null; reason: string | null } {
  if (memory.mode === 'fts') return { connector: null, reason: 'memory.mode is "fts" (full-text search only)' };
  if (memory.mode === 'url' || (memory.mode === 'auto' && memory.chromaUrl !== null)) {
    if (memory.chromaUrl === null)
      return { connector: null, reason: 'memory.mode is "url" but memory.chromaUrl is not set' };
    return { connector: urlConnector(memory.chromaUrl), reason: null };
  }
  const where = locateChroma(ctx.env, opts.chromaBinding);
  if (!where.ok) return { connector: null, reason: where.reason };
  return { connector: embeddedConnector(ctx, where.cli, where.node), reason: null };
}

/** The open project: the active session's, else the one open in the app; null when neither is known. */
function currentProject(ctx: ModuleContext): string | null {
  return ctx.find('sessions')?.getActive()?.projectDir ?? ctx.find('projects')?.projectDir ?? null;
}

export function memoryModule(opts: MemoryModuleOptions = {}): FeatureModule {
  return {
    id: 'memory',
    setup(ctx) {
      // The backend is chosen in start() (it looks for the chromadb files); until then memory is full-text only.
      const service = new MemoryService({
        store: new MemoryStore(ctx.db, () => ctx.now()),
        embedder: opts.embedder ?? hashEmbedder(384),
        logger: ctx.logger,
        connector: null,
        unavailableReason: 'starting',
        onBackendChange: () => ctx.capabilitiesChanged(),
        ...(opts.retryMs !== undefined ? { retryMs: opts.retryMs } : {}),
      });
      ctx.provide('memory', service);
      let configured = JSON.stringify([ctx.settings.values.memory.mode, ctx.settings.values.memory.chromaUrl]);
      ctx.store.add(
        ctx.settings.onDidChange(() => {
          const m = ctx.settings.values.memory;
          const now = JSON.stringify([m.mode, m.chromaUrl]);
          if (now === configured || ctx.shuttingDown) return;
          configured = now;
          const next = chooseConnector(ctx, m, opts);
          ctx.logger.info('memory settings changed', { mode: m.mode, reason: next.reason });
          void service.reconfigure(next.connector, next.reason);
        }),
      );
      const search = (input: { query: string; limit?: number | undefined; scope?: 'project' | 'all' | undefined }) =>
        service.query({
          text: input.query,
          limit: input.limit ?? 5,
          project: (input.scope ?? 'project') === 'project' ? currentProject(ctx) : null,
        });
      return {
        settings: ['memory.mode', 'memory.chromaUrl'],
        capabilities: () => ({ memory: service.backend() }),
        health: () => ({ memory: { backend: service.backend() } }),
        handlers: {
          'search:memories': (input) => search(input),
          'memory:status': () => ({ mode: ctx.settings.values.memory.mode, ...service.status() }),
        },
        tools: [searchMemoriesTool(search)],
        // Chroma connects in the background: the ready line never waits for it; until it is up, memory answers from
        // full-text search.
        start: () => {
          const first = chooseConnector(ctx, ctx.settings.values.memory, opts);
          if (first.connector === null) ctx.logger.info('memory uses full-text search', { reason: first.reason });
          void service.reconfigure(first.connector, first.reason);
        },
        shutdown: () => service.shutdown(),
      };
    },
  };
}
