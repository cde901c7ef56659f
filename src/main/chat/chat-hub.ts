// The coach chat's hub (docs/chat.md): per chat session `idle | streaming`, the active turn's text, a FIFO queue, and
// one `seq` per event, strictly increasing per chat session. Rows are the source of truth for history; the hub holds
// what is in flight and persists it at least every 500 ms and at every turn end.
import { noKeyAdvice } from '../llm/no-key-advice';
import type { ChatEvent, ChatMessage, ChatSession, ChatState } from '../../shared/domain/chat';
import { CHAT_QUEUE_MAX } from '../../shared/domain/chat';
import { PaigeError, isPaigeError } from '../../shared/ipc/errors';
import type { PaigeDatabase } from '../db/database';
import type { CallResult, ModelAlias, PromptPart } from '../llm/client';
import { ApiMaxTokensError } from '../llm/errors';
import type { Logger } from '../logging/logger';
import { CHAT_MAX_TOKENS, HISTORY_MAX_MESSAGES, buildChatPrompt, type ChatContext } from './chat-prompt';
import { uuidv7 } from './ids';

/** Streamed text reaches the row at least this often, so a crash loses at most this much of a reply. @visibleForTesting */
export const CHAT_FLUSH_MS = 500;
const CHAT_CALL_TYPE = 'coach_chat';
const CHAT_ALIAS: ModelAlias = 'sonnet';

/** The part of the model client the hub uses (the real LlmClient in the app). @visibleForTesting */
export interface ChatModel {
  callModel(opts: {
    callType: string;
    alias: ModelAlias;
    system: PromptPart[];
    user: string;
    maxTokens: number;
    stream: true;
    onDelta: (text: string) => void;
    signal: AbortSignal;
    sessionId: number | null;
  }): Promise<CallResult<string>>;
}

interface ChatHubDeps {
  db: PaigeDatabase;
  /** The model client, or undefined when no model layer is present. */
  model: () => ChatModel | undefined;
  /** True when an API key is configured; without one `chat:send` answers LLM_DISABLED. */
  llmEnabled: () => boolean;
  /** Whether Settings can store a key here (desktop keychain); shapes the no-key advice. */
  keyStorable?: () => boolean;
  context: () => ChatContext;
  /** The active coaching session, for linking new chats and logging calls. */
  coachingSessionId: () => number | null;
  emit: (event: ChatEvent) => void;
  /** The action log (`chat_message_sent`, `chat_turn_completed`), recorded while a coaching session is active. */
  record?: (type: 'chat_message_sent' | 'chat_turn_completed', data: Record<string, unknown>) => void;
  logger: Logger;
  now?: () => Date;
}

type EventBody = ChatEvent extends infer E ? (E extends ChatEvent ? Omit<E, 'seq' | 'chatSessionId'> : never) : never;

interface ActiveTurn {
  turnId: string;
  userMessageId: string;
  assistantMessageId: string;
  userText: string;
  text: string;
  persistedLength: number;
  abort: AbortController;
  /** Set once the turn's rows are final; the model call's own ending is then ignored. */
  settled: boolean;
}

interface LiveChat {
  id: string;
  lastSeq: number;
  persistedSeq: number;
  lastMessageSeq: number;
  active: ActiveTurn | null;
  queue: { messageId: string; text: string }[];
  flushTimer: NodeJS.Timeout | undefined;
  /** Answers to `chat:send` by clientMessageId, so a retried send is not stored twice. */
  sentByClientId: Map<string, SendResult>;
  deleted: boolean;
}

interface SendResult {
  messageId: string;
  turnId: string | null;
  queued: boolean;
  position: number | null;
}

/** Client ids remembered per chat for de-duplicating retried sends. */
const CLIENT_ID_MEMORY = 200;

