import { describe, expect, it } from 'vitest';
import { fakeTransport } from '../../../../shared/testing/fake-transport';
import type { Envelope } from '../../../../shared/ipc/envelope';
import { WrapUpStore } from './wrap-up-store';

function session(id: number, status: string) {
  return {
    id,
    projectDir: '/p',
    issueNumber: null,
    issueTitle: null,
    issueUrl: null,
    status,
    hintLevel: 'medium',
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T01:00:00.000Z',
    lastActivityAt: '2026-01-01T01:00:00.000Z',
    totalDurationMs: 3_600_000,
    endReason: 'claude_exit',
    branchName: null,
    stashName: null,
    claudeSessionId: null,
    resumedFromSessionId: null,
  };
}

type AgentState = 'pending' | 'running' | 'done' | 'failed';

function summary(id: number, status: string, states: [AgentState, AgentState, AgentState], extra = {}) {
  const agents = (['knowledge_gap', 'dreyfus', 'reflection'] as const).map((agent, i) => ({
    agent,
    state: states[i],
    message: states[i] === 'failed' ? `${agent} broke` : null,
  }));
  return {
    session: session(id, status),
    agents,
    gaps: [{ topic: 'Effect cleanup', severity: 'high' }],
    katas: [{ title: 'Ticker', gapTopic: 'Effect cleanup', difficulty: 'easy' }],
    stageChanges: [{ skillArea: 'React hooks', from: 'Novice', to: 'Advanced Beginner' }],
    memories: [],
    ...extra,
  };
}

interface Pending {
  channel: string;
  payload: unknown;
  resolve: (env: Envelope<unknown>) => void;
}

/** A transport that holds every invoke until the test answers it; events are pushed by the test. */
function fakeBackend() {
  const calls: Pending[] = [];
  const { client, emit } = fakeTransport(
    (channel, payload) => new Promise((resolve) => calls.push({ channel, payload, resolve })),
  );
  return {
    client,
    calls,
    emit,
    /** Answers the oldest unanswered call on `channel` and lets the store's continuation run. */
    answer: async (channel: string, env: Envelope<unknown>) => {
      const i = calls.findIndex((c) => c.channel === channel);
      if (i < 0) throw new Error(`no pending ${channel}; have ${calls.map((c) => c.channel).join(', ')}`);
      const [call] = calls.splice(i, 1);
      call!.resolve(env);
      await new Promise((r) => setTimeout(r, 0));
      return call!;
    },
  };
}

function setup() {
  const b = fakeBackend();
  const store = new WrapUpStore(b.client);
  const detach = store.attach();
  const states = () => store.getState().view?.agents.map((a) => a.state);
  return { b, store, detach, states };
}

