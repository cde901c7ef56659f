// AppCore as a module host: start-up rolls back completely wherever it fails, project switches are serialized, and
// what the UI is told (flags, capabilities, settings) follows the modules present and their live state.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppCore, headlessPlatform, type AppCoreOptions, type StartStep } from './app';
import { paigeModules } from './app-modules';
import { MemorySink } from './logging/logger';
import type { FeatureModule } from './modules/feature-module';
import { tempDir } from './testing/harness';
import type { EventChannel } from '../shared/ipc/contract';
import { isPaigeError } from '../shared/ipc/errors';

const cores: AppCore[] = [];

afterEach(async () => {
  for (const c of cores.splice(0)) await c.shutdown('test end');
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port }, () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

interface Setup {
  dataDir: string;
  projectDir: string;
  mcpPort: number;
  bridgePort: number;
  logs: MemorySink;
  opts: AppCoreOptions;
}

async function setup(overrides: Partial<AppCoreOptions> = {}): Promise<Setup> {
  const dataDir = tempDir('paige-data-');
  const projectDir = tempDir('paige-proj-');
  const [mcpPort, bridgePort] = [await freePort(), await freePort()];
  const logs = new MemorySink();
  const opts: AppCoreOptions = {
    appVersion: '0.0.0-test',
    platform: headlessPlatform,
    env: { PATH: process.env.PATH },
    logSinks: [logs],
    modules: paigeModules({
      noTerminal: true,
      bridge: { token: 'app-test-token-0123456789abcdefghijklmnopq', rendererDir: null },
    }),
    flags: {
      dataDir,
      projectDir,
      logLevel: 'debug',
      settings: { mcp: { port: mcpPort }, bridge: { port: bridgePort } },
    },
    ...overrides,
  };
  return { dataDir, projectDir, mcpPort, bridgePort, logs, opts };
}

async function expectNothingLeft(s: Setup): Promise<void> {
  expect(fs.existsSync(path.join(s.dataDir, 'runtime.json')), 'runtime.json').toBe(false);
  expect(fs.existsSync(path.join(s.dataDir, 'paige.lock')), 'paige.lock').toBe(false);
  expect(fs.existsSync(path.join(s.dataDir, 'paige.dirty')), 'paige.dirty').toBe(false);
  expect(await portOpen(s.mcpPort), 'MCP port').toBe(false);
  expect(await portOpen(s.bridgePort), 'bridge port').toBe(false);
}

describe('AppCore start-up', () => {
  it('does no I/O in its constructor', () => {
    const dataDir = path.join(tempDir(), 'not-created-yet');
    new AppCore({ appVersion: 't', platform: headlessPlatform, flags: { dataDir } });
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('writes runtime.json last, with the MCP and bridge details, and removes it on shutdown', async () => {
    const s = await setup();
    const core = await AppCore.start(s.opts);
    const info = JSON.parse(fs.readFileSync(path.join(s.dataDir, 'runtime.json'), 'utf8')) as Record<string, unknown>;
    expect(info).toMatchObject({ pid: process.pid, mcpPort: s.mcpPort, bridgePort: s.bridgePort });
    expect(typeof info.mcpToken).toBe('string');
    expect(await portOpen(s.mcpPort)).toBe(true);
    expect(await core.shutdown('test')).toBe(0);
    await expectNothingLeft(s);
  });

  const steps: StartStep[] = [
    'lock',
    'settings',
    'database',
    'module:projects',
    'module:workspace',
    'module:mcp',
    'module:bridge',
    'runtime-info',
  ];
  it.each(steps)('a failure at %s leaves no port, runtime.json, lock or dirty marker', async (step) => {
    const s = await setup({ failAt: step });
    const err = await AppCore.start(s.opts).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isPaigeError(err) && err.message).toContain(step);
    await expectNothingLeft(s);
    // The data dir is usable again at once: nothing is left holding it.
    const again = await AppCore.start({ ...s.opts, failAt: undefined });
    cores.push(again);
    expect(again.get('projects').projectDir).toBe(s.projectDir);
  });

  it('a project dir that does not exist fails start-up and leaves nothing listening or written', async () => {
    const s = await setup();
    const missing = path.join(s.projectDir, 'gone');
    const err = await AppCore.start({ ...s.opts, flags: { ...s.opts.flags, projectDir: missing } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isPaigeError(err) && err.code).toBe('PROJECT_NOT_FOUND');
    await expectNothingLeft(s);
  });

  it('a bridge port already in use fails start-up and releases the MCP port and the lock', async () => {
    const s = await setup();
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(s.bridgePort, '127.0.0.1', r));
    try {
      await expect(AppCore.start(s.opts)).rejects.toMatchObject({ code: 'EADDRINUSE' });
      expect(fs.existsSync(path.join(s.dataDir, 'runtime.json'))).toBe(false);
      expect(fs.existsSync(path.join(s.dataDir, 'paige.lock'))).toBe(false);
      expect(await portOpen(s.mcpPort)).toBe(false);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });
});

describe('project switches', () => {
  it('two overlapping opens leave only the second project watched', async () => {
    const s = await setup();
    const core = await AppCore.start(s.opts);
    cores.push(core);
    const a = tempDir('paige-a-');
    const b = tempDir('paige-b-');
    const updates: string[] = [];
    core.events.subscribe((channel, payload) => {
      if (channel === 'fs:tree_update') {
        for (const c of (payload as { changes: { path: string }[] }).changes) updates.push(c.path);
      }
    });
    const [ra, rb] = await Promise.all([
      core.router.dispatch('project:open', { path: a }, { transport: 'bridge', clientId: 't' }),
      core.router.dispatch('project:open', { path: b }, { transport: 'bridge', clientId: 't' }),
    ]);
    expect(ra.ok && rb.ok).toBe(true);
    const workspace = core.get('workspace');
    await vi.waitFor(() => expect(workspace.projectRoot).toBe(b), { timeout: 10_000 });
    await workspace.watcherReady();
    fs.writeFileSync(path.join(a, 'only-in-a.txt'), 'a');
    fs.writeFileSync(path.join(b, 'in-b.txt'), 'b');
    await vi.waitFor(() => expect(updates).toContain('in-b.txt'), { timeout: 10_000 });
    // A second write in B after A's: once it is seen, anything from A's (closed) watcher would have arrived too.
    fs.writeFileSync(path.join(b, 'in-b-2.txt'), 'b');
    await vi.waitFor(() => expect(updates).toContain('in-b-2.txt'), { timeout: 10_000 });
    expect(updates).not.toContain('only-in-a.txt');
  });
});

describe('what the UI is told', () => {
  async function hello(core: AppCore) {
    const env = await core.router.dispatch(
      'connection:hello',
      { clientVersion: 't', platform: 'test', windowSize: { width: 1, height: 1 }, transport: 'bridge' },
      { transport: 'bridge', clientId: 't' },
    );
    if (!env.ok) throw new Error(env.error.message);
    return env.value as {
      capabilities: { pty: boolean; claude: boolean };
      featureFlags: Record<string, boolean>;
    };
  }

  it('flags and capabilities follow the modules present', async () => {
    const flagModule: FeatureModule = {
      id: 'fake-chat',
      setup: () => ({ featureFlags: () => ({ chat: true }), capabilities: () => ({ channels: true }) }),
    };
    const s = await setup();
    const base = await AppCore.start(s.opts);
    cores.push(base);
    const h1 = await hello(base);
    // The chat and observer modules turn on their flags (the model layer is present).
    expect(h1.featureFlags).toEqual({ observer: true, practice: false, chat: true, localTests: false });
    expect(base.servedChannels()).toContain('terminal:attach');
    await base.shutdown('next');

    const s2 = await setup({
      modules: paigeModules({ noTerminal: true, extra: [flagModule] }).filter((m) => m.id !== 'chat'),
    });
    const withFake = await AppCore.start(s2.opts);
    cores.push(withFake);
    const h2 = await hello(withFake);
    expect(h2.featureFlags.chat).toBe(true);
    expect((h2.capabilities as Record<string, unknown>).channels).toBe(true);
    await withFake.shutdown('next');

    // Without the terminal and chat modules: no pty, no chat, and their channels answer NOT_SUPPORTED.
    const s3 = await setup({ modules: paigeModules().filter((m) => m.id !== 'terminal' && m.id !== 'chat') });
    const noTerminal = await AppCore.start(s3.opts);
    cores.push(noTerminal);
    const h3 = await hello(noTerminal);
    expect(h3.capabilities).toMatchObject({ pty: false, claude: false });
    expect(h3.featureFlags.chat).toBe(false);
    const attach = await noTerminal.router.dispatch(
      'terminal:attach',
      { cols: 80, rows: 24 },
      { transport: 'bridge', clientId: 't' },
    );
    expect(!attach.ok && attach.error.code).toBe('NOT_SUPPORTED');
    const chatState = await noTerminal.router.dispatch(
      'chat:state',
      { chatSessionId: 'x' },
      { transport: 'bridge', clientId: 't' },
    );
    expect(!chatState.ok && chatState.error.code).toBe('NOT_SUPPORTED');
    const settings = await noTerminal.router.dispatch('settings:get', undefined, {
      transport: 'bridge',
      clientId: 't',
    });
    const keys = settings.ok ? (settings.value as { activeKeys: string[] }).activeKeys : [];
    expect(keys).not.toContain('terminal.command');
    expect(keys).toContain('safety.mode');
    expect(keys).toContain('observer.enabled');
    expect(keys).toContain('memory.mode');
    // Nothing reads these until their features exist.
    for (const k of ['memory.embedder', 'logging.format']) expect(keys).not.toContain(k);
  });

  it('app:capabilities is emitted when a dependency comes or goes (the terminal command on PATH)', async () => {
    const bin = tempDir('paige-bin-');
    fs.writeFileSync(path.join(bin, 'fake-claude'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    // Only the fake on PATH, so the default `claude` is not found.
    const s = await setup({ env: { PATH: bin } });
    const core = await AppCore.start(s.opts);
    cores.push(core);
    const emitted: { channel: EventChannel; payload: unknown }[] = [];
    core.events.subscribe((channel, payload) => emitted.push({ channel, payload }));
    const caps = () => emitted.filter((e) => e.channel === 'app:capabilities').map((e) => e.payload);

    core.settings.update({ terminal: { command: 'fake-claude' } });
    expect(caps().at(-1)).toMatchObject({ claude: true });
    expect((await hello(core)).capabilities.claude).toBe(true);
    core.settings.update({ terminal: { command: 'no-such-command-here' } });
    expect(caps().at(-1)).toMatchObject({ claude: false });
    const count = caps().length;
    core.settings.update({ hints: { defaultLevel: 'high' } });
    expect(caps().length).toBe(count);
  });

  it('a throwing project-change listener is logged and the others still hear the change', async () => {
    const s = await setup();
    const core = await AppCore.start(s.opts);
    cores.push(core);
    const emitted: unknown[] = [];
    core.events.subscribe((channel, payload) => {
      if (channel === 'project:changed') emitted.push(payload);
    });
    core.get('projects').onDidChangeProject(() => {
      throw new Error('subscriber broke');
    });
    const other = tempDir('paige-other-');
    core.get('projects').open(other);
    expect(emitted).toEqual([{ projectDir: other }]);
    expect(s.logs.records().some((r) => r.msg === 'a project-change listener threw')).toBe(true);
  });
});
