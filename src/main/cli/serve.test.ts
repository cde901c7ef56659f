// `paige serve` as a real child process: ready line, exit codes, signals, single instance.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/harness';
import { NodeBridgeTransport } from '../testing/bridge-client';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'src/main/cli/index.ts');
const children: ChildProcessWithoutNullStreams[] = [];

interface Started {
  child: ChildProcessWithoutNullStreams;
  ready: Promise<Record<string, unknown>>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
}

function run(args: string[], env: Record<string, string> = {}): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  children.push(child);
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  let out = '';
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as Record<string, unknown>);
    });
    child.once('exit', () => reject(new Error(`exited before ready: ${err}`)));
  });
  ready.catch(() => undefined);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, ready, exit, stderr: () => err };
}

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('paige serve', () => {
  it('prints one ready line, serves the bridge, and exits 0 on SIGTERM with each shutdown step logged', async () => {
    const dataDir = tempDir();
    const project = tempDir();
    const s = run(['serve', '--project', project, '--data-dir', dataDir]);
    const ready = await s.ready;
    expect(ready).toMatchObject({ event: 'ready', pid: s.child.pid, projectDir: project });
    const url = new URL(String(ready.bridgeUrl));
    expect(url.hostname).toBe('127.0.0.1');
    const token = url.hash.replace('#token=', '');
    expect(token.length).toBeGreaterThanOrEqual(43);
    expect(fs.statSync(path.join(dataDir, 'runtime.json')).mode & 0o777).toBe(0o600);

    const transport = await NodeBridgeTransport.connect({ url: `ws://127.0.0.1:${url.port}/bridge`, token });
    const health = await transport.invoke('app:health', undefined);
    expect(health.ok && (health.value as { db: { schemaVersion: number } }).db.schemaVersion).toBe(10);

    const t0 = Date.now();
    s.child.kill('SIGTERM');
    const { code } = await s.exit;
    expect(code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5_000);
    const steps = s
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => (JSON.parse(l) as { msg: string }).msg)
      .filter((m) => m.startsWith('shutdown:'));
    // Fixed steps in order; services add their own `shutdown: stop <service>` steps between transports and the DB.
    const fixed = steps.filter((m) => !/^shutdown: stop (?!accepting)/.test(m));
    expect(fixed).toEqual([
      'shutdown: begin',
      'shutdown: stop accepting requests',
      'shutdown: close transports',
      'shutdown: release subscriptions',
      'shutdown: checkpoint and close database',
      'shutdown: remove runtime.json and lock',
      'shutdown: complete',
    ]);
    expect(steps.indexOf('shutdown: checkpoint and close database')).toBeGreaterThan(
      steps.indexOf('shutdown: close transports'),
    );
    expect(fs.existsSync(path.join(dataDir, 'runtime.json'))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'paige.lock'))).toBe(false);
  });

  it('exits 2 naming the path when --project does not exist', async () => {
    const s = run(['serve', '--project', '/nope/not-here', '--data-dir', tempDir()]);
    const { code } = await s.exit;
    expect(code).toBe(2);
    expect(s.stderr()).toContain('/nope/not-here');
  });

  it('exits 2 on a usage error', async () => {
    const s = run(['serve', '--bridge-port', '80']);
    expect((await s.exit).code).toBe(2);
    expect(s.stderr()).toMatch(/--bridge-port must be 0 or a port/);
  });

  it('refuses a second instance on the same data dir (ALREADY_RUNNING, exit 1)', async () => {
    const dataDir = tempDir();
    const project = tempDir();
    const first = run(['serve', '--project', project, '--data-dir', dataDir]);
    await first.ready;
    const second = run(['serve', '--project', project, '--data-dir', dataDir]);
    expect((await second.exit).code).toBe(1);
    expect(second.stderr()).toMatch(/already running/);
    first.child.kill('SIGINT');
    expect((await first.exit).code).toBe(0);
  });

  it('starts after a kill -9 (stale lock, dirty marker) and checks the database', async () => {
    const dataDir = tempDir();
    const project = tempDir();
    const first = run(['serve', '--project', project, '--data-dir', dataDir]);
    await first.ready;
    first.child.kill('SIGKILL');
    await first.exit;
    expect(fs.existsSync(path.join(dataDir, 'paige.dirty'))).toBe(true);
    const second = run(['serve', '--project', project, '--data-dir', dataDir]);
    await second.ready;
    second.child.kill('SIGTERM');
    expect((await second.exit).code).toBe(0);
    // stderr is a separate pipe from the ready line on stdout: read it once the process has exited.
    expect(second.stderr()).toMatch(/did not shut down cleanly.*"quickCheck":"ok"/);
  });

  it('reports an invalid settings file as SETTINGS_INVALID to a connecting client and keeps running', async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, 'settings.json'), '{"safety": {"mode": "anything-goes"}}');
    const s = run(['serve', '--project', tempDir(), '--data-dir', dataDir]);
    const url = new URL(String((await s.ready).bridgeUrl));
    const transport = await NodeBridgeTransport.connect({
      url: `ws://127.0.0.1:${url.port}/bridge`,
      token: url.hash.replace('#token=', ''),
    });
    await transport.invoke('app:health', undefined);
    expect(transport.events.find((e) => e.channel === 'app:error')?.payload).toMatchObject({
      code: 'SETTINGS_INVALID',
    });
    expect(fs.readdirSync(dataDir).some((f) => f.startsWith('settings.invalid-'))).toBe(true);
    s.child.kill('SIGTERM');
    await s.exit;
  });

  it.each(['lock', 'database', 'module:workspace', 'module:mcp', 'module:bridge'])(
    'a start-up failure at %s exits 1 within 2 s of it, leaving no port, runtime.json or lock',
    async (step) => {
      const dataDir = tempDir();
      const project = tempDir();
      const [mcpPort, bridgePort] = [await freePort(), await freePort()];
      const s = run(
        [
          'serve',
          '--project',
          project,
          '--data-dir',
          dataDir,
          '--mcp-port',
          String(mcpPort),
          '--bridge-port',
          String(bridgePort),
        ],
        { PAIGE_TEST_FAIL_AT: step },
      );
      // Timed from the logged failure, not from spawn: loading TypeScript through tsx is not part of the promise.
      let failedAt = 0;
      s.child.stderr.on('data', () => {
        if (failedAt === 0 && s.stderr().includes('start-up failed')) failedAt = Date.now();
      });
      const { code } = await s.exit;
      expect(code).toBe(1);
      expect(failedAt).toBeGreaterThan(0);
      expect(Date.now() - failedAt).toBeLessThan(2_000);
      expect(s.stderr()).toContain(`"${step}"`);
      for (const f of ['runtime.json', 'paige.lock', 'paige.dirty'])
        expect(fs.existsSync(path.join(dataDir, f)), f).toBe(false);
      expect(await portOpen(mcpPort)).toBe(false);
      expect(await portOpen(bridgePort)).toBe(false);
    },
  );
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
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
