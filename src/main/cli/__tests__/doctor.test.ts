// `paige doctor` on machines that lack something: claude missing from PATH, Node missing beside claude, a read-only
// data dir, a busy port, a bad project, and the online key check against a fake Messages API.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DoctorOutputSchema, type DoctorCheck, type DoctorOutput } from '../../../shared/cli/output';
import { startFakeAnthropic, type FakeAnthropic } from '../../../../e2e/fake-anthropic/server';
import { fail, say } from '../../../../e2e/fake-anthropic/script';
import { tempDir } from '../../testing/harness';
import { ensureBuilt, runCli, type RunOptions } from './run-cli';

const BUILD_TIMEOUT_MS = 240_000;
/** nobody: the read-only data dir test runs as this user when the tests run as root, who can write anywhere. */
const UNPRIVILEGED_UID = 65534;
const FAKE_KEY = 'sk-ant-api03-doctorTestKey0123456789';

beforeAll(() => ensureBuilt(), BUILD_TIMEOUT_MS);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A PATH holding only the named tools: real ones linked from this machine, or shell scripts standing in. */
function pathWith(tools: Record<string, 'real' | string>): string {
  const dir = tempDir('paige-cli-path-');
  for (const [name, how] of Object.entries(tools)) {
    const target = path.join(dir, name);
    if (how === 'real') {
      const found = (process.env.PATH ?? '')
        .split(path.delimiter)
        .map((d) => path.join(d, name))
        .find((p) => fs.existsSync(p));
      if (!found) throw new Error(`${name} is not installed here`);
      fs.symlinkSync(name === 'node' ? process.execPath : found, target);
    } else {
      fs.writeFileSync(target, `#!/bin/sh\n${how}\n`, { mode: 0o755 });
    }
  }
  return dir;
}

async function doctor(
  args: string[],
  opts: RunOptions = {},
): Promise<{ code: number; out: DoctorOutput; stderr: string }> {
  const r = await runCli(['doctor', '--json', ...args], opts);
  return { code: r.code, out: DoctorOutputSchema.parse(JSON.parse(r.stdout)), stderr: r.stderr };
}

