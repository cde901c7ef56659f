// `session:wrap_up_summary` (docs/sessions.md): what a session's wrap-up produced, read back from SQLite, with each
// agent's state (live while the wrap-up or a retry runs, else from the unresolved error rows).
import type { WrapUpAgent } from '../../shared/domain/session';
import type { WrapUpAgentState, WrapUpSummary } from '../../shared/domain/wrap-up';
import { PaigeError } from '../../shared/ipc/errors';
import type { PaigeDatabase } from '../db/database';
import type { SessionService } from './session-service';

type LiveAgents = ReadonlyMap<WrapUpAgent, { state: WrapUpAgentState; message: string | null }>;

/** Knowledge Gap and Dreyfus run first, Reflection after them: the order the UI lists them in. */
const RUN_ORDER: readonly WrapUpAgent[] = ['knowledge_gap', 'dreyfus', 'reflection'];

export class WrapUpSummaryReader {
  constructor(
    private readonly db: PaigeDatabase,
    private readonly sessions: SessionService,
    private readonly live: (sessionId: number) => LiveAgents | undefined,
  ) {}

  /** The named session's summary, or the newest session that is no longer active; null when there is none. */
  read(sessionId?: number): WrapUpSummary | null {
    const id = sessionId ?? this.newestEnded();
    if (id === null) return null;
    const session = this.sessions.get(id);
    if (!session) throw new PaigeError('NOT_FOUND', `No session ${id}.`);
    const agents = this.agentStates(id, session.status);
    if (session.endedAt === null) {
      return { session, agents, gaps: [], katas: [], stageChanges: [], memories: [] };
    }
    const gaps = this.gaps(id, session.endedAt);
    return {
      session,
      agents,
      gaps: gaps.map((g) => ({ topic: g.topic, severity: g.severity })),
      katas: this.katas(gaps, session.endedAt, this.windowEnd(id)),
      stageChanges: this.stageChanges(id),
      memories: this.db.all(
        this.db.qb
          .selectFrom('memories')
          .select(['id', 'content', 'importance'])
          .where('session_id', '=', id)
          .orderBy('created_at')
          .orderBy('id'),
      ),
    };
  }

  private newestEnded(): number | null {
    const row = this.db.get(
      this.db.qb.selectFrom('sessions').select('id').where('status', '!=', 'active').orderBy('id', 'desc').limit(1),
    );
    return row?.id ?? null;
  }

  private agentStates(sessionId: number, status: string): WrapUpSummary['agents'] {
    const live = this.live(sessionId);
    const failed = new Map(this.sessions.wrapUpErrors(sessionId).map((e) => [e.agent, e.message]));
    return RUN_ORDER.map((agent) => {
      const now = live?.get(agent);
      if (now) return { agent, ...now };
      const message = failed.get(agent);
      if (message !== undefined) return { agent, state: 'failed' as const, message };
      // Not started yet (an active session, or a wrap-up whose agents have not reported).
      if (status === 'active' || status === 'wrapping_up') return { agent, state: 'pending' as const, message: null };
      return { agent, state: 'done' as const, message: null };
    });
  }

  /**
   * Where this session's wrap-up writes end: the next session's end (its wrap-up writes after it). Gaps the wrap-up
   * re-encountered carry their first session's id, so they are found by time, inside [ended_at, window end).
   */
  private windowEnd(sessionId: number): string | null {
    const row = this.db.get(
      this.db.qb
        .selectFrom('sessions')
        .select('ended_at')
        .where('id', '>', sessionId)
        .where('ended_at', 'is not', null)
        .orderBy('ended_at')
        .limit(1),
    );
    return row?.ended_at ?? null;
  }

  private gaps(
    sessionId: number,
    endedAt: string,
  ): { id: number; topic: string; severity: 'low' | 'medium' | 'high' }[] {
    const end = this.windowEnd(sessionId);
    return this.db.all(
      this.db.qb
        .selectFrom('knowledge_gaps')
        .select(['id', 'topic', 'severity'])
        .where((eb) =>
          eb.or([
            eb('session_id', '=', sessionId),
            eb.and([
              eb('last_encountered_at', '>=', endedAt),
              ...(end === null ? [] : [eb('last_encountered_at', '<', end)]),
            ]),
          ]),
        )
        .orderBy('id'),
    );
  }

  private katas(
    gaps: readonly { id: number; topic: string }[],
    endedAt: string,
    end: string | null,
  ): WrapUpSummary['katas'] {
    if (gaps.length === 0) return [];
    const topics = new Map(gaps.map((g) => [g.id, g.topic]));
    let q = this.db.qb
      .selectFrom('kata_specs')
      .select(['gap_id', 'title', 'difficulty'])
      .where('gap_id', 'in', [...topics.keys()])
      .where('created_at', '>=', endedAt);
    if (end !== null) q = q.where('created_at', '<', end);
    return this.db
      .all(q.orderBy('id'))
      .map((k) => ({ title: k.title, gapTopic: topics.get(k.gap_id) ?? '', difficulty: k.difficulty }));
  }

  /** Per skill the session assessed: where it stood before the session's first row, and its latest stage here. */
  private stageChanges(sessionId: number): WrapUpSummary['stageChanges'] {
    const ours = this.db.all(
      this.db.qb
        .selectFrom('dreyfus_history')
        .select(['id', 'skill_area', 'stage'])
        .where('session_id', '=', sessionId)
        .orderBy('id'),
    );
    const bySkill = new Map<string, { firstId: number; to: (typeof ours)[number]['stage'] }>();
    for (const r of ours) {
      const seen = bySkill.get(r.skill_area);
      bySkill.set(r.skill_area, { firstId: seen?.firstId ?? r.id, to: r.stage });
    }
    return [...bySkill].map(([skillArea, { firstId, to }]) => {
      const before = this.db.get(
        this.db.qb
          .selectFrom('dreyfus_history')
          .select('stage')
          .where('skill_area', '=', skillArea)
          .where('id', '<', firstId)
          .orderBy('id', 'desc')
          .limit(1),
      );
      return { skillArea, from: before?.stage ?? null, to };
    });
  }
}
