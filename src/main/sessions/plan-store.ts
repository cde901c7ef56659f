// The active plan of a session and its phase transitions (docs/sessions.md): `pending→active→complete` only,
// one active phase per plan, a same-status request is a no-op.
import { PaigeError } from '../../shared/ipc/errors';
import type { PaigeDatabase } from '../db/database';

interface PlanSummary {
  id: number;
  title: string;
  totalPhases: number;
  activePhase: { number: number; title: string } | null;
}

interface PhaseRow {
  id: number;
  planId: number;
  number: number;
  title: string;
  status: 'pending' | 'active' | 'complete';
  startedAt: string | null;
  completedAt: string | null;
}

export class PlanStore {
  constructor(
    private readonly db: PaigeDatabase,
    private readonly now: () => Date = () => new Date(),
  ) {}

  activePlan(sessionId: number): PlanSummary | null {
    const plan = this.db.get(
      this.db.qb
        .selectFrom('plans')
        .select(['id', 'title', 'total_phases'])
        .where('session_id', '=', sessionId)
        .where('is_active', '=', 1),
    );
    if (!plan) return null;
    const phase = this.db.get(
      this.db.qb
        .selectFrom('phases')
        .select(['number', 'title'])
        .where('plan_id', '=', plan.id)
        .where('status', '=', 'active'),
    );
    return { id: plan.id, title: plan.title, totalPhases: plan.total_phases, activePhase: phase ?? null };
  }

  /**
   * Moves phase `number` of the session's active plan to `to`. Returns the phase and whether it changed, so the caller
   * emits events and actions only for a real transition.
   */
  updatePhase(sessionId: number, number: number, to: 'active' | 'complete'): { phase: PhaseRow; changed: boolean } {
    return this.db.transaction(() => {
      const plan = this.activePlan(sessionId);
      if (!plan) throw new PaigeError('NO_PLAN', 'The session has no plan yet; run the coaching pipeline first.');
      const phase = this.phase(plan.id, number);
      if (!phase) {
        throw new PaigeError('NOT_FOUND', `The plan has no phase ${number} (it has ${plan.totalPhases}).`, { number });
      }
      if (phase.status === to) return { phase, changed: false };
      const ts = this.now().toISOString();
      if (to === 'active') {
        if (phase.status !== 'pending') {
          throw new PaigeError(
            'INVALID_TRANSITION',
            `Phase ${number} is ${phase.status}; only a pending phase starts.`,
          );
        }
        if (plan.activePhase) {
          throw new PaigeError(
            'INVALID_TRANSITION',
            `Phase ${plan.activePhase.number} is still active; complete it before starting phase ${number}.`,
            { activePhase: plan.activePhase.number },
          );
        }
        this.db.run(
          this.db.qb.updateTable('phases').set({ status: 'active', started_at: ts }).where('id', '=', phase.id),
        );
      } else {
        if (phase.status !== 'active') {
          throw new PaigeError(
            'INVALID_TRANSITION',
            `Phase ${number} is ${phase.status}; only an active phase completes.`,
          );
        }
        this.db.run(
          this.db.qb.updateTable('phases').set({ status: 'complete', completed_at: ts }).where('id', '=', phase.id),
        );
      }
      return { phase: this.phase(plan.id, number) as PhaseRow, changed: true };
    });
  }

  private phase(planId: number, number: number): PhaseRow | null {
    const row = this.db.get(
      this.db.qb
        .selectFrom('phases')
        .select(['id', 'plan_id', 'number', 'title', 'status', 'started_at', 'completed_at'])
        .where('plan_id', '=', planId)
        .where('number', '=', number),
    );
    if (!row) return null;
    return {
      id: row.id,
      planId: row.plan_id,
      number: row.number,
      title: row.title,
      status: row.status,
      startedAt: row.started_at,
      completedAt: row.completed_at,
    };
  }
}
