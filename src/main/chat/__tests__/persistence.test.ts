// Streamed text reaches the database at least every 500 ms and at turn end (fake timers; a model stub that the test
// feeds delta by delta), and the history budget of the prompt.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PaigeDatabase } from '../../db/database';
import type { CallResult } from '../../llm/client';
import { Logger } from '../../logging/logger';
import { CHAT_FLUSH_MS, ChatHub, type ChatModel } from '../chat-hub';
import { HISTORY_MAX_MESSAGES, buildChatPrompt, type HistoryMessage } from '../chat-prompt';

interface Held {
  onDelta: (t: string) => void;
  finish: () => void;
}

function stubModel(held: Held[]): ChatModel {
  return {
    callModel: (opts) =>
      new Promise<CallResult<string>>((resolve) => {
        held.push({
          onDelta: opts.onDelta,
          finish: () =>
            resolve({
              value: '',
              text: '',
              model: 'claude-test',
              usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0 },
              costUsd: 0,
              stopReason: 'end_turn',
              attempts: 1,
            }),
        });
      }),
  };
}

describe('chat persistence', () => {
  let db: PaigeDatabase;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    db = PaigeDatabase.open(':memory:');
  });
  afterEach(() => {
    vi.useRealTimers();
    db.close();
  });

  it('writes deltas to the row 500 ms after the first unsaved one, and everything at turn end', async () => {
    const held: Held[] = [];
    const hub = new ChatHub({
      db,
      model: () => stubModel(held),
      llmEnabled: () => true,
      context: () => ({ stage: null, issue: null, phase: null, openFiles: [] }),
      coachingSessionId: () => null,
      emit: () => undefined,
      logger: new Logger([], 'error'),
    });
    const chat = hub.createSession({ linkCoachingSession: false });
    const sent = hub.send({ chatSessionId: chat.id, text: 'Hi' });
    await vi.waitFor(() => expect(held).toHaveLength(1));
    const row = () =>
      db.sqlite.prepare("SELECT content, status FROM chat_messages WHERE role = 'assistant'").get() as {
        content: string;
        status: string;
      };
    const lastSeq = () =>
      (db.sqlite.prepare('SELECT last_seq FROM chat_sessions').get() as { last_seq: number }).last_seq;
    const seqAtStart = lastSeq();
    held[0]!.onDelta('Hello');
    held[0]!.onDelta(', learner');
    vi.advanceTimersByTime(CHAT_FLUSH_MS - 1);
    expect(row()).toEqual({ content: '', status: 'streaming' });
    vi.advanceTimersByTime(1);
    expect(row()).toEqual({ content: 'Hello, learner', status: 'streaming' });
    expect(lastSeq()).toBe(seqAtStart + 2);
    held[0]!.onDelta('!');
    vi.advanceTimersByTime(CHAT_FLUSH_MS);
    expect(row().content).toBe('Hello, learner!');
    held[0]!.onDelta(' Bye.');
    held[0]!.finish();
    await vi.waitFor(() => expect(row()).toEqual({ content: 'Hello, learner! Bye.', status: 'complete' }));
    expect(hub.turns(chat.id).turns[0]).toMatchObject({
      id: sent.turnId,
      status: 'completed',
      model: 'claude-test',
      inputTokens: 10,
      outputTokens: 5,
    });
    expect(hub.state(chat.id).lastSeq).toBe(lastSeq());
    await hub.shutdown();
  });
});

describe('chat prompt history', () => {
  const msg = (i: number, chars = 10): HistoryMessage => ({
    role: i % 2 === 0 ? 'user' : 'assistant',
    content: `${i}:`.padEnd(chars, 'x'),
    status: i % 2 === 0 ? 'sent' : 'complete',
  });

  it('keeps the last 20 messages', () => {
    const p = buildChatPrompt(
      { stage: null, issue: null, phase: null, openFiles: [] },
      Array.from({ length: 30 }, (_, i) => msg(i)),
      'Q?',
    );
    expect(HISTORY_MAX_MESSAGES).toBe(20);
    expect(p.user).not.toContain('\n9:x');
    expect(p.user).toContain('\n10:x');
    expect(p.user.match(/<message /g)).toHaveLength(20);
    expect(p.user.endsWith('<question>\nQ?\n</question>')).toBe(true);
  });

  it('keeps the newest messages within 12 000 tokens and cuts the oldest one that does not fit', () => {
    // 5 messages of 10 000 characters (~2 500 tokens each): four fit whole, the fifth is cut to what is left.
    const history = Array.from({ length: 6 }, (_, i) => msg(i, 10_000));
    const p = buildChatPrompt({ stage: null, issue: null, phase: null, openFiles: [] }, history, 'Q?');
    expect(p.user).not.toContain('0:xxx');
    expect(p.user).toContain('1:xxx');
    expect(p.user).toContain('…[truncated]');
    const body = p.user.length;
    expect(body).toBeLessThan(12_000 * 4 + 2_000);
    expect(p.system[0]!.cache).toBe(true);
    expect(p.system[1]!.text).toContain('Learner stage: not assessed yet (assume Novice)');
    expect(p.system[1]!.text).toContain('Issue: none');
  });

  it('marks replies that were cut off', () => {
    const p = buildChatPrompt(
      { stage: 'Novice', issue: null, phase: null, openFiles: [] },
      [
        { role: 'user', content: 'What is a closure?', status: 'sent' },
        { role: 'assistant', content: 'A closure is a function that', status: 'partial' },
      ],
      'Go on',
    );
    expect(p.user).toContain('<message from="Paige" cut_off="true">\nA closure is a function that\n</message>');
  });
});
