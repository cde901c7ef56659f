import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PaigeClient } from '../../shared/ipc/client';
import { isPaigeError, type PaigeError } from '../../shared/ipc/errors';
import { BridgeServer } from '../bridge/bridge-server';
import { NodeBridgeTransport } from '../testing/bridge-client';
import { startTestCore, tempDir, type TestCore } from '../testing/harness';
import { MAX_PATH_LENGTH, isInside, resolveInProject } from './path-guard';

const TOKEN = 'path-guard-test-token-0123456789abcdefghijkl';
const SECRET = 'outside secret: do not read';

/** A project, a sibling whose name shares the project's prefix, and links from inside to outside. */
function makeLayout() {
  const base = tempDir('paige-guard-');
  const proj = path.join(base, 'proj');
  const evil = path.join(base, 'proj-evil');
  const outside = path.join(base, 'outside');
  for (const d of [proj, evil, outside, path.join(proj, 'src')]) fs.mkdirSync(d);
  fs.writeFileSync(path.join(proj, 'src', 'app.ts'), 'export const x = 1;\n');
  fs.writeFileSync(path.join(evil, 'loot.txt'), SECRET);
  fs.writeFileSync(path.join(outside, 'secret.txt'), SECRET);
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(proj, 'link-file'));
  fs.symlinkSync(outside, path.join(proj, 'link-dir'));
  fs.symlinkSync(path.join(proj, 'src', 'app.ts'), path.join(proj, 'inner-link'));
  return { base, proj, evil, outside };
}

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    if (isPaigeError(err)) return err.code;
    throw err;
  }
}

/** Escape attempts and the error code each must get. */
function attacks(l: ReturnType<typeof makeLayout>): [string, string, string][] {
  return [
    ['dot-dot chain', '../../../../../../etc/passwd', 'PATH_OUTSIDE_PROJECT'],
    ['dot-dot to a sibling', '../outside/secret.txt', 'PATH_OUTSIDE_PROJECT'],
    ['dot-dot after a real dir', 'src/../../outside/secret.txt', 'PATH_OUTSIDE_PROJECT'],
    ['deep dot-dot chain', 'src/' + '../'.repeat(40) + 'etc/passwd', 'PATH_OUTSIDE_PROJECT'],
    ['absolute outside', path.join(l.outside, 'secret.txt'), 'PATH_OUTSIDE_PROJECT'],
    ['absolute /etc/passwd', '/etc/passwd', 'PATH_OUTSIDE_PROJECT'],
    ['sibling prefix', path.join(l.evil, 'loot.txt'), 'PATH_OUTSIDE_PROJECT'],
    ['sibling prefix, relative', '../proj-evil/loot.txt', 'PATH_OUTSIDE_PROJECT'],
    ['symlinked file pointing outside', 'link-file', 'PATH_OUTSIDE_PROJECT'],
    ['symlinked dir pointing outside', 'link-dir/secret.txt', 'PATH_OUTSIDE_PROJECT'],
    ['new file under an outside symlinked dir', 'link-dir/new.txt', 'PATH_OUTSIDE_PROJECT'],
    ['new nested file under an outside symlinked dir', 'link-dir/a/b/new.txt', 'PATH_OUTSIDE_PROJECT'],
    ['NUL byte', 'src/app.ts\0.png', 'INVALID_PATH'],
    ['NUL byte alone', '\0', 'INVALID_PATH'],
    ['5 000-char path', 'a/'.repeat(2_500), 'INVALID_PATH'],
    ['empty', '', 'INVALID_PATH'],
    ['backslash traversal', '..\\..\\outside\\secret.txt', 'NOT_FOUND'],
  ];
}

