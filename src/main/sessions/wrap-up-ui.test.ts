// What the wrap-up card reads, inside a real AppCore on a real SQLite file against the fake model: `session:end` from
// the UI, the `session:wrap_up_progress` events of each agent, and `session:wrap_up_summary` before and after a retry,
// for a later session, and without a wrap-up.
import { afterEach, describe, expect, it } from 'vitest';
import { fail, say } from '../../../e2e/fake-anthropic/script';
import { startFakeAnthropic, type FakeAnthropic } from '../../../e2e/fake-anthropic/server';
import type { MessagesRequest } from '../../../e2e/fake-anthropic/wire';
import { wrapUpAgentOf } from '../../../e2e/fixtures/wrap-up-agents';
import type { WrapUpAgent } from '../../shared/domain/session';
import type { WrapUpSummary } from '../../shared/domain/wrap-up';
import type { InvokeChannel } from '../../shared/ipc/contract';
import { captureEvents } from '../mcp/testing';
import { startTestCore, stopAll, type TestCore } from '../testing/harness';

let t: TestCore | undefined;
let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await stopAll({ t, fake });
  t = fake = undefined;
});

const KATA = {
  gap_index: 0,
  title: 'Clean up after yourself',
  description: 'A hook that starts an interval and always stops it.',
  scaffolding_code: 'export function useTicker() {}\n',
  instructor_notes: 'Look for the cleanup function.',
  language: 'typescript',
  difficulty: 'easy',
  estimated_minutes: 15,
  constraints: [
    { id: 'a', description: 'Tick', minLevel: 1 },
    { id: 'b', description: 'Pause', minLevel: 3 },
    { id: 'c', description: 'Restart', minLevel: 5 },
  ],
  test_code: null,
};

function kgAnswer(topic: string) {
  return {
    knowledge_gaps: [{ topic, evidence: 'Asked for two hints.', severity: 'high', related_concepts: [] }],
    kata_specs: [KATA],
    session_summary: { phases_completed: 0, total_time_minutes: 1, hints_used: 0, independent_completions: 0 },
  };
}

function dreyfusAnswer(stage: string) {
  return {
    assessments: [
      {
        skill_area: 'React hooks',
        stage,
        previous_stage: null,
        confidence: 0.6,
        evidence: 'Finished with two hints.',
        recommendation: '',
      },
    ],
  };
}

const MEMORY = 'Debounced the search box with a timer in a ref; effect cleanup was the hard part.';

type Agent = WrapUpAgent;

/** Answers each agent by its system prompt; `answers` is read at request time, so a test can change it between runs. */
type Answer = ReturnType<typeof say> | ReturnType<typeof fail>;

async function boot(answers: Record<Agent, () => Answer | Promise<Answer>>) {
  fake = await startFakeAnthropic({
    classify: () => 'side',
    sideResponder: (req: MessagesRequest) => {
      const agent = wrapUpAgentOf(req);
      return agent ? answers[agent]() : say('{}');
    },
  });
  t = await startTestCore({
    env: { PATH: process.env.PATH, ANTHROPIC_API_KEY: 'sk-ant-env-key-12345678', ANTHROPIC_BASE_URL: fake.url },
  });
  return captureEvents(t.core.events);
}

async function ipc<T = unknown>(channel: InvokeChannel, input?: unknown): Promise<T> {
  const env = await t!.core.router.dispatch(channel, input as never, { transport: 'bridge', clientId: 't' });
  if (!env.ok) throw new Error(`${env.error.code}: ${env.error.message}`);
  return env.value as T;
}

async function ipcError(channel: InvokeChannel, input?: unknown): Promise<string> {
  const env = await t!.core.router.dispatch(channel, input as never, { transport: 'bridge', clientId: 't' });
  if (env.ok) throw new Error(`${channel} succeeded`);
  return env.error.code;
}

function startSession(): number {
  return t!.core.get('sessions').start({ projectDir: t!.projectDir, hintLevel: 'medium', issueTitle: 'Debounce' }).id;
}

