// Coaching-session lifecycle: the single-active rule, queries, and orphan recovery at start-up (docs/sessions.md).
import type { Selectable } from 'kysely';
import { PaigeError } from '../../shared/ipc/errors';
import {
  SessionSchema,
  WrapUpAgentSchema,
  type EndReason,
  type HintLevel,
  type IssueContext,
  type Session,
  type SessionSnapshot,
  type SessionStatus,
  type WrapUpAgent,
} from '../../shared/domain/session';
import type { PaigeDatabase } from '../db/database';
import type { SessionsTable } from '../db/schema';
import type { Logger } from '../logging/logger';

interface StartSessionInput {
  projectDir: string;
  hintLevel: HintLevel;
  issueNumber?: number | null;
  issueTitle?: string | null;
  issueUrl?: string | null;
  claudeSessionId?: string | null;
  resumedFromSessionId?: number | null;
}

interface RecoveryReport {
  orphaned: number[];
  interruptedWrapUps: number[];
  keptActive: number[];
}

const NOT_RUN_MESSAGE = 'not run: the session was recovered after Paige stopped unexpectedly';
const INTERRUPTED_MESSAGE = 'interrupted: Paige stopped before this agent finished';
const FORCED_MESSAGE = 'not run: the session was ended by a forced start of another session';

/** The sidebar's issue card for a session: its issue's title, number and URL (no summary), or none without an issue. */
export function issueContextOf(session: Session): IssueContext | null {
  if (session.issueTitle === null) return null;
  return {
    title: session.issueTitle,
    summary: '',
    ...(session.issueNumber !== null ? { number: session.issueNumber } : {}),
    ...(session.issueUrl !== null ? { url: session.issueUrl } : {}),
  };
}

function toSession(row: Selectable<SessionsTable>): Session {
  return SessionSchema.parse({
    id: row.id,
    projectDir: row.project_dir,
    issueNumber: row.issue_number,
    issueTitle: row.issue_title,
    issueUrl: row.issue_url,
    status: row.status,
    hintLevel: row.hint_level,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    lastActivityAt: row.last_activity_at,
    totalDurationMs: row.total_duration_ms,
    endReason: row.end_reason,
    branchName: row.branch_name,
    stashName: row.stash_name,
    claudeSessionId: row.claude_session_id,
    resumedFromSessionId: row.resumed_from_session_id,
  });
}

export class SessionService {
  constructor(
    private readonly db: PaigeDatabase,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * The active session's id, read once and kept until this service changes which session is active (every MCP tool
   * call and terminal action asks). `undefined`: not read since the last change.
   */
  private activeIdCache: number | null | undefined;

  activeId(): number | null {
    if (this.activeIdCache === undefined) this.activeIdCache = this.getActive()?.id ?? null;
    return this.activeIdCache;
  }

  /** A write that may change which session is active: the cached id is read again afterwards (even after a failure). */
  private changingStatus<T>(fn: () => T): T {
    try {
      return fn();
    } finally {
      this.activeIdCache = undefined;
    }
  }

  getActive(): Session | null {
    const row = this.db.get(this.db.qb.selectFrom('sessions').selectAll().where('status', '=', 'active'));
    return row ? toSession(row) : null;
  }

  get(id: number): Session | null {
    const row = this.db.get(this.db.qb.selectFrom('sessions').selectAll().where('id', '=', id));
    return row ? toSession(row) : null;
  }

  /** Creates the active session; another active one → ACTIVE_SESSION_EXISTS (the unique partial index is the backstop). */
  start(input: StartSessionInput): Session {
    const ts = this.now().toISOString();
    return this.changingStatus(() =>
      this.db.transaction(() => {
        const existing = this.getActive();
        if (existing) {
          throw new PaigeError('ACTIVE_SESSION_EXISTS', `Session ${existing.id} is already active. End it first.`, {
            sessionId: existing.id,
          });
        }
        const result = this.db.run(
          this.db.qb.insertInto('sessions').values({
            project_dir: input.projectDir,
            issue_number: input.issueNumber ?? null,
            issue_title: input.issueTitle ?? null,
            issue_url: input.issueUrl ?? null,
            status: 'active',
            hint_level: input.hintLevel,
            started_at: ts,
            ended_at: null,
            last_activity_at: ts,
            total_duration_ms: null,
            end_reason: null,
            branch_name: null,
            stash_name: null,
            claude_session_id: input.claudeSessionId ?? null,
            resumed_from_session_id: input.resumedFromSessionId ?? null,
          }),
        );
        const created = this.get(Number(result.lastInsertRowid));
        if (!created) throw new Error('inserted session vanished');
        return created;
      }),
    );
  }

  touch(id: number): void {
    this.db.run(
      this.db.qb
        .updateTable('sessions')
        .set({ last_activity_at: this.now().toISOString() })
        .where('id', '=', id)
        .where('status', '=', 'active'),
    );
  }

