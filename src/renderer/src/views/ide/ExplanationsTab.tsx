// Explain This in the IDE: the Explain button over the editor for a selection, and the sidebar's Explanations tab
// (an accordion, newest first and open) next to the coaching content.
import { useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { ExplainRequest } from '../../../../shared/domain/llm';
import type { ErrorCode } from '../../../../shared/ipc/errors';
import { ErrorText } from '../../components/ErrorText';
import { Markdown } from '../../components/Markdown';
import type { ExplainEntry, ExplainStore } from './explain-store';

/** What to do about an error the model layer reports, by code. LLM_DISABLED has none: the backend's message already
 *  says where a key can come from (Settings only where this Paige can store one). */
const ERROR_ADVICE: Partial<Record<ErrorCode, string>> = {
  LLM_AUTH: 'The Anthropic API rejected the API key. Replace it in Home → Settings → AI, then test it.',
  LLM_BUDGET_EXCEEDED: 'A spend limit is reached. Raise or clear it in Home → Settings → AI.',
  LLM_RATE_LIMITED: 'The API is rate limiting Paige. Wait a moment and try again.',
  LLM_SERVER: 'The API had a problem on its side. Try again in a moment.',
  LLM_NETWORK: 'The API could not be reached. Check the connection or the base URL in Settings → AI.',
  LLM_INVALID_OUTPUT: 'The model answered in an unexpected shape. Try again, perhaps with a smaller selection.',
  LLM_MAX_TOKENS: 'The explanation did not fit. Try a smaller selection.',
  LLM_REFUSAL: 'The model declined to explain this selection.',
  BINARY_FILE: 'Binary files cannot be explained. Select text in a source file.',
};

export function ExplainButton({ selection, store }: { selection: ExplainRequest | null; store: ExplainStore }) {
  if (!selection) return null;
  const lines =
    selection.range.startLine === selection.range.endLine
      ? `line ${selection.range.startLine}`
      : `lines ${selection.range.startLine}–${selection.range.endLine}`;
  return (
    <button
      type="button"
      className="explain-button"
      data-testid="explain-button"
      title={`Ask Paige to explain ${lines}`}
      // Keep the editor's selection: a mousedown on the button must not move the focus out of Monaco first.
      onMouseDown={(e) => e.preventDefault()}
      onClick={() => void store.explain(selection)}
    >
      Explain
    </button>
  );
}

function lineLabel(e: ExplainEntry): string {
  return e.startLine === e.endLine ? `${e.path}:${e.startLine}` : `${e.path}:${e.startLine}–${e.endLine}`;
}

function EntryBody({ entry, store }: { entry: ExplainEntry; store: ExplainStore }) {
  if (entry.status === 'running') {
    return (
      <p className="muted explain-progress" role="status" data-testid="explain-progress">
        <span className="explain-spinner" aria-hidden="true" /> Paige is reading the code…
      </p>
    );
  }
  if (entry.status === 'error' && entry.error) {
    const advice = ERROR_ADVICE[entry.error.code as ErrorCode];
    return (
      <div data-testid="explain-error" data-code={entry.error.code}>
        <ErrorText error={entry.error} />
        {advice ? <p className="explain-advice">{advice}</p> : null}
        <button
          type="button"
          className="button-small"
          data-testid="explain-retry"
          onClick={() => void store.retry(entry.id)}
        >
          Try again
        </button>
      </div>
    );
  }
  const r = entry.result;
  if (!r) return null;
  return (
    <div className="explain-result" data-testid="explain-result">
      <Markdown className="explain-text" text={r.explanation} />
      {r.keyConcepts.length > 0 ? (
        <ul className="explain-concepts" aria-label="Key concepts">
          {r.keyConcepts.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      ) : null}
      {r.analogy ? (
        <p className="explain-analogy">
          <strong>Analogy:</strong> {r.analogy}
        </p>
      ) : null}
      {r.phaseConnection ? (
        <p className="explain-phase">
          <strong>For this phase:</strong> {r.phaseConnection}
        </p>
      ) : null}
      {r.relatedFiles && r.relatedFiles.length > 0 ? (
        <p className="muted explain-related">Related: {r.relatedFiles.join(', ')}</p>
      ) : null}
    </div>
  );
}

function ExplanationsPanel({ store }: { store: ExplainStore }) {
  const { entries, openId } = useSyncExternalStore(store.subscribe, store.getState);
  if (entries.length === 0) {
    return (
      <p className="muted" data-testid="explanations-empty">
        Select some code in the editor and press Explain: the explanation appears here.
      </p>
    );
  }
  return (
    <ul className="explanations" data-testid="explanations">
      {entries.map((e) => {
        const open = e.id === openId;
        const title =
          e.status === 'done' && e.result ? e.result.title : e.status === 'error' ? 'Failed' : 'Explaining…';
        return (
          <li
            key={e.id}
            className={`explanation explanation-${e.status}`}
            data-testid="explanation"
            data-status={e.status}
          >
            <header>
              <button
                type="button"
                className="explanation-toggle"
                aria-expanded={open}
                onClick={() => store.toggle(e.id)}
              >
                <span className="explanation-title" data-testid="explanation-title">
                  {title}
                </span>
                <span className="muted explanation-where">{lineLabel(e)}</span>
              </button>
              <button
                type="button"
                className="coach-dismiss"
                aria-label="Remove explanation"
                onClick={() => store.remove(e.id)}
              >
                ×
              </button>
            </header>
            {open ? <EntryBody entry={e} store={store} /> : null}
          </li>
        );
      })}
    </ul>
  );
}

type Tab = 'coach' | 'explanations';

/** The sidebar's tabs: the coaching content, and the Explanations tab that comes to the front on each request. */
export function SidebarWithExplanations({ store, coach }: { store: ExplainStore; coach: ReactNode }) {
  const { entries, requests } = useSyncExternalStore(store.subscribe, store.getState);
  const [tab, setTab] = useState<Tab>('coach');
  useEffect(() => {
    if (requests > 0) setTab('explanations');
  }, [requests]);
  const running = entries.some((e) => e.status === 'running');
  return (
    <div className="sidebar-tabs">
      <div className="sidebar-tablist" role="tablist" aria-label="Sidebar">
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'coach'}
          data-testid="sidebar-tab-coach"
          onClick={() => setTab('coach')}
        >
          Coach
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'explanations'}
          data-testid="sidebar-tab-explanations"
          onClick={() => setTab('explanations')}
        >
          Explanations{entries.length > 0 ? ` (${entries.length})` : ''}
          {running ? <span className="explain-spinner" aria-label="running" /> : null}
        </button>
      </div>
      <div role="tabpanel" hidden={tab !== 'coach'}>
        {coach}
      </div>
      <div role="tabpanel" hidden={tab !== 'explanations'} data-testid="explanations-tab">
        <ExplanationsPanel store={store} />
      </div>
    </div>
  );
}
