// The chat panel's state outside React: the chat list, the selected chat's messages, its live turn and queue. Joining
// a chat (first load, reload, reconnect) reads `chat:state` and the newest history page, then applies only events
// numbered above `lastSeq`; events that arrive while joining are held and replayed (docs/chat.md, catch-up).
import type { ChatEvent, ChatMessage, ChatSession } from '../../../../../shared/domain/chat';
import type { PaigeClient } from '../../../../../shared/ipc/client';
import { DisposableStore, Emitter } from '../../../../../shared/lifecycle';
import { toErrorInfo } from '../../../lib/error-info';

/** Messages per history page (the channel's default). */
const PAGE = 50;
/** Chats offered in the list of past chats. */
const LIST_LIMIT = 50;

export interface ViewMessage {
  id: string;
  role: ChatMessage['role'];
  content: string;
  status: ChatMessage['status'];
}

interface ChatViewState {
  /** False when the backend has no chat (the channels answer NOT_SUPPORTED). */
  available: boolean;
  loaded: boolean;
  sessions: readonly ChatSession[];
  chatId: string | null;
  /** Oldest first. */
  messages: readonly ViewMessage[];
  olderCursor: string | null;
  loadingOlder: boolean;
  status: 'idle' | 'streaming';
  activeMessageId: string | null;
  /** Queued user message ids, in queue order (position = index + 1). */
  queue: readonly string[];
  error: string | null;
}

const EMPTY: ChatViewState = {
  available: true,
  loaded: false,
  sessions: [],
  chatId: null,
  messages: [],
  olderCursor: null,
  loadingOlder: false,
  status: 'idle',
  activeMessageId: null,
  queue: [],
  error: null,
};

function newClientId(): string {
  return globalThis.crypto.randomUUID();
}

export class ChatStore {
  private state: ChatViewState = EMPTY;
  private readonly changed = new Emitter<void>();
  private readonly subscriptions = new DisposableStore();
  /** The last event applied for the selected chat; events at or below it are already in the state. */
  private lastSeq = 0;
  /** Events for the selected chat held while a join is in progress; null when live. */
  private held: ChatEvent[] | null = null;
  private generation = 0;
  private coachingSessionId: number | null = null;

  constructor(private readonly client: PaigeClient) {
    this.subscriptions.defer(client.on('chat:event', (e) => this.onEvent(e)));
  }

  subscribe = (listener: () => void): (() => void) => {
    const sub = this.changed.event(listener);
    return () => sub.dispose();
  };

  getState = (): ChatViewState => this.state;

  private set(patch: Partial<ChatViewState>): void {
    this.state = { ...this.state, ...patch };
    this.changed.fire();
  }

  /** Reads the chat list and (re)joins the chat for this coaching session (or the general one). */
  async load(coachingSessionId: number | null): Promise<void> {
    // A reconnect keeps the chat on screen; a coaching session starting or ending switches to its own chat.
    const sameContext = coachingSessionId === this.coachingSessionId;
    this.coachingSessionId = coachingSessionId;
    try {
      const list = await this.client.invoke('chat:session_list', { limit: LIST_LIMIT });
      const keep = sameContext ? list.sessions.find((s) => s.id === this.state.chatId) : undefined;
      const pick =
        keep ??
        list.sessions.find((s) => coachingSessionId !== null && s.coachingSessionId === coachingSessionId) ??
        list.sessions.find((s) => s.coachingSessionId === null && coachingSessionId === null) ??
        null;
      this.set({ sessions: list.sessions, available: true });
      if (pick) await this.join(pick.id);
      else this.set({ ...EMPTY, sessions: list.sessions, loaded: true });
    } catch (err) {
      const info = toErrorInfo(err);
      if (info.code === 'NOT_SUPPORTED') this.set({ available: false, loaded: true });
      else this.set({ loaded: true, error: info.message });
    }
  }

