// Read commands beside a live `paige serve` on the same data dir while it writes: no SQLITE_BUSY, no lock taken,
// and the server carries on unaffected.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DoctorOutputSchema,
  ExportDocumentSchema,
  SearchOutputSchema,
  SessionsListOutputSchema,
  StatusOutputSchema,
} from '../../../shared/cli/output';
import { NodeBridgeTransport } from '../../testing/bridge-client';
import { tempDir } from '../../testing/harness';
import { seedDataDir, type Seeded } from './seed-data-dir';
import { BIN, ROOT, baseEnv, ensureBuilt, runCli } from './run-cli';

const BUILD_TIMEOUT_MS = 240_000;
const TOKEN = 'cli-test-bridge-token-0123456789abcdef0123';
/** How long the server keeps writing while the commands run. */
const LOAD_MS = 4_000;

let seeded: Seeded;
let server: ChildProcessWithoutNullStreams;
let serverErr = '';
let bridgePort = 0;

beforeAll(async () => {
  ensureBuilt();
  seeded = seedDataDir(tempDir('paige-cli-live-'), tempDir('paige-cli-live-proj-'), {
    actions: 2_000,
    activeRecent: true,
  });
  fs.writeFileSync(path.join(seeded.projectDir, 'a.ts'), 'export const a = 1;\n');
  fs.writeFileSync(path.join(seeded.projectDir, 'b.ts'), 'export const b = 2;\n');
  server = spawn(
    process.execPath,
    [BIN, 'serve', '--project', seeded.projectDir, '--data-dir', seeded.dataDir, '--no-terminal'],
    { cwd: ROOT, env: { ...baseEnv(), PAIGE_BRIDGE_TOKEN: TOKEN } },
  );
  server.stderr.on('data', (d: Buffer) => (serverErr += d.toString()));
  const ready = await new Promise<{ bridgeUrl: string }>((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as { bridgeUrl: string });
    });
    server.once('exit', (code) => reject(new Error(`serve exited ${code}: ${serverErr}`)));
  });
  bridgePort = Number(new URL(ready.bridgeUrl).port);
}, BUILD_TIMEOUT_MS);

afterAll(() => {
  if (server && server.exitCode === null) server.kill('SIGKILL');
});

describe('read commands while paige serve writes', () => {
  it('answer correctly, never hit SQLITE_BUSY, take no lock, and leave the server healthy', async () => {
    const lockFile = path.join(seeded.dataDir, 'paige.lock');
    const lockBefore = fs.readFileSync(lockFile, 'utf8');
    const dd = ['--data-dir', seeded.dataDir];
    const first = StatusOutputSchema.parse(JSON.parse((await runCli(['status', '--json', ...dd])).stdout));
    expect(first.running).toMatchObject({ running: true, pid: server.pid, health: 'ok' });
    expect(first.running.bridgeUrl).toBe(`http://127.0.0.1:${bridgePort}/`);

    const bridge = await NodeBridgeTransport.connect({ url: `ws://127.0.0.1:${bridgePort}/bridge`, token: TOKEN });
    let writes = 0;
    let writeErrors = 0;
    const until = Date.now() + LOAD_MS;
    const writer = (async () => {
      while (Date.now() < until) {
        const from = writes % 2 === 0 ? 'a.ts' : 'b.ts';
        const to = writes % 2 === 0 ? 'b.ts' : 'a.ts';
        const r = await bridge.invoke('editor:tab_switch', { fromPath: from, toPath: to });
        if (r.ok) writes++;
        else writeErrors++;
      }
    })();

    const failures: string[] = [];
    let rounds = 0;
    while (Date.now() < until) {
      const results = await Promise.all([
        runCli(['status', '--json', ...dd]),
        runCli(['sessions', 'list', '--json', ...dd]),
        runCli(['search', 'editor', '--json', '--limit', '100', ...dd]),
        runCli(['export', String(seeded.activeSessionId), '--json', ...dd]),
      ]);
      rounds++;
      for (const r of results) {
        if (r.code !== 0 || /SQLITE_BUSY|database is locked/i.test(r.stdout + r.stderr))
          failures.push(r.stdout + r.stderr);
      }
      const [status, sessions, search, exported] = results.map((r) => JSON.parse(r.stdout) as unknown);
      StatusOutputSchema.parse(status);
      SessionsListOutputSchema.parse(sessions);
      SearchOutputSchema.parse(search);
      ExportDocumentSchema.parse(exported);
    }
    await writer;
    expect(failures).toEqual([]);
    expect(rounds).toBeGreaterThan(1);
    expect(writeErrors).toBe(0);
    expect(writes).toBeGreaterThan(20);

    // The server kept its lock and its health, and its writes are visible to a reader once flushed.
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(lockBefore);
    const health = await bridge.invoke('app:health', undefined);
    expect(health.ok).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    const last = StatusOutputSchema.parse(JSON.parse((await runCli(['status', '--json', ...dd])).stdout));
    expect(last.counts.actions).toBeGreaterThanOrEqual(first.counts.actions + writes);

    // The server's embedded Chroma server (memory.mode auto) is what status reports once it answers.
    const deadline = Date.now() + 15_000;
    let backend: unknown = null;
    while (Date.now() < deadline) {
      const m = await bridge.invoke('memory:status', undefined);
      backend = m.ok ? (m.value as { backend: string }).backend : null;
      if (backend === 'chroma') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(backend).toBe('chroma');
    const withChroma = StatusOutputSchema.parse(JSON.parse((await runCli(['status', '--json', ...dd])).stdout));
    expect(withChroma.memory).toMatchObject({ configuredMode: 'auto', effective: 'chroma' });
    expect(withChroma.memory.chromaUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    void bridge.close();

    // doctor sees the running instance's fixed port as Paige's own, not as another program's.
    const runtime = JSON.parse(fs.readFileSync(path.join(seeded.dataDir, 'runtime.json'), 'utf8')) as {
      mcpPort: number;
    };
    const doc = await runCli(['doctor', '--json', ...dd], { env: { PAIGE_MCP_PORT: String(runtime.mcpPort) } });
    const mcpPort = DoctorOutputSchema.parse(JSON.parse(doc.stdout)).checks.find((c) => c.id === 'port-mcp');
    expect(mcpPort).toMatchObject({ status: 'pass', detail: `in use by the running Paige (pid ${server.pid})` });

    server.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => server.once('exit', (c) => r(c)));
    expect(code).toBe(0);
    expect(serverErr).not.toMatch(/SQLITE_BUSY|database is locked/i);
  }, 60_000);
});
