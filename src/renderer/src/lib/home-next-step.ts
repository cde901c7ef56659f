// What Home points the learner to next: with a project open and no session, picking an issue; with a session going,
// back to the workspace. Nothing while the project or the session is still loading.
import type { SessionSnapshot } from '../../../shared/domain/session';

type HomeNextStep = 'pick_issue' | 'continue' | null;

export function homeNextStep(
  projectDir: string | null | undefined,
  session: SessionSnapshot | null | undefined,
): HomeNextStep {
  if (session === undefined) return null;
  if (session && session.session.status === 'active') return 'continue';
  if (session === null && typeof projectDir === 'string' && projectDir !== '') return 'pick_issue';
  return null;
}
