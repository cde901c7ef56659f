import { describe, expect, it } from 'vitest';
import { PlanningState } from './planning-state';

describe('PlanningState', () => {
  it('follows a run for the snapshot: step, files read, failure; forgets it once the plan is ready', () => {
    const s = new PlanningState();
    s.observe('planning:started', { sessionId: 1, issueTitle: 'T' });
    s.observe('planning:phase_update', { sessionId: 1, phase: 'exploring', progress: 25 });
    s.observe('planning:progress', { sessionId: 1, message: 'Reading a.ts', filePath: 'a.ts' });
    s.observe('planning:progress', { sessionId: 2, message: 'other', filePath: 'b.ts' });
    expect(s.get(1)).toEqual({ state: 'running', phase: 'exploring', progress: 25, issueTitle: 'T', files: ['a.ts'] });
    s.observe('planning:error', { sessionId: 1, code: 'LLM_SERVER', message: 'down', retryable: true });
    expect(s.get(1)).toMatchObject({ state: 'failed', phase: 'exploring', error: { code: 'LLM_SERVER' } });
    s.observe('planning:phase_update', { sessionId: 1, phase: 'planning', progress: 50 });
    expect(s.get(1)).toEqual({ state: 'running', phase: 'planning', progress: 50, issueTitle: 'T', files: ['a.ts'] });
    s.observe('planning:complete', {
      sessionId: 1,
      plan: {
        id: 1,
        title: '',
        summary: '',
        totalPhases: 0,
        estimatedDifficulty: null,
        memoryConnection: null,
        phases: [],
      },
      fileHints: [],
      issueContext: { number: 1, title: 'T', body: '', labels: [], url: null },
    });
    expect(s.get(1)).toBeUndefined();
  });
});
