// The check-then-use race from the attack run: a folder inside the project is exchanged with a symlink to a folder
// outside it (renameat2 RENAME_EXCHANGE in a tight loop, from a python3 child) while every file operation runs.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityBus } from '../activity/activity-bus';
import { Logger } from '../logging/logger';
import { tempDir } from '../testing/harness';
import { WorkspaceService } from './workspace-service';

/** Rounds per operation; the attack run found escapes within 1 500 rounds of each. */
const ROUNDS = 1_000;
/**
 * On a loaded machine the swapper can be descheduled for a whole batch of rounds; rounds go on past ROUNDS (up to this)
 * until the swap has met the operation at least once, so the test never passes without a race.
 */
const MAX_ROUNDS = 5 * ROUNDS;
const OUTSIDE = 'OUTSIDE-SECRET';

const SWAPPER = `
import ctypes, os, random, sys, time
libc = ctypes.CDLL(None, use_errno=True)
AT_FDCWD, RENAME_EXCHANGE = -100, 2
a, b = os.fsencode(sys.argv[1]), os.fsencode(sys.argv[2])
n = 0
while True:
    if libc.renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) != 0:
        sys.stderr.write('renameat2 failed: %d\\n' % ctypes.get_errno()); sys.exit(1)
    n += 1
    # A random dwell (0-300 us) so the swap lands at every point of an operation, not only between syscalls.
    until = time.perf_counter() + random.random() * 300e-6
    while time.perf_counter() < until: pass
    if n == 2:
        sys.stdout.write('swapping\\n'); sys.stdout.flush()
`;

