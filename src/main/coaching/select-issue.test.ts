// `session:select_issue`, the UI entry of the coaching pipeline, in the real app core with a fake `gh` first on PATH
// (e2e/fixtures/fake-gh: the CLI's real --json shapes, or its real not-logged-in / no-remote errors) and the fake
// Anthropic API.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { say, type Step } from '../../../e2e/fake-anthropic/script';
import { startFakeAnthropic, type FakeAnthropic } from '../../../e2e/fake-anthropic/server';
import { textOf } from '../../../e2e/fake-anthropic/wire';
import { COACH_PLAN, PROJECT, SELECTION } from '../../../e2e/fixtures/coaching-plan';
import { installFakeGh, sampleIssues } from '../../../e2e/fixtures/fake-gh/fixtures';
import type { InvokeChannel } from '../../shared/ipc/contract';
import { captureEvents } from '../mcp/testing';
import { startTestCore, tempDir, type TestCore } from '../testing/harness';

let t: TestCore | undefined;
let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await t?.core.shutdown('test end');
  await fake?.close();
  t = undefined;
  fake = undefined;
});

/** The fixture's issue as GitHub holds it; the fake `gh` prints the fields a command asks for. */
const GH_ISSUE = {
  ...sampleIssues()[0]!,
  body: 'A row like `"Smith, Jane",42` is read as three fields, so the total in column 2 is wrong.\n\nQuoted fields may also contain newlines and doubled quotes per RFC 4180.',
  labels: [{ id: 'LA_kwDOAbc123', name: 'bug', description: "Something isn't working", color: 'd73a4a' }],
  number: 42,
  title: 'CSV import breaks on quoted fields',
  url: 'https://github.com/example/tally/issues/42',
};

type Scenario = 'ok' | 'not-logged-in' | 'no-remote';

async function boot(opts: { script?: Step[]; gh?: Scenario | null; key?: boolean } = {}) {
  fake = await startFakeAnthropic({ script: opts.script ?? [] });
  const dataDir = tempDir('paige-data-');
  fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ observer: { enabled: false } }));
  const scenario = opts.gh === undefined ? 'ok' : opts.gh;
  const gh =
    scenario === null ? null : installFakeGh(scenario === 'ok' ? 'no-issues' : scenario, { issues: [GH_ISSUE] });
  t = await startTestCore({
    dataDir,
    env: {
      // Without the fake, PATH names no directory at all: no `gh`.
      ...(gh ? gh.env : { PATH: '/nonexistent' }),
      ANTHROPIC_BASE_URL: fake.url,
      ...(opts.key === false ? {} : { ANTHROPIC_API_KEY: 'sk-ant-select-issue-1234' }),
    },
  });
  for (const [rel, text] of Object.entries(PROJECT)) {
    fs.mkdirSync(path.dirname(path.join(t.projectDir, rel)), { recursive: true });
    fs.writeFileSync(path.join(t.projectDir, rel), text);
  }
  return { events: captureEvents(t.core.events), gh };
}

const meta = { transport: 'bridge' as const, clientId: 'select-issue-test' };
async function dispatch(channel: InvokeChannel, input: unknown) {
  return t!.core.router.dispatch(channel, input as never, meta);
}

function sessions() {
  const db = t!.core.db;
  return db.all(db.qb.selectFrom('sessions').select(['id', 'status', 'issue_number', 'issue_url']).orderBy('id'));
}

