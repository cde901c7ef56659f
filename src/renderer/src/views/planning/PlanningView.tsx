// The Planning view: after an issue is picked, the pipeline's steps with live progress (the files being read while
// exploring), until the plan is ready and the IDE takes over; a failure stays here with Retry.
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { CoachingStore } from '../ide/coaching-store';
import { PLANNING_STEP_LABEL, PlanningSteps, RetryButton } from './PlanningSteps';
import { stepElapsedLabel } from './planning-model';
import './planning.css';

/** How long the current step (by key) has run, re-rendered each second while `active`. */
function useStepElapsed(stepKey: string, active: boolean): string | null {
  const [startedAt, setStartedAt] = useState(() => Date.now());
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = Date.now();
    setStartedAt(t);
    setNow(t);
  }, [stepKey]);
  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [active]);
  return active ? stepElapsedLabel(startedAt, now) : null;
}

export function PlanningView({ coaching, onOpenWorkspace }: { coaching: CoachingStore; onOpenWorkspace(): void }) {
  const { planning: run, issue, plan } = useSyncExternalStore(coaching.subscribe, coaching.getState);
  const elapsed = useStepElapsed(run ? `${run.sessionId}:${run.phase}` : '', run?.state === 'running');
  if (!run) {
    return (
      <main className="planning-view" data-testid="planning-view" data-state={plan ? 'complete' : 'idle'}>
        <p className="muted">{plan ? 'The plan is ready.' : 'Nothing is being planned.'}</p>
        <button type="button" onClick={onOpenWorkspace}>
          Open the workspace
        </button>
      </main>
    );
  }
  const failed = run.state === 'failed';
  const title = issue?.title ?? run.issueTitle ?? `Session ${run.sessionId}`;
  return (
    <main className="planning-view" data-testid="planning-view" data-state={run.state} aria-live="polite">
      <p className="muted planning-kicker">Planning</p>
      <h2 data-testid="planning-issue-title">{title}</h2>
      <PlanningSteps run={run} />
      {failed ? null : (
        <div className="planning-progress">
          <progress max={100} value={run.progress} aria-label={`${PLANNING_STEP_LABEL[run.phase]} progress`} />
          <span className="muted">{run.progress}%</span>
          {elapsed ? (
            <span className="muted" data-testid="planning-elapsed" title="How long this step has been running">
              {elapsed}
            </span>
          ) : null}
        </div>
      )}
      <p
        className={failed ? 'planning-error' : 'muted planning-message'}
        data-testid="planning-message"
        role={failed ? 'alert' : undefined}
      >
        {run.message}
      </p>
      <div className="planning-actions">
        {failed && run.error?.retryable ? <RetryButton onRetry={() => coaching.retryPlanning(run.sessionId)} /> : null}
        {failed ? (
          <button type="button" data-testid="planning-open-workspace" onClick={onOpenWorkspace}>
            Work without a plan
          </button>
        ) : null}
      </div>
    </main>
  );
}
