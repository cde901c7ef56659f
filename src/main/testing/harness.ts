// Test helpers: temp dirs and an AppCore on a real SQLite file with logs captured in memory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppCore, headlessPlatform, type AppCoreOptions } from '../app';
import { MemorySink } from '../logging/logger';

export function tempDir(prefix = 'paige-test-'): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

export interface TestCore {
  core: AppCore;
  logs: MemorySink;
  dataDir: string;
  projectDir: string;
}

export async function startTestCore(
  overrides: Partial<AppCoreOptions> & { dataDir?: string; projectDir?: string } = {},
): Promise<TestCore> {
  const dataDir = overrides.dataDir ?? tempDir('paige-data-');
  const projectDir = overrides.projectDir ?? tempDir('paige-proj-');
  const logs = new MemorySink();
  const core = await AppCore.start({
    appVersion: '0.0.0-test',
    platform: headlessPlatform,
    env: overrides.env ?? { PATH: process.env.PATH },
    logSinks: [logs],
    ...overrides,
    flags: { dataDir, projectDir, logLevel: 'debug', ...overrides.flags },
  });
  return { core, logs, dataDir, projectDir };
}
