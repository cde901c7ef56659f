import { describe, expect, it, vi } from 'vitest';
import { fakeTransport } from '../../../../shared/testing/fake-transport';
import { CoachingStore, MAX_FEED_MESSAGES } from './coaching-store';

const SESSION = {
  id: 7,
  projectDir: '/p',
  issueNumber: null,
  issueTitle: null,
  issueUrl: null,
  status: 'active' as const,
  hintLevel: 'medium' as const,
  startedAt: '2026-01-01T00:00:00.000Z',
  endedAt: null,
  lastActivityAt: '2026-01-01T00:00:00.000Z',
  totalDurationMs: null,
  endReason: null,
  branchName: null,
  stashName: null,
  claudeSessionId: null,
  resumedFromSessionId: null,
};

function phase(id: number, number: number, status: 'pending' | 'active' | 'complete') {
  return {
    id,
    number,
    title: `Phase ${number}`,
    description: '',
    hint: '',
    hintLevel: 'low' as const,
    expectedFiles: [],
    status,
    startedAt: null,
    completedAt: null,
    tasks: [],
    hints: [],
  };
}

const PLAN = {
  id: 3,
  title: 'Fix it',
  summary: '',
  totalPhases: 2,
  estimatedDifficulty: null,
  memoryConnection: null,
  phases: [phase(11, 1, 'active'), phase(12, 2, 'pending')],
};

/** A transport whose snapshot answer the test sets; events are pushed by the test as the backend would. */
function fakeBackend() {
  let snapshot: unknown = null;
  return {
    ...fakeTransport((channel) =>
      Promise.resolve({ ok: true, value: channel === 'session:snapshot' ? snapshot : null }),
    ),
    setSnapshot: (s: unknown) => (snapshot = s),
  };
}

function message(id: string) {
  return { messageId: id, message: `m ${id}`, type: 'info', source: 'coaching' };
}

