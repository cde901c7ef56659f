// The planning run's steps as a list (done, current with its percentage, still to come, failed) and the Retry button,
// shared by the Planning view and the sidebar's planning card.
import { useState } from 'react';
import type { PlanningPhase } from '../../../../shared/domain/session';
import { PaigeError } from '../../../../shared/ipc/errors';
import { stepStates, type PlanningRun } from './planning-model';

export const PLANNING_STEP_LABEL: Readonly<Record<PlanningPhase, string>> = {
  fetching: 'Reading the issue',
  exploring: 'Exploring the repository',
  planning: 'Planning the phases',
  writing_hints: 'Writing hints',
};

export function PlanningSteps({ run }: { run: PlanningRun }) {
  return (
    <ol className="planning-steps" data-testid="planning-steps">
      {stepStates(run).map(({ phase, state }) => (
        <li
          key={phase}
          className={`planning-step planning-step-${state}`}
          data-testid={`planning-step-${phase}`}
          data-state={state}
        >
          <span className="planning-step-marker" aria-hidden="true">
            {state === 'done' ? '✓' : state === 'failed' ? '!' : state === 'active' ? '●' : '○'}
          </span>
          <span className="planning-step-label">{PLANNING_STEP_LABEL[phase]}</span>
          {phase === 'exploring' && run.files.length > 0 ? (
            <ul className="planning-files" data-testid="planning-files" aria-label="Files read">
              {run.files.map((f) => (
                <li key={f}>{f}</li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

export function RetryButton({ onRetry }: { onRetry: () => Promise<void> }) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const retry = (): void => {
    setState({ busy: true, error: null });
    onRetry().then(
      () => setState({ busy: false, error: null }),
      (err: unknown) => setState({ busy: false, error: err instanceof PaigeError ? err.message : String(err) }),
    );
  };
  return (
    <>
      <button
        type="button"
        className="planning-retry"
        data-testid="planning-retry"
        disabled={state.busy}
        onClick={retry}
      >
        Retry
      </button>
      {state.error ? (
        <p className="planning-retry-error" role="alert">
          {state.error}
        </p>
      ) : null}
    </>
  );
}