describe('session:select_issue', () => {
  it('reads the issue with gh in the project, starts a session on it and plans it', async () => {
    const { events, gh } = await boot({ script: [say(JSON.stringify(SELECTION)), say(JSON.stringify(COACH_PLAN))] });
    const env = await dispatch('session:select_issue', { issueNumber: 42 });
    expect(env.ok, JSON.stringify(env)).toBe(true);
    const value = env.ok ? (env.value as { session: { id: number }; plan: { totalPhases: number } }) : null;
    expect(value?.plan.totalPhases).toBe(3);

    expect(gh!.calls()).toEqual([
      { cwd: t!.projectDir, args: ['issue', 'view', '42', '--json', 'number,title,body,labels,url'] },
    ]);
    expect(sessions()).toEqual([
      { id: value!.session.id, status: 'active', issue_number: 42, issue_url: GH_ISSUE.url },
    ]);
    // The Coach planned from the issue itself: its body and labels from gh, no plan text.
    const coachIn = JSON.parse(textOf(fake!.mainRequests()[1]!.body!.messages[0]!.content)) as {
      issue: { body: string; labels: string[] };
      plan_text: string | null;
    };
    expect(coachIn).toMatchObject({ issue: { body: GH_ISSUE.body, labels: ['bug'] }, plan_text: null });
    const db = t!.core.db;
    expect(db.get(db.qb.selectFrom('plans').select(['source', 'plan_text']))).toEqual({
      source: 'ui',
      plan_text: null,
    });
    // The sidebar got the session, the issue card, the steps and the plan, in that order.
    const order = events.list
      .map((e) => e.channel)
      .filter((c) => ['session:started', 'coaching:issue_context', 'coaching:plan_ready'].includes(c));
    expect(order).toEqual(['session:started', 'coaching:issue_context', 'coaching:plan_ready']);
    expect(events.of('coaching:issue_context')[0]).toMatchObject({ number: 42, labels: ['bug'], url: GH_ISSUE.url });
  });

  it('with the issue given (the Issues view), plans it without asking gh', async () => {
    const { gh } = await boot({ script: [say(JSON.stringify(SELECTION)), say(JSON.stringify(COACH_PLAN))] });
    const env = await dispatch('session:select_issue', {
      issueNumber: 42,
      issueTitle: GH_ISSUE.title,
      issueBody: GH_ISSUE.body,
      issueLabels: ['bug'],
      issueUrl: GH_ISSUE.url,
    });
    expect(env.ok, JSON.stringify(env)).toBe(true);
    expect(gh!.calls()).toEqual([]);
    expect(sessions()).toMatchObject([{ status: 'active', issue_number: 42, issue_url: GH_ISSUE.url }]);
    const coachIn = JSON.parse(textOf(fake!.mainRequests()[1]!.body!.messages[0]!.content)) as {
      issue: { body: string; labels: string[] };
    };
    expect(coachIn.issue).toMatchObject({ body: GH_ISSUE.body, labels: ['bug'] });
  });

  it('refuses while a session is active unless forced, which ends it first', async () => {
    await boot({ script: [say(JSON.stringify(SELECTION)), say(JSON.stringify(COACH_PLAN))] });
    const first = t!.core.get('sessions').start({ projectDir: t!.projectDir, hintLevel: 'medium' });
    const refused = await dispatch('session:select_issue', { issueNumber: 42 });
    expect(refused.ok ? null : refused.error.code).toBe('ACTIVE_SESSION_EXISTS');
    expect(fake!.mainRequests()).toHaveLength(0);

    const forced = await dispatch('session:select_issue', { issueNumber: 42, force: true });
    expect(forced.ok, JSON.stringify(forced)).toBe(true);
    expect(sessions().map((s) => [s.id, s.status])).toEqual([
      [first.id, 'completed_with_errors'],
      [first.id + 1, 'active'],
    ]);
  });

  it.each([
    ['not-logged-in' as const, 'GH_AUTH', 'gh auth login'],
    ['no-remote' as const, 'GH_NO_REPO', 'git remote add'],
    [null, 'GH_UNAVAILABLE', 'cli.github.com'],
  ])('gh %s: %s with what to do, no session, no model call', async (scenario, code, hint) => {
    await boot({ gh: scenario });
    const env = await dispatch('session:select_issue', { issueNumber: 42 });
    expect(env.ok ? null : env.error.code).toBe(code);
    expect(env.ok ? '' : env.error.message).toContain(hint);
    expect(sessions()).toEqual([]);
    expect(fake!.mainRequests()).toHaveLength(0);
  });

  it('without an API key: the session starts, the sidebar shows the failure, LLM_DISABLED', async () => {
    const { events } = await boot({ key: false });
    const env = await dispatch('session:select_issue', { issueNumber: 42 });
    expect(env.ok ? null : env.error.code).toBe('LLM_DISABLED');
    expect(sessions().map((s) => s.status)).toEqual(['active']);
    const progress = events.of('planning:progress') as { step: string }[];
    expect(progress.at(-1)?.step).toBe('failed');
    expect(fake!.mainRequests()).toHaveLength(0);
  });
});