const canRace =
  process.platform === 'linux' && spawnSync('python3', ['-c', 'import ctypes'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!canRace)('file operations while a folder is swapped for an outside symlink', () => {
  let base: string;
  let proj: string;
  let outside: string;
  let swapper: ChildProcess;
  let ws: WorkspaceService;

  beforeAll(async () => {
    base = tempDir('paige-race-');
    proj = path.join(base, 'proj');
    outside = path.join(base, 'outside');
    fs.mkdirSync(path.join(proj, 'sub'), { recursive: true });
    fs.mkdirSync(outside);
    fs.symlinkSync(outside, path.join(proj, 'swap'));
    fs.writeFileSync(path.join(proj, 'sub', 'secret.txt'), 'inside');
    fs.writeFileSync(path.join(outside, 'secret.txt'), OUTSIDE);
    fs.writeFileSync(path.join(proj, 'sub', 'target.txt'), 'inside');
    fs.writeFileSync(path.join(outside, 'target.txt'), OUTSIDE);
    for (let i = 0; i < MAX_ROUNDS; i++) {
      fs.writeFileSync(path.join(proj, 'sub', `victim-${i}.txt`), 'inside');
      fs.writeFileSync(path.join(outside, `victim-${i}.txt`), OUTSIDE);
    }
    const noop = (): void => undefined;
    ws = new WorkspaceService({
      activity: { record: noop, publishTransient: noop } as unknown as ActivityBus,
      logger: new Logger([], 'silent'),
      events: { treeUpdate: noop, externalChange: noop },
      extraIgnores: () => [],
    });
    // The watcher is stopped again (the project stays set): the point is the operations, not chasing the swap.
    await ws.setProject(proj);
    await ws.shutdown();
    swapper = spawn('python3', ['-c', SWAPPER, path.join(proj, 'sub'), path.join(proj, 'swap')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      swapper.stdout?.once('data', () => resolve());
      swapper.once('exit', (code) => reject(new Error(`swapper exited ${code}`)));
    });
  });

  afterAll(() => {
    swapper?.kill('SIGKILL');
  });

  /**
   * Runs `op` ROUNDS times (more while no round was refused yet: see MAX_ROUNDS) and counts escapes (op returns true), successes and refusals by code. Every refusal must be
   * PATH_OUTSIDE_PROJECT, and there must be some: otherwise the swap never met the operation and the test proved nothing.
   */
  function race(op: (i: number) => boolean): { refused: number; escapes: number; ok: number; codes: object } {
    const codes = new Map<string, number>();
    let refused = 0;
    let escapes = 0;
    let ok = 0;
    for (let i = 0; i < ROUNDS || (refused === 0 && i < MAX_ROUNDS); i++) {
      try {
        if (op(i)) escapes += 1;
        else ok += 1;
      } catch (err) {
        const code = String((err as { code?: unknown }).code);
        codes.set(code, (codes.get(code) ?? 0) + 1);
        refused += 1;
      }
    }
    return { refused, escapes, ok, codes: Object.fromEntries(codes) };
  }

  it('file:open never hands out outside content', () => {
    const r = race(() => ws.open('sub/secret.txt').content === OUTSIDE);
    console.log('open', JSON.stringify(r));
    expect(r.escapes).toBe(0);
    expect(r.refused).toBeGreaterThan(0);
    expect(Object.keys(r.codes)).toEqual(['PATH_OUTSIDE_PROJECT']);
    // Nothing outside reached the buffer cache either (what paige_get_buffer hands to the MCP client). The lookup
    // itself goes through the gate, which refuses while the swap is in place: retry until it answers.
    // Bounded by time rather than rounds: on a loaded machine the swap can be in place for a thousand tries in a row.
    let buffer: string | undefined;
    for (const until = Date.now() + 20_000; buffer === undefined && Date.now() < until;) {
      try {
        buffer = ws.getBuffer('sub/secret.txt')?.content;
      } catch {
        // Refused mid-swap.
      }
    }
    expect(buffer).toBe('inside');
  });

  it('the diff (paige_get_diff) never shows outside content', () => {
    // A dirty buffer to diff against the disk; the update goes through the gate, so retry until the swap allows it.
    for (let done = false; !done;) {
      try {
        ws.updateBuffer({
          path: 'sub/secret.txt',
          content: 'edited',
          cursorPosition: { line: 1, column: 1 },
          selections: [],
        });
        done = true;
      } catch {
        // Refused mid-swap.
      }
    }
    const r = race(() => ws.diff('sub/secret.txt').includes(OUTSIDE));
    console.log('diff', JSON.stringify(r));
    expect(r.escapes).toBe(0);
    expect(r.refused).toBeGreaterThan(0);
    expect(Object.keys(r.codes)).toEqual(['PATH_OUTSIDE_PROJECT']);
  });

  it('file:save never writes outside', () => {
    const r = race((i) => {
      ws.save({ path: 'sub/target.txt', content: `saved-${i}`, force: true });
      return fs.readFileSync(path.join(outside, 'target.txt'), 'utf8') !== OUTSIDE;
    });
    console.log('save', JSON.stringify(r));
    expect(r.escapes).toBe(0);
    expect(r.refused).toBeGreaterThan(0);
    expect(Object.keys(r.codes)).toEqual(['PATH_OUTSIDE_PROJECT']);
  });

  it('file:create never creates a file or a temp file outside', () => {
    const r = race((i) => {
      ws.create({ path: `sub/new-${i}.txt`, content: 'x' });
      return false;
    });
    const strays = fs.readdirSync(outside).filter((n) => !/^(secret|target|victim-\d+)\.txt$/.test(n));
    console.log('create', JSON.stringify(r), 'outside strays', strays.length);
    expect(strays).toEqual([]);
    expect(r.refused).toBeGreaterThan(0);
    expect(Object.keys(r.codes)).toEqual(['PATH_OUTSIDE_PROJECT']);
  });

  it('file:delete never deletes outside', () => {
    const r = race((i) => {
      ws.delete(`sub/victim-${i}.txt`);
      return false;
    });
    let missing = 0;
    for (let i = 0; i < MAX_ROUNDS; i++) if (!fs.existsSync(path.join(outside, `victim-${i}.txt`))) missing += 1;
    console.log('delete', JSON.stringify(r), 'outside deleted', missing);
    expect(missing).toBe(0);
    expect(r.refused).toBeGreaterThan(0);
    expect(Object.keys(r.codes)).toEqual(['PATH_OUTSIDE_PROJECT']);
  });
});