  /** Leaves `active` for `to`; leaving any other status is INVALID_TRANSITION. */
  end(id: number, to: Extract<SessionStatus, 'wrapping_up' | 'completed_with_errors'>, reason: EndReason): Session {
    return this.changingStatus(() =>
      this.db.transaction(() => {
        const s = this.get(id);
        if (!s) throw new PaigeError('NOT_FOUND', `No session ${id}.`);
        if (s.status !== 'active') {
          throw new PaigeError('INVALID_TRANSITION', `Session ${id} is ${s.status}, not active.`, { status: s.status });
        }
        const ended = this.now();
        this.db.run(
          this.db.qb
            .updateTable('sessions')
            .set({
              status: to,
              ended_at: ended.toISOString(),
              end_reason: reason,
              total_duration_ms: Math.max(0, ended.getTime() - Date.parse(s.startedAt)),
            })
            .where('id', '=', id),
        );
        return this.get(id) as Session;
      }),
    );
  }

  /** Re-attaches a Claude Code instance to the active session: records its id and refreshes activity. */
  attach(id: number, claudeSessionId: string | null): Session {
    const patch: { last_activity_at: string; claude_session_id?: string } = {
      last_activity_at: this.now().toISOString(),
    };
    if (claudeSessionId !== null) patch.claude_session_id = claudeSessionId;
    this.db.run(this.db.qb.updateTable('sessions').set(patch).where('id', '=', id).where('status', '=', 'active'));
    const s = this.get(id);
    if (!s) throw new PaigeError('NOT_FOUND', `No session ${id}.`);
    return s;
  }

  /**
   * Ends the active session without a wrap-up (`force` in paige_start_session): `completed_with_errors`, reason
   * `forced`, and an unresolved "not run" row per agent so a later retry can run the wrap-up.
   */
  forceEnd(id: number): Session {
    return this.changingStatus(() =>
      this.db.transaction(() => {
        const ended = this.end(id, 'completed_with_errors', 'forced');
        const ts = this.now().toISOString();
        for (const agent of WrapUpAgentSchema.options) this.insertWrapUpError(id, agent, FORCED_MESSAGE, ts);
        return ended;
      }),
    );
  }

  /** `wrapping_up` → `completed` when no wrap-up error is unresolved, else `completed_with_errors`. */
  finishWrapUp(id: number): Session {
    return this.db.transaction(() => {
      const s = this.get(id);
      if (!s) throw new PaigeError('NOT_FOUND', `No session ${id}.`);
      if (s.status !== 'wrapping_up') {
        throw new PaigeError('INVALID_TRANSITION', `Session ${id} is ${s.status}, not wrapping_up.`, {
          status: s.status,
        });
      }
      const open = this.db.get(
        this.db.qb
          .selectFrom('session_wrap_up_errors')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('session_id', '=', id)
          .where('resolved_at', 'is', null),
      );
      const status = Number(open?.n ?? 0) > 0 ? 'completed_with_errors' : 'completed';
      this.db.run(this.db.qb.updateTable('sessions').set({ status }).where('id', '=', id));
      return this.get(id) as Session;
    });
  }

  /** Unresolved wrap-up errors of a session, oldest first. */
  wrapUpErrors(id: number): { agent: WrapUpAgent; message: string }[] {
    return this.db
      .all(
        this.db.qb
          .selectFrom('session_wrap_up_errors')
          .select(['agent_name', 'error_message'])
          .where('session_id', '=', id)
          .where('resolved_at', 'is', null)
          .orderBy('id'),
      )
      .map((r) => ({ agent: r.agent_name, message: r.error_message }));
  }

  /** Fills issue fields the session does not have yet; never overwrites. */
  fillIssueFields(id: number, issue: { number?: number; title?: string; url?: string }): Session {
    const s = this.get(id);
    if (!s) throw new PaigeError('NOT_FOUND', `No session ${id}.`);
    const patch: { issue_number?: number; issue_title?: string; issue_url?: string } = {};
    if (s.issueNumber === null && issue.number !== undefined) patch.issue_number = issue.number;
    if (s.issueTitle === null && issue.title !== undefined) patch.issue_title = issue.title;
    if (s.issueUrl === null && issue.url !== undefined) patch.issue_url = issue.url;
    if (Object.keys(patch).length > 0) {
      this.db.run(this.db.qb.updateTable('sessions').set(patch).where('id', '=', id));
    }
    return this.get(id) as Session;
  }

  /** Records the session's git branch and saved stash (null once re-applied). */
  setGit(id: number, git: { branchName?: string | null; stashName?: string | null }): Session {
    const patch: { branch_name?: string | null; stash_name?: string | null } = {};
    if (git.branchName !== undefined) patch.branch_name = git.branchName;
    if (git.stashName !== undefined) patch.stash_name = git.stashName;
    if (Object.keys(patch).length > 0) this.db.run(this.db.qb.updateTable('sessions').set(patch).where('id', '=', id));
    const s = this.get(id);
    if (!s) throw new PaigeError('NOT_FOUND', `No session ${id}.`);
    return s;
  }

