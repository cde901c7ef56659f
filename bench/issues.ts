// Ranking the open issues before any model call: scoring 100 issues (the most `gh issue list` returns), sorting them
// and keeping the best 15, beside parsing the JSON gh prints for them, which the ranking always follows.
// Runs alone with `npx tsx bench/issues.ts`, and as part of `npm run bench`.
import { say } from '../e2e/fake-anthropic/script';
import { startFakeAnthropic } from '../e2e/fake-anthropic/server';
import { installFakeGh, sampleIssues, scoringInputOf } from '../e2e/fixtures/fake-gh/fixtures';
import { createSampleRepo } from '../e2e/fixtures/sample-repo';
import { startTestCore, tempDir } from '../src/main/testing/harness';
import { scoreIssue } from '../src/main/issues/scoring';
import { median, pct } from './stats';

const ISSUES = 100;
const RUNS = 20_000;
const WARMUP = 2_000;

/** 100 issues like gh prints them: the 40 fixture issues repeated with new numbers and shifted dates. */
function hundredIssues(now: number) {
  const base = sampleIssues(now);
  return Array.from({ length: ISSUES }, (_, i) => {
    const src = base[i % base.length]!;
    const shift = Math.floor(i / base.length) * 3 * 86_400_000;
    return {
      ...src,
      number: i + 1,
      updatedAt: new Date(Date.parse(src.updatedAt) - shift).toISOString(),
    };
  });
}

function rank(json: string, now: number): number[] {
  const issues = JSON.parse(json) as ReturnType<typeof hundredIssues>;
  return issues
    .map((i) => ({
      n: i.number,
      u: Date.parse(i.updatedAt),
      s: scoreIssue(scoringInputOf(i), 'octo-learner', now),
    }))
    .sort((a, b) => b.s - a.s || b.u - a.u || a.n - b.n)
    .slice(0, 15)
    .map((x) => x.n);
}

function time(fn: () => unknown): number[] {
  const out: number[] = [];
  for (let i = 0; i < WARMUP; i++) fn();
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn();
    out.push((performance.now() - t0) * 1000);
  }
  return out;
}

export function runIssuesBench(): void {
  const now = Date.now();
  const json = JSON.stringify(hundredIssues(now));
  const parse = time(() => JSON.parse(json));
  const ranked = time(() => rank(json, now));
  const parsed = JSON.parse(json) as ReturnType<typeof hundredIssues>;
  const scoreOnly = time(() => {
    let sum = 0;
    for (const i of parsed) {
      sum += scoreIssue(scoringInputOf(i), 'octo-learner', now);
    }
    return sum;
  });
  const fmt = (label: string, xs: number[]) =>
    `${label} (n=${RUNS}): p50 ${median(xs).toFixed(1)} µs, p99 ${pct(xs, 0.99).toFixed(1)} µs`;
  console.log(fmt(`issues: score ${ISSUES} issues`, scoreOnly));
  console.log(fmt(`issues: parse gh JSON + score + sort + top 15 (${(json.length / 1024).toFixed(0)} KiB)`, ranked));
  console.log(fmt('issues: JSON.parse of the same output alone', parse));
  console.log(
    `issues: scoring share of parse+rank p50 ${((median(scoreOnly) / median(ranked)) * 100).toFixed(0)} %; ` +
      `rank/parse ratio ${(median(ranked) / median(parse)).toFixed(2)}x`,
  );
}

const REFRESHES = 15;

/**
 * A whole `dashboard:refresh_issues` in the app core, from the invoke to the last `dashboard:issues` event: three
 * `gh` processes (the fake, a Node script: start-up dominates), the ranking and the 15 assessments. Without a key;
 * with the fake model answering at once, first with an empty cache and then from the cache.
 */
export async function runIssuesRefreshBench(): Promise<void> {
  const gh = installFakeGh('issues');
  const fake = await startFakeAnthropic({
    script: [],
    whenExhausted: say(
      JSON.stringify({
        summary: 'You would change the store and add a test.',
        difficulty: 'medium',
        suitability: 'good',
        recommended_focus: 'testing',
        confidence: 0.7,
      }),
    ),
  });
  const measure = async (withKey: boolean, label: string, fresh: boolean) => {
    const times: number[] = [];
    let t = await boot(withKey);
    for (let i = 0; i < REFRESHES; i++) {
      if (fresh && i > 0) {
        await t.core.shutdown('bench');
        t = await boot(withKey);
      }
      const done = new Promise<void>((resolve) => {
        const sub = t.core.events.subscribe((channel, payload) => {
          if (channel === 'dashboard:issues' && (payload as { done: boolean }).done) {
            sub.dispose();
            resolve();
          }
        });
      });
      const t0 = performance.now();
      await t.core.router.dispatch('dashboard:refresh_issues', undefined as never, {
        transport: 'bridge',
        clientId: 'bench',
      });
      await done;
      times.push(performance.now() - t0);
    }
    await t.core.shutdown('bench');
    console.log(
      `issues: refresh to the last event, ${label} (n=${REFRESHES}): p50 ${median(times).toFixed(0)} ms, ` +
        `max ${Math.max(...times).toFixed(0)} ms`,
    );
  };
  const boot = (withKey: boolean) => {
    const projectDir = tempDir('pb-issues-');
    createSampleRepo(projectDir);
    return startTestCore({
      projectDir,
      env: {
        ...gh.env,
        ANTHROPIC_BASE_URL: fake.url,
        ...(withKey ? { ANTHROPIC_API_KEY: 'sk-ant-bench-issues-1234' } : {}),
      },
    });
  };
  await measure(false, 'no API key', false);
  await measure(true, 'fake model, cold cache (new core each time)', true);
  await measure(true, 'fake model, warm cache', false);
  await fake.close();
}

if (process.argv[1]?.endsWith('issues.ts')) {
  runIssuesBench();
  void runIssuesRefreshBench();
}
