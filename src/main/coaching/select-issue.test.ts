// `session:select_issue`, `session:resume` and `planning:retry`, the UI entry of the coaching pipeline, in the real app
// core with a fake `gh` first on PATH (answering `gh issue view` and `gh api user` with the CLI's real output, or its
// real not-logged-in / no-remote errors), a real git repository as the project and the fake Anthropic API.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fail, say, type Reply, type Step } from '../../../e2e/fake-anthropic/script';
import { startFakeAnthropic, type FakeAnthropic } from '../../../e2e/fake-anthropic/server';
import type { MessagesRequest } from '../../../e2e/fake-anthropic/wire';
import { textOf } from '../../../e2e/fake-anthropic/wire';
import { COACH_PLAN, PROJECT, SELECTION } from '../../../e2e/fixtures/coaching-plan';
import type { InvokeChannel } from '../../shared/ipc/contract';
import { captureEvents } from '../mcp/testing';
import { startTestCore, tempDir, writeFiles, stopAll, type TestCore } from '../testing/harness';

let t: TestCore | undefined;
let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await stopAll({ t, fake });
  t = fake = undefined;
});

/** What `gh issue view 42 --json number,title,body,labels,url` prints for the fixture's issue. */
const GH_ISSUE = {
  body: 'A row like `"Smith, Jane",42` is read as three fields, so the total in column 2 is wrong.\n\nQuoted fields may also contain newlines and doubled quotes per RFC 4180.',
  labels: [{ id: 'LA_kwDOAbc123', name: 'bug', description: "Something isn't working", color: 'd73a4a' }],
  number: 42,
  title: 'CSV import breaks on quoted fields',
  url: 'https://github.com/example/tally/issues/42',
};

type Scenario = 'ok' | 'auth' | 'no_repo';

/** A `gh` that logs its arguments and working directory, then answers as the scenario says. */
function fakeGh(scenario: Scenario): { bin: string; log: string } {
  const dir = tempDir('paige-fake-gh-');
  const log = path.join(dir, 'calls.log');
  fs.writeFileSync(path.join(dir, 'issue.json'), JSON.stringify(GH_ISSUE));
  const answer = {
    ok: `if [ "$1" = api ]; then echo '{"login":"octo-learner","id":1}'; else cat "${dir}/issue.json"; fi`,
    auth: 'echo "To get started with GitHub CLI, please run:  gh auth login" >&2; exit 4',
    no_repo: 'echo "no git remotes found" >&2; exit 1',
  }[scenario];
  fs.writeFileSync(path.join(dir, 'gh'), `#!/bin/sh\necho "$(pwd) $*" >> "${log}"\n${answer}\n`);
  fs.chmodSync(path.join(dir, 'gh'), 0o755);
  return { bin: dir, log };
}

/** The agent a request is for, from its system prompt. */
function agentOf(req: MessagesRequest): 'branch' | 'selector' | 'coach' | 'other' {
  const system = JSON.stringify(req.system ?? '');
  if (system.includes('You name git branches')) return 'branch';
  if (system.includes('pick\\nat most 8 existing files')) return 'selector';
  if (system.includes('You are the planner inside Paige')) return 'coach';
  return 'other';
}

type Answers = Partial<Record<ReturnType<typeof agentOf>, Reply>>;

/**
 * Answers each agent from a table read at call time, whatever order the calls come in (wrap-up agents run beside
 * planning); a test changes the table to change later answers.
 */
function byAgent(answers: Answers, count = 40): Step[] {
  return Array.from({ length: count }, () => (req: MessagesRequest) => answers[agentOf(req)] ?? fail(400));
}

const HAPPY: Answers = {
  branch: say('{"name": "42-quoted-csv-fields"}'),
  selector: say(JSON.stringify(SELECTION)),
  coach: say(JSON.stringify(COACH_PLAN)),
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' });
}

