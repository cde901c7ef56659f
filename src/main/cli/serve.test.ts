// `paige serve` as a real child process: ready line, exit codes, signals, single instance.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
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

  it('quarantines a settings.json that is a folder, like an invalid file, and starts', async () => {
    const dataDir = tempDir();
    fs.mkdirSync(path.join(dataDir, 'settings.json'));
    const s = run(['serve', '--project', tempDir(), '--data-dir', dataDir]);
    await s.ready;
    expect(fs.existsSync(path.join(dataDir, 'settings.json'))).toBe(false);
    expect(fs.readdirSync(dataDir).some((f) => f.startsWith('settings.invalid-'))).toBe(true);
    s.child.kill('SIGTERM');
    expect((await s.exit).code).toBe(0);
    expect(s.stderr()).toMatch(/settings file quarantined.*not a file/);
  });

  describe('a data folder that cannot be used: one line saying what to do, exit 2, no stack trace', () => {
    const mounts: string[] = [];
    afterEach(() => {
      for (const m of mounts.splice(0)) spawnSync('umount', [m]);
    });
    /** A tmpfs mounted on a fresh folder (root only; null elsewhere), so read-only and full disks are real. */
    const tmpfs = (options: string): string | null => {
      if (process.getuid?.() !== 0) return null;
      const dir = tempDir();
      if (spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]).status !== 0) return null;
      mounts.push(dir);
      return dir;
    };
    const cases: [string, () => string | null, RegExp][] = [
      [
        'a file where the folder should be',
        () => {
          const f = path.join(tempDir(), 'data');
          fs.writeFileSync(f, '');
          return f;
        },
        /is not a folder .*Move what has that name away, or choose another folder with --data-dir/,
      ],
      [
        'a read-only folder',
        () => {
          if (process.getuid?.() === 0) return tmpfs('ro,size=1m');
          const d = tempDir();
          fs.chmodSync(d, 0o555);
          return d;
        },
        /is not writable \((EACCES|EROFS).*Make it writable for this user, or choose another folder/,
      ],
      [
        'a full disk',
        () => {
          const d = tmpfs('size=64k');
          if (d === null) return null;
          try {
            fs.writeFileSync(path.join(d, 'filler'), Buffer.alloc(1024 * 1024));
          } catch {
            // ENOSPC: the disk is now full, which is the point.
          }
          return d;
        },
        /disk holding the data folder .* is full \(ENOSPC\)\. Free some space/,
      ],
    ];
    it.each(cases)('%s', async (_name, make, message) => {
      const dataDir = make();
      if (dataDir === null) return; // Needs root for a mount: nothing to prove here without one.
      const s = run(['serve', '--project', tempDir(), '--data-dir', dataDir]);
      expect((await s.exit).code).toBe(2);
      const lines = s.stderr().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(lines[0]).toMatch(/^paige: /);
      expect(s.stderr()).not.toMatch(/\n\s+at /);
    });
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