async function completed(events: ReturnType<typeof captureEvents>, sessionId: number, n = 1): Promise<void> {
  await expect
    .poll(() => events.of('session:completed').filter((p) => (p as { sessionId: number }).sessionId === sessionId))
    .toHaveLength(n);
}

describe('wrap-up for the UI', () => {
  it('session:end runs the wrap-up; progress per agent; the summary lists gaps, katas, stage changes and memories', async () => {
    const events = await boot({
      knowledge_gap: () => say(JSON.stringify(kgAnswer('React useEffect cleanup'))),
      dreyfus: () => say(JSON.stringify(dreyfusAnswer('Advanced Beginner'))),
      reflection: () => say(JSON.stringify({ memories: [{ content: MEMORY, tags: ['react'], importance: 'high' }] })),
    });
    expect(await ipcError('session:end')).toBe('NO_ACTIVE_SESSION');
    expect(await ipc('session:wrap_up_summary')).toBeNull();
    const sessionId = startSession();
    const during = await ipc<WrapUpSummary>('session:wrap_up_summary', { sessionId });
    expect(during.agents.map((a) => a.state)).toEqual(['pending', 'pending', 'pending']);

    expect(await ipc('session:end', {})).toEqual({ sessionId, status: 'wrapping_up' });
    expect(events.of('session:ended')).toEqual([{ sessionId, status: 'wrapping_up', reason: 'user' }]);
    await completed(events, sessionId);

    const progress = events.of('session:wrap_up_progress') as { agent: Agent; state: string }[];
    for (const agent of ['knowledge_gap', 'dreyfus', 'reflection'] as const) {
      expect(progress.filter((p) => p.agent === agent).map((p) => p.state)).toEqual(['running', 'done']);
    }
    // Reflection starts only after both others are done.
    const reflectionStart = progress.findIndex((p) => p.agent === 'reflection');
    expect(progress.slice(0, reflectionStart).filter((p) => p.state === 'done')).toHaveLength(2);

    const summary = await ipc<WrapUpSummary>('session:wrap_up_summary');
    expect(summary).toMatchObject({
      session: { id: sessionId, status: 'completed', endReason: 'user' },
      agents: [
        { agent: 'knowledge_gap', state: 'done', message: null },
        { agent: 'dreyfus', state: 'done', message: null },
        { agent: 'reflection', state: 'done', message: null },
      ],
      gaps: [{ topic: 'React useEffect cleanup', severity: 'high' }],
      katas: [{ title: 'Clean up after yourself', gapTopic: 'React useEffect cleanup', difficulty: 'easy' }],
      stageChanges: [{ skillArea: 'React hooks', from: null, to: 'Advanced Beginner' }],
      memories: [{ id: `s${sessionId}-m1`, content: MEMORY, importance: 'high' }],
    });
    expect(await ipc('session:wrap_up_summary', { sessionId })).toEqual(summary);
    expect(await ipcError('session:wrap_up_summary', { sessionId: 9999 })).toBe('NOT_FOUND');
    expect(await ipcError('session:wrap_up_summary', { sessionId: -1 })).toBe('VALIDATION_FAILED');

    // A second session re-encounters the gap and re-assesses the skill: its summary has them (the stage from where
    // the first left it), and the first session's summary is unchanged.
    const second = startSession();
    await ipc('session:end');
    await completed(events, second);
    const next = await ipc<WrapUpSummary>('session:wrap_up_summary');
    expect(next.session.id).toBe(second);
    expect(next.gaps).toEqual([{ topic: 'React useEffect cleanup', severity: 'high' }]);
    expect(next.stageChanges).toEqual([
      { skillArea: 'React hooks', from: 'Advanced Beginner', to: 'Advanced Beginner' },
    ]);
    expect(next.memories.map((m) => m.id)).toEqual([`s${second}-m1`]);
    expect(await ipc('session:wrap_up_summary', { sessionId })).toEqual(summary);
  });

  it('a failed agent shows failed with its message; a retry reports running → done and the summary fills in', async () => {
    let reflectionFails = true;
    const events = await boot({
      knowledge_gap: () => say(JSON.stringify(kgAnswer('Debouncing'))),
      dreyfus: () => say(JSON.stringify(dreyfusAnswer('Novice'))),
      reflection: () =>
        reflectionFails
          ? say('not json at all')
          : say(JSON.stringify({ memories: [{ content: MEMORY, tags: [], importance: 'medium' }] })),
    });
    const sessionId = startSession();
    await ipc('session:end');
    await completed(events, sessionId);
    const failed = await ipc<WrapUpSummary>('session:wrap_up_summary');
    expect(failed.session.status).toBe('completed_with_errors');
    expect(failed.agents[2]).toEqual({
      agent: 'reflection',
      state: 'failed',
      message: expect.stringContaining('JSON'),
    });
    expect(failed.memories).toEqual([]);
    expect(failed.gaps).toHaveLength(1);

    reflectionFails = false;
    const before = events.of('session:wrap_up_progress').length;
    const r = await ipc<{ status: string; ran: string[] }>('session:retry_wrap_up', { sessionId, agent: 'reflection' });
    expect(r).toMatchObject({ status: 'completed', ran: ['reflection'] });
    expect(events.of('session:wrap_up_progress').slice(before)).toEqual([
      { sessionId, agent: 'reflection', state: 'running', message: null },
      { sessionId, agent: 'reflection', state: 'done', message: null },
    ]);
    const after = await ipc<WrapUpSummary>('session:wrap_up_summary');
    expect(after.session.status).toBe('completed');
    expect(after.agents.map((a) => a.state)).toEqual(['done', 'done', 'done']);
    expect(after.memories).toEqual([{ id: `s${sessionId}-m1_r1`, content: MEMORY, importance: 'medium' }]);
    expect(after.gaps).toEqual(failed.gaps);
    expect(after.katas).toEqual(failed.katas);
  });

  it('while the wrap-up runs, the summary reports each agent’s live state and the results so far', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const events = await boot({
      knowledge_gap: async () => {
        await gate;
        return say(JSON.stringify(kgAnswer('Debouncing')));
      },
      dreyfus: () => say(JSON.stringify(dreyfusAnswer('Novice'))),
      reflection: () => say(JSON.stringify({ memories: [] })),
    });
    const sessionId = startSession();
    await ipc('session:end');
    await expect
      .poll(async () => (await ipc<WrapUpSummary>('session:wrap_up_summary')).agents.map((a) => a.state))
      .toEqual(['running', 'done', 'pending']);
    const mid = await ipc<WrapUpSummary>('session:wrap_up_summary');
    expect(mid.session.status).toBe('wrapping_up');
    expect(mid.stageChanges).toEqual([{ skillArea: 'React hooks', from: null, to: 'Novice' }]);
    expect(mid.gaps).toEqual([]);
    release();
    await completed(events, sessionId);
    const done = await ipc<WrapUpSummary>('session:wrap_up_summary');
    expect(done.agents.map((a) => a.state)).toEqual(['done', 'done', 'done']);
    expect(done.gaps).toEqual([{ topic: 'Debouncing', severity: 'high' }]);
    expect(done.memories).toEqual([]);
  });

  it('session:end without the wrap-up ends at once with every agent failed "not run"; the model is not called', async () => {
    const events = await boot({
      knowledge_gap: () => fail(500),
      dreyfus: () => fail(500),
      reflection: () => fail(500),
    });
    const sessionId = startSession();
    expect(await ipc('session:end', { runWrapUp: false })).toEqual({ sessionId, status: 'completed_with_errors' });
    expect(events.of('session:ended')).toEqual([{ sessionId, status: 'completed_with_errors', reason: 'forced' }]);
    const summary = await ipc<WrapUpSummary>('session:wrap_up_summary');
    expect(summary.agents.map((a) => a.state)).toEqual(['failed', 'failed', 'failed']);
    expect(fake!.requests.filter((r) => r.route === 'messages')).toEqual([]);
    expect(await ipcError('session:end', { runWrapUp: 'yes' })).toBe('VALIDATION_FAILED');
  });
});