async function boot(opts: { script?: Step[]; gh?: Scenario | null; key?: boolean; repo?: boolean } = {}) {
  fake = await startFakeAnthropic({ script: opts.script ?? [] });
  const gh = opts.gh === null ? null : fakeGh(opts.gh ?? 'ok');
  // Without a fake gh, PATH holds only git's directory: no `gh` either way.
  const gitDir = path.dirname(execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim());
  const pathVar = gh ? `${gh.bin}:${process.env.PATH ?? ''}` : gitDir;
  t = await startTestCore({
    settings: { observer: { enabled: false } },
    env: {
      PATH: pathVar,
      ANTHROPIC_BASE_URL: fake.url,
      ...(opts.key === false ? {} : { ANTHROPIC_API_KEY: 'sk-ant-select-issue-1234' }),
    },
  });
  writeFiles(t.projectDir, PROJECT);
  if (opts.repo) {
    const d = t.projectDir;
    git(d, 'init', '-q', '-b', 'main');
    git(d, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'add', '-A');
    git(d, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'init');
  }
  return { events: captureEvents(t.core.events), ghLog: gh?.log ?? null };
}

const meta = { transport: 'bridge' as const, clientId: 'select-issue-test' };
async function dispatch(channel: InvokeChannel, input: unknown) {
  return t!.core.router.dispatch(channel, input as never, meta);
}
async function select(input: Record<string, unknown>) {
  const env = await dispatch('session:select_issue', input);
  if (!env.ok) throw new Error(JSON.stringify(env.error));
  return env.value as { sessionId: number; issueNumber: number; planning: 'started' | 'resumed' };
}

/** Waits for the run of a session to end; returns how. */
async function settled(events: ReturnType<typeof captureEvents>, sessionId: number) {
  return vi.waitFor(
    () => {
      const e = events.list.find(
        (x) =>
          (x.channel === 'planning:complete' || x.channel === 'planning:error') &&
          (x.payload as { sessionId: number }).sessionId === sessionId,
      );
      if (!e) throw new Error('still planning');
      return e;
    },
    { timeout: 10_000, interval: 10 },
  );
}

function sessions() {
  const db = t!.core.db;
  return db.all(
    db.qb
      .selectFrom('sessions')
      .select(['id', 'status', 'issue_number', 'issue_url', 'branch_name', 'end_reason', 'resumed_from_session_id'])
      .orderBy('id'),
  );
}
function count(table: 'plans' | 'phases' | 'phase_tasks' | 'phase_hints'): number {
  const db = t!.core.db;
  return db.all(db.qb.selectFrom(table).select('id')).length;
}
function actions(type: string) {
  const db = t!.core.db;
  t!.core.get('actionLog').flushAll();
  return db.all(
    db.qb
      .selectFrom('action_log')
      .select(['session_id', 'data'])
      .where('action_type', '=', type as never),
  );
}

