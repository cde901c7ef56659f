// Planning (issue 12): time from `session:select_issue` to `planning:complete` in a real core on the sample repo
// (real git, the fake `gh` on PATH, the fake model answering at once), and the model tokens one run spends, per
// agent. Runs alone with `npx tsx bench/planning.ts`, and as part of `npm run bench`.
import fs from 'node:fs';
import { startFakeAnthropic } from '../e2e/fake-anthropic/server';
import type { Step } from '../e2e/fake-anthropic/script';
import { installFakeGh } from '../e2e/fixtures/fake-gh/fixtures';
import { createSampleRepo } from '../e2e/fixtures/sample-repo';
import { paigeAnswer } from '../e2e/fixtures/todo-plan';
import { startTestCore, tempDir } from '../src/main/testing/harness';
import { median, pct } from './stats';

const RUNS = 30;
const WARMUP = 3;
/** Issue target: a picked issue is planned within 300 ms when the model answers at once. */
const TARGET_MS = 300;

export async function runPlanningBench(): Promise<void> {
  const gh = installFakeGh('issues');
  const fake = await startFakeAnthropic({
    script: Array.from({ length: 4 * (RUNS + WARMUP) + 10 }, (): Step => (req) => paigeAnswer(req)),
  });
  const dataDir = tempDir('pb-plan-d-');
  fs.writeFileSync(`${dataDir}/settings.json`, JSON.stringify({ observer: { enabled: false } }));
  const t = await startTestCore({
    dataDir,
    env: {
      ...gh.env,
      HOME: process.env.HOME,
      ANTHROPIC_API_KEY: 'sk-ant-bench-plan-0000',
      ANTHROPIC_BASE_URL: fake.url,
    },
    flags: { logLevel: 'warn' },
  });
  try {
    createSampleRepo(t.projectDir);
    const done = new Map<number, (ok: boolean) => void>();
    t.core.events.subscribe((channel, payload) => {
      if (channel !== 'planning:complete' && channel !== 'planning:error') return;
      done.get((payload as { sessionId: number }).sessionId)?.(channel === 'planning:complete');
    });
    const meta = { transport: 'bridge' as const, clientId: 'bench-planning' };
    const sessions = t.core.get('sessions');
    const times: number[] = [];
    const sessionIds: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const active = sessions.getActive();
      if (active) sessions.forceEnd(active.id);
      // A different issue each run: none has a plan to resume.
      const issueNumber = (i % 40) + 1;
      const t0 = performance.now();
      let sessionId = 0;
      const finished = new Promise<boolean>((resolve) => {
        const env = t.core.router.dispatch('session:select_issue', { issueNumber } as never, meta);
        void env.then((e) => {
          if (!e.ok) throw new Error(JSON.stringify(e.error));
          sessionId = (e.value as { sessionId: number }).sessionId;
          done.set(sessionId, resolve);
        });
      });
      if (!(await finished)) throw new Error(`run ${i} failed`);
      const ms = performance.now() - t0;
      if (i >= WARMUP) {
        times.push(ms);
        sessionIds.push(sessionId);
      }
    }
    // Ledger rows are written in batches: the last run's land now.
    t.core.get('llm').ledger.flush();
    const db = t.core.db;
    const rows = db.all(
      db.qb
        .selectFrom('api_call_log')
        .select(['call_type', 'session_id', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens'])
        .where('session_id', 'in', sessionIds),
    );
    const byType = new Map<string, { input: number; output: number; cached: number; calls: number }>();
    for (const r of rows) {
      const cur = byType.get(r.call_type) ?? { input: 0, output: 0, cached: 0, calls: 0 };
      cur.calls++;
      cur.input += r.input_tokens;
      cur.output += r.output_tokens;
      cur.cached += r.cache_read_tokens + r.cache_write_tokens;
      byType.set(r.call_type, cur);
    }
    console.log('\n## Planning (issue 12)');
    const med = median(times);
    console.log(
      `select_issue → planning:complete (sample repo, zero-latency fake model, ${RUNS} runs): median ${med.toFixed(
        1,
      )} ms, p95 ${pct(times, 95).toFixed(1)} ms — target < ${TARGET_MS} ms: ${med < TARGET_MS ? 'met' : 'MISSED'}`,
    );
    let total = 0;
    for (const [type, v] of byType) {
      const perRun = (v.input + v.output + v.cached) / RUNS;
      total += perRun;
      console.log(
        `  ${type}: ${(v.input / RUNS).toFixed(0)} in + ${(v.cached / RUNS).toFixed(0)} cached + ${(
          v.output / RUNS
        ).toFixed(0)} out tokens per run (${v.calls} calls)`,
      );
    }
    console.log(`  model tokens per pipeline run: ${total.toFixed(0)} (${(rows.length / RUNS).toFixed(2)} calls)`);
  } finally {
    await t.core.shutdown('bench end');
    await fake.close();
  }
}

if (process.argv[1]?.endsWith('planning.ts')) void runPlanningBench();
