import { describe, expect, it } from 'vitest';
import type { SessionSnapshot } from '../../../shared/domain/session';
import { homeNextStep } from './home-next-step';

const snapshotWith = (status: SessionSnapshot['session']['status']): SessionSnapshot =>
  ({ session: { status } }) as SessionSnapshot;

describe('homeNextStep', () => {
  it('points to the issues with a project open and no session', () => {
    expect(homeNextStep('/p', null)).toBe('pick_issue');
  });

  it('points back to the workspace while a session is active', () => {
    expect(homeNextStep('/p', snapshotWith('active'))).toBe('continue');
  });

  it('points nowhere without a project, while loading, or while a session wraps up', () => {
    expect(homeNextStep(null, null)).toBeNull();
    expect(homeNextStep(undefined, null)).toBeNull();
    expect(homeNextStep('/p', undefined)).toBeNull();
    expect(homeNextStep('/p', snapshotWith('wrapping_up'))).toBeNull();
  });
});