function encodeCursor(n: number): string {
  return Buffer.from(`c${n}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  const n = /^c(\d{1,15})$/.exec(raw)?.[1];
  if (n === undefined) throw new PaigeError('VALIDATION_FAILED', 'This history cursor is not valid; start again.');
  return Number(n);
}

function encodeListCursor(updatedAt: string, id: string): string {
  return Buffer.from(JSON.stringify([updatedAt, id])).toString('base64url');
}

function decodeListCursor(cursor: string): [string, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    // fall through
  }
  throw new PaigeError('VALIDATION_FAILED', 'This chat list cursor is not valid; start again.');
}

export class ChatHub {
  private readonly live = new Map<string, LiveChat>();
  /** Model calls in flight; shutdown waits for them so their ledger rows are written before the database closes. */
  private readonly running = new Set<Promise<void>>();
  private readonly now: () => Date;
  private closed = false;

  constructor(private readonly deps: ChatHubDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Start-up rule: nothing is in flight after a restart, so replies left `streaming` become `partial` (their turns
   * `interrupted`, reason `shutdown`) and queued questions become `cancelled` (the panel offers to resend them).
   */
  recover(): { partial: number; cancelled: number } {
    const ts = this.now().toISOString();
    const db = this.deps.db;
    return db.transaction(() => {
      const partial = db.run(
        db.qb
          .updateTable('chat_messages')
          .set({ status: 'partial' })
          .where('role', '=', 'assistant')
          .where('status', '=', 'streaming'),
      ).changes;
      db.run(
        db.qb
          .updateTable('chat_turns')
          .set({ status: 'interrupted', reason: 'shutdown', completed_at: ts })
          .where('status', '=', 'streaming'),
      );
      const cancelled = db.run(
        db.qb.updateTable('chat_messages').set({ status: 'cancelled' }).where('status', '=', 'queued'),
      ).changes;
      return { partial, cancelled };
    });
  }

  createSession(input: { title?: string | undefined; linkCoachingSession: boolean }): ChatSession {
    const ts = this.now().toISOString();
    const coaching = input.linkCoachingSession ? this.deps.coachingSessionId() : null;
    const row = {
      id: uuidv7(this.now().getTime()),
      title: input.title ?? (coaching !== null ? `Session ${coaching} chat` : 'General chat'),
      coaching_session_id: coaching,
      created_at: ts,
      updated_at: ts,
      last_seq: 0,
    };
    this.deps.db.run(this.deps.db.qb.insertInto('chat_sessions').values(row));
    return this.toSession(row);
  }

  listSessions(input: { limit: number; cursor?: string | undefined }): {
    sessions: ChatSession[];
    nextCursor: string | null;
    hasMore: boolean;
  } {
    const db = this.deps.db;
    let q = db.qb.selectFrom('chat_sessions').selectAll();
    if (input.cursor !== undefined) {
      const [u, id] = decodeListCursor(input.cursor);
      q = q.where((eb) => eb.or([eb('updated_at', '<', u), eb.and([eb('updated_at', '=', u), eb('id', '<', id)])]));
    }
    const rows = db.all(
      q
        .orderBy('updated_at', 'desc')
        .orderBy('id', 'desc')
        .limit(input.limit + 1),
    );
    const hasMore = rows.length > input.limit;
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    return {
      sessions: page.map((r) => this.toSession(r)),
      nextCursor: hasMore && last ? encodeListCursor(last.updated_at, last.id) : null,
      hasMore,
    };
  }

  deleteSession(chatSessionId: string): { deleted: boolean } {
    const chat = this.chat(chatSessionId);
    chat.deleted = true;
    clearTimeout(chat.flushTimer);
    if (chat.active) {
      chat.active.settled = true;
      chat.active.abort.abort();
    }
    const seq = chat.lastSeq + 1;
    this.deps.db.run(this.deps.db.qb.deleteFrom('chat_sessions').where('id', '=', chatSessionId));
    this.live.delete(chatSessionId);
    this.deps.emit({ chatSessionId, seq, type: 'session_deleted' });
    return { deleted: true };
  }

  send(input: { chatSessionId: string; text: string; clientMessageId?: string | undefined }): SendResult {
    const chat = this.chat(input.chatSessionId);
    if (input.clientMessageId !== undefined) {
      const seen = chat.sentByClientId.get(input.clientMessageId);
      if (seen) return seen;
    }
    if (this.closed) throw new PaigeError('SHUTTING_DOWN', 'Paige is shutting down.');
    if (!this.deps.llmEnabled() || !this.deps.model()) {
      throw new PaigeError(
        'LLM_DISABLED',
        `${noKeyAdvice(this.deps.keyStorable?.() ?? false, 'chat with Paige')} Earlier chats stay readable.`,
      );
    }
    let result: SendResult;
    if (!chat.active) {
      const turn = this.startTurn(chat, { id: uuidv7(this.now().getTime()), text: input.text, stored: false });
      result = { messageId: turn.userMessageId, turnId: turn.turnId, queued: false, position: null };
    } else {
      if (chat.queue.length >= CHAT_QUEUE_MAX) {
        throw new PaigeError(
          'QUEUE_FULL',
          `${CHAT_QUEUE_MAX} messages are already waiting. Wait for Paige to answer, or stop and clear the queue.`,
        );
      }
      const messageId = uuidv7(this.now().getTime());
      const position = chat.queue.length + 1;
      this.commit(
        chat,
        [
          { type: 'queued', messageId, position, text: input.text },
          { type: 'status', state: 'streaming', queueLength: position },
        ],
        () => this.insertMessage(chat, { id: messageId, role: 'user', content: input.text, status: 'queued' }),
        () => chat.queue.push({ messageId, text: input.text }),
      );
      result = { messageId, turnId: null, queued: true, position };
    }
    this.deps.record?.('chat_message_sent', { chatSessionId: chat.id, length: input.text.length });
    if (input.clientMessageId !== undefined) {
      chat.sentByClientId.set(input.clientMessageId, result);
      if (chat.sentByClientId.size > CLIENT_ID_MEMORY) {
        chat.sentByClientId.delete(chat.sentByClientId.keys().next().value!);
      }
    }
    return result;
  }

  interrupt(input: { chatSessionId: string; clearQueue: boolean }): {
    interrupted: boolean;
    turnId: string | null;
    partialMessageId: string | null;
  } {
    const chat = this.chat(input.chatSessionId);
    if (input.clearQueue) this.cancelQueue(chat);
    const active = chat.active;
    if (!active) return { interrupted: false, turnId: null, partialMessageId: null };
    this.endInterrupted(chat, active, 'interrupted');
    this.next(chat);
    return { interrupted: true, turnId: active.turnId, partialMessageId: active.assistantMessageId };
  }

  dequeue(input: { chatSessionId: string; messageId: string }): { removed: boolean } {
    const chat = this.chat(input.chatSessionId);
    const index = chat.queue.findIndex((q) => q.messageId === input.messageId);
    if (index < 0) return { removed: false };
    const db = this.deps.db;
    this.commit(
      chat,
      [
        { type: 'dequeued', messageId: input.messageId, reason: 'removed' },
        { type: 'status', state: chat.active ? 'streaming' : 'idle', queueLength: chat.queue.length - 1 },
      ],
      () => db.run(db.qb.updateTable('chat_messages').set({ status: 'cancelled' }).where('id', '=', input.messageId)),
      () => chat.queue.splice(index, 1),
    );
    return { removed: true };
  }

  state(chatSessionId: string): ChatState {
    const chat = this.chat(chatSessionId);
    const a = chat.active;
    return {
      status: a ? 'streaming' : 'idle',
      lastSeq: chat.lastSeq,
      activeTurn: a ? { turnId: a.turnId, messageId: a.assistantMessageId, text: a.text } : null,
      queue: chat.queue.map((q) => ({ ...q })),
    };
  }

  /** Pages of messages, ascending by seq: the newest page, or older than `before`, or newer than `after`. */
  history(input: { chatSessionId: string; before?: string | undefined; after?: string | undefined; limit: number }): {
    messages: ChatMessage[];
    nextCursor: string | null;
    hasMore: boolean;
  } {
    const chat = this.chat(input.chatSessionId);
    const db = this.deps.db;
    const base = db.qb.selectFrom('chat_messages').selectAll().where('chat_session_id', '=', chat.id);
    let rows;
    if (input.after !== undefined) {
      const after = decodeCursor(input.after);
      rows = db.all(
        base
          .where('seq', '>', after)
          .orderBy('seq', 'asc')
          .limit(input.limit + 1),
      );
    } else {
      const q = input.before !== undefined ? base.where('seq', '<', decodeCursor(input.before)) : base;
      rows = db.all(q.orderBy('seq', 'desc').limit(input.limit + 1));
    }
    const hasMore = rows.length > input.limit;
    const page = rows.slice(0, input.limit);
    if (input.after === undefined) page.reverse();
    const edge = input.after !== undefined ? page.at(-1) : page[0];
    const a = chat.active;
    return {
      messages: page.map((r) => ({
        id: r.id,
        chatSessionId: r.chat_session_id,
        turnId: r.turn_id,
        seq: r.seq,
        role: r.role,
        // The row of a reply in flight may be up to 500 ms behind; the hub has every character.
        content: a && r.id === a.assistantMessageId ? a.text : r.content,
        status: r.status,
        createdAt: r.created_at,
      })),
      nextCursor: hasMore && edge ? encodeCursor(edge.seq) : null,
      hasMore,
    };
  }

  turns(chatSessionId: string): {
    turns: {
      id: string;
      status: 'streaming' | 'completed' | 'interrupted' | 'failed';
      reason: 'end_turn' | 'max_tokens' | 'interrupted' | 'error' | 'shutdown' | null;
      startedAt: string;
      completedAt: string | null;
      model: string;
      inputTokens: number;
      outputTokens: number;
    }[];
  } {
    const chat = this.chat(chatSessionId);
    const db = this.deps.db;
    const rows = db.all(
      db.qb.selectFrom('chat_turns').selectAll().where('chat_session_id', '=', chat.id).orderBy('started_at'),
    );
    return {
      turns: rows.map((r) => ({
        id: r.id,
        status: r.status,
        reason: r.reason,
        startedAt: r.started_at,
        completedAt: r.completed_at,
        model: r.model,
        inputTokens: r.input_tokens,
        outputTokens: r.output_tokens,
      })),
    };
  }

  /** Graceful shutdown: every turn in flight ends `partial` / `interrupted` (reason `shutdown`), queues are cancelled. */
  async shutdown(): Promise<void> {
    this.closed = true;
    for (const chat of this.live.values()) {
      this.cancelQueue(chat);
      if (chat.active) this.endInterrupted(chat, chat.active, 'shutdown');
      clearTimeout(chat.flushTimer);
    }
    await Promise.all([...this.running]);
  }

  private chat(id: string): LiveChat {
    const known = this.live.get(id);
    if (known) return known;
    const db = this.deps.db;
    const row = db.get(db.qb.selectFrom('chat_sessions').select(['id', 'last_seq']).where('id', '=', id));
    if (!row) throw new PaigeError('NOT_FOUND', 'This chat does not exist (it may have been deleted).', { id });
    const max = db.get(
      db.qb
        .selectFrom('chat_messages')
        .select((eb) => eb.fn.max('seq').as('m'))
        .where('chat_session_id', '=', id),
    );
    const chat: LiveChat = {
      id,
      lastSeq: row.last_seq,
      persistedSeq: row.last_seq,
      lastMessageSeq: max?.m ?? 0,
      active: null,
      queue: [],
      flushTimer: undefined,
      sentByClientId: new Map(),
      deleted: false,
    };
    this.live.set(id, chat);
    return chat;
  }

  /**
   * One state change: numbers the events, writes the rows and the new `last_seq` in one transaction, applies the
   * in-memory change, then emits. A failed write emits nothing and changes nothing.
   */
  private commit(chat: LiveChat, events: EventBody[], write: () => void, apply: () => void = () => undefined): void {
    const first = chat.lastSeq + 1;
    const last = chat.lastSeq + events.length;
    const db = this.deps.db;
    db.transaction(() => {
      write();
      db.run(
        db.qb
          .updateTable('chat_sessions')
          .set({ last_seq: last, updated_at: this.now().toISOString() })
          .where('id', '=', chat.id),
      );
    });
    chat.lastSeq = last;
    chat.persistedSeq = last;
    apply();
    events.forEach((e, i) => this.deps.emit({ ...e, chatSessionId: chat.id, seq: first + i } as ChatEvent));
  }

  private insertMessage(
    chat: LiveChat,
    m: { id: string; role: 'user' | 'assistant'; content: string; status: ChatMessage['status']; turnId?: string },
  ): void {
    chat.lastMessageSeq++;
    this.deps.db.run(
      this.deps.db.qb.insertInto('chat_messages').values({
        id: m.id,
        chat_session_id: chat.id,
        turn_id: m.turnId ?? null,
        seq: chat.lastMessageSeq,
        role: m.role,
        content: m.content,
        status: m.status,
        created_at: this.now().toISOString(),
      }),
    );
  }

  private startTurn(chat: LiveChat, user: { id: string; text: string; stored: boolean }): ActiveTurn {
    const db = this.deps.db;
    const turn: ActiveTurn = {
      turnId: uuidv7(this.now().getTime()),
      userMessageId: user.id,
      assistantMessageId: uuidv7(this.now().getTime()),
      userText: user.text,
      text: '',
      persistedLength: 0,
      abort: new AbortController(),
      settled: false,
    };
    const ts = this.now().toISOString();
    const savedSeq = chat.lastMessageSeq;
    try {
      this.commit(
        chat,
        [
          {
            type: 'turn_started',
            turnId: turn.turnId,
            userMessageId: user.id,
            assistantMessageId: turn.assistantMessageId,
            userText: user.text,
          },
          { type: 'status', state: 'streaming', queueLength: chat.queue.length },
        ],
        () => {
          if (user.stored) {
            // A queued question moves to the end when its turn starts, so history reads question, answer, question.
            chat.lastMessageSeq++;
            db.run(
              db.qb
                .updateTable('chat_messages')
                .set({ status: 'sent', turn_id: turn.turnId, seq: chat.lastMessageSeq })
                .where('id', '=', user.id),
            );
          } else {
            this.insertMessage(chat, {
              id: user.id,
              role: 'user',
              content: user.text,
              status: 'sent',
              turnId: turn.turnId,
            });
          }
          db.run(
            db.qb.insertInto('chat_turns').values({
              id: turn.turnId,
              chat_session_id: chat.id,
              user_message_id: user.id,
              assistant_message_id: turn.assistantMessageId,
              status: 'streaming',
              reason: null,
              model: CHAT_ALIAS,
              started_at: ts,
              completed_at: null,
            }),
          );
          this.insertMessage(chat, {
            id: turn.assistantMessageId,
            role: 'assistant',
            content: '',
            status: 'streaming',
            turnId: turn.turnId,
          });
        },
        () => {
          chat.active = turn;
        },
      );
    } catch (err) {
      chat.lastMessageSeq = savedSeq;
      throw err;
    }
    const running = this.run(chat, turn).finally(() => this.running.delete(running));
    this.running.add(running);
    return turn;
  }

  private async run(chat: LiveChat, turn: ActiveTurn): Promise<void> {
    const model = this.deps.model();
    let outcome:
      | { kind: 'ok'; result: CallResult<string> | null; reason: 'end_turn' | 'max_tokens' }
      | { kind: 'error'; code: string; message: string };
    try {
      if (!model) throw new PaigeError('LLM_DISABLED', 'The model layer is not available.');
      const prompt = buildChatPrompt(this.deps.context(), this.priorMessages(chat, turn), turn.userText);
      const result = await model.callModel({
        callType: CHAT_CALL_TYPE,
        alias: CHAT_ALIAS,
        system: prompt.system,
        user: prompt.user,
        maxTokens: CHAT_MAX_TOKENS,
        stream: true,
        onDelta: (text) => this.onDelta(chat, turn, text),
        signal: turn.abort.signal,
        sessionId: this.deps.coachingSessionId(),
      });
      outcome = { kind: 'ok', result, reason: result.stopReason === 'max_tokens' ? 'max_tokens' : 'end_turn' };
    } catch (err) {
      if (err instanceof ApiMaxTokensError) outcome = { kind: 'ok', result: null, reason: 'max_tokens' };
      else if (isPaigeError(err)) outcome = { kind: 'error', code: err.code, message: err.message };
      else {
        this.deps.logger.error('chat turn failed', { err });
        outcome = { kind: 'error', code: 'INTERNAL', message: 'Something went wrong while Paige was answering.' };
      }
    }
    if (turn.settled || chat.deleted || chat.active !== turn) return;
    if (outcome.kind === 'ok') this.endCompleted(chat, turn, outcome.result, outcome.reason);
    else this.endFailed(chat, turn, outcome);
    this.next(chat);
  }

  /** Earlier messages for the prompt: sent questions and replies (cut-off ones marked), oldest first. */
  private priorMessages(chat: LiveChat, turn: ActiveTurn) {
    const db = this.deps.db;
    const rows = db.all(
      db.qb
        .selectFrom('chat_messages')
        .select(['role', 'content', 'status'])
        .where('chat_session_id', '=', chat.id)
        .where('status', 'in', ['sent', 'complete', 'partial', 'failed'])
        .where('id', 'not in', [turn.userMessageId, turn.assistantMessageId])
        .where('content', '!=', '')
        .orderBy('seq', 'desc')
        .limit(HISTORY_MAX_MESSAGES),
    );
    return rows.reverse();
  }

  private onDelta(chat: LiveChat, turn: ActiveTurn, text: string): void {
    if (turn.settled || chat.active !== turn || text.length === 0) return;
    turn.text += text;
    chat.lastSeq++;
    this.deps.emit({ chatSessionId: chat.id, seq: chat.lastSeq, type: 'delta', turnId: turn.turnId, text });
    chat.flushTimer ??= setTimeout(() => {
      chat.flushTimer = undefined;
      this.flush(chat);
    }, CHAT_FLUSH_MS);
  }

  /** Writes the reply in flight and `last_seq` (the periodic persistence of deltas). */
  private flush(chat: LiveChat): void {
    const a = chat.active;
    if (chat.deleted || !a || (a.text.length === a.persistedLength && chat.persistedSeq === chat.lastSeq)) return;
    const db = this.deps.db;
    const text = a.text;
    const seq = chat.lastSeq;
    db.transaction(() => {
      db.run(db.qb.updateTable('chat_messages').set({ content: text }).where('id', '=', a.assistantMessageId));
      db.run(db.qb.updateTable('chat_sessions').set({ last_seq: seq }).where('id', '=', chat.id));
    });
    a.persistedLength = text.length;
    chat.persistedSeq = seq;
  }

  private finishTurn(
    chat: LiveChat,
    turn: ActiveTurn,
    events: EventBody[],
    rows: {
      message: 'complete' | 'partial' | 'failed';
      turn: 'completed' | 'interrupted' | 'failed';
      reason: 'end_turn' | 'max_tokens' | 'interrupted' | 'error' | 'shutdown';
      model?: string;
      usage?: { inputTokens: number; outputTokens: number };
    },
  ): void {
    turn.settled = true;
    clearTimeout(chat.flushTimer);
    chat.flushTimer = undefined;
    const db = this.deps.db;
    this.commit(
      chat,
      events,
      () => {
        db.run(
          db.qb
            .updateTable('chat_messages')
            .set({ content: turn.text, status: rows.message })
            .where('id', '=', turn.assistantMessageId),
        );
        db.run(
          db.qb
            .updateTable('chat_turns')
            .set({
              status: rows.turn,
              reason: rows.reason,
              completed_at: this.now().toISOString(),
              ...(rows.model ? { model: rows.model } : {}),
              ...(rows.usage ? { input_tokens: rows.usage.inputTokens, output_tokens: rows.usage.outputTokens } : {}),
            })
            .where('id', '=', turn.turnId),
        );
      },
      () => {
        turn.persistedLength = turn.text.length;
        chat.active = null;
      },
    );
    this.deps.record?.('chat_turn_completed', { chatSessionId: chat.id, turnId: turn.turnId, reason: rows.reason });
  }

  private endCompleted(
    chat: LiveChat,
    turn: ActiveTurn,
    result: CallResult<string> | null,
    reason: 'end_turn' | 'max_tokens',
  ): void {
    const usage = result
      ? { inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens }
      : { inputTokens: 0, outputTokens: 0 };
    this.finishTurn(chat, turn, [{ type: 'turn_completed', turnId: turn.turnId, reason, usage }], {
      message: 'complete',
      turn: 'completed',
      reason,
      ...(result ? { model: result.model } : {}),
      usage,
    });
  }

  private endFailed(chat: LiveChat, turn: ActiveTurn, error: { code: string; message: string }): void {
    this.deps.logger.warn('chat turn failed', { chatSessionId: chat.id, code: error.code });
    this.finishTurn(chat, turn, [{ type: 'turn_failed', turnId: turn.turnId, error }], {
      message: 'failed',
      turn: 'failed',
      reason: 'error',
    });
  }

  private endInterrupted(chat: LiveChat, turn: ActiveTurn, reason: 'interrupted' | 'shutdown'): void {
    this.finishTurn(
      chat,
      turn,
      [{ type: 'turn_interrupted', turnId: turn.turnId, partialMessageId: turn.assistantMessageId }],
      { message: 'partial', turn: 'interrupted', reason },
    );
    turn.abort.abort();
  }

  /** After a turn ends: the oldest queued message starts its turn, or the chat goes idle. */
  private next(chat: LiveChat): void {
    if (chat.deleted || chat.active) return;
    const head = this.closed ? undefined : chat.queue[0];
    if (!head) {
      this.commit(chat, [{ type: 'status', state: 'idle', queueLength: 0 }], () => undefined);
      return;
    }
    this.commit(
      chat,
      [{ type: 'dequeued', messageId: head.messageId, reason: 'started' }],
      () => undefined,
      () => chat.queue.shift(),
    );
    this.startTurn(chat, { id: head.messageId, text: head.text, stored: true });
  }

  private cancelQueue(chat: LiveChat): void {
    if (chat.queue.length === 0) return;
    const ids = chat.queue.map((q) => q.messageId);
    const db = this.deps.db;
    this.commit(
      chat,
      [
        ...ids.map((messageId) => ({ type: 'dequeued' as const, messageId, reason: 'cancelled' as const })),
        { type: 'status', state: chat.active ? 'streaming' : 'idle', queueLength: 0 },
      ],
      () => db.run(db.qb.updateTable('chat_messages').set({ status: 'cancelled' }).where('id', 'in', ids)),
      () => {
        chat.queue = [];
      },
    );
  }

  private toSession(r: {
    id: string;
    title: string;
    coaching_session_id: number | null;
    created_at: string;
    updated_at: string;
    last_seq: number;
  }): ChatSession {
    const live = this.live.get(r.id);
    return {
      id: r.id,
      title: r.title,
      coachingSessionId: r.coaching_session_id,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      lastSeq: live?.lastSeq ?? r.last_seq,
    };
  }
}
