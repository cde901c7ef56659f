// The learner's hint level as the backend records it (docs/coaching.md): the renderer changes what it shows at once
// and reports the change; here the session's level, its `hint_level_spans` (one open span per session) and, for a
// raise during an active phase, a `hint_escalated` progress event are written in one transaction.
import { HINT_LEVELS, type HintLevel } from '../../shared/domain/session';
import type { ActionType } from '../activity/action-types';
import type { PaigeDatabase } from '../db/database';
import type { SessionService } from '../sessions/session-service';

interface HintLevelDeps {
  db: PaigeDatabase;
  sessions: SessionService;
  now(): Date;
  record(type: ActionType, data: unknown): void;
}

export class HintLevels {
  constructor(private readonly deps: HintLevelDeps) {}

  /** Without an active session nothing is recorded; the renderer keeps the level it shows. */
  change(from: HintLevel, to: HintLevel): { level: HintLevel } {
    const { db, sessions } = this.deps;
    const session = sessions.getActive();
    if (!session || from === to) return { level: to };
    const ts = this.deps.now().toISOString();
    const phaseId = db.transaction(() => {
      const open = db.get(
        db.qb
          .selectFrom('hint_level_spans')
          .select('id')
          .where('session_id', '=', session.id)
          .where('ended_at', 'is', null),
      );
      if (open) {
        db.run(db.qb.updateTable('hint_level_spans').set({ ended_at: ts }).where('id', '=', open.id));
      } else {
        // The first change: the level the session had since it started becomes a closed span.
        db.run(
          db.qb.insertInto('hint_level_spans').values({
            session_id: session.id,
            level: HINT_LEVELS.indexOf(from),
            started_at: session.startedAt,
            ended_at: ts,
          }),
        );
      }
      db.run(
        db.qb
          .insertInto('hint_level_spans')
          .values({ session_id: session.id, level: HINT_LEVELS.indexOf(to), started_at: ts, ended_at: null }),
      );
      db.run(db.qb.updateTable('sessions').set({ hint_level: to }).where('id', '=', session.id));
      const phase = db.get(
        db.qb
          .selectFrom('phases')
          .innerJoin('plans', 'plans.id', 'phases.plan_id')
          .select('phases.id')
          .where('plans.session_id', '=', session.id)
          .where('plans.is_active', '=', 1)
          .where('phases.status', '=', 'active'),
      );
      if (phase && HINT_LEVELS.indexOf(to) > HINT_LEVELS.indexOf(from)) {
        db.run(
          db.qb.insertInto('progress_events').values({
            phase_id: phase.id,
            event_type: 'hint_escalated',
            data: JSON.stringify({ from, to }),
            created_at: ts,
          }),
        );
      }
      return phase?.id ?? null;
    });
    this.deps.record('hints_level_change', { from, to, phaseId });
    return { level: to };
  }
}
