// The Issues view: what the learner already works on, then the project's open issues ranked for them, filling in
// as each assessment arrives. A card's "Work on this issue" button starts a coaching session on it.
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { InProgressItem, ScoredIssue } from '../../../../shared/domain/issues';
import { excerpt } from '../../../../shared/text/excerpt';
import { ErrorText } from '../../components/ErrorText';
import { useConnectionState } from '../../state/paige-context';
import type { IssuesState, IssuesStore } from './issues-store';
import { progressLine, unratedNote, workOnHint } from './issues-text';
import './issues.css';

/** How much of an issue's body its card shows when expanded. */
const BODY_PREVIEW_CHARS = 1_200;

/** What each gh problem is called; the message from the backend says how to fix it. */
const GH_PROBLEMS: Record<string, string> = {
  GH_UNAVAILABLE: 'The GitHub CLI is not available',
  GH_AUTH: 'The GitHub CLI is not logged in',
  GH_NO_REPO: 'Paige cannot find this project on GitHub',
};

const DIFFICULTY_LABEL: Record<string, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  very_high: 'Very high',
  extreme: 'Extreme',
};

function Labels({ labels }: { labels: readonly { name: string; color: string | null }[] }) {
  if (labels.length === 0) return null;
  return (
    <span className="issue-labels">
      {labels.map((l) => (
        <span
          key={l.name}
          className="issue-label"
          style={l.color && /^[0-9a-f]{6}$/i.test(l.color) ? { borderColor: `#${l.color}` } : undefined}
        >
          {l.name}
        </span>
      ))}
    </span>
  );
}

function InProgressRow({
  item,
  onContinue,
  onResume,
  onOpen,
  error,
}: {
  item: InProgressItem;
  onContinue: () => void;
  onResume: (issueNumber: number) => void;
  onOpen: (url: string) => void;
  error: string | null;
}) {
  const state =
    item.type === 'pr'
      ? item.prStatus === 'draft'
        ? 'Draft pull request'
        : 'Open pull request'
      : item.sessionState === 'active'
        ? 'In session now'
        : 'Plan unfinished';
  return (
    <li className="in-progress-item" data-testid={`in-progress-${item.type}-${item.number}`}>
      <span className="in-progress-state">{state}</span>
      <span className="issue-title">
        {item.type === 'pr' ? 'PR ' : ''}#{item.number} {item.title}
      </span>
      <Labels labels={item.labels} />
      {item.type === 'issue' && item.sessionState === 'active' ? (
        <button type="button" onClick={onContinue} data-testid={`in-progress-continue-${item.number}`}>
          Continue in the workspace
        </button>
      ) : null}
      {item.type === 'issue' && item.sessionState !== 'active' ? (
        <button type="button" onClick={() => onResume(item.number)} data-testid={`in-progress-resume-${item.number}`}>
          Resume the plan
        </button>
      ) : null}
      {item.type === 'pr' && item.htmlUrl ? (
        <button
          type="button"
          onClick={() => onOpen(item.htmlUrl!)}
          title={item.htmlUrl}
          data-testid={`in-progress-open-pr-${item.number}`}
        >
          Open the pull request
        </button>
      ) : null}
      {error ? (
        <span className="issue-select-error" role="alert">
          {error}
        </span>
      ) : null}
    </li>
  );
}

