import { describe, expect, it } from 'vitest';
import { foldPlanning, stepElapsedLabel, stepStates, type PlanningRun } from './planning-model';

describe('planning model', () => {
  it('steps before the current one are done, after it pending; a failure marks the current one', () => {
    let run: PlanningRun | null = foldPlanning(null, {
      channel: 'planning:started',
      payload: { sessionId: 1, issueTitle: 'T' },
    });
    run = foldPlanning(run, {
      channel: 'planning:phase_update',
      payload: { sessionId: 1, phase: 'planning', progress: 50 },
    });
    expect(stepStates(run!).map((s) => s.state)).toEqual(['done', 'done', 'active', 'pending']);
    run = foldPlanning(run, {
      channel: 'planning:error',
      payload: { sessionId: 1, code: 'LLM_SERVER', message: 'x', retryable: true },
    });
    expect(stepStates(run!).map((s) => s.state)).toEqual(['done', 'done', 'failed', 'pending']);
    // Another session's events leave the run alone.
    expect(foldPlanning(run, { channel: 'planning:progress', payload: { sessionId: 2, message: 'y' } })).toBe(run);
  });
  it('shows how long a step has run only once it has run a few seconds', () => {
    const start = 1_000_000;
    expect(stepElapsedLabel(start, start + 2_999)).toBeNull();
    expect(stepElapsedLabel(start, start + 3_000)).toBe('3s');
    expect(stepElapsedLabel(start, start + 65_400)).toBe('1m 05s');
  });
});
