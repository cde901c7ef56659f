// The panel's catch-up rules with a scripted transport: events that arrive while joining are held and only those
// above chat:state's lastSeq applied; a gap re-reads the state; the queue, Stop and cancellation show as they should.
import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../../../../shared/domain/chat';
import { PaigeClient, type Transport } from '../../../../../shared/ipc/client';
import type { Envelope } from '../../../../../shared/ipc/envelope';
import { ChatStore } from './chat-store';

type Handler = (payload: unknown) => unknown;

class ScriptedTransport implements Transport {
  readonly kind = 'bridge' as const;
  readonly calls: { channel: string; payload: unknown }[] = [];
  private readonly listeners = new Set<(channel: string, payload: unknown) => void>();
  /** Invokes wait for `release` when a channel is gated, so a test can deliver events in between. */
  private readonly gates = new Map<string, Promise<void>>();

  constructor(private readonly handlers: Record<string, Handler>) {}

  gate(channel: string): () => void {
    let release!: () => void;
    this.gates.set(channel, new Promise<void>((r) => (release = r)));
    return () => {
      this.gates.delete(channel);
      release();
    };
  }

  async invoke(channel: string, payload: unknown): Promise<Envelope<unknown>> {
    this.calls.push({ channel, payload });
    const gate = this.gates.get(channel);
    if (gate) await gate;
    const h = this.handlers[channel];
    if (!h) return { ok: false, error: { code: 'NOT_SUPPORTED', message: channel, retryable: false, cid: 'c' } };
    return { ok: true, value: h(payload) };
  }

