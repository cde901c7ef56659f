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

/** A whole plan as the coaching pipeline stores it (snake_case, as the Coach agent writes it). */
interface NewPlan {
  title: string;
  summary: string;
  planText: string | null;
  memoryConnection: string | null;
  estimatedDifficulty: 'beginner' | 'intermediate' | 'advanced';
  source: 'ui' | 'mcp';
  phases: {
    title: string;
    description: string;
    hint: string;
    hint_level: 'off' | 'low' | 'medium' | 'high';
    expected_files: string[];
    tasks: {
      title: string;
      description: string;
      target_files: string[];
      hints: { low: string; medium: string; high: string };
    }[];
    file_hints: { path: string; style: 'suggested' | 'warning' | 'error' }[];
    line_hints: {
      path: string;
      start: number;
      end: number;
      style: 'suggested' | 'warning' | 'error';
      hover_text: string;
    }[];
  }[];
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
   * Stores a plan in one transaction: earlier plans of the session become inactive, the plan, its phases (numbered
   * in order from 1, phase 1 active), tasks and hints are inserted. A hint's `required_level` is its phase's hint level
   * with `off` read as `low`. Returns the new plan's id.
   */
  storePlan(sessionId: number, plan: NewPlan): number {
    return this.db.transaction(() => {
      const ts = this.now().toISOString();
      this.db.run(this.db.qb.updateTable('plans').set({ is_active: 0 }).where('session_id', '=', sessionId));
      const planId = Number(
        this.db.run(
          this.db.qb.insertInto('plans').values({
            session_id: sessionId,
            title: plan.title,
            summary: plan.summary,
            total_phases: plan.phases.length,
            plan_text: plan.planText,
            memory_connection: plan.memoryConnection,
            estimated_difficulty: plan.estimatedDifficulty,
            source: plan.source,
            carried_from_plan_id: null,
            created_at: ts,
          }),
        ).lastInsertRowid,
      );
      plan.phases.forEach((p, i) => {
        const phaseId = Number(
          this.db.run(
            this.db.qb.insertInto('phases').values({
              plan_id: planId,
              number: i + 1,
              title: p.title,
              description: p.description,
              hint: p.hint,
              hint_level: p.hint_level,
              expected_files: JSON.stringify(p.expected_files),
              status: i === 0 ? 'active' : 'pending',
              started_at: i === 0 ? ts : null,
              completed_at: null,
            }),
          ).lastInsertRowid,
        );
        p.tasks.forEach((t, j) => {
          this.db.run(
            this.db.qb.insertInto('phase_tasks').values({
              phase_id: phaseId,
              number: j + 1,
              title: t.title,
              description: t.description,
              target_files: JSON.stringify(t.target_files),
              hint_low: t.hints.low,
              hint_medium: t.hints.medium,
              hint_high: t.hints.high,
              completed_at: null,
            }),
          );
        });
        const required_level = p.hint_level === 'off' ? 'low' : p.hint_level;
        const hints = [
          ...p.file_hints.map((h) => ({
            type: 'file' as const,
            path: h.path,
            line_start: null,
            line_end: null,
            style: h.style,
            hover_text: null,
          })),
          ...p.line_hints.map((h) => ({
            type: 'line' as const,
            path: h.path,
            line_start: h.start,
            line_end: Math.max(h.start, h.end),
            style: h.style,
            hover_text: h.hover_text,
          })),
        ];
        for (const h of hints) {
          this.db.run(this.db.qb.insertInto('phase_hints').values({ ...h, phase_id: phaseId, required_level }));
        }
      });
      return planId;
    });
  }

  /** Active plans of this project's sessions that still have a phase not complete (what "unfinished" means). */
  private unfinishedPlans(projectDir: string) {
    return this.db.qb
      .selectFrom('plans')
      .innerJoin('sessions', 'sessions.id', 'plans.session_id')
      .where('sessions.project_dir', '=', projectDir)
      .where('plans.is_active', '=', 1)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('phases')
            .select('phases.id')
            .whereRef('phases.plan_id', '=', 'plans.id')
            .where('phases.status', '!=', 'complete'),
        ),
      );
  }

  /**
   * The newest session on this issue in this project whose active plan still has a phase to finish, with that plan.
   * A session that is still active counts too.
   */
  unfinishedForIssue(projectDir: string, issueNumber: number): { sessionId: number; planId: number } | null {
    const row = this.db.get(
      this.unfinishedPlans(projectDir)
        .select(['plans.id as planId', 'sessions.id as sessionId'])
        .where('sessions.issue_number', '=', issueNumber)
        .orderBy('sessions.id', 'desc')
        .limit(1),
    );
    return row ?? null;
  }

  /** The issue sessions of this project with an unfinished plan, most recently active first. */
  unfinishedIssueSessions(projectDir: string): {
    issue_number: number | null;
    issue_title: string | null;
    issue_url: string | null;
    started_at: string;
    last_activity_at: string;
  }[] {
    return this.db.all(
      this.unfinishedPlans(projectDir)
        .select([
          'sessions.issue_number',
          'sessions.issue_title',
          'sessions.issue_url',
          'sessions.started_at',
          'sessions.last_activity_at',
        ])
        .where('sessions.issue_number', 'is not', null)
        .orderBy('sessions.last_activity_at', 'desc')
        .orderBy('sessions.id', 'desc'),
    );
  }

  /**
   * Copies a plan to another session in one transaction (phases with their statuses and times, tasks, hints), as
   * `source=resume` with `carried_from_plan_id`; the session's earlier plans become inactive. Returns the new id.
   */
  copyPlan(fromPlanId: number, toSessionId: number): number {
    return this.db.transaction(() => {
      const from = this.db.get(this.db.qb.selectFrom('plans').selectAll().where('id', '=', fromPlanId));
      if (!from) throw new PaigeError('NOT_FOUND', `No plan ${fromPlanId}.`);
      this.db.run(this.db.qb.updateTable('plans').set({ is_active: 0 }).where('session_id', '=', toSessionId));
      const { id: _id, ...plan } = from;
      const planId = Number(
        this.db.run(
          this.db.qb.insertInto('plans').values({
            ...plan,
            session_id: toSessionId,
            source: 'resume',
            carried_from_plan_id: fromPlanId,
            is_active: 1,
            created_at: this.now().toISOString(),
          }),
        ).lastInsertRowid,
      );
      const phases = this.db.all(this.db.qb.selectFrom('phases').selectAll().where('plan_id', '=', fromPlanId));
      for (const { id: oldPhaseId, ...phase } of phases) {
        const phaseId = Number(
          this.db.run(this.db.qb.insertInto('phases').values({ ...phase, plan_id: planId })).lastInsertRowid,
        );
        const tasks = this.db.all(this.db.qb.selectFrom('phase_tasks').selectAll().where('phase_id', '=', oldPhaseId));
        for (const { id: _t, ...task } of tasks) {
          this.db.run(this.db.qb.insertInto('phase_tasks').values({ ...task, phase_id: phaseId }));
        }
        const hints = this.db.all(this.db.qb.selectFrom('phase_hints').selectAll().where('phase_id', '=', oldPhaseId));
        for (const { id: _h, ...hint } of hints) {
          this.db.run(this.db.qb.insertInto('phase_hints').values({ ...hint, phase_id: phaseId }));
        }
      }
      return planId;
    });
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