describe('session:select_issue', () => {
  it('answers at once, then reads the issue with gh, plans it and reports every step', async () => {
    const { events, ghLog } = await boot({ script: byAgent(HAPPY) });
    const r = await select({ issueNumber: 42 });
    expect(r).toMatchObject({ issueNumber: 42, planning: 'started' });
    const end = await settled(events, r.sessionId);
    expect(end.channel).toBe('planning:complete');

    expect(fs.readFileSync(ghLog!, 'utf8').trim().split('\n')[0]).toBe(
      `${t!.projectDir} issue view 42 --json number,title,body,labels,url`,
    );
    expect(sessions()).toMatchObject([
      { id: r.sessionId, status: 'active', issue_number: 42, issue_url: GH_ISSUE.url },
    ]);
    // The steps in order, each phase with its percentage, the files read named.
    const phases = (events.of('planning:phase_update') as { phase: string; progress: number }[]).map(
      (p) => `${p.phase}@${p.progress}`,
    );
    expect(phases[0]).toBe('fetching@0');
    expect(phases).toContain('exploring@25');
    expect(phases).toContain('planning@50');
    expect(phases.at(-1)).toBe('writing_hints@85');
    const files = (events.of('planning:progress') as { filePath?: string }[]).flatMap((p) => p.filePath ?? []);
    expect(files).toEqual(['src/csv/parse.ts', 'src/csv/parse.test.ts', 'src/cli.ts']);
    const order = events.list
      .map((e) => e.channel)
      .filter((c) =>
        [
          'session:started',
          'planning:started',
          'coaching:issue_context',
          'planning:complete',
          'coaching:plan_ready',
        ].includes(c),
      );
    expect(order).toEqual([
      'session:started',
      'planning:started',
      'coaching:issue_context',
      'coaching:plan_ready',
      'planning:complete',
    ]);
    const complete = end.payload as {
      plan: { totalPhases: number };
      fileHints: { path: string; phase: number }[];
      issueContext: unknown;
    };
    expect(complete.plan.totalPhases).toBe(3);
    expect(complete.fileHints).toContainEqual({ path: 'src/csv/parse.ts', style: 'warning', phase: 1 });
    expect(complete.issueContext).toEqual({
      number: 42,
      title: GH_ISSUE.title,
      body: GH_ISSUE.body,
      labels: ['bug'],
      url: GH_ISSUE.url,
    });
    // The Coach planned from the issue itself: its body and labels from gh, no plan text.
    const coachReq = fake!.mainRequests().find((q) => agentOf(q.body!) === 'coach')!;
    const coachIn = JSON.parse(textOf(coachReq.body!.messages[0]!.content)) as { issue: unknown; plan_text: unknown };
    expect(coachIn).toMatchObject({ issue: { body: GH_ISSUE.body, labels: ['bug'] }, plan_text: null });
    expect(count('plans')).toBe(1);
    expect(actions('planning_started')).toHaveLength(1);
    expect(actions('planning_completed')).toHaveLength(1);
    // Not a git repository: no branch and no branch_name call.
    expect(fake!.mainRequests().filter((q) => agentOf(q.body!) === 'branch')).toHaveLength(0);
  });

  it('a git project gets the branch <login>/<name> from the branch_name agent, checked out', async () => {
    const { events } = await boot({ script: byAgent(HAPPY), repo: true });
    const r = await select({ issueNumber: 42 });
    await settled(events, r.sessionId);
    expect(sessions()[0]?.branch_name).toBe('octo-learner/42-quoted-csv-fields');
    expect(git(t!.projectDir, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('octo-learner/42-quoted-csv-fields');
    const branchReq = fake!.mainRequests().find((q) => agentOf(q.body!) === 'branch')!;
    expect(branchReq.body!.model).toMatch(/haiku/);
  });

  it('the branch falls back to paige/issue-<n> when the agent fails; a dirty tree keeps the branch and plans on', async () => {
    const { events } = await boot({ script: byAgent({ ...HAPPY, branch: say('not json') }), repo: true });
    const r = await select({ issueNumber: 42 });
    await settled(events, r.sessionId);
    expect(sessions()[0]?.branch_name).toBe('paige/issue-42');
    expect(git(t!.projectDir, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('paige/issue-42');

    // A second issue with uncommitted changes: no switch, a message, the plan still comes.
    fs.writeFileSync(path.join(t!.projectDir, 'README.md'), 'changed\n');
    const second = await select({ issueNumber: 43, force: true });
    expect((await settled(events, second.sessionId)).channel).toBe('planning:complete');
    expect(git(t!.projectDir, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('paige/issue-42');
    expect(sessions().at(-1)?.branch_name).toBeNull();
    const messages = events.of('coaching:message') as { message: string; type: string }[];
    expect(messages.at(-1)).toMatchObject({ type: 'warning' });
    expect(messages.at(-1)?.message).toContain('uncommitted changes');
  });

  it('a Coach failure stores nothing and leaves the session for planning:retry, which then plans it', async () => {
    const answers: Answers = { ...HAPPY, coach: fail(400) };
    const { events } = await boot({ script: byAgent(answers) });
    const r = await select({ issueNumber: 42 });
    const end = await settled(events, r.sessionId);
    expect(end.channel).toBe('planning:error');
    expect(end.payload).toMatchObject({ sessionId: r.sessionId, code: 'LLM_BAD_REQUEST', retryable: true });
    expect(count('plans') + count('phases') + count('phase_tasks') + count('phase_hints')).toBe(0);
    expect(sessions().map((s) => s.status)).toEqual(['active']);
    const snap = await dispatch('session:snapshot', undefined);
    expect(snap.ok ? (snap.value as { planning: unknown }).planning : null).toMatchObject({
      state: 'failed',
      error: { code: 'LLM_BAD_REQUEST' },
    });

    answers.coach = HAPPY.coach;
    events.list.length = 0;
    const retry = await dispatch('planning:retry', { sessionId: r.sessionId });
    expect(retry).toMatchObject({ ok: true, value: { started: true } });
    expect((await settled(events, r.sessionId)).channel).toBe('planning:complete');
    expect(count('plans')).toBe(1);
  });

  it('a session ended while the Coach answers gets no plan: planning:error CANCELLED, nothing stored', async () => {
    let asked!: () => void;
    const coachAsked = new Promise<void>((resolve) => (asked = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const script: Step[] = Array.from({ length: 10 }, () => async (req: MessagesRequest) => {
      const agent = agentOf(req);
      if (agent !== 'coach') return HAPPY[agent] ?? fail(400);
      asked();
      await released;
      return HAPPY.coach!;
    });
    const { events } = await boot({ script });
    const r = await select({ issueNumber: 42 });
    await coachAsked;
    const ended = await dispatch('session:end', { runWrapUp: false });
    expect(ended.ok).toBe(true);
    release();
    const end = await settled(events, r.sessionId);
    expect(end.payload).toMatchObject({ sessionId: r.sessionId, code: 'CANCELLED', retryable: false });
    expect(count('plans') + count('phases') + count('phase_tasks') + count('phase_hints')).toBe(0);
    expect(events.of('coaching:plan_ready')).toHaveLength(0);
  });

  it('a Coach answer that does not fit the schema: LLM_INVALID_OUTPUT, nothing stored', async () => {
    const { events } = await boot({
      script: byAgent({ ...HAPPY, coach: say(JSON.stringify({ ...COACH_PLAN, phases: [] })) }),
    });
    const r = await select({ issueNumber: 42 });
    const end = await settled(events, r.sessionId);
    expect(end.payload).toMatchObject({ code: 'LLM_INVALID_OUTPUT' });
    expect(count('plans')).toBe(0);
  });

  it('refuses while another session is active unless forced, which ends it normally first', async () => {
    const { events } = await boot({ script: byAgent(HAPPY) });
    const first = t!.core.get('sessions').start({ projectDir: t!.projectDir, hintLevel: 'medium' });
    const refused = await dispatch('session:select_issue', { issueNumber: 42 });
    expect(refused.ok ? null : refused.error.code).toBe('ACTIVE_SESSION_EXISTS');
    expect(fake!.mainRequests()).toHaveLength(0);

    const forced = await select({ issueNumber: 42, force: true });
    await settled(events, forced.sessionId);
    const [old, current] = sessions();
    expect(old).toMatchObject({ id: first.id, end_reason: 'user' });
    expect(old?.status).not.toBe('active');
    expect(current).toMatchObject({ id: forced.sessionId, status: 'active' });
    expect(events.of('session:ended')).toContainEqual({ sessionId: first.id, status: 'wrapping_up', reason: 'user' });
  });

  it.each([
    ['auth' as const, 'GH_AUTH', 'gh auth login'],
    ['no_repo' as const, 'GH_NO_REPO', 'git remote add'],
    [null, 'GH_UNAVAILABLE', 'cli.github.com'],
  ])('gh %s and no issue fields: planning:error %s with what to do, no model call', async (scenario, code, hint) => {
    const { events } = await boot({ gh: scenario });
    const r = await select({ issueNumber: 42 });
    const end = await settled(events, r.sessionId);
    expect(end.payload).toMatchObject({ code, retryable: true });
    expect((end.payload as { message: string }).message).toContain(hint);
    expect(sessions().map((s) => s.status)).toEqual(['active']);
    expect(fake!.mainRequests()).toHaveLength(0);
  });

  it('gh failing with the issue fields given: plans from the picked issue', async () => {
    const { events } = await boot({ gh: 'auth', script: byAgent(HAPPY) });
    const r = await select({
      issueNumber: 42,
      issueTitle: 'Quoted fields',
      issueBody: 'Commas in quotes split.',
      issueLabels: ['bug'],
    });
    expect((await settled(events, r.sessionId)).channel).toBe('planning:complete');
    const coachReq = fake!.mainRequests().find((q) => agentOf(q.body!) === 'coach')!;
    expect(JSON.parse(textOf(coachReq.body!.messages[0]!.content))).toMatchObject({
      issue: { title: 'Quoted fields', body: 'Commas in quotes split.', labels: ['bug'] },
    });
  });

  it('without an API key: the session starts and planning:error LLM_DISABLED follows', async () => {
    const { events } = await boot({ key: false });
    const r = await select({ issueNumber: 42 });
    expect(r.planning).toBe('started');
    const end = await settled(events, r.sessionId);
    expect(end.payload).toMatchObject({ code: 'LLM_DISABLED' });
    expect(sessions().map((s) => s.status)).toEqual(['active']);
    expect(fake!.mainRequests()).toHaveLength(0);
  });
});

describe('resume', () => {
  it('picking the issue of an unfinished plan again resumes it in a new session: no model call, branch checked out', async () => {
    const { events } = await boot({ script: byAgent(HAPPY), repo: true });
    const first = await select({ issueNumber: 42 });
    await settled(events, first.sessionId);
    const planningCalls = () => fake!.mainRequests().filter((q) => agentOf(q.body!) !== 'other').length;
    const calls = planningCalls();
    const hints = count('phase_hints');
    // Phase 1 done, phase 2 active; then the learner leaves for main.
    const plans = t!.core.get('plans');
    plans.updatePhase(first.sessionId, 1, 'complete');
    plans.updatePhase(first.sessionId, 2, 'active');
    git(t!.projectDir, 'checkout', '-q', 'main');

    // The same issue while its session is active: that session, as it is.
    expect(await select({ issueNumber: 42 })).toEqual({
      sessionId: first.sessionId,
      issueNumber: 42,
      planning: 'resumed',
    });

    await t!.core.get('wrapUp').begin(first.sessionId, 'user').done;
    events.list.length = 0;
    const again = await select({ issueNumber: 42 });
    expect(again.planning).toBe('resumed');
    expect(again.sessionId).not.toBe(first.sessionId);
    expect(planningCalls()).toBe(calls);
    expect(events.of('planning:started')).toEqual([]);
    expect(sessions().at(-1)).toMatchObject({
      status: 'active',
      resumed_from_session_id: first.sessionId,
      branch_name: 'octo-learner/42-quoted-csv-fields',
    });
    expect(git(t!.projectDir, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('octo-learner/42-quoted-csv-fields');
    const started = events.of('session:started') as { plan: { phases: { status: string }[] } | null }[];
    expect(started[0]?.plan?.phases.map((p) => p.status)).toEqual(['complete', 'active', 'pending']);
    const db = t!.core.db;
    const copied = db.get(db.qb.selectFrom('plans').selectAll().where('session_id', '=', again.sessionId));
    expect(copied).toMatchObject({ source: 'resume', is_active: 1 });
    expect(copied?.carried_from_plan_id).not.toBeNull();
    expect(count('phase_hints')).toBe(2 * hints);
    expect(actions('session_resumed')).toEqual([
      { session_id: again.sessionId, data: JSON.stringify({ fromSessionId: first.sessionId }) },
    ]);
  });

  it('resume re-applies the saved stash on the branch; a conflict keeps the stash and says GIT_CONFLICT', async () => {
    const { events } = await boot({ script: byAgent(HAPPY), repo: true });
    const d = () => t!.projectDir;
    const first = await select({ issueNumber: 42 });
    await settled(events, first.sessionId);
    const branch = 'octo-learner/42-quoted-csv-fields';
    // The learner saved work in progress and left for main (what "Save" on leaving does).
    fs.writeFileSync(path.join(d(), 'src/cli.ts'), 'console.log("wip");\n');
    git(d(), 'stash', 'push', '-m', 'paige-42-1700000000');
    git(d(), 'checkout', '-q', 'main');
    t!.core.get('sessions').setGit(first.sessionId, { stashName: 'paige-42-1700000000' });
    await t!.core.get('wrapUp').begin(first.sessionId, 'user').done;

    const again = await select({ issueNumber: 42 });
    expect(again.planning).toBe('resumed');
    expect(git(d(), 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe(branch);
    expect(fs.readFileSync(path.join(d(), 'src/cli.ts'), 'utf8')).toBe('console.log("wip");\n');
    expect(git(d(), 'stash', 'list').trim()).toBe('');
    expect(t!.core.get('sessions').get(again.sessionId)?.stashName).toBeNull();

    // Again, but the branch changed the stashed file meanwhile: the pop conflicts, the stash stays.
    git(d(), '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qam', 'wip');
    fs.writeFileSync(path.join(d(), 'src/cli.ts'), 'console.log("stashed");\n');
    git(d(), 'stash', 'push', '-m', 'paige-42-1700000001');
    fs.writeFileSync(path.join(d(), 'src/cli.ts'), 'console.log("committed");\n');
    git(d(), '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qam', 'other');
    git(d(), 'checkout', '-q', 'main');
    t!.core.get('sessions').setGit(again.sessionId, { stashName: 'paige-42-1700000001' });
    await t!.core.get('wrapUp').begin(again.sessionId, 'user').done;
    const third = await select({ issueNumber: 42 });
    expect(third.planning).toBe('resumed');
    expect(events.of('app:error')).toContainEqual(expect.objectContaining({ code: 'GIT_CONFLICT' }));
    expect(git(d(), 'stash', 'list')).toContain('paige-42-1700000001');
    expect(t!.core.get('sessions').get(third.sessionId)?.stashName).toBe('paige-42-1700000001');
  });

  it('session:resume by issue returns the snapshot; nothing to resume is NOT_FOUND', async () => {
    const { events } = await boot({ script: byAgent(HAPPY) });
    const none = await dispatch('session:resume', { issueNumber: 7 });
    expect(none.ok ? null : none.error.code).toBe('NOT_FOUND');
    const first = await select({ issueNumber: 42 });
    await settled(events, first.sessionId);
    await t!.core.get('wrapUp').begin(first.sessionId, 'user').done;
    const snap = await dispatch('session:resume', { issueNumber: 42 });
    expect(snap.ok, JSON.stringify(snap)).toBe(true);
    const value = snap.ok
      ? (snap.value as { session: { id: number; resumedFromSessionId: number }; plan: { totalPhases: number } })
      : null;
    expect(value?.session.resumedFromSessionId).toBe(first.sessionId);
    expect(value?.plan.totalPhases).toBe(3);
  });
});

describe('hints:level_change', () => {
  it('closes and opens spans, updates the session and logs a raise as hint_escalated', async () => {
    const { events } = await boot({ script: byAgent(HAPPY) });
    const r = await select({ issueNumber: 42 });
    await settled(events, r.sessionId);
    expect(await dispatch('hints:level_change', { from: 'medium', to: 'high' })).toMatchObject({
      ok: true,
      value: { level: 'high' },
    });
    expect(await dispatch('hints:level_change', { from: 'high', to: 'low' })).toMatchObject({ ok: true });
    const db = t!.core.db;
    const spans = db.all(db.qb.selectFrom('hint_level_spans').select(['level', 'ended_at']).orderBy('id'));
    expect(spans.map((s) => [s.level, s.ended_at === null])).toEqual([
      [2, false],
      [3, false],
      [1, true],
    ]);
    const progress = db.all(db.qb.selectFrom('progress_events').select(['event_type', 'data']));
    expect(progress).toEqual([{ event_type: 'hint_escalated', data: JSON.stringify({ from: 'medium', to: 'high' }) }]);
    expect(sessions()[0]).toBeDefined();
    expect(db.get(db.qb.selectFrom('sessions').select('hint_level'))?.hint_level).toBe('low');
    expect(actions('hints_level_change')).toHaveLength(2);
  });
});