  onEvent(listener: (channel: string, payload: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(e: ChatEvent): void {
    for (const l of this.listeners) l('chat:event', e);
  }
}

const CHAT = {
  id: 'chat-1',
  title: 'General chat',
  coachingSessionId: null,
  createdAt: '2026-11-30T00:00:00.000Z',
  updatedAt: '2026-11-30T00:00:00.000Z',
  lastSeq: 0,
};

function message(id: string, seq: number, role: 'user' | 'assistant', content: string, status: string) {
  return { id, chatSessionId: CHAT.id, turnId: 't1', seq, role, content, status, createdAt: CHAT.createdAt };
}

function backend(state: { lastSeq: number; text: string }) {
  return new ScriptedTransport({
    'chat:session_list': () => ({ sessions: [CHAT], nextCursor: null, hasMore: false }),
    'chat:state': () => ({
      status: 'streaming',
      lastSeq: state.lastSeq,
      activeTurn: { turnId: 't1', messageId: 'a1', text: state.text },
      queue: [],
    }),
    'chat:history': () => ({
      // The row lags behind the hub, and history may already hold text past lastSeq: neither may leak in.
      messages: [message('u1', 1, 'user', 'Why?', 'sent'), message('a1', 2, 'assistant', 'Beca', 'streaming')],
      nextCursor: null,
      hasMore: false,
    }),
  });
}

const delta = (seq: number, text: string): ChatEvent => ({
  chatSessionId: CHAT.id,
  seq,
  type: 'delta',
  turnId: 't1',
  text,
});

const reply = (store: ChatStore) => store.getState().messages.find((m) => m.id === 'a1')?.content;

describe('ChatStore catch-up', () => {
  it('applies only events above lastSeq, including those that arrived while joining', async () => {
    const state = { lastSeq: 5, text: 'Because' };
    const t = backend(state);
    const store = new ChatStore(new PaigeClient(t));
    const release = t.gate('chat:state');
    const loading = store.load(null);
    await expect.poll(() => t.calls.some((c) => c.channel === 'chat:state')).toBe(true);
    // Deltas 5 and 6 arrive before the state answer; the state already includes delta 5.
    t.emit(delta(5, 'use'));
    t.emit(delta(6, ' it'));
    release();
    await loading;
    expect(reply(store)).toBe('Because it');
    t.emit(delta(6, ' it'));
    t.emit(delta(7, ' works.'));
    expect(reply(store)).toBe('Because it works.');
    expect(store.getState()).toMatchObject({ status: 'streaming', activeMessageId: 'a1', chatId: CHAT.id });
  });

  it('a gap in seq re-reads the state instead of showing a hole', async () => {
    const state = { lastSeq: 3, text: 'Hel' };
    const t = backend(state);
    const store = new ChatStore(new PaigeClient(t));
    await store.load(null);
    expect(reply(store)).toBe('Hel');
    state.lastSeq = 6;
    state.text = 'Hello th';
    t.emit(delta(6, 'th'));
    await expect.poll(() => reply(store)).toBe('Hello th');
    expect(t.calls.filter((c) => c.channel === 'chat:state')).toHaveLength(2);
    t.emit(delta(7, 'ere'));
    expect(reply(store)).toBe('Hello there');
  });

  it('shows queue positions, the end of a stopped turn and cancelled questions', async () => {
    const t = backend({ lastSeq: 2, text: '' });
    const store = new ChatStore(new PaigeClient(t));
    await store.load(null);
    const base = { chatSessionId: CHAT.id };
    t.emit({ ...base, seq: 3, type: 'queued', messageId: 'u2', position: 1, text: 'Next?' });
    t.emit({ ...base, seq: 4, type: 'queued', messageId: 'u3', position: 2, text: 'And then?' });
    expect(store.getState().queue).toEqual(['u2', 'u3']);
    t.emit({ ...base, seq: 5, type: 'turn_interrupted', turnId: 't1', partialMessageId: 'a1' });
    t.emit({ ...base, seq: 6, type: 'dequeued', messageId: 'u3', reason: 'cancelled' });
    t.emit({ ...base, seq: 7, type: 'dequeued', messageId: 'u2', reason: 'started' });
    t.emit({
      ...base,
      seq: 8,
      type: 'turn_started',
      turnId: 't2',
      userMessageId: 'u2',
      assistantMessageId: 'a2',
      userText: 'Next?',
    });
    const byId = (id: string) => store.getState().messages.find((m) => m.id === id);
    expect(byId('a1')?.status).toBe('partial');
    expect(byId('u3')?.status).toBe('cancelled');
    expect(byId('u2')?.status).toBe('sent');
    expect(byId('a2')).toMatchObject({ status: 'streaming', content: '' });
    expect(store.getState().queue).toEqual([]);
    expect(store.getState().messages.map((m) => m.id)).toEqual(['u1', 'a1', 'u3', 'u2', 'a2']);
  });

  it("picks the general chat without a coaching session and a coaching session's own chat with one", async () => {
    const sessionChat = { ...CHAT, id: 'chat-7', title: 'Session 7 chat', coachingSessionId: 7 };
    const joined: unknown[] = [];
    const t = new ScriptedTransport({
      'chat:session_list': () => ({ sessions: [sessionChat, CHAT], nextCursor: null, hasMore: false }),
      'chat:state': (p) => {
        joined.push((p as { chatSessionId: string }).chatSessionId);
        return { status: 'idle', lastSeq: 0, activeTurn: null, queue: [] };
      },
      'chat:history': () => ({ messages: [], nextCursor: null, hasMore: false }),
    });
    const store = new ChatStore(new PaigeClient(t));
    await store.load(null);
    expect(store.getState().chatId).toBe('chat-1');
    await store.load(7);
    expect(store.getState().chatId).toBe('chat-7');
    // A reconnect in the same context stays on the chat being read, even one picked from the list.
    await store.join('chat-1');
    await store.load(7);
    expect(store.getState().chatId).toBe('chat-1');
    // A session with no chat yet starts empty; the first question creates its chat.
    await store.load(8);
    expect(store.getState()).toMatchObject({ chatId: null, messages: [] });
    expect(joined).toEqual(['chat-1', 'chat-7', 'chat-1', 'chat-1']);
  });

  it('without a chat backend the panel is hidden', async () => {
    const store = new ChatStore(new PaigeClient(new ScriptedTransport({})));
    await store.load(null);
    expect(store.getState().available).toBe(false);
  });
});
