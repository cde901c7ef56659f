// The wrap-up in the coaching sidebar: an End session button while a session is active; after it ends, each wrap-up
// agent's progress (with Retry for a failed one) and what came out: knowledge gaps, katas, Dreyfus stage changes and
// memories. A reloaded window reads the newest ended session's wrap-up.
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { Session, WrapUpAgent } from '../../../../shared/domain/session';
import { useConnectionState, usePaige } from '../../state/paige-context';
import { describeWrapUpError } from './wrap-up-error';
import { WrapUpStore, type WrapUpView } from './wrap-up-store';
import './wrap-up-card.css';

const AGENT_LABEL: Readonly<Record<WrapUpAgent, string>> = {
  knowledge_gap: 'Knowledge gaps and katas',
  dreyfus: 'Skill assessment',
  reflection: 'Reflection (memories)',
};

const STATE_LABEL = { pending: 'Waiting', running: 'Running…', done: 'Done', failed: 'Failed' } as const;

const STATUS_LABEL: Readonly<Record<string, string>> = {
  wrapping_up: 'Wrapping up…',
  completed: 'Wrap-up complete',
  completed_with_errors: 'Wrap-up finished with errors',
  active: 'Session active',
};

function Results({ results }: { results: NonNullable<WrapUpView['results']> }) {
  const { gaps, katas, stageChanges, memories } = results;
  if (gaps.length + katas.length + stageChanges.length + memories.length === 0) {
    return (
      <p className="muted" data-testid="wrapup-empty">
        Nothing new came out of this session.
      </p>
    );
  }
  return (
    <>
      {gaps.length > 0 ? (
        <section className="wrapup-section" data-testid="wrapup-gaps" aria-label="Knowledge gaps">
          <h4>Knowledge gaps</h4>
          <ul>
            {gaps.map((g) => (
              <li key={g.topic} data-severity={g.severity}>
                {g.topic}
                <span className={`wrapup-severity wrapup-severity-${g.severity}`}>{g.severity}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {katas.length > 0 ? (
        <section className="wrapup-section" data-testid="wrapup-katas" aria-label="Katas">
          <h4>Katas to practise</h4>
          <ul>
            {katas.map((k, i) => (
              <li key={`${k.title}-${i}`}>
                {k.title}{' '}
                <span className="muted">
                  ({k.difficulty}, for {k.gapTopic})
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {stageChanges.length > 0 ? (
        <section className="wrapup-section" data-testid="wrapup-stages" aria-label="Skill stages">
          <h4>Skill stages</h4>
          <ul>
            {stageChanges.map((c) => (
              <li key={c.skillArea} data-testid="wrapup-stage">
                {c.skillArea}:{' '}
                {c.from === null ? `assessed ${c.to}` : c.from === c.to ? `stays ${c.to}` : `${c.from} → ${c.to}`}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {memories.length > 0 ? (
        <section className="wrapup-section" data-testid="wrapup-memories" aria-label="Memories">
          <h4>Memories for next time</h4>
          <ul>
            {memories.map((m) => (
              <li key={m.id}>{m.content}</li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

function AgentError({ message }: { message: string }) {
  const { sentence, detail } = describeWrapUpError(message);
  return (
    <div className="wrapup-agent-error" data-testid="wrapup-agent-error">
      <p>{sentence}</p>
      {detail !== null ? (
        <details className="wrapup-agent-detail">
          <summary>Technical details</summary>
          <code data-testid="wrapup-agent-error-detail">{detail}</code>
        </details>
      ) : null}
    </div>
  );
}

function WrapUpProgress({ view, store }: { view: WrapUpView; store: WrapUpStore }) {
  return (
    <section
      className="coach-card wrapup"
      data-testid="wrapup-card"
      data-session={view.sessionId}
      data-status={view.status}
      aria-label="Wrap-up"
      aria-live="polite"
    >
      <h3>
        {STATUS_LABEL[view.status] ?? view.status} <span className="muted">· session {view.sessionId}</span>
      </h3>
      <ul className="wrapup-agents">
        {view.agents.map((a) => (
          <li key={a.agent} className="wrapup-agent" data-testid={`wrapup-agent-${a.agent}`} data-state={a.state}>
            <span className="wrapup-agent-name">{AGENT_LABEL[a.agent]}</span>
            <span className="wrapup-agent-state">{STATE_LABEL[a.state]}</span>
            {a.state === 'failed' ? (
              <button type="button" data-testid={`wrapup-retry-${a.agent}`} onClick={() => void store.retry(a.agent)}>
                Retry
              </button>
            ) : null}
            {a.state === 'failed' && a.message ? <AgentError message={a.message} /> : null}
          </li>
        ))}
      </ul>
      {view.results ? <Results results={view.results} /> : null}
    </section>
  );
}

export function WrapUpCard({ session }: { session: Session | null }) {
  const { client } = usePaige().connection;
  const [store] = useState(() => new WrapUpStore(client));
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const conn = useConnectionState();
  const generation = conn.status === 'open' ? conn.generation : 0;
  useEffect(() => store.attach(), [store]);
  useEffect(() => {
    if (generation > 0) void store.load();
  }, [store, generation]);

  if (session?.status === 'active') {
    return (
      <section className="wrapup-end" aria-label="End session">
        <span className="muted">Done for now? Paige reviews the session when it ends.</span>
        <button
          type="button"
          data-testid="wrapup-end-session"
          disabled={state.ending}
          onClick={() => void store.endSession()}
        >
          {state.ending ? 'Ending…' : 'End session'}
        </button>
        {state.endError ? (
          <p className="wrapup-end-error" role="alert" data-testid="wrapup-end-error">
            {state.endError}
          </p>
        ) : null}
      </section>
    );
  }
  return state.view ? <WrapUpProgress view={state.view} store={store} /> : null;
}