  /** Switches to (or re-reads) one chat: state first, then the newest page, then the events held meanwhile. */
  async join(chatId: string): Promise<void> {
    const gen = ++this.generation;
    this.held = [];
    if (chatId !== this.state.chatId) this.set({ ...EMPTY, sessions: this.state.sessions, chatId, loaded: false });
    try {
      const st = await this.client.invoke('chat:state', { chatSessionId: chatId });
      const page = await this.client.invoke('chat:history', { chatSessionId: chatId, limit: PAGE });
      if (gen !== this.generation) return;
      const queueIds = st.queue.map((q) => q.messageId);
      const rows: ViewMessage[] = page.messages.map((m) => ({
        id: m.id,
        role: m.role,
        content: st.activeTurn?.messageId === m.id ? st.activeTurn.text : m.content,
        status: m.status,
      }));
      // Waiting questions sit below the reply in flight, in queue order (as they appeared live).
      const waiting = new Set(queueIds);
      const messages = [
        ...rows.filter((m) => !waiting.has(m.id)),
        ...queueIds.flatMap((id) => rows.filter((m) => m.id === id)),
      ];
      this.lastSeq = st.lastSeq;
      const held = this.held;
      this.held = null;
      this.set({
        loaded: true,
        chatId,
        messages,
        olderCursor: page.hasMore ? page.nextCursor : null,
        status: st.status,
        activeMessageId: st.activeTurn?.messageId ?? null,
        queue: queueIds,
        error: null,
      });
      for (const e of held) this.apply(e);
    } catch (err) {
      if (gen !== this.generation) return;
      this.held = null;
      const info = toErrorInfo(err);
      if (info.code === 'NOT_FOUND') void this.load(this.coachingSessionId);
      else this.set({ loaded: true, error: info.message });
    }
  }

  async loadOlder(): Promise<void> {
    const { chatId, olderCursor, loadingOlder } = this.state;
    if (!chatId || !olderCursor || loadingOlder) return;
    this.set({ loadingOlder: true });
    try {
      const page = await this.client.invoke('chat:history', {
        chatSessionId: chatId,
        before: olderCursor,
        limit: PAGE,
      });
      if (chatId !== this.state.chatId) return;
      const known = new Set(this.state.messages.map((m) => m.id));
      const older = page.messages
        .filter((m) => !known.has(m.id))
        .map((m) => ({ id: m.id, role: m.role, content: m.content, status: m.status }));
      this.set({
        messages: [...older, ...this.state.messages],
        olderCursor: page.hasMore ? page.nextCursor : null,
        loadingOlder: false,
      });
    } catch (err) {
      this.set({ loadingOlder: false, error: toErrorInfo(err).message });
    }
  }

  async send(text: string): Promise<boolean> {
    const trimmed = text.trim();
    if (!trimmed) return false;
    try {
      let chatId = this.state.chatId;
      if (!chatId) {
        const created = await this.client.invoke('chat:session_create', {
          linkCoachingSession: this.coachingSessionId !== null,
        });
        chatId = created.id;
        this.set({ sessions: [created, ...this.state.sessions] });
        await this.join(chatId);
      }
      await this.client.invoke('chat:send', { chatSessionId: chatId, text: trimmed, clientMessageId: newClientId() });
      this.set({ error: null });
      return true;
    } catch (err) {
      this.set({ error: toErrorInfo(err).message });
      return false;
    }
  }

  async stop(clearQueue: boolean): Promise<void> {
    const chatId = this.state.chatId;
    if (!chatId) return;
    try {
      await this.client.invoke('chat:interrupt', { chatSessionId: chatId, clearQueue });
    } catch (err) {
      this.set({ error: toErrorInfo(err).message });
    }
  }

  async dequeue(messageId: string): Promise<void> {
    const chatId = this.state.chatId;
    if (!chatId) return;
    try {
      await this.client.invoke('chat:dequeue', { chatSessionId: chatId, messageId });
    } catch (err) {
      this.set({ error: toErrorInfo(err).message });
    }
  }

