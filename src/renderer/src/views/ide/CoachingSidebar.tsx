// The IDE's right sidebar: session status, the issue card, the plan's phase stepper and the coaching message feed.
import { useSyncExternalStore } from 'react';
import type { HintLevel, IssueContext, Session } from '../../../../shared/domain/session';
import { ChatPanel } from './chat/ChatPanel';
import type { CoachingMessage, CoachingStore } from './coaching-store';
import type { IdeController } from './ide-controller';
import { MessageBody } from './MessageBody';
import { ObserverCard } from './ObserverCard';
import { PlanPanel } from './PlanPanel';
import { WrapUpCard } from './WrapUpCard';

const MESSAGE_LABEL: Readonly<Record<CoachingMessage['type'], string>> = {
  info: 'Info',
  success: 'Nice',
  warning: 'Careful',
  error: 'Problem',
  hint: 'Hint',
};

function SessionStatus({ session, loaded }: { session: Session | null; loaded: boolean }) {
  if (!loaded) return <p className="muted">Loading…</p>;
  if (!session) {
    return (
      <p className="muted coach-session" data-testid="coach-session" data-status="none">
        No coaching session yet. Start Claude Code in the terminal below; the plan, hints and messages appear here.
      </p>
    );
  }
  return (
    <div className="coach-session" data-testid="coach-session" data-status={session.status}>
      <span className={`coach-status-dot coach-status-${session.status}`} aria-hidden="true" />
      <span>
        Session {session.id} · <span data-testid="coach-session-status">{session.status.replace(/_/g, ' ')}</span>
      </span>
      <span className="muted coach-hint-level">hints: {session.hintLevel}</span>
    </div>
  );
}

function IssueCard({ issue }: { issue: IssueContext }) {
  return (
    <section className="coach-card coach-issue" data-testid="coach-issue" aria-label="Issue">
      <h3>
        {issue.number !== undefined ? <span className="coach-issue-number">#{issue.number} </span> : null}
        <span data-testid="coach-issue-title">{issue.title}</span>
      </h3>
      {issue.labels && issue.labels.length > 0 ? (
        <ul className="coach-labels" aria-label="Labels">
          {issue.labels.map((l) => (
            <li key={l} className="coach-label">
              {l}
            </li>
          ))}
        </ul>
      ) : null}
      {issue.summary ? (
        <p className="coach-issue-summary" data-testid="coach-issue-summary">
          {issue.summary}
        </p>
      ) : null}
      {issue.url ? (
        <a href={issue.url} target="_blank" rel="noreferrer" className="coach-issue-link">
          Open on GitHub
        </a>
      ) : null}
    </section>
  );
}

function MessageFeed({
  messages,
  store,
  controller,
  level,
}: {
  messages: readonly CoachingMessage[];
  store: CoachingStore;
  controller: IdeController;
  level: HintLevel;
}) {
  if (messages.length === 0) return null;
  // Newest first: the latest nudge is what the learner needs to see without scrolling.
  const newestFirst = [...messages].reverse();
  return (
    <section className="coach-feed" aria-label="Coaching messages" data-testid="coach-messages">
      {newestFirst.map((m) => (
        <article
          key={m.messageId}
          className={`coach-message coach-message-${m.type}`}
          data-testid={`coach-message-${m.messageId}`}
          data-type={m.type}
        >
          <header>
            <span className="coach-message-type">{MESSAGE_LABEL[m.type]}</span>
            <button
              type="button"
              className="coach-dismiss"
              aria-label="Dismiss message"
              data-testid={`coach-dismiss-${m.messageId}`}
              onClick={() => store.dismiss(m.messageId)}
            >
              ×
            </button>
          </header>
          <MessageBody message={m} level={level} store={store} />
          {m.anchor ? (
            <button
              type="button"
              className="coach-anchor"
              onClick={() => void controller.reveal(m.anchor?.path ?? '', m.anchor?.startLine)}
            >
              {m.anchor.path}:{m.anchor.startLine}
              {m.anchor.endLine !== m.anchor.startLine ? `–${m.anchor.endLine}` : ''}
            </button>
          ) : null}
        </article>
      ))}
    </section>
  );
}

export function CoachingSidebar({ store, controller }: { store: CoachingStore; controller: IdeController }) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  return (
    <div className="coach" data-testid="coach-sidebar">
      <div className="pane-title">Coach</div>
      <SessionStatus session={state.session} loaded={state.loaded} />
      <ObserverCard />
      {state.issue ? <IssueCard issue={state.issue} /> : null}
      <PlanPanel store={store} />
      <WrapUpCard session={state.session} />
      <MessageFeed messages={state.messages} store={store} controller={controller} level={state.hintLevel} />
      <ChatPanel coachingSessionId={state.session?.status === 'active' ? state.session.id : null} />
    </div>
  );
}
