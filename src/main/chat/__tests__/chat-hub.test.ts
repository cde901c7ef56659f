// The chat hub against the fake Anthropic server through the real model client, on real SQLite: streaming, the
// queue, interrupt, failure, seq numbering under several subscribers, history paging, delete and LLM_DISABLED.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { say, streamError } from '../../../../e2e/fake-anthropic/script';
import type { ChatEvent } from '../../../shared/domain/chat';
import { Emitter } from '../../../shared/lifecycle';
import { Logger } from '../../logging/logger';
import { harness, type Harness } from '../../llm/testing/harness';
import { ChatHub } from '../chat-hub';
import type { ChatContext } from '../chat-prompt';

const CONTEXT: ChatContext = {
  stage: 'Advanced Beginner',
  issue: { number: 42, title: 'Dark mode toggle forgets its state after reload' },
  phase: {
    number: 2,
    title: 'Persist the preference',
    description: 'Save the chosen theme in localStorage and read it back on start.',
    tasks: [
      { number: 1, title: 'Write the theme to localStorage when it changes', done: true },
      { number: 2, title: 'Read it back before the first render', done: false },
    ],
  },
  openFiles: ['src/theme/ThemeToggle.tsx', 'src/theme/use-theme.ts'],
};

interface Rig {
  h: Harness;
  recorded: [string, Record<string, unknown>][];
  hub: ChatHub;
  events: ChatEvent[];
  bus: Emitter<ChatEvent>;
  /** Resolves with the first event (past or future) that matches. */
  waitFor(match: (e: ChatEvent) => boolean): Promise<ChatEvent>;
  messages(chatId: string): { role: string; content: string; status: string; seq: number }[];
}

let rig: Rig | undefined;

async function setup(opts: { key?: string | undefined; chunkSize?: number } = {}): Promise<Rig> {
  const h = await harness({
    fake: { chunkSize: opts.chunkSize ?? 4 },
    ...('key' in opts ? { key: opts.key } : {}),
  });
  const events: ChatEvent[] = [];
  const bus = new Emitter<ChatEvent>();
  bus.event((e) => events.push(e));
  const recorded: [string, Record<string, unknown>][] = [];
  const hub = new ChatHub({
    db: h.db,
    model: () => h.client,
    llmEnabled: () => h.keys.state !== 'no_key',
    context: () => CONTEXT,
    coachingSessionId: () => null,
    emit: (e) => bus.fire(e),
    record: (type, data) => void recorded.push([type, data]),
    logger: new Logger([], 'error'),
  });
  const waitFor = (match: (e: ChatEvent) => boolean) =>
    new Promise<ChatEvent>((resolve) => {
      const hit = events.find(match);
      if (hit) return resolve(hit);
      const sub = bus.event((e) => {
        if (match(e)) {
          sub.dispose();
          resolve(e);
        }
      });
    });
  const messages = (chatId: string) =>
    h.db.sqlite
      .prepare('SELECT role, content, status, seq FROM chat_messages WHERE chat_session_id = ? ORDER BY seq')
      .all(chatId) as { role: string; content: string; status: string; seq: number }[];
  rig = { h, recorded, hub, events, bus, waitFor, messages };
  return rig;
}

afterEach(async () => {
  await rig?.hub.shutdown();
  await rig?.h.close();
  rig = undefined;
});

const completed = (turnId: string | null) => (e: ChatEvent) =>
  (e.type === 'turn_completed' || e.type === 'turn_failed' || e.type === 'turn_interrupted') && e.turnId === turnId;
const startedFor = (messageId: string) => (e: ChatEvent) => e.type === 'turn_started' && e.userMessageId === messageId;