  async startNew(): Promise<void> {
    try {
      const created = await this.client.invoke('chat:session_create', {
        linkCoachingSession: this.coachingSessionId !== null,
      });
      this.set({ sessions: [created, ...this.state.sessions] });
      await this.join(created.id);
    } catch (err) {
      this.set({ error: toErrorInfo(err).message });
    }
  }

  dispose(): void {
    this.subscriptions.dispose();
    this.changed.dispose();
  }

  private onEvent(e: ChatEvent): void {
    if (e.chatSessionId !== this.state.chatId) {
      // A chat another window started: show it here when this window has none yet, else just list it.
      if (!this.state.sessions.some((s) => s.id === e.chatSessionId) && e.type !== 'session_deleted') {
        void this.refreshList(this.state.chatId === null);
      }
      return;
    }
    if (this.held) {
      this.held.push(e);
      return;
    }
    this.apply(e);
  }

  private async refreshList(joinNewest: boolean): Promise<void> {
    try {
      const list = await this.client.invoke('chat:session_list', { limit: LIST_LIMIT });
      this.set({ sessions: list.sessions });
      const newest = list.sessions[0];
      if (joinNewest && newest && this.state.chatId === null) await this.join(newest.id);
    } catch {
      // The list is a convenience; the next load reads it again.
    }
  }

  private apply(e: ChatEvent): void {
    if (e.seq <= this.lastSeq) return;
    if (e.seq !== this.lastSeq + 1) {
      // A gap means this window missed events (e.g. while its socket was down): read the state again.
      void this.join(e.chatSessionId);
      return;
    }
    this.lastSeq = e.seq;
    const s = this.state;
    switch (e.type) {
      case 'turn_started': {
        const rest = s.messages.filter((m) => m.id !== e.userMessageId && m.id !== e.assistantMessageId);
        this.set({
          messages: [
            ...rest,
            { id: e.userMessageId, role: 'user', content: e.userText, status: 'sent' },
            { id: e.assistantMessageId, role: 'assistant', content: '', status: 'streaming' },
          ],
          activeMessageId: e.assistantMessageId,
          status: 'streaming',
          queue: s.queue.filter((id) => id !== e.userMessageId),
        });
        return;
      }
      case 'delta':
        this.patch(s.activeMessageId, (m) => ({ content: m.content + e.text }));
        return;
      case 'turn_completed':
        this.endTurn('complete');
        return;
      case 'turn_interrupted':
        this.endTurn('partial');
        return;
      case 'turn_failed':
        this.endTurn('failed');
        this.set({ error: e.error.message });
        return;
      case 'queued':
        this.set({
          messages: s.messages.some((m) => m.id === e.messageId)
            ? s.messages
            : [...s.messages, { id: e.messageId, role: 'user', content: e.text, status: 'queued' }],
          queue: s.queue.includes(e.messageId) ? s.queue : [...s.queue, e.messageId],
        });
        return;
      case 'dequeued':
        this.set({ queue: s.queue.filter((id) => id !== e.messageId) });
        if (e.reason !== 'started') this.patch(e.messageId, () => ({ status: 'cancelled' }));
        return;
      case 'status':
        this.set({ status: e.state });
        return;
      case 'session_deleted':
        this.set({ ...EMPTY, loaded: true, sessions: s.sessions.filter((x) => x.id !== e.chatSessionId) });
        return;
    }
  }

  private endTurn(status: ViewMessage['status']): void {
    this.patch(this.state.activeMessageId, () => ({ status }));
    this.set({ activeMessageId: null });
  }

  private patch(id: string | null, fn: (m: ViewMessage) => Partial<ViewMessage>): void {
    if (id === null) return;
    this.set({ messages: this.state.messages.map((m) => (m.id === id ? { ...m, ...fn(m) } : m)) });
  }
}
