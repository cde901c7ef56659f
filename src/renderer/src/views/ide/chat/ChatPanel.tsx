// The coach chat in the sidebar: messages with streamed Markdown replies, queued questions with their position,
// Stop, Resend for cancelled questions, older history on scroll, and the list of chats.
import { useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore, type KeyboardEvent } from 'react';
import { CHAT_TEXT_MAX } from '../../../../../shared/domain/chat';
import { useConnectionState, usePaige } from '../../../state/paige-context';
import { ChatStore, type ViewMessage } from './chat-store';
import { Markdown } from '../../../components/Markdown';
import './chat.css';

/** Scrolling within this many pixels of the top loads the previous page. */
const LOAD_OLDER_PX = 40;
/** Within this many pixels of the bottom the list follows new text. */
const STICK_BOTTOM_PX = 60;

const STATUS_NOTE: Partial<Record<ViewMessage['status'], string>> = {
  partial: 'Stopped',
  failed: 'Failed',
  cancelled: 'Not sent',
};

function MessageRow({ m, position, store }: { m: ViewMessage; position: number | null; store: ChatStore }) {
  const note = position !== null ? `Queued · ${position}` : STATUS_NOTE[m.status];
  return (
    <li
      className={`chat-msg chat-msg-${m.role} chat-msg-${m.status}`}
      data-testid="chat-message"
      data-role={m.role}
      data-status={m.status}
    >
      {m.role === 'assistant' ? (
        <div className="chat-body" data-testid="chat-reply">
          <Markdown text={m.content} />
          {m.status === 'streaming' ? <span className="chat-caret" aria-hidden="true" /> : null}
        </div>
      ) : (
        <div className="chat-body chat-question">{m.content}</div>
      )}
      {note ? (
        <div className="chat-note">
          <span data-testid={position !== null ? 'chat-queue-position' : 'chat-status-note'}>{note}</span>
          {position !== null ? (
            <button type="button" className="chat-link" onClick={() => void store.dequeue(m.id)}>
              Remove
            </button>
          ) : null}
          {m.status === 'cancelled' ? (
            <button
              type="button"
              className="chat-link"
              data-testid="chat-resend"
              onClick={() => void store.send(m.content)}
            >
              Resend
            </button>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

export function ChatPanel({ coachingSessionId }: { coachingSessionId: number | null }) {
  const { client } = usePaige().connection;
  const [store] = useState(() => new ChatStore(client));
  useEffect(() => () => store.dispose(), [store]);
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const conn = useConnectionState();
  // Joined on connect, after every reconnect (the backend may have moved on) and when the coaching session changes.
  const generation = conn.status === 'open' ? conn.generation : 0;
  useEffect(() => {
    if (generation > 0) void store.load(coachingSessionId);
  }, [store, generation, coachingSessionId]);

  const [draft, setDraft] = useState('');
  const list = useRef<HTMLOListElement>(null);
  const atBottom = useRef(true);
  const prevFirst = useRef<{ id: string | undefined; height: number }>({ id: undefined, height: 0 });

  useLayoutEffect(() => {
    const el = list.current;
    if (!el) return;
    const first = state.messages[0]?.id;
    if (prevFirst.current.id !== undefined && first !== prevFirst.current.id && !atBottom.current) {
      // Older messages were added above: keep what the learner was reading in place.
      el.scrollTop += el.scrollHeight - prevFirst.current.height;
    } else if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
    prevFirst.current = { id: first, height: el.scrollHeight };
  }, [state.messages]);

  if (!state.available) return null;

  const onScroll = (): void => {
    const el = list.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_BOTTOM_PX;
    if (el.scrollTop < LOAD_OLDER_PX && state.olderCursor) void store.loadOlder();
  };
  const submit = async (): Promise<void> => {
    const text = draft;
    if (!text.trim()) return;
    atBottom.current = true;
    if (await store.send(text)) setDraft((d) => (d === text ? '' : d));
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void submit();
    }
  };

  return (
    <section className="chat" aria-label="Chat with Paige" data-testid="chat-panel" data-status={state.status}>
      <header className="chat-header">
        <span className="chat-title">Ask Paige</span>
        {state.sessions.length > 0 ? (
          <select
            className="chat-picker"
            aria-label="Chats"
            data-testid="chat-picker"
            value={state.chatId ?? ''}
            onChange={(e) => void store.join(e.target.value)}
          >
            {state.chatId === null ? <option value="">New chat</option> : null}
            {state.sessions.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
        ) : null}
        <button type="button" className="chat-link" data-testid="chat-new" onClick={() => void store.startNew()}>
          New
        </button>
      </header>
      <ol className="chat-list" ref={list} onScroll={onScroll} data-testid="chat-list">
        {state.olderCursor ? (
          <li className="chat-older">
            <button type="button" className="chat-link" onClick={() => void store.loadOlder()}>
              {state.loadingOlder ? 'Loading…' : 'Load older messages'}
            </button>
          </li>
        ) : null}
        {state.loaded && state.messages.length === 0 ? (
          <li className="muted chat-empty">Ask about the issue, the code or a concept. Paige cannot edit files.</li>
        ) : null}
        {state.messages.map((m) => {
          const q = state.queue.indexOf(m.id);
          return <MessageRow key={m.id} m={m} position={q >= 0 ? q + 1 : null} store={store} />;
        })}
      </ol>
      {state.error ? (
        <p className="chat-error" role="alert" data-testid="chat-error">
          {state.error}
        </p>
      ) : null}
      <div className="chat-compose">
        <textarea
          data-testid="chat-input"
          aria-label="Message to Paige"
          placeholder={state.status === 'streaming' ? 'Ask next (queued)…' : 'Ask Paige…'}
          value={draft}
          rows={2}
          maxLength={CHAT_TEXT_MAX}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKey}
        />
        <div className="chat-actions">
          {state.status === 'streaming' ? (
            <>
              <button type="button" data-testid="chat-stop" onClick={() => void store.stop(false)}>
                Stop
              </button>
              {state.queue.length > 0 ? (
                <button type="button" data-testid="chat-stop-all" onClick={() => void store.stop(true)}>
                  Stop all
                </button>
              ) : null}
            </>
          ) : null}
          <button type="button" data-testid="chat-send" disabled={!draft.trim()} onClick={() => void submit()}>
            Send
          </button>
        </div>
      </div>
    </section>
  );
}