describe('ChatHub', () => {
  it('streams a reply, stores both messages and sends persona, context and history to the model', async () => {
    const { h, hub, waitFor, messages, events } = await setup();
    h.fake.enqueue(
      say('Read the saved theme in `useTheme` before React renders.'),
      say('Yes: `localStorage.getItem` is synchronous, so it is safe there.'),
    );
    const chat = hub.createSession({ linkCoachingSession: true });
    expect(chat.title).toBe('General chat');
    const first = hub.send({ chatSessionId: chat.id, text: 'Where should I read the theme back?' });
    expect(first).toMatchObject({ queued: false, position: null });
    await waitFor(completed(first.turnId));
    const second = hub.send({ chatSessionId: chat.id, text: 'Is reading it synchronously OK?' });
    const done = await waitFor(completed(second.turnId));
    expect(done).toMatchObject({ type: 'turn_completed', reason: 'end_turn' });

    expect(messages(chat.id).map((m) => [m.role, m.status, m.content])).toEqual([
      ['user', 'sent', 'Where should I read the theme back?'],
      ['assistant', 'complete', 'Read the saved theme in `useTheme` before React renders.'],
      ['user', 'sent', 'Is reading it synchronously OK?'],
      ['assistant', 'complete', 'Yes: `localStorage.getItem` is synchronous, so it is safe there.'],
    ]);
    const deltas = events.filter((e) => e.type === 'delta' && e.turnId === second.turnId);
    expect(deltas.length).toBeGreaterThan(5);

    const req = h.fake.mainRequests()[1]!.body!;
    const system = JSON.stringify(req.system);
    expect(system).toContain('You are Paige');
    expect(system).toContain('You have no tools');
    expect(system).toContain('Learner stage: Advanced Beginner');
    expect(system).toContain('Issue: #42 Dark mode toggle forgets its state after reload');
    expect(system).toContain('Active phase 2: Persist the preference');
    expect(system).toContain('- [x] Task 1: Write the theme to localStorage when it changes');
    expect(system).toContain('- [ ] Task 2: Read it back before the first render');
    expect(system).toContain('Open files: src/theme/ThemeToggle.tsx, src/theme/use-theme.ts');
    expect(req.tools ?? []).toEqual([]);
    expect(req.max_tokens).toBe(2048);
    const user = JSON.stringify(req.messages);
    expect(user).toContain('Where should I read the theme back?');
    expect(user).toContain('Read the saved theme in `useTheme` before React renders.');
    expect(user).toContain('<question>\\nIs reading it synchronously OK?');
    expect(hub.turns(chat.id).turns.map((t) => [t.status, t.reason])).toEqual([
      ['completed', 'end_turn'],
      ['completed', 'end_turn'],
    ]);
    expect(h.rows().map((r) => r.call_type)).toEqual(['coach_chat', 'coach_chat']);
    expect(rig!.recorded).toEqual([
      ['chat_message_sent', { chatSessionId: chat.id, length: 35 }],
      ['chat_turn_completed', { chatSessionId: chat.id, turnId: first.turnId, reason: 'end_turn' }],
      ['chat_message_sent', { chatSessionId: chat.id, length: 31 }],
      ['chat_turn_completed', { chatSessionId: chat.id, turnId: second.turnId, reason: 'end_turn' }],
    ]);
  });

  it('queues while streaming (positions, max 10, then QUEUE_FULL) and runs the queue in order', async () => {
    const { h, hub, waitFor, messages } = await setup();
    h.fake.enqueue(say('First answer, slowly.', { stallAfterEvents: 4, stallMs: 400 }));
    for (let i = 1; i <= 10; i++) h.fake.enqueue(say(`Answer ${i}.`));
    const chat = hub.createSession({ linkCoachingSession: false });
    const first = hub.send({ chatSessionId: chat.id, text: 'Question 0' });
    const queued = [];
    for (let i = 1; i <= 10; i++) queued.push(hub.send({ chatSessionId: chat.id, text: `Question ${i}` }));
    expect(queued.map((q) => q.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(queued.every((q) => q.queued && q.turnId === null)).toBe(true);
    expect(() => hub.send({ chatSessionId: chat.id, text: 'one too many' })).toThrow(
      expect.objectContaining({ code: 'QUEUE_FULL' }),
    );
    expect(hub.state(chat.id).queue.map((q) => q.text)).toEqual(queued.map((_, i) => `Question ${i + 1}`));
    await waitFor(completed(first.turnId));
    const last = (await waitFor(startedFor(queued[9]!.messageId))) as Extract<ChatEvent, { type: 'turn_started' }>;
    await waitFor(completed(last.turnId));
    const rows = messages(chat.id);
    // Each queued question moved next to its answer when its turn started.
    expect(rows.map((m) => m.role)).toEqual(Array.from({ length: 22 }, (_, i) => (i % 2 === 0 ? 'user' : 'assistant')));
    expect(rows.filter((m) => m.role === 'user').map((m) => [m.content, m.status])).toEqual(
      Array.from({ length: 11 }, (_, i) => [`Question ${i}`, 'sent']),
    );
    expect(rows.filter((m) => m.role === 'assistant').map((m) => m.content)).toEqual([
      'First answer, slowly.',
      ...Array.from({ length: 10 }, (_, i) => `Answer ${i + 1}.`),
    ]);
    expect(hub.state(chat.id)).toMatchObject({ status: 'idle', activeTurn: null, queue: [] });
  });

  it('interrupt keeps the partial text and the queue runs on; clearQueue cancels what waits', async () => {
    const { h, hub, waitFor, messages } = await setup();
    h.fake.enqueue(
      say('Partial answer that never finishes', { stallAfterEvents: 6, stallMs: 10_000 }),
      say('Queued answer.'),
      say('Third answer that also stalls', { stallAfterEvents: 6, stallMs: 10_000 }),
    );
    const chat = hub.createSession({ linkCoachingSession: false });
    const first = hub.send({ chatSessionId: chat.id, text: 'First' });
    const second = hub.send({ chatSessionId: chat.id, text: 'Second' });
    await waitFor((e) => e.type === 'delta' && e.turnId === first.turnId);
    const partial = hub.state(chat.id).activeTurn!.text;
    expect(partial.length).toBeGreaterThan(0);
    const r = hub.interrupt({ chatSessionId: chat.id, clearQueue: false });
    expect(r).toMatchObject({ interrupted: true, turnId: first.turnId });
    const next = (await waitFor(startedFor(second.messageId))) as Extract<ChatEvent, { type: 'turn_started' }>;
    await waitFor(completed(next.turnId));
    expect(messages(chat.id)[1]).toMatchObject({ content: partial, status: 'partial' });
    expect(messages(chat.id)[3]).toMatchObject({ content: 'Queued answer.', status: 'complete' });

    const third = hub.send({ chatSessionId: chat.id, text: 'Third' });
    const fourth = hub.send({ chatSessionId: chat.id, text: 'Fourth' });
    const fifth = hub.send({ chatSessionId: chat.id, text: 'Fifth' });
    await waitFor((e) => e.type === 'delta' && e.turnId === third.turnId);
    hub.interrupt({ chatSessionId: chat.id, clearQueue: true });
    expect(hub.state(chat.id)).toMatchObject({ status: 'idle', queue: [] });
    const byId = (id: string) => h.db.sqlite.prepare('SELECT status FROM chat_messages WHERE id = ?').get(id);
    expect(byId(fourth.messageId)).toEqual({ status: 'cancelled' });
    expect(byId(fifth.messageId)).toEqual({ status: 'cancelled' });
    expect(hub.turns(chat.id).turns.map((t) => [t.status, t.reason])).toEqual([
      ['interrupted', 'interrupted'],
      ['completed', 'end_turn'],
      ['interrupted', 'interrupted'],
    ]);
    // The hung requests were closed, not left running.
    await vi.waitFor(() => expect(h.fake.mainRequests().filter((q) => q.response.clientClosed)).toHaveLength(2));
  });

  it('a stream failing mid-turn keeps the partial text as failed, and the next queued message starts', async () => {
    const { h, hub, waitFor, messages } = await setup();
    h.fake.enqueue(streamError(say('Text before the break'), 1), say('After the failure.'));
    const chat = hub.createSession({ linkCoachingSession: false });
    const first = hub.send({ chatSessionId: chat.id, text: 'First' });
    const second = hub.send({ chatSessionId: chat.id, text: 'Second' });
    const failed = await waitFor(completed(first.turnId));
    expect(failed).toMatchObject({ type: 'turn_failed', error: { code: 'LLM_SERVER' } });
    const next = (await waitFor(startedFor(second.messageId))) as Extract<ChatEvent, { type: 'turn_started' }>;
    await waitFor(completed(next.turnId));
    expect(messages(chat.id).map((m) => [m.role, m.status, m.content])).toEqual([
      ['user', 'sent', 'First'],
      ['assistant', 'failed', 'Text before the break'],
      ['user', 'sent', 'Second'],
      ['assistant', 'complete', 'After the failure.'],
    ]);
  });

  it('numbers events 1, 2, 3… with no gap, the same for 5 subscribers, and persists last_seq', async () => {
    const { h, hub, bus, waitFor } = await setup({ chunkSize: 2 });
    h.fake.enqueue(say('A reply long enough to make many deltas for the subscribers.'), say('Second reply.'));
    const seen: number[][] = [[], [], [], [], []];
    seen.forEach((list) => bus.event((e) => list.push(e.seq)));
    const chat = hub.createSession({ linkCoachingSession: false });
    hub.send({ chatSessionId: chat.id, text: 'One' });
    const two = hub.send({ chatSessionId: chat.id, text: 'Two' });
    const s2 = (await waitFor(startedFor(two.messageId))) as Extract<ChatEvent, { type: 'turn_started' }>;
    await waitFor(completed(s2.turnId));
    await waitFor((e) => e.type === 'status' && e.state === 'idle');
    const n = seen[0]!.length;
    expect(n).toBeGreaterThan(30);
    for (const list of seen) expect(list).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(hub.state(chat.id).lastSeq).toBe(n);
    expect(h.db.sqlite.prepare('SELECT last_seq FROM chat_sessions WHERE id = ?').get(chat.id)).toEqual({
      last_seq: n,
    });
  });

  it('pages history backwards and forwards with opaque cursors and hasMore', async () => {
    const { h, hub, waitFor } = await setup();
    const chat = hub.createSession({ linkCoachingSession: false });
    for (let i = 0; i < 6; i++) {
      h.fake.enqueue(say(`A${i}`));
      const r = hub.send({ chatSessionId: chat.id, text: `Q${i}` });
      await waitFor(completed(r.turnId));
    }
    const newest = hub.history({ chatSessionId: chat.id, limit: 5 });
    expect(newest.messages.map((m) => m.content)).toEqual(['A3', 'Q4', 'A4', 'Q5', 'A5']);
    expect(newest.hasMore).toBe(true);
    const older = hub.history({ chatSessionId: chat.id, before: newest.nextCursor!, limit: 5 });
    expect(older.messages.map((m) => m.content)).toEqual(['A0', 'Q1', 'A1', 'Q2', 'A2', 'Q3'].slice(1));
    const oldest = hub.history({ chatSessionId: chat.id, before: older.nextCursor!, limit: 5 });
    expect(oldest.messages.map((m) => m.content)).toEqual(['Q0', 'A0']);
    expect(oldest).toMatchObject({ hasMore: false, nextCursor: null });

    const forward = hub.history({ chatSessionId: chat.id, after: older.nextCursor!, limit: 4 });
    expect(forward.messages.map((m) => m.content)).toEqual(['A1', 'Q2', 'A2', 'Q3']);
    expect(forward.hasMore).toBe(true);
    const rest = hub.history({ chatSessionId: chat.id, after: forward.nextCursor!, limit: 100 });
    expect(rest.messages.map((m) => m.content)).toEqual(['A3', 'Q4', 'A4', 'Q5', 'A5']);
    expect(rest).toMatchObject({ hasMore: false, nextCursor: null });
    expect(() => hub.history({ chatSessionId: chat.id, before: 'bm90LWEtY3Vyc29y', limit: 5 })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });

  it('delete mid-stream aborts the call, removes every row and answers NOT_FOUND afterwards', async () => {
    const { h, hub, waitFor, events } = await setup();
    h.fake.enqueue(say('This reply is cut by the delete', { stallAfterEvents: 6, stallMs: 10_000 }));
    const chat = hub.createSession({ linkCoachingSession: false });
    const r = hub.send({ chatSessionId: chat.id, text: 'Hello' });
    hub.send({ chatSessionId: chat.id, text: 'Queued' });
    await waitFor((e) => e.type === 'delta' && e.turnId === r.turnId);
    expect(hub.deleteSession(chat.id)).toEqual({ deleted: true });
    expect(events.at(-1)).toMatchObject({ type: 'session_deleted', chatSessionId: chat.id });
    await vi.waitFor(() => expect(h.fake.mainRequests()[0]!.response.clientClosed).toBe(true));
    for (const table of ['chat_sessions', 'chat_turns', 'chat_messages']) {
      const col = table === 'chat_sessions' ? 'id' : 'chat_session_id';
      expect(h.db.sqlite.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${col} = ?`).get(chat.id)).toEqual({ n: 0 });
    }
    for (const call of [
      () => hub.state(chat.id),
      () => hub.history({ chatSessionId: chat.id, limit: 10 }),
      () => hub.send({ chatSessionId: chat.id, text: 'again' }),
      () => hub.deleteSession(chat.id),
      () => hub.state('no-such-chat'),
    ]) {
      expect(call).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    }
  });

  it('without an API key send answers LLM_DISABLED and history stays readable', async () => {
    const { h, hub } = await setup({ key: undefined });
    const chat = hub.createSession({ linkCoachingSession: false });
    h.db.sqlite
      .prepare(
        "INSERT INTO chat_messages (id, chat_session_id, seq, role, content, status, created_at) VALUES ('m1', ?, 1, 'user', 'kept', 'sent', '2026-01-01T00:00:00.000Z')",
      )
      .run(chat.id);
    expect(() => hub.send({ chatSessionId: chat.id, text: 'hi' })).toThrow(
      expect.objectContaining({ code: 'LLM_DISABLED' }),
    );
    expect(hub.history({ chatSessionId: chat.id, limit: 10 }).messages.map((m) => m.content)).toEqual(['kept']);
    expect(h.fake.mainRequests()).toHaveLength(0);
  });

  it('a retried send with the same clientMessageId is stored once', async () => {
    const { h, hub, waitFor, messages } = await setup();
    h.fake.enqueue(say('Once.'));
    const chat = hub.createSession({ linkCoachingSession: false });
    const a = hub.send({ chatSessionId: chat.id, text: 'Hi', clientMessageId: 'c-1' });
    const b = hub.send({ chatSessionId: chat.id, text: 'Hi', clientMessageId: 'c-1' });
    expect(b).toEqual(a);
    await waitFor(completed(a.turnId));
    expect(messages(chat.id)).toHaveLength(2);
  });

  it('after a crash, recover() turns streaming rows into partial/interrupted (shutdown) and queued into cancelled', async () => {
    const { h, hub, waitFor } = await setup();
    h.fake.enqueue(say('Cut by the crash', { stallAfterEvents: 6, stallMs: 10_000 }));
    const chat = hub.createSession({ linkCoachingSession: false });
    const r = hub.send({ chatSessionId: chat.id, text: 'Hello' });
    const q = hub.send({ chatSessionId: chat.id, text: 'Waiting' });
    await waitFor((e) => e.type === 'delta' && e.turnId === r.turnId);
    // A second hub on the same database is what the next start of the app sees.
    const next = new ChatHub({
      db: h.db,
      model: () => undefined,
      llmEnabled: () => false,
      context: () => CONTEXT,
      coachingSessionId: () => null,
      emit: () => undefined,
      logger: new Logger([], 'error'),
    });
    expect(next.recover()).toEqual({ partial: 1, cancelled: 1 });
    const rows = next.history({ chatSessionId: chat.id, limit: 10 }).messages;
    expect(rows.map((m) => [m.role, m.status])).toEqual([
      ['user', 'sent'],
      ['assistant', 'partial'],
      ['user', 'cancelled'],
    ]);
    expect(rows[2]!.id).toBe(q.messageId);
    expect(next.turns(chat.id).turns.map((t) => [t.status, t.reason])).toEqual([['interrupted', 'shutdown']]);
    expect(next.state(chat.id)).toMatchObject({ status: 'idle', activeTurn: null, queue: [] });
  });
});
