// `dashboard:refresh_issues` in the real app core, on the sample repository with the fake `gh` (40 open issues, two
// open PRs by the learner) first on PATH and the fake Anthropic API answering the Issue Suitability agent.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { fail, say, type Reply, type Step } from '../../../e2e/fake-anthropic/script';
import { startFakeAnthropic, type FakeAnthropic } from '../../../e2e/fake-anthropic/server';
import { textOf, type MessagesRequest } from '../../../e2e/fake-anthropic/wire';
import {
  GH_LOGIN,
  installFakeGh,
  scoringInputOf,
  type FakeGh,
  type GhFixture,
  type GhScenario,
} from '../../../e2e/fixtures/fake-gh/fixtures';
import { createSampleRepo } from '../../../e2e/fixtures/sample-repo';
import type { InProgressItem, ScoredIssue } from '../../shared/domain/issues';
import type { EventChannel } from '../../shared/ipc/contract';
import { excerpt } from '../../shared/text/excerpt';
import { captureEvents } from '../mcp/testing';
import { startTestCore, tempDir, stopAll, type TestCore } from '../testing/harness';
import { ASSESS_CONCURRENCY } from './issues-service';
import { scoreIssue } from './scoring';

let t: TestCore | undefined;
let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await stopAll({ t, fake });
  t = fake = undefined;
});

/** The issue number in an Issue Suitability request. */
function issueOf(req: MessagesRequest): number {
  const text = textOf(req.messages[0]!.content);
  return (JSON.parse(text) as { issue: { number: number } }).issue.number;
}

function assessment(n: number): Reply {
  return say(
    JSON.stringify({
      summary: `You would fix issue ${n} in the to-do store and cover it with a test; a focused change in two files.`,
      difficulty: n % 2 === 0 ? 'low' : 'medium',
      suitability: n % 3 === 0 ? 'excellent' : 'good',
      recommended_focus: 'unit testing',
      confidence: 0.8,
    }),
  );
}

const assessStep: Step = (req) => assessment(issueOf(req));

async function boot(opts: { gh?: GhScenario | null; key?: boolean; script?: Step[] } = {}) {
  fake = await startFakeAnthropic({ script: opts.script ?? Array.from({ length: 15 }, () => assessStep) });
  const projectDir = tempDir('paige-issues-proj-');
  createSampleRepo(projectDir);
  const gh: FakeGh | null = opts.gh === null ? null : installFakeGh(opts.gh ?? 'issues');
  t = await startTestCore({
    settings: { observer: { enabled: false } },
    projectDir,
    env: {
      ...(gh ? gh.env : { PATH: '/nonexistent' }),
      ANTHROPIC_BASE_URL: fake.url,
      ...(opts.key === false ? {} : { ANTHROPIC_API_KEY: 'sk-ant-issues-test-1234' }),
    },
  });
  return { events: captureEvents(t.core.events), gh };
}

async function refresh(): Promise<string> {
  const env = await t!.core.router.dispatch('dashboard:refresh_issues', undefined as never, {
    transport: 'bridge',
    clientId: 'issues-test',
  });
  if (!env.ok) throw new Error(JSON.stringify(env.error));
  await t!.core.get('issues').idle();
  return (env.value as { requestId: string }).requestId;
}

type Events = ReturnType<typeof captureEvents>;
function ofRequest<T>(events: Events, channel: EventChannel, requestId: string): T[] {
  return events.of(channel).filter((p) => (p as { requestId: string }).requestId === requestId) as T[];
}
type IssuesEvent = {
  requestId: string;
  issues: ScoredIssue[];
  total: number;
  openCount: number;
  llm: string;
  done: boolean;
};

