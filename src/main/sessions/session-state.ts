// What `paige_get_session_state` and `session:snapshot` read from SQLite about a session (the state items of
// docs/mcp.md): its plan with phases, tasks and hints, progress events, skill stages, gaps, katas and recent actions.
import { z } from 'zod';
import type { Plan } from '../../shared/domain/session';
import type { PaigeDatabase } from '../db/database';

/** The `actions` item holds the last 20 actions of the session. */
const STATE_ACTIONS_LIMIT = 20;

const StringList = z.array(z.string());
const KataAttempts = z.array(z.object({ level: z.number(), passed: z.boolean() }).loose());

/** JSON text from SQLite parsed with a schema; text that does not match (never expected) reads as `fallback`. */
function parseJson<T>(text: string | null, schema: z.ZodType<T>, fallback: T): T {
  if (text === null) return fallback;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}

export interface StatePhase {
  id: number;
  number: number;
  title: string;
  description: string;
  status: 'pending' | 'active' | 'complete';
  hint_level: 'off' | 'low' | 'medium' | 'high';
  expected_files: string[];
  tasks: { number: number; title: string; description: string; target_files: string[]; completed_at: string | null }[];
}

export class SessionStateReader {
  constructor(private readonly db: PaigeDatabase) {}

  private activePlanRow(sessionId: number) {
    return this.db.get(
      this.db.qb.selectFrom('plans').selectAll().where('session_id', '=', sessionId).where('is_active', '=', 1),
    );
  }

  private activePhaseRow(sessionId: number) {
    const plan = this.activePlanRow(sessionId);
    if (!plan) return undefined;
    return this.db.get(
      this.db.qb.selectFrom('phases').selectAll().where('plan_id', '=', plan.id).where('status', '=', 'active'),
    );
  }

  /** The active plan with every phase, its tasks and hints, as IPC carries it (in SessionSnapshot). */
  fullPlan(sessionId: number): Plan | null {
    const plan = this.activePlanRow(sessionId);
    if (!plan) return null;
    const phases = this.db.all(
      this.db.qb.selectFrom('phases').selectAll().where('plan_id', '=', plan.id).orderBy('number'),
    );
    return {
      id: plan.id,
      title: plan.title,
      summary: plan.summary,
      totalPhases: plan.total_phases,
      estimatedDifficulty: plan.estimated_difficulty,
      memoryConnection: plan.memory_connection,
      phases: phases.map((p) => ({
        id: p.id,
        number: p.number,
        title: p.title,
        description: p.description,
        hint: p.hint,
        hintLevel: p.hint_level,
        expectedFiles: parseJson(p.expected_files, StringList, []),
        status: p.status,
        startedAt: p.started_at,
        completedAt: p.completed_at,
        tasks: this.tasks(p.id).map((t) => ({
          id: t.id,
          number: t.number,
          title: t.title,
          description: t.description,
          targetFiles: parseJson(t.target_files, StringList, []),
          hintLow: t.hint_low,
          hintMedium: t.hint_medium,
          hintHigh: t.hint_high,
          completedAt: t.completed_at,
        })),
        hints: this.hintRows(p.id).map((h) => ({
          id: h.id,
          type: h.type,
          path: h.path,
          lineStart: h.line_start,
          lineEnd: h.line_end,
          style: h.style,
          hoverText: h.hover_text,
          requiredLevel: h.required_level,
        })),
      })),
    };
  }

  plan(sessionId: number): {
    id: number;
    title: string;
    summary: string;
    phases: { number: number; title: string; status: 'pending' | 'active' | 'complete' }[];
  } | null {
    const plan = this.activePlanRow(sessionId);
    if (!plan) return null;
    const phases = this.db.all(
      this.db.qb
        .selectFrom('phases')
        .select(['number', 'title', 'status'])
        .where('plan_id', '=', plan.id)
        .orderBy('number'),
    );
    return { id: plan.id, title: plan.title, summary: plan.summary, phases };
  }

  activePhase(sessionId: number): StatePhase | null {
    const p = this.activePhaseRow(sessionId);
    if (!p) return null;
    return {
      id: p.id,
      number: p.number,
      title: p.title,
      description: p.description,
      status: p.status,
      hint_level: p.hint_level,
      expected_files: parseJson(p.expected_files, StringList, []),
      tasks: this.tasks(p.id).map((t) => ({
        number: t.number,
        title: t.title,
        description: t.description,
        target_files: parseJson(t.target_files, StringList, []),
        completed_at: t.completed_at,
      })),
    };
  }