function byId(out: DoctorOutput, id: string): DoctorCheck {
  const c = out.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} in ${out.checks.map((x) => x.id).join(', ')}`);
  return c;
}

const FAKE_CLAUDE = 'echo "2.1.328 (Claude Code)"';

describe('paige doctor', () => {
  it('reports every check with a status, and a fix for each that did not pass', async () => {
    const dataDir = tempDir('paige-cli-doc-');
    const { out } = await doctor(['--data-dir', dataDir], {
      env: { PATH: pathWith({ node: 'real', claude: FAKE_CLAUDE }) },
    });
    const ids = out.checks.map((c) => c.id);
    for (const id of [
      'settings',
      'claude',
      'hook-runtime',
      'gh',
      'gh-auth',
      'git',
      'memory',
      'api-key',
      'native-sqlite',
      'fts5',
      'native-pty',
      'data-dir',
      'project',
      'ports',
    ]) {
      expect(ids).toContain(id);
    }
    for (const c of out.checks) if (c.status !== 'pass') expect(c.fix).toMatch(/\S/);
    expect(byId(out, 'claude')).toMatchObject({ status: 'pass', detail: 'claude: 2.1.328 (Claude Code)' });
    expect(byId(out, 'native-sqlite').status).toBe('pass');
    expect(byId(out, 'native-pty').status).toBe('pass');
    expect(byId(out, 'fts5').status).toBe('pass');
    expect(byId(out, 'data-dir').status).toBe('pass');
    expect(byId(out, 'memory')).toMatchObject({ status: 'pass' });
    expect(byId(out, 'memory').detail).toContain('full-text search');
    // The chromadb bindings for this platform are installed here, so Paige can start its embedded Chroma server.
    expect(byId(out, 'memory').detail).toContain('embedded Chroma server');
    expect(out.summary.pass + out.summary.warn + out.summary.fail).toBe(out.checks.length);
    // The probe file is removed again.
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('warns (and still exits 0) when claude is not on PATH', async () => {
    const PATH = pathWith({ node: 'real', git: 'real' });
    const { code, out } = await doctor(['--data-dir', tempDir('paige-cli-doc-')], { env: { PATH } });
    expect(byId(out, 'claude').status).toBe('warn');
    expect(byId(out, 'claude').detail).toContain('not on PATH');
    expect(byId(out, 'claude').fix).toContain('npm install -g @anthropic-ai/claude-code');
    expect(byId(out, 'hook-runtime').status).toBe('pass');
    expect(byId(out, 'gh').status).toBe('warn');
    expect(byId(out, 'git').status).toBe('pass');
    expect(out.summary.fail).toBe(0);
    expect(code).toBe(0);

    const text = await runCli(['doctor', '--data-dir', tempDir('paige-cli-doc-')], { env: { PATH } });
    expect(text.stdout).toMatch(/^warn {2}Claude Code/m);
    expect(text.stdout).toMatch(/fix: Install Claude Code/);
    expect(text.stdout).toMatch(/\d+ passed, \d+ warnings?, 0 failed/);
    for (const line of text.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('fails the hook runtime when claude is present but Node is not on PATH (exit 1)', async () => {
    const { code, out } = await doctor(['--data-dir', tempDir('paige-cli-doc-')], {
      env: { PATH: pathWith({ claude: FAKE_CLAUDE }) },
    });
    expect(byId(out, 'claude').status).toBe('pass');
    expect(byId(out, 'hook-runtime')).toMatchObject({ status: 'fail' });
    expect(byId(out, 'hook-runtime').detail).toContain('no node on PATH');
    expect(code).toBe(1);
  });

  it('fails on a read-only data dir', async () => {
    const dataDir = tempDir('paige-cli-ro-');
    fs.chmodSync(dataDir, 0o555);
    cleanups.push(() => fs.chmodSync(dataDir, 0o700));
    const asUser = process.getuid?.() === 0 ? { uid: UNPRIVILEGED_UID, cwd: '/' } : {};
    const { code, out } = await doctor(['--data-dir', dataDir], {
      env: { PATH: pathWith({ node: 'real' }), HOME: '/tmp' },
      ...asUser,
    });
    const c = byId(out, 'data-dir');
    expect(c.status).toBe('fail');
    expect(c.detail).toMatch(/cannot write in .*\(EACCES\)/);
    expect(c.fix).toContain('--data-dir');
    expect(code).toBe(1);
  });

  it('warns about a configured port another program holds, and passes a free one', async () => {
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => busy.close(() => r())));
    const busyPort = (busy.address() as net.AddressInfo).port;
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const freePort = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));

    const dataDir = tempDir('paige-cli-doc-');
    fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ mcp: { port: busyPort } }));
    const { out } = await doctor(['--data-dir', dataDir], { env: { PAIGE_BRIDGE_PORT: String(freePort) } });
    expect(byId(out, 'port-mcp')).toMatchObject({ status: 'warn', title: `MCP port ${busyPort}` });
    expect(byId(out, 'port-mcp').fix).toContain('PAIGE_MCP_PORT=0');
    expect(byId(out, 'port-bridge')).toMatchObject({ status: 'pass', detail: 'free' });
  });

  it('fails a project it cannot read and passes one it can', async () => {
    const dataDir = tempDir('paige-cli-doc-');
    const missing = await doctor(['--data-dir', dataDir, '--project', path.join(dataDir, 'nope')]);
    expect(byId(missing.out, 'project').status).toBe('fail');
    expect(missing.code).toBe(1);
    const project = tempDir('paige-cli-proj-');
    const ok = await doctor(['--data-dir', dataDir, '--project', project]);
    expect(byId(ok.out, 'project')).toMatchObject({ status: 'pass', detail: project });
  });

  it('says the full-text fallback is used when settings ask for Chroma', async () => {
    const dataDir = tempDir('paige-cli-doc-');
    fs.writeFileSync(
      path.join(dataDir, 'settings.json'),
      JSON.stringify({ memory: { mode: 'url', chromaUrl: 'http://127.0.0.1:8000' } }),
    );
    const { out } = await doctor(['--data-dir', dataDir]);
    const c = byId(out, 'memory');
    expect(c.status).toBe('warn');
    expect(c.detail).toContain('"url"');
    expect(c.detail).toContain('full-text search is used');
    expect(c.detail).toContain('does not answer');
  });

  describe('the API key', () => {
    let fake: FakeAnthropic;
    const start = async (script: Parameters<typeof startFakeAnthropic>[0]): Promise<void> => {
      fake = await startFakeAnthropic(script);
      cleanups.push(() => fake.close());
    };

    it('warns without a key, and --online has nothing to test', async () => {
      const { out, code } = await doctor(['--data-dir', tempDir('paige-cli-doc-'), '--online']);
      expect(byId(out, 'api-key').status).toBe('warn');
      expect(byId(out, 'api-online').status).toBe('warn');
      expect(byId(out, 'api-online').detail).toContain('no key');
      expect(code).toBe(0);
    });

    it('--online makes one minimal call through ANTHROPIC_BASE_URL and passes when it answers', async () => {
      await start({ script: [say('pong')] });
      const env = { ANTHROPIC_API_KEY: FAKE_KEY, ANTHROPIC_BASE_URL: fake.url };
      const r = await doctor(['--data-dir', tempDir('paige-cli-doc-'), '--online'], { env });
      expect(byId(r.out, 'api-key').status).toBe('pass');
      expect(byId(r.out, 'api-online').status).toBe('pass');
      const [req] = fake.mainRequests();
      // The SDK sends the key as x-api-key or as a bearer token depending on its version.
      expect(`${req?.headers['x-api-key'] ?? ''} ${req?.headers.authorization ?? ''}`).toContain(FAKE_KEY);
      expect(req?.body).toMatchObject({ max_tokens: 1, model: 'claude-haiku-4-5-20251001' });
      expect(fake.mainRequests()).toHaveLength(1);
      expect(JSON.stringify(r.out) + r.stderr).not.toContain(FAKE_KEY);
    });

    it('--online fails (exit 1) when the API rejects the key', async () => {
      await start({ script: [fail(401, { type: 'authentication_error', message: 'invalid x-api-key' })] });
      const env = { ANTHROPIC_API_KEY: FAKE_KEY, ANTHROPIC_BASE_URL: fake.url };
      const r = await doctor(['--data-dir', tempDir('paige-cli-doc-'), '--online'], { env });
      expect(byId(r.out, 'api-online')).toMatchObject({ status: 'fail' });
      expect(byId(r.out, 'api-online').detail).toContain('401');
      expect(r.code).toBe(1);
      expect(fake.mainRequests()).toHaveLength(1);
    });

    it('without --online no request is made', async () => {
      await start({ script: [say('pong')] });
      const env = { ANTHROPIC_API_KEY: FAKE_KEY, ANTHROPIC_BASE_URL: fake.url };
      const r = await doctor(['--data-dir', tempDir('paige-cli-doc-')], { env });
      expect(r.out.checks.some((c) => c.id === 'api-online')).toBe(false);
      expect(fake.requests).toHaveLength(0);
    });
  });
});