function IssueCard({ issue, store, state }: { issue: ScoredIssue; store: IssuesStore; state: IssuesState }) {
  const [expanded, setExpanded] = useState(false);
  const selecting = state.selecting === issue.number;
  const error = state.selectError?.issueNumber === issue.number ? state.selectError.error : null;
  const preview = excerpt(issue.body, BODY_PREVIEW_CHARS);
  // The details add something only when the body says more than the summary.
  const hasDetails = preview !== '' && preview !== issue.summary;
  const modelOff = state.llm !== null && state.llm !== 'ready';
  const bodyId = `issue-body-${issue.number}`;
  return (
    <li className="issue-card" data-testid={`issue-${issue.number}`} data-score={issue.score}>
      <div className="issue-card-body">
        <span className="issue-title">
          #{issue.number} {issue.title}
        </span>
        <Labels labels={issue.labels} />
        <span className="issue-ratings">
          {issue.difficulty !== null ? (
            <span className={`issue-rating difficulty-${issue.difficulty}`} data-testid="issue-difficulty">
              Difficulty: {DIFFICULTY_LABEL[issue.difficulty]}
            </span>
          ) : null}
          {issue.suitability !== null ? (
            <span className={`issue-rating suitability-${issue.suitability}`} data-testid="issue-suitability">
              Fit: {issue.suitability}
            </span>
          ) : null}
          {issue.recommendedFocus ? <span className="muted">Practises {issue.recommendedFocus}</span> : null}
        </span>
        {issue.summary !== '' ? (
          <span className="issue-summary" data-testid="issue-summary">
            {issue.summary}
          </span>
        ) : null}
        {hasDetails && expanded ? (
          <div className="issue-body-preview" id={bodyId} data-testid="issue-body">
            {preview}
          </div>
        ) : null}
      </div>
      <div className="issue-actions">
        <button
          type="button"
          className="button-primary"
          disabled={state.selecting !== null}
          onClick={() => void store.select(issue)}
          aria-label={`Work on this issue: #${issue.number} ${issue.title}`}
          aria-describedby={modelOff ? `issue-no-model-${issue.number}` : undefined}
          title={workOnHint(state.llm)}
          data-testid={`issue-work-${issue.number}`}
        >
          {selecting ? 'Starting a session…' : 'Work on this issue'}
        </button>
        {hasDetails ? (
          <button
            type="button"
            aria-expanded={expanded}
            aria-controls={expanded ? bodyId : undefined}
            onClick={() => setExpanded(!expanded)}
            data-testid={`issue-details-${issue.number}`}
          >
            {expanded ? 'Hide the description' : 'Show the description'}
          </button>
        ) : null}
        {modelOff ? (
          <span className="muted issue-no-model" id={`issue-no-model-${issue.number}`}>
            Without a model Paige starts the session and its branch but cannot plan the work.
          </span>
        ) : null}
      </div>
      {error ? (
        <div className="issue-select-error">
          <ErrorText error={error} testId={`issue-select-error-${issue.number}`} />
          {error.code === 'ACTIVE_SESSION_EXISTS' ? (
            <button type="button" onClick={() => void store.select(issue, true)} data-testid="issue-force-select">
              End that session and start this issue
            </button>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

export function IssuesView({ store, onWorkspace }: { store: IssuesStore; onWorkspace: () => void }) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const connected = useConnectionState().status === 'open';
  // First visit for this project: load at once.
  const needsLoad = state.projectDir !== null && state.projectDir !== undefined && state.status === 'idle';
  const firstLoad = needsLoad && state.refreshError === null && state.requestId === null;
  useEffect(() => {
    if (firstLoad) void store.refresh();
  }, [firstLoad, store]);
  useEffect(() => {
    const sub = store.onDidSelect(() => onWorkspace());
    return () => sub.dispose();
  }, [store, onWorkspace]);
  // While shown, the lists follow sessions starting and ending and new plans.
  useEffect(() => store.show(), [store]);

  if (!state.projectDir) {
    return (
      <main className="issues-view" data-testid="issues-view">
        <p className="muted">Open a project on the Home view to see its issues.</p>
      </main>
    );
  }
  const busy = state.status === 'loading' || state.status === 'streaming';
  const inProgress = state.inProgress ?? [];
  return (
    <main className="issues-view" data-testid="issues-view">
      <div className="issues-header">
        <h2>Issues</h2>
        <button
          type="button"
          onClick={() => void store.refresh()}
          disabled={busy || !connected}
          data-testid="issues-refresh"
        >
          {busy ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {state.refreshError ? <ErrorText error={state.refreshError} testId="issues-refresh-error" /> : null}

      {inProgress.length > 0 ? (
        <section className="issues-section" aria-labelledby="in-progress-title" data-testid="in-progress">
          <h3 id="in-progress-title">In progress</h3>
          <ul className="in-progress-list">
            {inProgress.map((item) => (
              <InProgressRow
                key={`${item.type}-${item.number}`}
                item={item}
                onContinue={onWorkspace}
                onResume={(n) => void store.resume(n)}
                onOpen={(url) => void store.openExternal(url)}
                error={
                  item.type === 'issue' && state.selectError?.issueNumber === item.number
                    ? `${state.selectError.error.message} (${state.selectError.error.code})`
                    : null
                }
              />
            ))}
          </ul>
        </section>
      ) : null}

      <section className="issues-section" aria-labelledby="ranked-title">
        <h3 id="ranked-title">Suggested issues</h3>
        {state.ghError ? (
          <div className="issues-error" role="alert" data-testid="issues-error" data-code={state.ghError.code}>
            <strong>{GH_PROBLEMS[state.ghError.code] ?? 'GitHub could not be reached'}</strong>
            <p>{state.ghError.message}</p>
          </div>
        ) : null}
        {progressLine(state) !== '' ? (
          <p className="muted" data-testid="issues-progress" aria-live="polite">
            {progressLine(state)}
          </p>
        ) : null}
        {state.status === 'done' && state.issues.length > 0 && unratedNote(state.llm) !== null ? (
          <p className="muted" data-testid="issues-unrated">
            {unratedNote(state.llm)}
          </p>
        ) : null}
        <ol className="issues-list" data-testid="issues-list">
          {state.issues.map((issue) => (
            <IssueCard key={issue.number} issue={issue} store={store} state={state} />
          ))}
        </ol>
      </section>
    </main>
  );
}