  /** Progress events of every phase of the active plan, oldest first. */
  progress(sessionId: number): { event_type: string; data: unknown; created_at: string }[] {
    const plan = this.activePlanRow(sessionId);
    if (!plan) return [];
    return this.db
      .all(
        this.db.qb
          .selectFrom('progress_events')
          .innerJoin('phases', 'phases.id', 'progress_events.phase_id')
          .select(['progress_events.event_type', 'progress_events.data', 'progress_events.created_at'])
          .where('phases.plan_id', '=', plan.id)
          .orderBy('progress_events.created_at')
          .orderBy('progress_events.id'),
      )
      .map((r) => ({ event_type: r.event_type, data: parseJson(r.data, z.unknown(), null), created_at: r.created_at }));
  }

  /** File and line hints of the active phase; both empty without one. */
  hints(sessionId: number): {
    file_hints: { path: string; style: 'suggested' | 'warning' | 'error'; required_level: 'low' | 'medium' | 'high' }[];
    line_hints: {
      path: string;
      line_start: number;
      line_end: number;
      style: 'suggested' | 'warning' | 'error';
      hover_text: string | null;
      required_level: 'low' | 'medium' | 'high';
    }[];
  } {
    const phase = this.activePhaseRow(sessionId);
    const rows = phase ? this.hintRows(phase.id) : [];
    return {
      file_hints: rows
        .filter((h) => h.type === 'file')
        .map((h) => ({ path: h.path, style: h.style, required_level: h.required_level })),
      line_hints: rows.flatMap((h) =>
        h.type === 'line' && h.line_start !== null
          ? [
              {
                path: h.path,
                line_start: h.line_start,
                line_end: h.line_end ?? h.line_start,
                style: h.style,
                hover_text: h.hover_text,
                required_level: h.required_level,
              },
            ]
          : [],
      ),
    };
  }

  dreyfus(): { skill_area: string; stage: string; confidence: number }[] {
    return this.db.all(
      this.db.qb.selectFrom('dreyfus_assessments').select(['skill_area', 'stage', 'confidence']).orderBy('skill_area'),
    );
  }

  /** Gaps identified in this session or re-encountered since it started. */
  private gapRows(sessionId: number, startedAt: string) {
    return this.db.all(
      this.db.qb
        .selectFrom('knowledge_gaps')
        .select(['id', 'topic', 'severity', 'frequency'])
        .where((eb) => eb.or([eb('session_id', '=', sessionId), eb('last_encountered_at', '>=', startedAt)]))
        .orderBy('id'),
    );
  }

  gaps(
    sessionId: number,
    startedAt: string,
  ): { topic: string; severity: 'low' | 'medium' | 'high'; frequency: number }[] {
    return this.gapRows(sessionId, startedAt).map((g) => ({
      topic: g.topic,
      severity: g.severity,
      frequency: g.frequency,
    }));
  }

  /** Katas practising this session's gaps, with attempt counts and the highest level passed (0 when none). */
  katas(sessionId: number, startedAt: string): { id: number; title: string; attempts: number; max_level: number }[] {
    const gapIds = this.gapRows(sessionId, startedAt).map((g) => g.id);
    if (gapIds.length === 0) return [];
    return this.db
      .all(
        this.db.qb
          .selectFrom('kata_specs')
          .select(['id', 'title', 'user_attempts'])
          .where('gap_id', 'in', gapIds)
          .orderBy('id'),
      )
      .map((k) => {
        const attempts = parseJson(k.user_attempts, KataAttempts, []);
        const passed = attempts.filter((a) => a.passed).map((a) => a.level);
        return { id: k.id, title: k.title, attempts: attempts.length, max_level: Math.max(0, ...passed) };
      });
  }

  /** The session's most recent actions, oldest first. */
  actions(sessionId: number): { action_type: string; data: unknown; created_at: string }[] {
    return this.db
      .all(
        this.db.qb
          .selectFrom('action_log')
          .select(['action_type', 'data', 'created_at'])
          .where('session_id', '=', sessionId)
          // Walks the (session_id, created_at) index backwards (rowid = id ends every index entry): no sort of the
          // session's whole log, which grows to thousands of rows.
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(STATE_ACTIONS_LIMIT),
      )
      .reverse()
      .map((r) => ({
        action_type: r.action_type,
        data: parseJson(r.data, z.unknown(), null),
        created_at: r.created_at,
      }));
  }

  private tasks(phaseId: number) {
    return this.db.all(
      this.db.qb.selectFrom('phase_tasks').selectAll().where('phase_id', '=', phaseId).orderBy('number'),
    );
  }

  private hintRows(phaseId: number) {
    return this.db.all(this.db.qb.selectFrom('phase_hints').selectAll().where('phase_id', '=', phaseId).orderBy('id'));
  }
}
