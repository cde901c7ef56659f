// What the wrap-up reads from SQLite (the inputs of its agents) and writes back: each agent's results in one
// transaction of their own, and the per-agent error rows (docs/sessions.md).
import { z } from 'zod';
import type { Session, WrapUpAgent } from '../../shared/domain/session';
import type { PaigeDatabase } from '../db/database';
import type { DreyfusInput, DreyfusOutput } from '../llm/agents/dreyfus';
import { clampStage } from '../llm/agents/dreyfus';
import { DREYFUS_STAGES, type DreyfusStage } from '../llm/agents/kit';
import type { KnowledgeGapInput, KnowledgeGapOutput } from '../llm/agents/knowledge-gap';
import { KG_MAX_ACTIONS } from '../llm/agents/knowledge-gap';
import type { ReflectionOutput } from '../llm/agents/reflection';

type Severity = 'low' | 'medium' | 'high';

interface PhaseStats {
  phases: { id: number; title: string; description: string; status: string; hint_level: string }[];
  completed: number;
  hintsUsed: number;
  /** Completed phases without a single `hint_used` event. */
  independent: number;
}

/** Everything the three agents read, gathered once per run so a retry sees what the first run saw. */
export interface WrapUpInputs {
  session: Session;
  knowledgeGap: KnowledgeGapInput;
  dreyfus: DreyfusInput;
  completedPhases: { title: string; description: string }[];
}

function isStage(s: string): s is DreyfusStage {
  return (DREYFUS_STAGES as readonly string[]).includes(s);
}

