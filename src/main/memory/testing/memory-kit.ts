// Test support for the memory module: an app core whose memory module runs the real embedded Chroma server, sessions
// to hang memories on, the Chroma child's pid (read from /proc), and waiting for a capability change.
import fs from 'node:fs';
import path from 'node:path';
import type { Capabilities } from '../../../shared/ipc/contract';
import type { EventHub } from '../../ipc/event-hub';
import { paigeModules } from '../../app-modules';
import { startTestCore, type TestCore } from '../../testing/harness';
import { memoryModule } from '../module';
import type { NewMemory } from '../memory-store';

type MemoryOptions = Parameters<typeof memoryModule>[0];

/** A core with `memory.mode` set (embedded by default) and the memory module built with `opts`. */
export function startMemoryCore(
  opts: MemoryOptions = {},
  extra: { mode?: string; dataDir?: string; env?: Record<string, string | undefined> } = {},
): Promise<TestCore> {
  return startTestCore({
    ...(extra.dataDir ? { dataDir: extra.dataDir } : {}),
    env: { PATH: process.env.PATH, PAIGE_MEMORY_MODE: extra.mode ?? 'embedded', ...extra.env },
    modules: paigeModules({ noTerminal: true }).map((m) => (m.id === 'memory' ? memoryModule(opts) : m)),
  });
}

/** Resolves with the next `app:capabilities` whose memory backend is `backend`. */
export function nextMemoryCapability(events: EventHub, backend: Capabilities['memory']): Promise<Capabilities> {
  return new Promise((resolve) => {
    const sub = events.subscribe((channel, payload) => {
      if (channel !== 'app:capabilities') return;
      const caps = payload as Capabilities;
      if (caps.memory !== backend) return;
      sub.dispose();
      resolve(caps);
    });
  });
}

/** A finished session row in `project`, to hang memories on. */
export function sessionIn(t: TestCore, project: string): number {
  const db = t.core.db;
  const ts = new Date().toISOString();
  const r = db.run(
    db.qb.insertInto('sessions').values({
      project_dir: project,
      status: 'completed',
      hint_level: 'low',
      started_at: ts,
      ended_at: ts,
      last_activity_at: ts,
    }),
  );
  return Number(r.lastInsertRowid);
}

export function memory(
  id: string,
  sessionId: number,
  project: string,
  content: string,
  tags: string[] = [],
): NewMemory {
  return { id, sessionId, project, content, tags, importance: 'medium' };
}

/** Pids of the Chroma servers started for this data dir (children of this process), from /proc. */
export function chromaPids(dataDir: string): number[] {
  const want = path.join(dataDir, 'chroma');
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmd.some((a) => a.endsWith('cli.mjs')) && cmd.includes(want)) out.push(Number(entry));
    } catch {
      // The process ended while listing.
    }
  }
  return out;
}

/** Counts of memory rows by state. */
export function indexState(t: TestCore): { total: number; pending: number; embedders: string[] } {
  const db = t.core.db;
  const rows = db.all(db.qb.selectFrom('memories').select(['indexed_at', 'embedder']));
  return {
    total: rows.length,
    pending: rows.filter((r) => r.indexed_at === null).length,
    embedders: [...new Set(rows.map((r) => r.embedder ?? 'null'))].sort(),
  };
}
