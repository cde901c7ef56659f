// CLI start-up: wall time of `paige status --json` and `paige search` on a data dir with 100 000 actions, beside a
// bare `node -e 0` measured in the same run, interleaved so machine noise hits all three alike. Prints medians.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { seedDataDir } from '../src/main/cli/__tests__/seed-data-dir';
import { median } from './stats';

const ROOT = path.resolve(__dirname, '..');
const BIN = path.join(ROOT, 'bin/paige.js');
const ACTIONS = 100_000;
const RUNS = 21;
/** Issue 16's goal: a read command costs less than three bare Node start-ups. */
const GOAL_RATIO = 3;

/** CPU time (user + system) of this process's finished children, from /proc (Linux); null elsewhere. */
function childCpuMs(): number | null {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // cutime and cstime are fields 16 and 17 of /proc/<pid>/stat, in clock ticks (100 per second on Linux).
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return null;
  }
}

function timeOnce(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir() },
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${String(r.stderr)}`);
  return ms;
}

export function runCliBench(): void {
  const tmp = (p: string): string => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), p)));
  const t0 = performance.now();
  const seeded = seedDataDir(tmp('pb-cli-d-'), tmp('pb-cli-p-'), { actions: ACTIONS });
  const seedS = (performance.now() - t0) / 1000;
  const dd = ['--data-dir', seeded.dataDir];
  const cases: [string, string[]][] = [
    ['node -e 0', ['-e', '0']],
    ['paige status --json', [BIN, 'status', '--json', ...dd]],
    ['paige search refactor', [BIN, 'search', 'refactor', ...dd]],
    ['paige search refactor --json', [BIN, 'search', 'refactor', '--json', ...dd]],
    ['paige sessions list', [BIN, 'sessions', 'list', ...dd]],
  ];
  // One warm-up each so the first measured run does not pay for a cold page cache.
  for (const [, args] of cases) timeOnce(args);
  const times = cases.map(() => [] as number[]);
  const cpu = cases.map(() => 0);
  for (let i = 0; i < RUNS; i++) {
    cases.forEach(([, args], k) => {
      const c0 = childCpuMs();
      times[k]?.push(timeOnce(args));
      const c1 = childCpuMs();
      if (c0 !== null && c1 !== null) cpu[k] = (cpu[k] ?? 0) + c1 - c0;
    });
  }
  const bare = median(times[0] ?? []);
  const bareCpu = (cpu[0] ?? 0) / RUNS;
  console.log(
    `CLI start-up (data dir with ${ACTIONS} actions, seeded in ${seedS.toFixed(1)} s; n=${RUNS} each, interleaved)`,
  );
  cases.forEach(([name], k) => {
    const m = median(times[k] ?? []);
    const ratio = m / bare;
    const c = (cpu[k] ?? 0) / RUNS;
    const verdict =
      k === 0 ? '' : ` ratio ${ratio.toFixed(2)}x ${ratio < GOAL_RATIO ? '(under' : '(OVER'} the ${GOAL_RATIO}x goal)`;
    const cpuText = bareCpu > 0 ? `; mean CPU ${c.toFixed(0)} ms (${(c / bareCpu).toFixed(2)}x)` : '';
    console.log(`  ${name.padEnd(30)} median wall ${m.toFixed(1)} ms${verdict}${cpuText}`);
  });
  fs.rmSync(seeded.dataDir, { recursive: true, force: true });
}

if (require.main === module) runCliBench();
