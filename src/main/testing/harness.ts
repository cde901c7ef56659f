// Test helpers: temp dirs and an AppCore on a real SQLite file with logs captured in memory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppCore, headlessPlatform, type AppCoreOptions } from '../app';
import { MemorySink } from '../logging/logger';
import { BridgeServer } from '../bridge/bridge-server';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { FakeAnthropic } from '../../../e2e/fake-anthropic/server';

export function tempDir(prefix = 'paige-test-'): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

export interface TestCore {
  core: AppCore;
  logs: MemorySink;
  dataDir: string;
  projectDir: string;
}

/** Writes `files` (relative path → text) under `root`, making the folders they need. */
export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
}

/** `settings`, when given, is written to the data dir's settings.json before the core starts. */
export async function startTestCore(
  options: Partial<AppCoreOptions> & { dataDir?: string; projectDir?: string; settings?: object } = {},
): Promise<TestCore> {
  const { settings, ...overrides } = options;
  const dataDir = overrides.dataDir ?? tempDir('paige-data-');
  if (settings) fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify(settings));
  const projectDir = overrides.projectDir ?? tempDir('paige-proj-');
  const logs = new MemorySink();
  const core = await AppCore.start({
    appVersion: '0.0.0-test',
    platform: headlessPlatform,
    logSinks: [logs],
    ...overrides,
    // Memory answers from full-text search unless a test asks for Chroma: no test starts a server it does not use.
    env: { PAIGE_MEMORY_MODE: 'fts', ...(overrides.env ?? { PATH: process.env.PATH }) },
    flags: { dataDir, projectDir, logLevel: 'debug', ...overrides.flags },
  });
  return { core, logs, dataDir, projectDir };
}

/** Ends what a test started, last first: its MCP client, its core, then the fake model API; absent parts are skipped. */
export async function stopAll(parts: { client?: Client; t?: TestCore; fake?: FakeAnthropic }): Promise<void> {
  await parts.client?.close();
  await parts.t?.core.shutdown('test end');
  await parts.fake?.close();
}

/** Starts a bridge on a free port for a test core and registers it for shutdown, as `paige serve` does. */
export async function startTestBridge(
  core: AppCore,
  token: string,
  opts: { authTimeoutMs?: number; maxUnsentBytes?: number } = {},
): Promise<BridgeServer> {
  const bridge = await BridgeServer.listen({
    port: 0,
    token,
    rendererDir: null,
    router: core.router,
    events: core.events,
    logger: core.logger,
    ...opts,
  });
  core.registerTransport('bridge', {
    stopAccepting: () => bridge.stopAccepting(),
    close: () => bridge.close(),
    connections: () => bridge.connectionCounts(),
  });
  return bridge;
}
