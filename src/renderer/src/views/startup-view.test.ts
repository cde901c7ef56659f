// The view a reload lands on, from the first session snapshot.
import { describe, expect, it } from 'vitest';
import { startupView } from './startup-view';

describe('startupView', () => {
  it('waits for the first snapshot', () => {
    expect(startupView({ loaded: false, session: { status: 'active' }, planning: null })).toBeNull();
  });

  it('opens the Workspace for an active session', () => {
    expect(startupView({ loaded: true, session: { status: 'active' }, planning: null })).toBe('workspace');
  });

  it('prefers the Planning view while a run the learner started is going (or failed)', () => {
    expect(startupView({ loaded: true, session: { status: 'active' }, planning: { issueTitle: 'Fix it' } })).toBe(
      'planning',
    );
  });

  it('stays put with no session or an ended one', () => {
    expect(startupView({ loaded: true, session: null, planning: null })).toBeNull();
    expect(startupView({ loaded: true, session: { status: 'completed' }, planning: null })).toBeNull();
    expect(startupView({ loaded: true, session: { status: 'active' }, planning: { issueTitle: null } })).toBe(
      'workspace',
    );
  });
});
