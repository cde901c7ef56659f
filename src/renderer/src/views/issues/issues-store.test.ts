import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Envelope } from '../../../../shared/ipc/envelope';
import { fakeTransport } from '../../../../shared/testing/fake-transport';
import { IssuesStore } from './issues-store';

/** A backend whose refresh answers are released by the test; events are pushed as the backend would. */
function fakeBackend() {
  const pending: ((env: Envelope<unknown>) => void)[] = [];
  let selectAnswer: Envelope<unknown> = { ok: true, value: null };
  return {
    ...fakeTransport((channel) =>
      channel === 'dashboard:refresh_issues'
        ? new Promise((resolve) => pending.push(resolve))
        : Promise.resolve(selectAnswer),
    ),
    answerRefresh: (requestId: string) => pending.shift()!({ ok: true, value: { requestId } }),
    setSelectAnswer: (env: Envelope<unknown>) => (selectAnswer = env),
  };
}

function issue(number: number, score: number) {
  return {
    number,
    title: `Issue ${number}`,
    body: 'body',
    summary: 'summary',
    difficulty: 'low',
    suitability: 'good',
    recommendedFocus: null,
    labels: [{ name: 'bug', color: 'd73a4a' }],
    author: { login: 'a', avatarUrl: 'https://github.com/a.png' },
    assignees: [],
    commentCount: 0,
    updatedAt: '2026-11-01T00:00:00Z',
    createdAt: '2026-10-01T00:00:00Z',
    htmlUrl: `https://github.com/o/r/issues/${number}`,
    score,
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('IssuesStore', () => {
  it('keeps the issues of the latest refresh, best score first, and ignores an older refresh', async () => {
    const b = fakeBackend();
    const store = new IssuesStore(b.client);
    store.setProject('/p');
    const first = store.refresh();
    b.answerRefresh('r1');
    await first;
    b.emit('dashboard:issues', { requestId: 'r1', issues: [issue(1, 3)], total: 3, done: false });
    expect(store.getState()).toMatchObject({ status: 'streaming', total: 3 });

    const second = store.refresh();
    b.answerRefresh('r2');
    await second;
    b.emit('dashboard:issues', { requestId: 'r1', issues: [issue(2, 9)], total: 3, done: false });
    b.emit('dashboard:issues', { requestId: 'r2', issues: [issue(4, 1)], total: 2, done: false });
    b.emit('dashboard:issues', { requestId: 'r2', issues: [issue(5, 7)], total: 2, done: true });
    b.emit('dashboard:issues_error', { requestId: 'r1', code: 'GH_AUTH', message: 'old' });
    expect(store.getState().issues.map((i) => i.number)).toEqual([5, 4]);
    expect(store.getState()).toMatchObject({ status: 'done', requestId: 'r2', ghError: null });
  });

  it('holds events that arrive before the refresh answered with its id', async () => {
    const b = fakeBackend();
    const store = new IssuesStore(b.client);
    store.setProject('/p');
    const p = store.refresh();
    b.emit('dashboard:in_progress', { requestId: 'r9', items: [], done: true });
    b.emit('dashboard:issues', { requestId: 'r9', issues: [issue(3, 2)], total: 1, done: true });
    b.emit('dashboard:issues', { requestId: 'other', issues: [issue(8, 99)], total: 1, done: true });
    expect(store.getState().issues).toEqual([]);
    b.answerRefresh('r9');
    await p;
    expect(store.getState().issues.map((i) => i.number)).toEqual([3]);
    expect(store.getState().inProgress).toEqual([]);
  });

  it('shows a gh error and clears everything when the project changes', async () => {
    const b = fakeBackend();
    const store = new IssuesStore(b.client);
    store.setProject('/p');
    const p = store.refresh();
    b.answerRefresh('r1');
    await p;
    b.emit('dashboard:issues_error', { requestId: 'r1', code: 'GH_NO_REPO', message: 'add a remote' });
    expect(store.getState()).toMatchObject({ status: 'error', ghError: { code: 'GH_NO_REPO' } });
    b.emit('project:changed', { projectDir: '/q' });
    expect(store.getState()).toMatchObject({ projectDir: '/q', status: 'idle', ghError: null, requestId: null });
  });

  it('picking an issue sends it whole and reports when its session started; a refusal stays on the card', async () => {
    const b = fakeBackend();
    const store = new IssuesStore(b.client);
    let selected: number | null = null;
    store.onDidSelect((n) => (selected = n));
    b.setSelectAnswer({ ok: true, value: null });
    void store.select(issue(7, 1) as never);
    expect(b.invokes.at(-1)).toEqual({
      channel: 'session:select_issue',
      payload: {
        issueNumber: 7,
        issueTitle: 'Issue 7',
        issueBody: 'body',
        issueLabels: ['bug'],
        issueUrl: 'https://github.com/o/r/issues/7',
      },
    });
    b.emit('session:started', { session: { issueNumber: 7 }, issueContext: null, plan: null, hintLevel: 'medium' });
    expect(selected).toBe(7);

    b.setSelectAnswer({
      ok: false,
      error: { code: 'ACTIVE_SESSION_EXISTS', message: 'Session 3 is active.', retryable: false, cid: 'c' },
    });
    await store.select(issue(9, 1) as never);
    await flush();
    expect(store.getState().selectError).toMatchObject({ issueNumber: 9, error: { code: 'ACTIVE_SESSION_EXISTS' } });
    await store.select(issue(9, 1) as never, true);
    expect(b.invokes.at(-1)?.payload).toMatchObject({ issueNumber: 9, force: true });
  });

  describe('stays current with sessions and plans', () => {
    afterEach(() => vi.useRealTimers());

    /** A store that has shown refresh r1 with #7 ranked. */
    async function loaded() {
      const b = fakeBackend();
      const store = new IssuesStore(b.client);
      store.setProject('/p');
      const p = store.refresh();
      b.answerRefresh('r1');
      await p;
      b.emit('dashboard:issues', {
        requestId: 'r1',
        issues: [issue(7, 5)],
        total: 1,
        openCount: 40,
        llm: 'ready',
        done: true,
      });
      const refreshes = () => b.invokes.filter((i) => i.channel === 'dashboard:refresh_issues').length;
      return { b, store, refreshes };
    }

    it('refreshes on the next show after a session started or ended elsewhere, once', async () => {
      const { b, store, refreshes } = await loaded();
      expect(refreshes()).toBe(1);
      // Not shown: nothing happens yet.
      b.emit('session:ended', { sessionId: 1, status: 'completed', reason: 'user' });
      b.emit('session:started', { session: { issueNumber: 7 }, issueContext: null, plan: null, hintLevel: 'medium' });
      expect(refreshes()).toBe(1);
      const hide = store.show();
      expect(refreshes()).toBe(2);
      expect(store.getState().status).toBe('loading');
      b.answerRefresh('r2');
      hide();
      // Shown again without a change: no refresh.
      store.show()();
      expect(refreshes()).toBe(2);
    });

    it('while shown, a burst of session and plan events refreshes once, shortly after the last', async () => {
      const { b, store, refreshes } = await loaded();
      vi.useFakeTimers();
      const hide = store.show();
      expect(refreshes()).toBe(1);
      b.emit('session:ended', { sessionId: 1, status: 'completed', reason: 'user' });
      vi.advanceTimersByTime(100);
      b.emit('session:started', { session: { issueNumber: 8 }, issueContext: null, plan: null, hintLevel: 'medium' });
      b.emit('coaching:plan_ready', { sessionId: 2, plan: {} });
      vi.advanceTimersByTime(100);
      expect(refreshes()).toBe(1);
      vi.advanceTimersByTime(1_000);
      expect(refreshes()).toBe(2);
      // Hidden before the delay ran out: the refresh waits for the next show.
      b.answerRefresh('r2');
      await vi.runAllTimersAsync();
      b.emit('session:ended', { sessionId: 2, status: 'completed', reason: 'user' });
      hide();
      vi.advanceTimersByTime(1_000);
      expect(refreshes()).toBe(2);
      store.show();
      expect(refreshes()).toBe(3);
    });

    it('a pick in flight is not cleared by a refresh: its session start still opens the workspace', async () => {
      const { b, store, refreshes } = await loaded();
      let selected: number | null = null;
      store.onDidSelect((n) => (selected = n));
      store.show();
      void store.select(issue(7, 5) as never);
      b.emit('session:ended', { sessionId: 1, status: 'completed', reason: 'user' });
      store.show();
      expect(refreshes()).toBe(1);
      b.emit('session:started', { session: { issueNumber: 7 }, issueContext: null, plan: null, hintLevel: 'medium' });
      expect(selected).toBe(7);
    });

    it('nothing loaded yet: session events do not start a refresh of their own', () => {
      const b = fakeBackend();
      const store = new IssuesStore(b.client);
      store.setProject('/p');
      store.show();
      b.emit('session:started', { session: { issueNumber: 7 }, issueContext: null, plan: null, hintLevel: 'medium' });
      store.show();
      expect(b.invokes.filter((i) => i.channel === 'dashboard:refresh_issues')).toHaveLength(0);
    });
  });

  it('keeps the open count and the model state; a change of model state makes the list stale', async () => {
    const b = fakeBackend();
    const store = new IssuesStore(b.client);
    store.setProject('/p');
    const p = store.refresh();
    b.answerRefresh('r1');
    await p;
    b.emit('dashboard:issues', {
      requestId: 'r1',
      issues: [issue(1, 3)],
      total: 1,
      openCount: 40,
      llm: 'no_key',
      done: true,
    });
    expect(store.getState()).toMatchObject({ openCount: 40, llm: 'no_key' });
    b.emit('app:capabilities', {
      llm: 'ready',
      memory: 'fts',
      gh: true,
      git: true,
      claude: true,
      pty: true,
      channels: true,
    });
    expect(store.getState().llm).toBe('ready');
    store.show();
    expect(b.invokes.filter((i) => i.channel === 'dashboard:refresh_issues')).toHaveLength(2);
  });

  it('opens a pull request through the backend', async () => {
    const b = fakeBackend();
    const store = new IssuesStore(b.client);
    b.setSelectAnswer({ ok: true, value: { opened: true } });
    await store.openExternal('https://github.com/o/r/pull/42');
    expect(b.invokes.at(-1)).toEqual({
      channel: 'app:open_external',
      payload: { url: 'https://github.com/o/r/pull/42' },
    });
  });
});
