// The chat module inside the real app core with the bridge: five bridge subscribers see the same gap-free seq, chat
// text is in full-text search, a graceful shutdown mid-stream leaves the reply partial and the queue cancelled, and
// without a key send answers LLM_DISABLED while history stays readable.
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { say } from '../../../e2e/fake-anthropic/script';
import { startFakeAnthropic, type FakeAnthropic } from '../../../e2e/fake-anthropic/server';
import type { ChatEvent } from '../../shared/domain/chat';
import { PaigeClient } from '../../shared/ipc/client';
import { NodeBridgeTransport } from '../testing/bridge-client';
import { startTestBridge, startTestCore, type TestCore } from '../testing/harness';

const KEY = 'sk-ant-test-0123456789abcdef';
const TOKEN = 'chat-module-test-token';

let t: TestCore | undefined;
let fake: FakeAnthropic | undefined;
const sockets: NodeBridgeTransport[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.ws.close();
  await t?.core.shutdown('test end');
  await fake?.close();
  t = undefined;
  fake = undefined;
});

async function withModel(): Promise<{ clients: PaigeClient[]; events: ChatEvent[][] }> {
  fake = await startFakeAnthropic({ chunkSize: 3 });
  t = await startTestCore({ env: { PATH: process.env.PATH, ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: fake.url } });
  const bridge = await startTestBridge(t.core, TOKEN);
  const url = `ws://127.0.0.1:${bridge.port}/bridge`;
  const clients: PaigeClient[] = [];
  const events: ChatEvent[][] = [];
  for (let i = 0; i < 5; i++) {
    const transport = await NodeBridgeTransport.connect({ url, token: TOKEN });
    sockets.push(transport);
    const client = new PaigeClient(transport);
    const list: ChatEvent[] = [];
    client.on('chat:event', (e) => list.push(e));
    clients.push(client);
    events.push(list);
  }
  return { clients, events };
}

const until = async (list: ChatEvent[], match: (e: ChatEvent) => boolean): Promise<void> => {
  await expect.poll(() => list.some(match), { timeout: 10_000 }).toBe(true);
};

describe('chat module (headless, over the bridge)', () => {
  it('five subscribers get the same gap-free events, and the chat is searchable', async () => {
    const { clients, events } = await withModel();
    fake!.enqueue(say('Closures capture variables from the enclosing scope, not their values.'), say('Yes.'));
    const [a] = clients;
    const chat = await a!.invoke('chat:session_create', {});
    await a!.invoke('chat:send', { chatSessionId: chat.id, text: 'What does a closure capture?' });
    await a!.invoke('chat:send', { chatSessionId: chat.id, text: 'Even in loops?' });
    for (const list of events) await until(list, (e) => e.type === 'status' && e.state === 'idle');
    const seqs = events.map((list) => list.filter((e) => e.chatSessionId === chat.id).map((e) => e.seq));
    expect(seqs[0]!.length).toBeGreaterThan(20);
    for (const s of seqs) expect(s).toEqual(Array.from({ length: seqs[0]!.length }, (_, i) => i + 1));
    const state = await a!.invoke('chat:state', { chatSessionId: chat.id });
    expect(state).toMatchObject({ status: 'idle', lastSeq: seqs[0]!.length, activeTurn: null, queue: [] });

    const found = await a!.invoke('search:query', { query: 'enclosing scope', kinds: ['chat'] });
    expect(found.results).toHaveLength(1);
    expect(found.results[0]!.snippet).toContain('enclosing');
    const listed = await a!.invoke('chat:session_list', {});
    expect(listed.sessions.map((s) => s.id)).toEqual([chat.id]);
  });

  it('a graceful shutdown mid-stream keeps the reply partial, the turn interrupted (shutdown), the queue cancelled', async () => {
    const { clients, events } = await withModel();
    fake!.enqueue(say('This answer is cut by the shutdown of the app', { stallAfterEvents: 8, stallMs: 30_000 }));
    const [a] = clients;
    const chat = await a!.invoke('chat:session_create', { linkCoachingSession: false });
    await a!.invoke('chat:send', { chatSessionId: chat.id, text: 'Tell me' });
    await a!.invoke('chat:send', { chatSessionId: chat.id, text: 'And more' });
    await until(events[0]!, (e) => e.type === 'delta');
    // The fake stalls after 8 SSE events: message_start, content_block_start, ping and five 3-character deltas.
    const shown = 'This answer is ';
    await expect
      .poll(async () => (await a!.invoke('chat:state', { chatSessionId: chat.id })).activeTurn?.text)
      .toBe(shown);
    const dataDir = t!.dataDir;
    const started = performance.now();
    await t!.core.shutdown('test');
    expect(performance.now() - started).toBeLessThan(5_000);
    t = undefined;
    const db = new Database(path.join(dataDir, 'paige.db'), { readonly: true });
    expect(db.prepare('SELECT role, content, status FROM chat_messages ORDER BY seq').all()).toEqual([
      { role: 'user', content: 'Tell me', status: 'sent' },
      { role: 'assistant', content: shown, status: 'partial' },
      { role: 'user', content: 'And more', status: 'cancelled' },
    ]);
    expect(db.prepare('SELECT status, reason FROM chat_turns').all()).toEqual([
      { status: 'interrupted', reason: 'shutdown' },
    ]);
    expect(db.prepare("SELECT status, error_code FROM api_call_log WHERE call_type = 'coach_chat'").all()).toEqual([
      { status: 'error', error_code: 'CANCELLED' },
    ]);
    db.close();
  });

  it('without a key: LLM_DISABLED on send; the chat and its history stay readable', async () => {
    t = await startTestCore();
    const meta = { transport: 'bridge' as const, clientId: 't' };
    const created = await t.core.router.dispatch('chat:session_create', {}, meta);
    if (!created.ok) throw new Error(created.error.message);
    const chatSessionId = (created.value as { id: string }).id;
    const sent = await t.core.router.dispatch('chat:send', { chatSessionId, text: 'hi' }, meta);
    expect(sent.ok ? null : sent.error.code).toBe('LLM_DISABLED');
    const history = await t.core.router.dispatch('chat:history', { chatSessionId }, meta);
    expect(history.ok && history.value).toEqual({ messages: [], nextCursor: null, hasMore: false });
    const unknown = await t.core.router.dispatch('chat:state', { chatSessionId: 'nope' }, meta);
    expect(unknown.ok ? null : unknown.error.code).toBe('NOT_FOUND');
  });
});
