// A session's planning run as the Planning view and the sidebar show it, folded from the `planning:*` events (and
// from the snapshot after a reload): the step and percentage, the files read, the last line of progress, the failure.
import { formatUptime } from '../../lib/format';
import type { PlanningPhase, SessionSnapshot } from '../../../../shared/domain/session';
import type { EventPayload } from '../../../../shared/ipc/contract';

export interface PlanningRun {
  sessionId: number;
  /** Set when the learner picked the issue in Paige (the Planning view is for those runs). */
  issueTitle: string | null;
  state: 'running' | 'failed';
  phase: PlanningPhase;
  progress: number;
  message: string;
  /** Files read while exploring, in order. */
  files: readonly string[];
  error: { code: string; message: string; retryable: boolean } | null;
}

export type PlanningEvent =
  | { channel: 'planning:started'; payload: EventPayload<'planning:started'> }
  | { channel: 'planning:phase_update'; payload: EventPayload<'planning:phase_update'> }
  | { channel: 'planning:progress'; payload: EventPayload<'planning:progress'> }
  | { channel: 'planning:complete'; payload: EventPayload<'planning:complete'> }
  | { channel: 'planning:error'; payload: EventPayload<'planning:error'> };

const PHASES: readonly PlanningPhase[] = ['fetching', 'exploring', 'planning', 'writing_hints'];

function fresh(sessionId: number, issueTitle: string | null): PlanningRun {
  return {
    sessionId,
    issueTitle,
    state: 'running',
    phase: 'fetching',
    progress: 0,
    message: '',
    files: [],
    error: null,
  };
}

/** The run after one event; null once the plan is ready. Events of another session leave it as it is. */
export function foldPlanning(run: PlanningRun | null, e: PlanningEvent): PlanningRun | null {
  const id = e.payload.sessionId;
  if (e.channel === 'planning:started') return fresh(id, e.payload.issueTitle);
  if (run !== null && run.sessionId !== id) return run;
  const cur = run ?? fresh(id, null);
  switch (e.channel) {
    case 'planning:phase_update':
      // A retry starts over: the failure is gone once a step runs again.
      return { ...cur, state: 'running', error: null, phase: e.payload.phase, progress: e.payload.progress };
    case 'planning:progress':
      return {
        ...cur,
        message: e.payload.message,
        files: e.payload.filePath !== undefined ? [...cur.files, e.payload.filePath] : cur.files,
      };
    case 'planning:complete':
      return null;
    case 'planning:error':
      return {
        ...cur,
        state: 'failed',
        message: e.payload.message,
        error: { code: e.payload.code, message: e.payload.message, retryable: e.payload.retryable },
      };
  }
}

/** The run a reloaded window shows, from the snapshot; null when nothing runs or failed. */
export function planningFromSnapshot(snap: SessionSnapshot): PlanningRun | null {
  const p = snap.planning;
  if (p.state === 'idle') return null;
  const phase = PHASES.find((x) => x === p.phase) ?? 'fetching';
  return {
    sessionId: snap.session.id,
    issueTitle: p.issueTitle ?? null,
    state: p.state,
    phase,
    progress: p.progress,
    message: p.error?.message ?? '',
    files: p.files ?? [],
    error: p.error ?? null,
  };
}

/** Each step's state for the step list: done, the current one, still to come, or where it failed. */
export function stepStates(
  run: PlanningRun,
): { phase: PlanningPhase; state: 'done' | 'active' | 'pending' | 'failed' }[] {
  const at = PHASES.indexOf(run.phase);
  return PHASES.map((phase, i) => ({
    phase,
    state: i < at ? 'done' : i > at ? 'pending' : run.state === 'failed' ? 'failed' : 'active',
  }));
}

/** Seconds a step may run before the view shows how long it has been going (a quick step shows nothing). */
const SHOW_ELAPSED_AFTER_S = 3;

/**
 * How long the current step has been running, for the progress line ("12s", "1m 05s"), or null while it is young:
 * the Coach's step holds one percentage for the whole model call, so the time is what shows it is still working.
 */
export function stepElapsedLabel(stepStartedAtMs: number, nowMs: number): string | null {
  const seconds = Math.floor((nowMs - stepStartedAtMs) / 1_000);
  return seconds >= SHOW_ELAPSED_AFTER_S ? formatUptime(seconds) : null;
}
