// The current coaching session from `session:snapshot`.
import type { SessionSnapshot } from '../../../shared/domain/session';
import type { Remote } from '../hooks/use-remote';
import { formatTimestamp } from '../lib/format';
import { ErrorText } from './ErrorText';

/** `onContinue`: given while the session is active, it shows the way back to the workspace. */
export function SessionStateCard({
  snapshot,
  onContinue,
}: {
  snapshot: Remote<SessionSnapshot | null>;
  onContinue?: () => void;
}) {
  const data = snapshot.data;
  return (
    <section className="card" data-testid="session-state" aria-labelledby="session-title">
      <h2 id="session-title">Coaching session</h2>
      {data === undefined && !snapshot.error && <p className="muted">Loading…</p>}
      {data === null && (
        <p className="muted" data-testid="session-empty">
          No active coaching session
        </p>
      )}
      {data && (
        <dl className="kv">
          <dt>Issue</dt>
          <dd data-testid="session-issue">
            {data.session.issueNumber !== null ? `#${data.session.issueNumber} ` : ''}
            {data.session.issueTitle ?? data.issueContext?.title ?? 'No issue'}
          </dd>
          <dt>Status</dt>
          <dd data-testid="session-status">{data.session.status.replace(/_/g, ' ')}</dd>
          <dt>Hint level</dt>
          <dd data-testid="session-hint-level">{data.hintLevel}</dd>
          <dt>Started</dt>
          <dd data-testid="session-started-at">
            <time dateTime={data.session.startedAt}>{formatTimestamp(data.session.startedAt)}</time>
          </dd>
          {data.plan && (
            <>
              <dt>Plan</dt>
              <dd>
                {data.plan.title} · {data.plan.phases.filter((p) => p.status === 'complete').length}/
                {data.plan.totalPhases} phases
              </dd>
            </>
          )}
          {data.session.branchName && (
            <>
              <dt>Branch</dt>
              <dd>
                <code>{data.session.branchName}</code>
              </dd>
            </>
          )}
        </dl>
      )}
      {data && onContinue ? (
        <button type="button" className="button-primary" data-testid="session-continue" onClick={onContinue}>
          Continue in the workspace
        </button>
      ) : null}
      {snapshot.error && <ErrorText error={snapshot.error} testId="session-error" />}
    </section>
  );
}
