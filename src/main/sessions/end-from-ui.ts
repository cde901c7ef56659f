// `session:end` (docs/sessions.md): the learner ends the active session from the UI. With the wrap-up it goes the way
// `paige_end_session` does (reason `user`); without, the session ends at once with "not run" rows a retry can run.
import type { SessionStatus } from '../../shared/domain/session';
import { PaigeError } from '../../shared/ipc/errors';
import type { EventHub } from '../ipc/event-hub';
import type { SessionService } from './session-service';
import type { WrapUpRunner } from './wrap-up-runner';

export function endFromUi(
  deps: { sessions: SessionService; wrapUp: WrapUpRunner; events: EventHub },
  runWrapUp: boolean,
): { sessionId: number; status: SessionStatus } {
  const active = deps.sessions.getActive();
  if (!active) throw new PaigeError('NO_ACTIVE_SESSION', 'No coaching session is active; nothing to end.');
  if (!runWrapUp) {
    const ended = deps.sessions.forceEnd(active.id);
    deps.events.emit('session:ended', { sessionId: ended.id, status: ended.status, reason: 'forced' });
    return { sessionId: ended.id, status: ended.status };
  }
  const { session } = deps.wrapUp.begin(active.id, 'user');
  return { sessionId: session.id, status: session.status };
}