/** An active session on #7 and a finished session whose plan on #11 still has phases left. */
function inProgressSessions() {
  const sessions = t!.core.get('sessions');
  const plans = t!.core.get('plans');
  const url = (n: number) => `https://github.com/paige-fixtures/todo-app/issues/${n}`;
  const old = sessions.start({
    projectDir: t!.projectDir,
    hintLevel: 'medium',
    issueNumber: 11,
    issueTitle: '`done` with a non-number id',
    issueUrl: url(11),
  });
  plans.storePlan(old.id, {
    title: 'Check the id',
    summary: 'Validate the argument of done',
    planText: null,
    memoryConnection: null,
    estimatedDifficulty: 'beginner',
    source: 'ui',
    phases: [
      {
        title: 'Validate',
        description: 'Reject ids that are not numbers',
        hint: '',
        hint_level: 'medium',
        expected_files: ['src/cli.ts'],
        tasks: [],
        file_hints: [],
        line_hints: [],
      },
    ],
  });
  sessions.forceEnd(old.id);
  sessions.start({
    projectDir: t!.projectDir,
    hintLevel: 'medium',
    issueNumber: 7,
    issueTitle: 'Completing a to-do twice re-opens it',
    issueUrl: url(7),
  });
}

describe('dashboard:refresh_issues', () => {
  it('in progress first, then the 15 best remaining issues one per event with ratings, the last done', async () => {
    const { events, gh } = await boot();
    inProgressSessions();
    const requestId = await refresh();

    // gh ran in the project: the issue list, the learner's PRs and the login, each with the fields Paige reads.
    const calls = gh!.calls();
    expect(calls.every((c) => c.cwd === t!.projectDir)).toBe(true);
    expect(calls.map((c) => c.args).sort()).toEqual(
      [
        ['api', 'user'],
        [
          'issue',
          'list',
          '--state',
          'open',
          '--limit',
          '100',
          '--json',
          'number,title,body,labels,assignees,author,comments,updatedAt,createdAt,url',
        ],
        [
          'pr',
          'list',
          '--author',
          '@me',
          '--state',
          'open',
          '--json',
          'number,title,labels,author,updatedAt,createdAt,url,isDraft',
        ],
      ].sort(),
    );

    const inProgress = ofRequest<{ items: InProgressItem[]; done: boolean }>(
      events,
      'dashboard:in_progress',
      requestId,
    );
    expect(inProgress).toHaveLength(1);
    expect(inProgress[0]!.done).toBe(true);
    expect(inProgress[0]!.items.map((i) => [i.type, i.number, i.sessionState ?? i.prStatus])).toEqual([
      ['issue', 7, 'active'],
      ['issue', 11, 'unfinished_plan'],
      ['pr', 42, 'draft'],
      ['pr', 41, 'open'],
    ]);
    expect(inProgress[0]!.items[0]!.labels.map((l) => l.name)).toEqual(['bug', 'good first issue']);

    // In-progress came before any ranked issue.
    const channels = events.list.map((e) => e.channel);
    expect(channels.indexOf('dashboard:in_progress')).toBeLessThan(channels.indexOf('dashboard:issues'));

    const issueEvents = ofRequest<IssuesEvent>(events, 'dashboard:issues', requestId);
    expect(issueEvents).toHaveLength(15);
    expect(issueEvents.every((e) => e.issues.length === 1 && e.total === 15)).toBe(true);
    // Chosen among the 38 open issues that are not in progress; the model rated them.
    expect(issueEvents.every((e) => e.openCount === 38 && e.llm === 'ready')).toBe(true);
    expect(issueEvents.map((e) => e.done)).toEqual([...Array<boolean>(14).fill(false), true]);
    const sent = issueEvents.map((e) => e.issues[0]!);
    expect(sent.map((i) => i.number)).not.toContain(7);
    expect(sent.map((i) => i.number)).not.toContain(11);

    // The 15 sent are the 15 best by score among the rest, scored for the logged-in learner.
    const fixture = JSON.parse(fs.readFileSync(gh!.fixtureFile, 'utf8')) as GhFixture;
    const now = Date.now();
    const expected = fixture.issues
      .filter((i) => i.number !== 7 && i.number !== 11)
      .map((i) => ({
        number: i.number,
        updatedAt: Date.parse(i.updatedAt),
        score: scoreIssue(scoringInputOf(i), GH_LOGIN, now),
      }))
      .sort((a, b) => b.score - a.score || b.updatedAt - a.updatedAt || a.number - b.number);
    expect(new Set(sent.map((i) => i.number))).toEqual(new Set(expected.slice(0, 15).map((e) => e.number)));
    expect(sent.every((i) => i.score >= expected[14]!.score - 0.01)).toBe(true);

    // Each carries the model's assessment.
    for (const issue of sent) {
      expect(issue.difficulty).toBe(issue.number % 2 === 0 ? 'low' : 'medium');
      expect(issue.suitability).toBe(issue.number % 3 === 0 ? 'excellent' : 'good');
      expect(issue.summary).toContain(`issue ${issue.number}`);
      expect(issue.recommendedFocus).toBe('unit testing');
    }
    expect(fake!.mainRequests()).toHaveLength(15);
    const db = t!.core.db;
    const apiCalls = () => db.all(db.qb.selectFrom('api_call_log').select(['call_type', 'model']));
    // The ledger writes a call's row after its result is handed back.
    await expect.poll(() => apiCalls().length).toBe(15);
    const logged = apiCalls();
    expect(new Set(logged.map((r) => r.call_type))).toEqual(new Set(['issue_suitability']));
    expect(logged[0]!.model).toContain('haiku');

    // Every listed issue's labels are cached.
    const labelRows = db.all(db.qb.selectFrom('issue_labels').selectAll());
    const expectedLabels = fixture.issues.reduce((n, i) => n + i.labels.length, 0);
    expect(labelRows).toHaveLength(expectedLabels);
    expect(labelRows.find((r) => r.issue_number === 7 && r.label_name === 'bug')).toMatchObject({
      repo: 'paige-fixtures/todo-app',
      label_color: 'd73a4a',
    });
  });

  it(`assesses at most ${ASSESS_CONCURRENCY} issues at once`, async () => {
    let inFlight = 0;
    let peak = 0;
    const gates: (() => void)[] = [];
    const gated: Step = async (req) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise<void>((resolve) => gates.push(resolve));
      inFlight--;
      return assessment(issueOf(req));
    };
    await boot({ script: Array.from({ length: 15 }, () => gated) });
    const env = await t!.core.router.dispatch('dashboard:refresh_issues', undefined as never, {
      transport: 'bridge',
      clientId: 'issues-test',
    });
    expect(env.ok).toBe(true);
    // Release one held call at a time once the limit is reached; the next call only arrives after a release.
    let released = 0;
    while (released < 15) {
      await expect.poll(() => gates.length, { timeout: 10_000 }).toBeGreaterThan(0);
      if (released < 12) {
        await expect.poll(() => inFlight, { timeout: 10_000 }).toBe(ASSESS_CONCURRENCY);
      }
      gates.shift()!();
      released++;
    }
    await t!.core.get('issues').idle();
    expect(peak).toBe(ASSESS_CONCURRENCY);
  });

  it('a second refresh within the hour reuses the assessments: no new model calls, same ratings', async () => {
    const { events } = await boot();
    const first = await refresh();
    const second = await refresh();
    expect(second).not.toBe(first);
    expect(fake!.mainRequests()).toHaveLength(15);
    const a = ofRequest<IssuesEvent>(events, 'dashboard:issues', first).map((e) => e.issues[0]!);
    const b = ofRequest<IssuesEvent>(events, 'dashboard:issues', second).map((e) => e.issues[0]!);
    expect(b).toHaveLength(15);
    const byNumber = (list: ScoredIssue[]) =>
      Object.fromEntries(list.map((i) => [i.number, [i.difficulty, i.suitability, i.summary]]));
    expect(byNumber(b)).toEqual(byNumber(a));
  });

  it('without an API key: summaries are the start of the body, no ratings, no model call', async () => {
    const { events } = await boot({ key: false });
    const requestId = await refresh();
    const sent = ofRequest<IssuesEvent>(events, 'dashboard:issues', requestId).map((e) => e.issues[0]!);
    expect(sent).toHaveLength(15);
    for (const issue of sent) {
      expect(issue).toMatchObject({ difficulty: null, suitability: null, recommendedFocus: null });
      expect(issue.summary).toBe(excerpt(issue.body, 250));
    }
    // A long body is cut at a word boundary, marked with an ellipsis.
    const long = sent.filter((i) => i.body.trim().length > 250);
    expect(long.length).toBeGreaterThan(0);
    for (const issue of long) {
      expect(issue.summary.endsWith('…')).toBe(true);
      expect(issue.summary.length).toBeLessThanOrEqual(250);
      const kept = issue.summary.slice(0, -1);
      expect(issue.body.trim().startsWith(kept)).toBe(true);
      expect(issue.body.trim().charAt(kept.length)).toMatch(/[\s,;:.!?)-]/);
    }
    // Not rated, and the events say why; the count of open issues is still there.
    const all = ofRequest<IssuesEvent>(events, 'dashboard:issues', requestId);
    expect(all.every((e) => e.llm === 'no_key' && e.openCount === 40)).toBe(true);
    expect(fake!.mainRequests()).toHaveLength(0);
  });

  it('an assessment that fails leaves that issue without ratings; the others keep theirs', async () => {
    let failed: number | null = null;
    const step: Step = (req) => {
      const n = issueOf(req);
      if (failed === null) {
        failed = n;
        return fail(400, { type: 'invalid_request_error' });
      }
      return assessment(n);
    };
    const { events } = await boot({ script: Array.from({ length: 15 }, () => step) });
    const requestId = await refresh();
    const sent = ofRequest<IssuesEvent>(events, 'dashboard:issues', requestId).map((e) => e.issues[0]!);
    expect(sent).toHaveLength(15);
    const broken = sent.filter((i) => i.difficulty === null);
    expect(broken.map((i) => i.number)).toEqual([failed]);
    expect(broken[0]!.summary).toBe(excerpt(broken[0]!.body, 250));
    expect(sent.filter((i) => i.suitability !== null)).toHaveLength(14);
  });

  it('two refreshes at once each get their own complete set of events under their own id', async () => {
    const { events } = await boot();
    const dispatch = () =>
      t!.core.router.dispatch('dashboard:refresh_issues', undefined as never, { transport: 'bridge', clientId: 'x' });
    const [a, b] = await Promise.all([dispatch(), dispatch()]);
    await t!.core.get('issues').idle();
    const ids = [a, b].map((e) => (e.ok ? (e.value as { requestId: string }).requestId : ''));
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) {
      const list = ofRequest<IssuesEvent>(events, 'dashboard:issues', id);
      expect(list).toHaveLength(15);
      expect(list.at(-1)!.done).toBe(true);
      expect(ofRequest(events, 'dashboard:in_progress', id)).toHaveLength(1);
    }
    // The second shared the first one's calls in flight.
    expect(fake!.mainRequests()).toHaveLength(15);
  });

  it('no open issues: one event with no issues, done', async () => {
    const { events } = await boot({ gh: 'no-issues' });
    const requestId = await refresh();
    expect(ofRequest(events, 'dashboard:issues', requestId)).toEqual([
      { requestId, issues: [], total: 0, openCount: 0, llm: 'ready', done: true },
    ]);
    expect(ofRequest(events, 'dashboard:issues_error', requestId)).toEqual([]);
  });

  it.each([
    ['not-logged-in' as const, 'GH_AUTH', 'gh auth login'],
    ['no-remote' as const, 'GH_NO_REPO', 'git remote add origin'],
    [null, 'GH_UNAVAILABLE', 'https://cli.github.com'],
  ])('gh %s: in progress still comes, then %s saying what to do', async (scenario, code, hint) => {
    const { events } = await boot({ gh: scenario });
    inProgressSessions();
    const requestId = await refresh();
    const inProgress = ofRequest<{ items: InProgressItem[] }>(events, 'dashboard:in_progress', requestId);
    expect(inProgress[0]!.items.map((i) => i.number)).toEqual([7, 11]);
    // Labels of #7 are not known here: nothing was listed before.
    const errors = ofRequest<{ code: string; message: string }>(events, 'dashboard:issues_error', requestId);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.code).toBe(code);
    expect(errors[0]!.message).toContain(hint);
    expect(ofRequest(events, 'dashboard:issues', requestId)).toEqual([]);
    expect(fake!.mainRequests()).toHaveLength(0);
  });
});