  /** The newest session a Claude Code instance started or attached to. */
  findByClaudeSessionId(claudeSessionId: string): Session | null {
    const row = this.db.get(
      this.db.qb
        .selectFrom('sessions')
        .selectAll()
        .where('claude_session_id', '=', claudeSessionId)
        .orderBy('id', 'desc')
        .limit(1),
    );
    return row ? toSession(row) : null;
  }

  list(opts: { status?: SessionStatus | undefined; limit?: number | undefined; cursor?: string | undefined }): {
    sessions: Session[];
    nextCursor: string | null;
    hasMore: boolean;
  } {
    const limit = opts.limit ?? 20;
    let q = this.db.qb
      .selectFrom('sessions')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(limit + 1);
    if (opts.status) q = q.where('status', '=', opts.status);
    if (opts.cursor !== undefined) {
      const before = Number(opts.cursor);
      if (!Number.isInteger(before) || before < 1) throw new PaigeError('VALIDATION_FAILED', 'Invalid cursor.');
      q = q.where('id', '<', before);
    }
    const rows = this.db.all(q);
    const page = rows.slice(0, limit).map(toSession);
    const hasMore = rows.length > limit;
    const last = page[page.length - 1];
    return { sessions: page, hasMore, nextCursor: hasMore && last ? String(last.id) : null };
  }

  /** The reconnect catch-up view. Plans, buffers and the observer fill in as later services land. */
  snapshot(): SessionSnapshot | null {
    const session = this.getActive();
    if (!session) return null;
    return {
      session,
      issueContext: issueContextOf(session),
      plan: null,
      hintLevel: session.hintLevel,
      openFiles: [],
      observer: { active: false, muted: false },
      lastReview: null,
      planning: { state: 'idle', phase: null, progress: 0 },
    };
  }

  /**
   * Start-up recovery: interrupted wrap-ups and stale active sessions end `completed_with_errors` with
   * unresolved error rows, so a later retry can run the wrap-up. Recent active sessions stay active for re-attach.
   */
  recoverAfterCrash(orphanAfterMs: number): RecoveryReport {
    const now = this.now();
    const ts = now.toISOString();
    const report: RecoveryReport = { orphaned: [], interruptedWrapUps: [], keptActive: [] };
    this.changingStatus(() =>
      this.db.transaction(() => {
        const wrapping = this.db.all(this.db.qb.selectFrom('sessions').selectAll().where('status', '=', 'wrapping_up'));
        for (const row of wrapping) {
          const open = new Set(
            this.db
              .all(
                this.db.qb
                  .selectFrom('session_wrap_up_errors')
                  .select('agent_name')
                  .where('session_id', '=', row.id)
                  .where('resolved_at', 'is', null),
              )
              .map((r) => r.agent_name),
          );
          for (const agent of this.agentsWithoutResults(row.id)) {
            if (!open.has(agent)) this.insertWrapUpError(row.id, agent, INTERRUPTED_MESSAGE, ts);
          }
          this.db.run(
            this.db.qb.updateTable('sessions').set({ status: 'completed_with_errors' }).where('id', '=', row.id),
          );
          report.interruptedWrapUps.push(row.id);
        }

        const active = this.db.all(this.db.qb.selectFrom('sessions').selectAll().where('status', '=', 'active'));
        for (const row of active) {
          const idleMs = now.getTime() - Date.parse(row.last_activity_at);
          if (idleMs <= orphanAfterMs) {
            report.keptActive.push(row.id);
            continue;
          }
          this.db.run(
            this.db.qb
              .updateTable('sessions')
              .set({
                status: 'completed_with_errors',
                end_reason: 'orphan_recovered',
                ended_at: row.last_activity_at,
                total_duration_ms: Math.max(0, Date.parse(row.last_activity_at) - Date.parse(row.started_at)),
              })
              .where('id', '=', row.id),
          );
          for (const agent of WrapUpAgentSchema.options) this.insertWrapUpError(row.id, agent, NOT_RUN_MESSAGE, ts);
          report.orphaned.push(row.id);
        }
      }),
    );
    if (report.orphaned.length || report.interruptedWrapUps.length) {
      this.logger.warn('recovered sessions from an unclean stop', { ...report });
    }
    return report;
  }

  /** Agents whose results are absent for the session: gaps, Dreyfus history rows and memories are their outputs. */
  private agentsWithoutResults(sessionId: number): ('reflection' | 'knowledge_gap' | 'dreyfus')[] {
    const count = (table: 'knowledge_gaps' | 'dreyfus_history' | 'memories'): number =>
      Number(
        this.db.get(
          this.db.qb
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('session_id', '=', sessionId),
        )?.n ?? 0,
      );
    const missing: ('reflection' | 'knowledge_gap' | 'dreyfus')[] = [];
    if (count('knowledge_gaps') === 0) missing.push('knowledge_gap');
    if (count('dreyfus_history') === 0) missing.push('dreyfus');
    if (count('memories') === 0) missing.push('reflection');
    return missing;
  }

  private insertWrapUpError(
    sessionId: number,
    agent: 'reflection' | 'knowledge_gap' | 'dreyfus',
    message: string,
    ts: string,
  ): void {
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
}