describe('WrapUpStore', () => {
  it('follows a wrap-up: pending on end, each agent running then done, results read once it completes', async () => {
    const { b, store, states } = setup();
    expect(store.getState().view).toBeNull();
    b.emit('session:ended', { sessionId: 4, status: 'wrapping_up', reason: 'claude_exit' });
    expect(store.getState().view).toMatchObject({ sessionId: 4, status: 'wrapping_up', results: null });
    expect(states()).toEqual(['pending', 'pending', 'pending']);
    b.emit('session:wrap_up_progress', { sessionId: 4, agent: 'knowledge_gap', state: 'running', message: null });
    b.emit('session:wrap_up_progress', { sessionId: 4, agent: 'dreyfus', state: 'running', message: null });
    b.emit('session:wrap_up_progress', { sessionId: 4, agent: 'dreyfus', state: 'done', message: null });
    expect(states()).toEqual(['running', 'done', 'pending']);
    b.emit('session:wrap_up_progress', { sessionId: 4, agent: 'knowledge_gap', state: 'done', message: null });
    b.emit('session:wrap_up_progress', { sessionId: 4, agent: 'reflection', state: 'running', message: null });
    expect(states()).toEqual(['done', 'done', 'running']);
    expect(b.calls).toEqual([]);

    b.emit('session:completed', {
      sessionId: 4,
      status: 'completed',
      memoriesAdded: 1,
      gapsIdentified: 1,
      katasGenerated: 1,
      assessmentsUpdated: 1,
      errors: [],
    });
    expect(store.getState().view).toMatchObject({ status: 'completed', results: null });
    expect(states()).toEqual(['done', 'done', 'done']);
    const read = await b.answer('session:wrap_up_summary', {
      ok: true,
      value: summary(4, 'completed', ['done', 'done', 'done'], {
        memories: [{ id: 's4-m1', content: 'Learned cleanup', importance: 'high' }],
      }),
    });
    expect(read.payload).toEqual({ sessionId: 4 });
    expect(store.getState().view?.results).toEqual({
      gaps: [{ topic: 'Effect cleanup', severity: 'high' }],
      katas: [{ title: 'Ticker', gapTopic: 'Effect cleanup', difficulty: 'easy' }],
      stageChanges: [{ skillArea: 'React hooks', from: 'Novice', to: 'Advanced Beginner' }],
      memories: [{ id: 's4-m1', content: 'Learned cleanup', importance: 'high' }],
    });
  });

  it('a failed agent gets Retry: it runs at once, updates in place and the results are read again', async () => {
    const { b, store, states } = setup();
    b.emit('session:ended', { sessionId: 4, status: 'wrapping_up', reason: 'user' });
    b.emit('session:wrap_up_progress', { sessionId: 4, agent: 'reflection', state: 'failed', message: 'LLM_SERVER' });
    b.emit('session:completed', {
      sessionId: 4,
      status: 'completed_with_errors',
      memoriesAdded: 0,
      gapsIdentified: 1,
      katasGenerated: 1,
      assessmentsUpdated: 1,
      errors: [{ agent: 'reflection', message: 'LLM_SERVER: the API failed' }],
    });
    expect(store.getState().view?.agents[2]).toEqual({
      agent: 'reflection',
      state: 'failed',
      message: 'LLM_SERVER: the API failed',
    });
    await b.answer('session:wrap_up_summary', {
      ok: true,
      value: summary(4, 'completed_with_errors', ['done', 'done', 'failed']),
    });
    expect(states()).toEqual(['done', 'done', 'failed']);

    const retry = store.retry('reflection');
    expect(states()).toEqual(['done', 'done', 'running']);
    expect(b.calls.map((c) => [c.channel, c.payload])).toEqual([
      ['session:retry_wrap_up', { sessionId: 4, agent: 'reflection' }],
    ]);
    b.emit('session:wrap_up_progress', { sessionId: 4, agent: 'reflection', state: 'done', message: null });
    b.emit('session:completed', {
      sessionId: 4,
      status: 'completed',
      memoriesAdded: 1,
      gapsIdentified: 0,
      katasGenerated: 0,
      assessmentsUpdated: 0,
      errors: [],
    });
    expect(store.getState().view?.status).toBe('completed');
    await b.answer('session:retry_wrap_up', { ok: true, value: {} });
    const done = summary(4, 'completed', ['done', 'done', 'done'], {
      memories: [{ id: 's4-m1_r1', content: 'Learned cleanup', importance: 'medium' }],
    });
    await b.answer('session:wrap_up_summary', { ok: true, value: done });
    await b.answer('session:wrap_up_summary', { ok: true, value: done });
    await retry;
    expect(states()).toEqual(['done', 'done', 'done']);
    expect(store.getState().view?.results?.memories.map((m) => m.id)).toEqual(['s4-m1_r1']);
  });

  it('a refused retry leaves the agent failed with the reason', async () => {
    const { b, store, states } = setup();
    b.emit('session:wrap_up_progress', { sessionId: 4, agent: 'dreyfus', state: 'failed', message: 'bad output' });
    expect(store.getState().view).toMatchObject({ sessionId: 4, status: 'wrapping_up' });
    const retry = store.retry('dreyfus');
    await b.answer('session:retry_wrap_up', {
      ok: false,
      error: { code: 'LLM_DISABLED', message: 'No Anthropic API key', retryable: false, cid: 'c1' },
    });
    expect(store.getState().view?.agents[1]).toEqual({
      agent: 'dreyfus',
      state: 'failed',
      message: 'LLM_DISABLED: No Anthropic API key',
    });
    await b.answer('session:wrap_up_summary', {
      ok: false,
      error: { code: 'INTERNAL', message: 'x', retryable: false, cid: 'c1' },
    });
    await retry;
    expect(states()).toEqual(['pending', 'failed', 'pending']);
  });

  it('ignores events and answers about an older session; a newer session replaces the card', async () => {
    const { b, store, states } = setup();
    b.emit('session:ended', { sessionId: 8, status: 'wrapping_up', reason: 'claude_exit' });
    b.emit('session:wrap_up_progress', { sessionId: 7, agent: 'dreyfus', state: 'failed', message: 'old' });
    b.emit('session:ended', { sessionId: 7, status: 'wrapping_up', reason: 'claude_exit' });
    b.emit('session:completed', {
      sessionId: 7,
      status: 'completed_with_errors',
      memoriesAdded: 0,
      gapsIdentified: 0,
      katasGenerated: 0,
      assessmentsUpdated: 0,
      errors: [{ agent: 'dreyfus', message: 'old' }],
    });
    expect(store.getState().view).toMatchObject({ sessionId: 8, status: 'wrapping_up' });
    expect(states()).toEqual(['pending', 'pending', 'pending']);
    expect(b.calls).toEqual([]);
    // A load started before session 8 ended answers with session 7: dropped.
    const load = store.load();
    await b.answer('session:wrap_up_summary', { ok: true, value: summary(7, 'completed', ['done', 'done', 'done']) });
    await load;
    expect(store.getState().view).toMatchObject({ sessionId: 8, results: null });
    // Progress for a newer session starts its card.
    b.emit('session:wrap_up_progress', { sessionId: 9, agent: 'knowledge_gap', state: 'running', message: null });
    expect(store.getState().view).toMatchObject({ sessionId: 9, status: 'wrapping_up' });
    expect(states()).toEqual(['running', 'pending', 'pending']);
  });

  it('a summary read before a newer progress event keeps its results but not its older agent states', async () => {
    const { b, store, states } = setup();
    b.emit('session:ended', { sessionId: 4, status: 'wrapping_up', reason: 'claude_exit' });
    const load = store.load();
    b.emit('session:wrap_up_progress', { sessionId: 4, agent: 'knowledge_gap', state: 'running', message: null });
    await b.answer('session:wrap_up_summary', {
      ok: true,
      value: summary(4, 'wrapping_up', ['pending', 'pending', 'pending']),
    });
    await load;
    expect(states()).toEqual(['running', 'pending', 'pending']);
    expect(store.getState().view?.results?.gaps).toHaveLength(1);
  });

  it('after a reload, load() shows the newest ended session; nothing ended shows nothing', async () => {
    const { b, store, states } = setup();
    const empty = store.load();
    await b.answer('session:wrap_up_summary', { ok: true, value: null });
    await empty;
    expect(store.getState().view).toBeNull();
    const load = store.load();
    const call = await b.answer('session:wrap_up_summary', {
      ok: true,
      value: summary(5, 'completed_with_errors', ['done', 'failed', 'done']),
    });
    await load;
    expect(call.payload).toEqual({});
    expect(store.getState().view).toMatchObject({ sessionId: 5, status: 'completed_with_errors' });
    expect(states()).toEqual(['done', 'failed', 'done']);
    expect(store.getState().view?.agents[1]?.message).toBe('dreyfus broke');
  });

  it('End session invokes session:end once at a time and keeps a failure for the card', async () => {
    const { b, store } = setup();
    const first = store.endSession();
    void store.endSession();
    expect(store.getState().ending).toBe(true);
    expect(b.calls.map((c) => c.channel)).toEqual(['session:end']);
    await b.answer('session:end', {
      ok: false,
      error: { code: 'NO_ACTIVE_SESSION', message: 'No coaching session is active', retryable: false, cid: 'c1' },
    });
    await first;
    expect(store.getState()).toMatchObject({ ending: false, endError: 'No coaching session is active' });
    const second = store.endSession();
    expect(store.getState().endError).toBeNull();
    await b.answer('session:end', { ok: true, value: { sessionId: 4, status: 'wrapping_up' } });
    await second;
    expect(store.getState().ending).toBe(false);
  });

  it('a forced end (no wrap-up) reads what the backend recorded; detaching stops following events', async () => {
    const { b, store, detach } = setup();
    b.emit('session:ended', { sessionId: 6, status: 'completed_with_errors', reason: 'forced' });
    await b.answer('session:wrap_up_summary', {
      ok: true,
      value: summary(6, 'completed_with_errors', ['failed', 'failed', 'failed']),
    });
    expect(store.getState().view?.agents.every((a) => a.state === 'failed')).toBe(true);
    detach();
    b.emit('session:ended', { sessionId: 9, status: 'wrapping_up', reason: 'claude_exit' });
    expect(store.getState().view?.sessionId).toBe(6);
  });
});