describe('resolveInProject', () => {
  let l: ReturnType<typeof makeLayout>;
  beforeEach(() => {
    l = makeLayout();
  });

  it('maps each escape attempt to its error code', () => {
    for (const [name, input, code] of attacks(l)) {
      const got = codeOf(() => resolveInProject(l.proj, input));
      // On POSIX a backslash is an ordinary file-name character: the name stays inside the project and does not exist.
      const expected = code === 'NOT_FOUND' ? null : code;
      expect({ name, got }).toEqual({ name, got: expected });
    }
  });

  it('accepts paths inside, including a symlink to an inside file and a new file in a new folder', () => {
    expect(resolveInProject(l.proj, 'src/app.ts')).toEqual({ abs: path.join(l.proj, 'src/app.ts'), rel: 'src/app.ts' });
    expect(resolveInProject(l.proj, './src/../src/app.ts').rel).toBe('src/app.ts');
    expect(resolveInProject(l.proj, path.join(l.proj, 'src/app.ts')).rel).toBe('src/app.ts');
    expect(resolveInProject(l.proj, 'inner-link').rel).toBe('inner-link');
    expect(resolveInProject(l.proj, 'new/dir/file.ts').rel).toBe('new/dir/file.ts');
    expect(resolveInProject(l.proj, '.').rel).toBe('');
    expect(resolveInProject(l.proj, 'x'.repeat(MAX_PATH_LENGTH - 1)).rel).toHaveLength(MAX_PATH_LENGTH - 1);
  });

  it('prefix check needs the separator and folds case only on case-insensitive volumes', () => {
    expect(isInside('/proj', '/proj-evil/x')).toBe(false);
    expect(isInside('/proj', '/proj')).toBe(true);
    expect(isInside('/proj', '/PROJ/x')).toBe(false);
    expect(isInside('/proj', '/PROJ/x', { caseInsensitive: true })).toBe(true);
  });

  it('applies the Windows rules: device, UNC, drive-relative, reserved names, colon in a segment', () => {
    const win = { pathImpl: path.win32, caseInsensitive: true };
    const root = 'C:\\Users\\me\\proj';
    const cases: [string, string | null][] = [
      ['\\\\?\\C:\\Windows\\win.ini', 'INVALID_PATH'],
      ['\\\\.\\PhysicalDrive0', 'INVALID_PATH'],
      ['\\\\server\\share\\x', 'INVALID_PATH'],
      ['C:secret.txt', 'INVALID_PATH'],
      ['src\\CON', 'INVALID_PATH'],
      ['nul.txt', 'INVALID_PATH'],
      ['src\\file.txt:stream', 'INVALID_PATH'],
      ['..\\..\\Windows\\win.ini', 'PATH_OUTSIDE_PROJECT'],
      ['D:\\other\\x.txt', 'PATH_OUTSIDE_PROJECT'],
      ['C:\\Users\\me\\proj-evil\\x', 'PATH_OUTSIDE_PROJECT'],
      ['c:\\users\\ME\\PROJ\\src\\a.ts', null],
      ['src/a.ts', null],
    ];
    for (const [input, code] of cases) {
      expect({ input, got: codeOf(() => resolveInProject(root, input, win)) }).toEqual({ input, got: code });
    }
    expect(resolveInProject(root, 'src\\a.ts', win).rel).toBe('src/a.ts');
  });
});

