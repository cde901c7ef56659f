// The plan in the coaching sidebar: the hint level switch, the pipeline's progress while it runs (or its failure with
// Retry), then the phases with their status and the active phase's detail as the hint level allows.
import { useState, useSyncExternalStore } from 'react';
import { HINT_LEVELS, type HintLevel, type Plan } from '../../../../shared/domain/session';
import { Thumb } from '../../components/Thumb';
import type { PlanningRun } from '../planning/planning-model';
import { PLANNING_STEP_LABEL, RetryButton } from '../planning/PlanningSteps';
import type { CoachingStore } from './coaching-store';
import { hintView } from './hint-levels';
import './plan-panel.css';

const LEVEL_LABEL: Readonly<Record<HintLevel, string>> = { off: 'Off', low: 'Low', medium: 'Medium', high: 'High' };

function HintLevelSwitch({ level, store }: { level: HintLevel; store: CoachingStore }) {
  return (
    <div
      className="hint-level-switch"
      role="group"
      aria-label="Hint level (Ctrl+Shift+H cycles, Ctrl+Shift+[ and ] step)"
      data-testid="hint-level"
      data-level={level}
    >
      <span className="muted">Hints</span>
      {HINT_LEVELS.map((l) => (
        <button
          key={l}
          type="button"
          aria-pressed={l === level}
          data-testid={`hint-level-${l}`}
          onClick={() => store.setHintLevel(l)}
        >
          {LEVEL_LABEL[l]}
        </button>
      ))}
    </div>
  );
}

function PlanningCard({ run, store }: { run: PlanningRun; store: CoachingStore }) {
  const failed = run.state === 'failed';
  return (
    <section
      className="coach-card coach-planning"
      data-testid="coach-planning"
      data-step={failed ? 'failed' : run.phase}
      aria-label="Planning"
      aria-live="polite"
    >
      <div className="coach-planning-step">{failed ? 'Planning failed' : PLANNING_STEP_LABEL[run.phase]}</div>
      {failed ? null : (
        <progress className="coach-planning-bar" max={100} value={run.progress} aria-label="Planning progress" />
      )}
      <p className="muted coach-planning-message">{run.message}</p>
      {failed && run.error?.retryable && run.issueTitle !== null ? (
        <RetryButton onRetry={() => store.retryPlanning(run.sessionId)} />
      ) : null}
    </section>
  );
}

type Phase = Plan['phases'][number];

function ActivePhase({ phase, level }: { phase: Phase; level: HintLevel }) {
  const v = hintView(level).phase;
  const hintOf = (t: Phase['tasks'][number]): string =>
    v.taskHint === 'low' ? t.hintLow : v.taskHint === 'medium' ? t.hintMedium : t.hintHigh;
  return (
    <div className="plan-active" data-testid="plan-active-phase" data-level={level}>
      {v.summary ? <p className="plan-phase-summary">{phase.description}</p> : null}
      {v.taskHint !== null && phase.tasks.length > 0 ? (
        <ul className="plan-tasks" data-testid="plan-tasks">
          {phase.tasks.map((t) =>
            v.taskAccordion ? (
              <li key={t.id}>
                <details className="plan-task" data-testid={`plan-task-${t.number}`}>
                  <summary>{t.title}</summary>
                  <p>{t.description}</p>
                  <p className="plan-task-hint">{hintOf(t)}</p>
                </details>
              </li>
            ) : (
              <li key={t.id} className="plan-task" data-testid={`plan-task-${t.number}`}>
                {v.taskTitles ? <strong className="plan-task-title">{t.title}</strong> : null}
                <span className="plan-task-hint">{hintOf(t)}</span>
              </li>
            ),
          )}
        </ul>
      ) : null}
    </div>
  );
}

function PlanFeedback({ plan, store }: { plan: Plan; store: CoachingStore }) {
  const [sent, setSent] = useState<'idle' | 'sent' | 'failed'>('idle');
  if (sent === 'sent') return <p className="muted plan-feedback">Thanks for the feedback.</p>;
  const send = (helpful: boolean): void =>
    void store.feedback(`plan-${plan.id}`, helpful).then(
      () => setSent('sent'),
      () => setSent('failed'),
    );
  return (
    <div className="plan-feedback" role="group" aria-label="Was this plan helpful?">
      <button
        type="button"
        aria-label="This plan helps"
        title="This plan helps"
        data-testid="plan-feedback-up"
        onClick={() => send(true)}
      >
        <Thumb />
      </button>
      <button
        type="button"
        aria-label="This plan does not help"
        title="This plan does not help"
        onClick={() => send(false)}
      >
        <Thumb down />
      </button>
      {sent === 'failed' ? <span className="muted">Not sent; try again.</span> : null}
    </div>
  );
}

function Phases({ plan, level, store }: { plan: Plan; level: HintLevel; store: CoachingStore }) {
  const done = plan.phases.filter((p) => p.status === 'complete').length;
  return (
    <section className="coach-card" data-testid="coach-phases" aria-label="Plan">
      <h3>
        {plan.title}{' '}
        <span className="muted">
          {done}/{plan.totalPhases}
        </span>
      </h3>
      {plan.memoryConnection ? (
        <p className="plan-memory" data-testid="plan-memory-connection">
          <span className="muted">From an earlier session:</span> {plan.memoryConnection}
        </p>
      ) : null}
      {plan.phases.length === 0 ? (
        <p className="muted">The coach found nothing to split into phases; work from the issue with Claude Code.</p>
      ) : null}
      <ol className="coach-stepper">
        {plan.phases.map((p) => (
          <li
            key={p.id}
            className={`coach-step coach-step-${p.status}`}
            data-testid={`coach-phase-${p.number}`}
            data-status={p.status}
            aria-current={p.status === 'active' ? 'step' : undefined}
          >
            <div className="coach-step-head">
              <span className="coach-step-marker" aria-hidden="true">
                {p.status === 'complete' ? '✓' : p.number}
              </span>
              <span className="coach-step-title">{p.title}</span>
            </div>
            {p.status === 'active' ? <ActivePhase phase={p} level={level} /> : null}
          </li>
        ))}
      </ol>
      <PlanFeedback key={plan.id} plan={plan} store={store} />
    </section>
  );
}

export function PlanPanel({ store }: { store: CoachingStore }) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  return (
    <>
      {state.session || state.plan ? <HintLevelSwitch level={state.hintLevel} store={store} /> : null}
      {state.planning ? <PlanningCard run={state.planning} store={store} /> : null}
      {state.plan ? <Phases plan={state.plan} level={state.hintLevel} store={store} /> : null}
    </>
  );
}
