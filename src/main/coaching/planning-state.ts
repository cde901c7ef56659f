// What a reloaded window needs to show a session's planning again: the latest step and progress, the files read so
// far, or the failure. In memory only (a restart forgets a run, as it forgets the run itself).
import type { EventChannel, EventPayload } from '../../shared/ipc/contract';
import type { SessionSnapshot } from '../../shared/domain/session';

type Planning = SessionSnapshot['planning'];

/** Files listed in a snapshot: the file selector picks at most eight, this is a generous bound. */
const MAX_FILES = 50;

export class PlanningState {
  private readonly bySession = new Map<number, Planning>();

  /** Called with every event the coaching module emits. */
  observe<C extends EventChannel>(channel: C, payload: EventPayload<C>): void {
    const p = payload as { sessionId?: number };
    if (typeof p.sessionId !== 'number') return;
    const id = p.sessionId;
    const cur = this.bySession.get(id);
    switch (channel) {
      case 'planning:started': {
        const e = payload as EventPayload<'planning:started'>;
        this.bySession.set(id, {
          state: 'running',
          phase: 'fetching',
          progress: 0,
          issueTitle: e.issueTitle,
          files: [],
        });
        break;
      }
      case 'planning:phase_update': {
        const e = payload as EventPayload<'planning:phase_update'>;
        // A retry runs again: the failure it follows is gone.
        const { error: _error, ...rest } = cur ?? { files: [] };
        this.bySession.set(id, { ...rest, state: 'running', phase: e.phase, progress: e.progress });
        break;
      }
      case 'planning:progress': {
        const e = payload as EventPayload<'planning:progress'>;
        if (cur && e.filePath !== undefined) {
          this.bySession.set(id, { ...cur, files: [...(cur.files ?? []), e.filePath].slice(0, MAX_FILES) });
        }
        break;
      }
      case 'planning:complete':
        this.bySession.delete(id);
        break;
      case 'planning:error': {
        const e = payload as EventPayload<'planning:error'>;
        this.bySession.set(id, {
          ...(cur ?? { phase: null, progress: 0 }),
          state: 'failed',
          error: { code: e.code, message: e.message, retryable: e.retryable },
        });
        break;
      }
      default:
        break;
    }
  }

  get(sessionId: number): Planning | undefined {
    return this.bySession.get(sessionId);
  }

  forget(sessionId: number): void {
    this.bySession.delete(sessionId);
  }
}