function parseData(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const EndedData = z.object({ transcriptPath: z.string().nullable().optional() }).loose();

export class WrapUpStore {
  constructor(
    private readonly db: PaigeDatabase,
    private readonly now: () => Date,
  ) {}

  /** Phases of the session's active plan, with the hint counts the Dreyfus agent reads. */
  private phaseStats(sessionId: number): PhaseStats {
    const plan = this.db.get(
      this.db.qb.selectFrom('plans').select('id').where('session_id', '=', sessionId).where('is_active', '=', 1),
    );
    if (!plan) return { phases: [], completed: 0, hintsUsed: 0, independent: 0 };
    const phases = this.db.all(
      this.db.qb
        .selectFrom('phases')
        .select(['id', 'title', 'description', 'status', 'hint_level'])
        .where('plan_id', '=', plan.id)
        .orderBy('number'),
    );
    const hints = new Map<number, number>();
    for (const r of this.db.all(
      this.db.qb
        .selectFrom('progress_events')
        .innerJoin('phases', 'phases.id', 'progress_events.phase_id')
        .select('progress_events.phase_id')
        .where('phases.plan_id', '=', plan.id)
        .where('progress_events.event_type', '=', 'hint_used'),
    )) {
      hints.set(r.phase_id, (hints.get(r.phase_id) ?? 0) + 1);
    }
    const done = phases.filter((p) => p.status === 'complete');
    return {
      phases,
      completed: done.length,
      hintsUsed: [...hints.values()].reduce((a, b) => a + b, 0),
      independent: done.filter((p) => (hints.get(p.id) ?? 0) === 0).length,
    };
  }

  /** The skill's evidence over the sessions in its history: hint use per completed phase, and completion rate. */
  private evidence(skillArea: string): DreyfusInput['evidence'][number] {
    const ids = [
      ...new Set(
        this.db
          .all(
            this.db.qb
              .selectFrom('dreyfus_history')
              .select('session_id')
              .where('skill_area', '=', skillArea)
              .where('session_id', 'is not', null)
              .orderBy('id'),
          )
          .map((r) => r.session_id as number),
      ),
    ];
    const stats = ids.map((id) => this.phaseStats(id));
    const total = stats.reduce((a, s) => a + s.phases.length, 0);
    const completed = stats.reduce((a, s) => a + s.completed, 0);
    const perPhase = stats.filter((s) => s.completed > 0).map((s) => s.hintsUsed / s.completed);
    let trend: DreyfusInput['evidence'][number]['hint_trend'] = 'unknown';
    if (perPhase.length >= 2) {
      const last = perPhase[perPhase.length - 1]!;
      const earlier = perPhase.slice(0, -1).reduce((a, b) => a + b, 0) / (perPhase.length - 1);
      trend = last > earlier + 0.25 ? 'rising' : last < earlier - 0.25 ? 'falling' : 'flat';
    }
    return {
      skill_area: skillArea,
      sessions: ids.length,
      hint_trend: trend,
      completion_rate: total === 0 ? null : Math.round((completed / total) * 100) / 100,
    };
  }

  /** The transcript path `paige_end_session` was given, kept on the session's `session_ended` action for retries. */
  transcriptPath(sessionId: number): string | null {
    const row = this.db.get(
      this.db.qb
        .selectFrom('action_log')
        .select('data')
        .where('session_id', '=', sessionId)
        .where('action_type', '=', 'session_ended')
        .orderBy('id', 'desc')
        .limit(1),
    );
    const parsed = EndedData.safeParse(parseData(row?.data ?? null));
    return parsed.success ? (parsed.data.transcriptPath ?? null) : null;
  }

  gather(session: Session): WrapUpInputs {
    let q = this.db.qb
      .selectFrom('action_log')
      .select(['action_type', 'data', 'created_at'])
      .where('session_id', '=', session.id)
      .where('action_type', '!=', 'wrap_up_error');
    // What the learner did while the session ran; a retry later sees the same log.
    const endedAt = session.endedAt;
    if (endedAt !== null) {
      q = q.where((eb) => eb.or([eb('created_at', '<=', endedAt), eb('action_type', '=', 'session_ended')]));
    }
    const actions = this.db
      .all(q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(KG_MAX_ACTIONS))
      .reverse()
      .map((r) => ({ type: r.action_type, at: r.created_at, data: parseData(r.data) }));
    const stats = this.phaseStats(session.id);
    const gaps = this.db.all(
      this.db.qb
        .selectFrom('knowledge_gaps')
        .select(['topic', 'frequency'])
        .orderBy('frequency', 'desc')
        .orderBy('id')
        .limit(100),
    );
    const assessments = this.db
      .all(this.db.qb.selectFrom('dreyfus_assessments').select(['skill_area', 'stage', 'confidence']).orderBy('id'))
      .flatMap((a) =>
        isStage(a.stage) ? [{ skill_area: a.skill_area, stage: a.stage, confidence: a.confidence }] : [],
      );
    return {
      session,
      knowledgeGap: {
        issue_title: session.issueTitle,
        actions,
        phases: stats.phases.map((p) => ({ title: p.title, status: p.status, hint_level: p.hint_level })),
        existing_gaps: gaps,
      },
      dreyfus: {
        current_assessments: assessments,
        evidence: assessments.map((a) => this.evidence(a.skill_area)),
        this_session: {
          issue_title: session.issueTitle,
          phases: stats.phases.map((p) => ({ title: p.title, status: p.status })),
          phases_completed: stats.completed,
          hints_used: stats.hintsUsed,
          independent_completions: stats.independent,
        },
      },
      completedPhases: stats.phases
        .filter((p) => p.status === 'complete')
        .map((p) => ({ title: p.title, description: p.description })),
    };
  }

  /** Gaps identified in the session or re-encountered since it started (what Reflection gets on a retry). */
  sessionGaps(session: Session): { topic: string; severity: Severity }[] {
    return this.db.all(
      this.db.qb
        .selectFrom('knowledge_gaps')
        .select(['topic', 'severity'])
        .where((eb) => eb.or([eb('session_id', '=', session.id), eb('last_encountered_at', '>=', session.startedAt)]))
        .orderBy('id'),
    );
  }

  /**
   * One transaction: each gap inserted, or (same topic, any case) re-encountered: frequency + 1 and the new evidence;
   * then the katas, linked by `gap_index`, constraints sorted by `minLevel`. A kata naming no returned gap is dropped.
   */
  storeGaps(
    sessionId: number,
    out: KnowledgeGapOutput,
  ): { gaps: { topic: string; severity: Severity }[]; gapsIdentified: number; katasGenerated: number } {
    const ts = this.now().toISOString();
    return this.db.transaction(() => {
      const ids: number[] = [];
      for (const g of out.knowledge_gaps) {
        const existing = this.db.get(
          this.db.qb
            .selectFrom('knowledge_gaps')
            .select(['id', 'frequency'])
            .where((eb) => eb(eb.fn('lower', ['topic']), '=', g.topic.toLowerCase())),
        );
        if (existing) {
          this.db.run(
            this.db.qb
              .updateTable('knowledge_gaps')
              .set({
                frequency: existing.frequency + 1,
                severity: g.severity,
                evidence: g.evidence,
                related_concepts: JSON.stringify(g.related_concepts),
                last_encountered_at: ts,
                addressed: 0,
                addressed_at: null,
              })
              .where('id', '=', existing.id),
          );
          ids.push(existing.id);
        } else {
          const r = this.db.run(
            this.db.qb.insertInto('knowledge_gaps').values({
              session_id: sessionId,
              topic: g.topic,
              severity: g.severity,
              evidence: g.evidence,
              related_concepts: JSON.stringify(g.related_concepts),
              identified_at: ts,
              last_encountered_at: ts,
              addressed_at: null,
            }),
          );
          ids.push(Number(r.lastInsertRowid));
        }
      }
      let katas = 0;
      for (const k of out.kata_specs) {
        const gapId = ids[k.gap_index];
        if (gapId === undefined) continue;
        this.db.run(
          this.db.qb.insertInto('kata_specs').values({
            gap_id: gapId,
            title: k.title,
            description: k.description,
            scaffolding_code: k.scaffolding_code,
            instructor_notes: k.instructor_notes,
            language: k.language,
            difficulty: k.difficulty,
            estimated_minutes: k.estimated_minutes,
            constraints: JSON.stringify([...k.constraints].sort((a, b) => a.minLevel - b.minLevel)),
            test_code: k.test_code,
            created_at: ts,
          }),
        );
        katas++;
      }
      return {
        gaps: out.knowledge_gaps.map((g) => ({ topic: g.topic, severity: g.severity })),
        gapsIdentified: ids.length,
        katasGenerated: katas,
      };
    });
  }

  /** Where a skill stood before this session's wrap-up touched it (null: never assessed before). */
  private stageBefore(sessionId: number, skillArea: string): DreyfusStage | null {
    const rows = this.db.all(
      this.db.qb
        .selectFrom('dreyfus_history')
        .select(['stage', 'session_id'])
        .where('skill_area', '=', skillArea)
        .orderBy('id'),
    );
    const firstOurs = rows.findIndex((r) => r.session_id === sessionId);
    if (firstOurs >= 0) {
      const prev = rows[firstOurs - 1];
      return prev && isStage(prev.stage) ? prev.stage : null;
    }
    const current = this.db.get(
      this.db.qb.selectFrom('dreyfus_assessments').select('stage').where('skill_area', '=', skillArea),
    );
    return current && isStage(current.stage) ? current.stage : null;
  }

  /**
   * One transaction: each skill (first mention wins) upserted at its clamped stage, plus a history row. Returns the
   * stage changes for the log.
   */
  storeAssessments(
    sessionId: number,
    out: DreyfusOutput,
  ): { skillArea: string; from: DreyfusStage | null; proposed: DreyfusStage; stored: DreyfusStage }[] {
    const ts = this.now().toISOString();
    return this.db.transaction(() => {
      const seen = new Set<string>();
      const changes: { skillArea: string; from: DreyfusStage | null; proposed: DreyfusStage; stored: DreyfusStage }[] =
        [];
      for (const a of out.assessments) {
        if (seen.has(a.skill_area)) continue;
        seen.add(a.skill_area);
        const from = this.stageBefore(sessionId, a.skill_area);
        const stored = clampStage(from, a.stage);
        const evidence = a.recommendation ? `${a.evidence}\nNext: ${a.recommendation}` : a.evidence;
        this.db.run(
          this.db.qb
            .insertInto('dreyfus_assessments')
            .values({ skill_area: a.skill_area, stage: stored, confidence: a.confidence, evidence, assessed_at: ts })
            .onConflict((oc) =>
              oc
                .column('skill_area')
                .doUpdateSet({ stage: stored, confidence: a.confidence, evidence, assessed_at: ts }),
            ),
        );
        this.db.run(
          this.db.qb.insertInto('dreyfus_history').values({
            skill_area: a.skill_area,
            stage: stored,
            confidence: a.confidence,
            session_id: sessionId,
            assessed_at: ts,
          }),
        );
        changes.push({ skillArea: a.skill_area, from, proposed: a.stage, stored });
      }
      return changes;
    });
  }

  /**
   * One transaction: the memories as rows `s<session>-m<n>`; a rerun suffixes `_r<k>` (k one past the highest
   * suffix the session has) so ids never collide.
   */
  storeMemories(session: Session, out: ReflectionOutput, rerun: boolean): number {
    const ts = this.now().toISOString();
    return this.db.transaction(() => {
      let suffix = '';
      if (rerun) {
        const ids = this.db
          .all(this.db.qb.selectFrom('memories').select('id').where('session_id', '=', session.id))
          .map((r) => Number(/_r(\d+)$/.exec(r.id)?.[1] ?? 0));
        suffix = `_r${Math.max(0, ...ids) + 1}`;
      }
      out.memories.forEach((m, i) => {
        this.db.run(
          this.db.qb.insertInto('memories').values({
            id: `s${session.id}-m${i + 1}${suffix}`,
            session_id: session.id,
            project: session.projectDir,
            content: m.content,
            tags: m.tags.join(','),
            importance: m.importance,
            created_at: ts,
            embedder: null,
            indexed_at: null,
          }),
        );
      });
      return out.memories.length;
    });
  }

  /** A failed agent keeps one unresolved row: inserted the first time, its message replaced after that. */
  recordError(sessionId: number, agent: WrapUpAgent, message: string): void {
    const ts = this.now().toISOString();
    this.db.transaction(() => {
      const open = this.db.get(
        this.db.qb
          .selectFrom('session_wrap_up_errors')
          .select('id')
          .where('session_id', '=', sessionId)
          .where('agent_name', '=', agent)
          .where('resolved_at', 'is', null),
      );
      if (open) {
        this.db.run(
          this.db.qb.updateTable('session_wrap_up_errors').set({ error_message: message }).where('id', '=', open.id),
        );
      } else {
        this.db.run(
          this.db.qb.insertInto('session_wrap_up_errors').values({
            session_id: sessionId,
            agent_name: agent,
            error_message: message,
            created_at: ts,
            resolved_at: null,
          }),
        );
      }
    });
  }

  resolveErrors(sessionId: number, agent: WrapUpAgent): void {
    this.db.run(
      this.db.qb
        .updateTable('session_wrap_up_errors')
        .set({ resolved_at: this.now().toISOString() })
        .where('session_id', '=', sessionId)
        .where('agent_name', '=', agent)
        .where('resolved_at', 'is', null),
    );
  }

  /** After a retry: an ended session is `completed` once no error is unresolved, else `completed_with_errors`. */
  settle(sessionId: number, unresolved: number): void {
    this.db.run(
      this.db.qb
        .updateTable('sessions')
        .set({ status: unresolved === 0 ? 'completed' : 'completed_with_errors' })
        .where('id', '=', sessionId)
        .where('status', 'in', ['completed', 'completed_with_errors']),
    );
  }
}
