// Which view a (re)loaded page opens once the first session snapshot is in: a planning run the learner started goes
// back to the Planning view, an active session to the Workspace, and anything else stays where the learner is.
import type { Session } from '../../../shared/domain/session';
import type { PlanningRun } from './planning/planning-model';

export function startupView(s: {
  loaded: boolean;
  session: Pick<Session, 'status'> | null;
  planning: Pick<PlanningRun, 'issueTitle'> | null;
}): 'planning' | 'workspace' | null {
  if (!s.loaded) return null;
  if (s.planning?.issueTitle != null) return 'planning';
  if (s.session?.status === 'active') return 'workspace';
  return null;
}