describe('path confinement through the real IPC handlers', () => {
  let t: TestCore;
  let bridge: BridgeServer;
  let transport: NodeBridgeTransport;
  let client: PaigeClient;
  let l: ReturnType<typeof makeLayout>;

  beforeEach(async () => {
    l = makeLayout();
    t = await startTestCore({ projectDir: l.proj });
    bridge = await BridgeServer.listen({
      port: 0,
      token: TOKEN,
      rendererDir: null,
      router: t.core.router,
      events: t.core.events,
      logger: t.core.logger,
    });
    t.core.registerTransport('bridge', { stopAccepting: () => bridge.stopAccepting(), close: () => bridge.close() });
    transport = await NodeBridgeTransport.connect({ url: `ws://127.0.0.1:${bridge.port}/bridge`, token: TOKEN });
    client = new PaigeClient(transport);
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await transport.close();
    await t.core.shutdown('test end');
  });

  it('every channel refuses every escape with the spec code, and nothing outside is read or written', async () => {
    const before = snapshot(l.base, l.proj);
    const touched: string[] = [];
    const record =
      (name: string) =>
      (...args: unknown[]): void => {
        if (typeof args[0] === 'string') touched.push(`${name} ${args[0]}`);
      };
    for (const fn of ['readFileSync', 'openSync', 'writeFileSync', 'renameSync', 'unlinkSync', 'mkdirSync'] as const) {
      const original = fs[fn] as (...a: unknown[]) => unknown;
      vi.spyOn(fs, fn).mockImplementation(((...a: unknown[]) => {
        record(fn)(...a);
        return original.apply(fs, a);
      }) as never);
    }

    const calls: [string, (p: string) => Promise<unknown>][] = [
      ['file:open', (p) => client.invoke('file:open', { path: p })],
      ['file:save', (p) => client.invoke('file:save', { path: p, content: 'pwned' })],
      ['file:create', (p) => client.invoke('file:create', { path: p, content: 'pwned' })],
      ['file:delete', (p) => client.invoke('file:delete', { path: p })],
      ['file:close', (p) => client.invoke('file:close', { path: p })],
      [
        'buffer:update',
        (p) =>
          client.invoke('buffer:update', {
            path: p,
            content: 'x',
            cursorPosition: { line: 1, column: 1 },
            selections: [],
          }),
      ],
      ['editor:tab_switch', (p) => client.invoke('editor:tab_switch', { fromPath: null, toPath: p })],
    ];
    for (const [name, input, code] of attacks(l)) {
      if (code === 'NOT_FOUND') continue;
      for (const [channel, call] of calls) {
        const err = await call(input).then(
          () => null,
          (e: unknown) => e as PaigeError,
        );
        expect({ name, channel, code: err?.code }).toEqual({ name, channel, code });
      }
    }
    const outsideTouches = touched.filter((x) => x.includes(l.base) && !x.includes(l.proj + path.sep));
    expect(outsideTouches).toEqual([]);
    // The spies do see the handlers' I/O: a legitimate open is recorded.
    await client.invoke('file:open', { path: 'src/app.ts' });
    expect(touched).toContain(`openSync ${path.join(l.proj, 'src', 'app.ts')}`);
    expect(snapshot(l.base, l.proj)).toEqual(before);
  });

  it('an inside symlink to an inside file opens; saving through an outside symlink is refused', async () => {
    const opened = await client.invoke('file:open', { path: 'inner-link' });
    expect(opened.content).toBe('export const x = 1;\n');
    await expect(client.invoke('file:save', { path: 'link-file', content: 'pwned' })).rejects.toMatchObject({
      code: 'PATH_OUTSIDE_PROJECT',
    });
    expect(fs.readFileSync(path.join(l.outside, 'secret.txt'), 'utf8')).toBe(SECRET);
    expect(fs.lstatSync(path.join(l.proj, 'link-file')).isSymbolicLink()).toBe(true);
  });

  it('a 5 000-character path is INVALID_PATH (not a schema error) and a NUL byte never reaches the disk', async () => {
    await expect(client.invoke('file:open', { path: 'a'.repeat(5_000) })).rejects.toMatchObject({
      code: 'INVALID_PATH',
    });
    await expect(client.invoke('file:open', { path: 'README\0../../x' })).rejects.toMatchObject({
      code: 'INVALID_PATH',
    });
  });
});

/** Every file outside the project with its content, so any write or creation shows up as a difference. */
function snapshot(base: string, proj: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, d.name);
      if (p === proj) continue;
      if (d.isDirectory()) walk(p);
      else if (d.isFile()) out[p] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(base);
  return out;
}