describe('CoachingStore', () => {
  it('loads the session and plan, then follows session, issue and phase events', async () => {
    const b = fakeBackend();
    b.setSnapshot({
      session: SESSION,
      issueContext: null,
      plan: PLAN,
      hintLevel: 'medium',
      openFiles: [],
      observer: { active: false, muted: false },
      lastReview: null,
      planning: { state: 'idle', phase: null, progress: 0 },
    });
    const store = new CoachingStore(b.client);
    expect(store.getState().loaded).toBe(false);
    await store.load();
    expect(store.getState()).toMatchObject({ loaded: true, session: { id: 7 }, plan: { id: 3 } });

    b.emit('coaching:issue_context', { title: 'Parser drops tokens', summary: 'Last token lost', number: 5 });
    expect(store.getState().issue).toEqual({ title: 'Parser drops tokens', summary: 'Last token lost', number: 5 });

    const ts = '2026-01-01T01:00:00.000Z';
    b.emit('coaching:phase_update', {
      planId: 3,
      phase: { id: 11, number: 1, title: 'Phase 1', status: 'complete', startedAt: ts, completedAt: ts },
    });
    expect(store.getState().plan?.phases.map((p) => p.status)).toEqual(['complete', 'pending']);

    b.emit('session:ended', { sessionId: 7, status: 'wrapping_up', reason: 'claude_exit' });
    expect(store.getState().session?.status).toBe('wrapping_up');
    // A reload of the same session keeps the richer issue card from the event.
    await store.load();
    expect(store.getState().issue?.summary).toBe('Last token lost');
  });

  it('folds the planning events: steps, files read, a failure and a retry, then the plan', () => {
    const b = fakeBackend();
    const store = new CoachingStore(b.client);
    b.emit('session:started', { session: SESSION, issueContext: null, plan: null, hintLevel: 'medium' });
    b.emit('planning:phase_update', { sessionId: 99, phase: 'exploring', progress: 25 });
    expect(store.getState().planning).toBeNull();
    b.emit('planning:started', { sessionId: 7, issueTitle: 'Quoted fields' });
    expect(store.getState().planning).toMatchObject({ phase: 'fetching', progress: 0, issueTitle: 'Quoted fields' });
    b.emit('planning:phase_update', { sessionId: 7, phase: 'exploring', progress: 25 });
    b.emit('planning:progress', { sessionId: 7, message: 'Reading src/a.ts', filePath: 'src/a.ts' });
    b.emit('planning:progress', { sessionId: 7, message: 'Reading src/b.ts', filePath: 'src/b.ts' });
    expect(store.getState().planning).toMatchObject({
      state: 'running',
      phase: 'exploring',
      files: ['src/a.ts', 'src/b.ts'],
      message: 'Reading src/b.ts',
    });
    b.emit('planning:error', { sessionId: 7, code: 'LLM_RATE_LIMITED', message: 'Busy', retryable: true });
    expect(store.getState().planning).toMatchObject({ state: 'failed', error: { code: 'LLM_RATE_LIMITED' } });
    b.emit('planning:phase_update', { sessionId: 7, phase: 'planning', progress: 50 });
    expect(store.getState().planning).toMatchObject({ state: 'running', error: null, phase: 'planning' });
    b.emit('planning:complete', {
      sessionId: 7,
      plan: PLAN,
      fileHints: [],
      issueContext: { number: 1, title: 't', body: '', labels: [], url: null },
    });
    expect(store.getState()).toMatchObject({ planning: null, plan: { id: 3 } });
  });

  it('a reloaded window reads a failed run and the hint level from the snapshot', async () => {
    const b = fakeBackend();
    b.setSnapshot({
      session: SESSION,
      issueContext: null,
      plan: null,
      hintLevel: 'high',
      openFiles: [],
      observer: { active: false, muted: false },
      lastReview: null,
      planning: {
        state: 'failed',
        phase: 'planning',
        progress: 50,
        issueTitle: 'Quoted fields',
        files: ['src/a.ts'],
        error: { code: 'LLM_SERVER', message: 'Down', retryable: true },
      },
    });
    const store = new CoachingStore(b.client);
    await store.load();
    expect(store.getState()).toMatchObject({
      hintLevel: 'high',
      planning: { state: 'failed', phase: 'planning', files: ['src/a.ts'], error: { code: 'LLM_SERVER' } },
    });
  });

  it('a hint level change shows at once and is reported with where it came from', () => {
    const b = fakeBackend();
    const store = new CoachingStore(b.client);
    b.emit('session:started', { session: SESSION, issueContext: null, plan: null, hintLevel: 'medium' });
    store.setHintLevel('high');
    expect(store.getState().hintLevel).toBe('high');
    store.setHintLevel('high');
    expect(b.invokes.filter((i) => i.channel === 'hints:level_change')).toEqual([
      { channel: 'hints:level_change', payload: { from: 'medium', to: 'high' } },
    ]);
  });

  it('an edit over a message anchor dismisses that message only', () => {
    const b = fakeBackend();
    const store = new CoachingStore(b.client);
    const anchored = (id: string, startLine: number, endLine: number) => ({
      messageId: id,
      message: id,
      type: 'hint' as const,
      source: 'coaching' as const,
      anchor: { path: 'src/a.ts', startLine, endLine },
    });
    b.emit('coaching:message', anchored('m1', 3, 5));
    b.emit('coaching:message', anchored('m2', 10, 10));
    store.dismissAnchored('src/a.ts', [{ startLine: 5, startColumn: 1, endLine: 6, endColumn: 1 }]);
    expect(store.getState().messages.map((m) => m.messageId)).toEqual(['m2']);
    store.dismissAnchored('src/b.ts', [{ startLine: 10, endLine: 10 }]);
    expect(store.getState().messages.map((m) => m.messageId)).toEqual(['m2']);
  });

  it('a phase update for an unknown plan reads the snapshot again', async () => {
    const b = fakeBackend();
    const store = new CoachingStore(b.client);
    await store.load();
    expect(store.getState()).toMatchObject({ loaded: true, session: null, plan: null });
    b.emit('coaching:phase_update', {
      planId: 99,
      phase: { id: 1, number: 1, title: 'x', status: 'active', startedAt: null, completedAt: null },
    });
    expect(b.invokes.filter((i) => i.channel === 'session:snapshot')).toHaveLength(2);
  });

  it('keeps a bounded feed, dismisses locally and in every window, and clears on coaching:clear', () => {
    const b = fakeBackend();
    const store = new CoachingStore(b.client);
    b.emit('session:started', { session: SESSION, issueContext: null, plan: null, hintLevel: 'medium' });
    for (let i = 0; i < MAX_FEED_MESSAGES + 5; i++) b.emit('coaching:message', message(`id-${i}`));
    b.emit('coaching:message', message('id-5'));
    const ids = store.getState().messages.map((m) => m.messageId);
    expect(ids).toHaveLength(MAX_FEED_MESSAGES);
    expect(ids[0]).toBe('id-5');

    store.dismiss('id-6');
    expect(store.getState().messages.some((m) => m.messageId === 'id-6')).toBe(false);
    expect(b.invokes).toContainEqual({ channel: 'coaching:dismiss', payload: { messageId: 'id-6' } });

    b.emit('coaching:clear', { messageIds: ['id-7', 'id-8'] });
    expect(store.getState().messages).toHaveLength(MAX_FEED_MESSAGES - 3);
    b.emit('coaching:clear', {});
    expect(store.getState().messages).toEqual([]);
  });

  it('a different session starting empties the feed and the issue card', () => {
    const b = fakeBackend();
    const store = new CoachingStore(b.client);
    b.emit('session:started', { session: SESSION, issueContext: null, plan: null, hintLevel: 'medium' });
    b.emit('coaching:issue_context', { title: 'A', summary: '' });
    b.emit('coaching:message', message('x'));
    b.emit('session:started', { session: { ...SESSION }, issueContext: null, plan: null, hintLevel: 'medium' });
    expect(store.getState().messages).toHaveLength(1);
    expect(store.getState().issue?.title).toBe('A');
    b.emit('session:started', { session: { ...SESSION, id: 8 }, issueContext: null, plan: null, hintLevel: 'low' });
    expect(store.getState()).toMatchObject({ session: { id: 8 }, issue: null, messages: [] });
  });

  it('keeps notifying the other subscribers when one throws, and logs the error', () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const b = fakeBackend();
      const store = new CoachingStore(b.client);
      const boom = new Error('subscriber bug');
      const seen: (number | undefined)[] = [];
      store.subscribe(() => {
        throw boom;
      });
      store.subscribe(() => seen.push(store.getState().session?.id));
      b.emit('session:started', { session: SESSION, issueContext: null, plan: null, hintLevel: 'medium' });
      b.emit('session:started', { session: { ...SESSION, id: 8 }, issueContext: null, plan: null, hintLevel: 'low' });
      expect(seen).toEqual([7, 8]);
      expect(logged).toHaveBeenCalledWith(expect.any(String), boom);
    } finally {
      logged.mockRestore();
    }
  });

  it('dispose stops following events and notifying', () => {
    const b = fakeBackend();
    const store = new CoachingStore(b.client);
    let notified = 0;
    store.subscribe(() => notified++);
    store.dispose();
    b.emit('session:started', { session: SESSION, issueContext: null, plan: null, hintLevel: 'medium' });
    expect(notified).toBe(0);
    expect(store.getState().session).toBeNull();
  });
});
