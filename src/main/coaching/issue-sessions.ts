// The UI entry of the coaching pipeline (docs/coaching.md): picking an issue starts a session on it and plans it in
// the background, reporting each step as `planning:*` events; an issue whose plan is not finished is resumed instead
// (a new session with a copy of the plan, its branch checked out, no model call). A failed run can be retried.
import { randomUUID } from 'node:crypto';
import type { EventChannel, EventPayload, InvokeInput, InvokeOutput } from '../../shared/ipc/contract';
import type { HintLevel, Plan, Session, SessionSnapshot } from '../../shared/domain/session';
import { PaigeError } from '../../shared/ipc/errors';
import type { ActionType } from '../activity/action-types';
import type { LlmClient } from '../llm/client';
import type { Logger } from '../logging/logger';
import type { PlanStore } from '../sessions/plan-store';
import { issueContextOf, type SessionService } from '../sessions/session-service';
import { checkoutIssueBranch, createIssueBranch } from './branches';
import { gitIn } from './git';
import { GhClient } from '../issues/gh';
import type { CoachingPipeline } from './pipeline';
import type { PlanningState } from './planning-state';

/** At shutdown, runs still waiting on the model are given this long before the database closes under them. */
const DRAIN_MS = 2_000;

type SelectInput = InvokeInput<'session:select_issue'>;

interface IssueSessionDeps {
  sessions: SessionService;
  plans: PlanStore;
  pipeline: CoachingPipeline;
  planning: PlanningState;
  projectDir(): string | null;
  defaultHintLevel(): HintLevel;
  /** Ends a session the normal way: wrap-up and all. */
  endNormally(sessionId: number): void;
  fullPlan(sessionId: number): Plan | null;
  snapshot(): SessionSnapshot | null;
  /** The model client when a key is set (the branch namer does without one). */
  client(): LlmClient | undefined;
  env(): NodeJS.ProcessEnv;
  emit<C extends EventChannel>(channel: C, payload: EventPayload<C>): void;
  recordFor(sessionId: number, type: ActionType, data: unknown): void;
  logger: Logger;
}

function unfinished(plan: Plan | null): boolean {
  return plan !== null && plan.phases.some((p) => p.status !== 'complete');
}

function errorOf(err: unknown): { code: PaigeError['code']; message: string } {
  return err instanceof PaigeError
    ? { code: err.code, message: err.message }
    : { code: 'INTERNAL', message: 'Planning failed unexpectedly.' };
}

export class IssueSessions {
  /** Runs in flight by session. */
  private readonly running = new Map<number, Promise<void>>();
  /** The request fields of each session's last run, for `planning:retry`. */
  private readonly requests = new Map<number, SelectInput>();

  constructor(private readonly deps: IssueSessionDeps) {}

  async select(input: SelectInput): Promise<InvokeOutput<'session:select_issue'>> {
    const { sessions, plans } = this.deps;
    const projectDir = this.requireProject();
    const issueNumber = input.issueNumber;
    const active = sessions.getActive();
    if (active && active.issueNumber === issueNumber && active.projectDir === projectDir) {
      // Picking the issue already being worked on: its plan, its running pipeline, or a new run after a failure.
      if (this.running.has(active.id)) return { sessionId: active.id, issueNumber, planning: 'started' };
      if (unfinished(this.deps.fullPlan(active.id))) return { sessionId: active.id, issueNumber, planning: 'resumed' };
      this.startPlanning(active, input);
      return { sessionId: active.id, issueNumber, planning: 'started' };
    }
    const earlier = plans.unfinishedForIssue(projectDir, issueNumber);
    if (active) {
      if (input.force !== true) {
        throw new PaigeError(
          'ACTIVE_SESSION_EXISTS',
          `Session ${active.id} is active. End it first, or pick the issue again with force to end it.`,
          { sessionId: active.id },
        );
      }
      this.deps.endNormally(active.id);
    }
    if (earlier) {
      const session = await this.resumeFrom(earlier.sessionId, earlier.planId);
      return { sessionId: session.id, issueNumber, planning: 'resumed' };
    }
    const session = sessions.start({
      projectDir,
      hintLevel: this.deps.defaultHintLevel(),
      issueNumber,
      issueTitle: input.issueTitle ?? null,
      issueUrl: input.issueUrl ?? null,
    });
    this.deps.recordFor(session.id, 'session_started', { issueNumber, source: 'ui' });
    this.deps.emit('session:started', {
      session,
      issueContext: input.issueTitle
        ? {
            number: issueNumber,
            title: input.issueTitle,
            summary: '',
            ...(input.issueUrl ? { url: input.issueUrl } : {}),
          }
        : null,
      plan: null,
      hintLevel: session.hintLevel,
    });
    this.startPlanning(session, input);
    return { sessionId: session.id, issueNumber, planning: 'started' };
  }

  /** `session:resume`: the active session as it is, or an unfinished plan of an earlier one in a new session. */
  async resume(input: InvokeInput<'session:resume'>): Promise<SessionSnapshot> {
    const { sessions, plans } = this.deps;
    const projectDir = this.requireProject();
    const active = sessions.getActive();
    let from: { sessionId: number; planId: number } | null;
    if ('sessionId' in input) {
      const s = sessions.get(input.sessionId);
      if (!s) throw new PaigeError('NOT_FOUND', `No session ${input.sessionId}.`);
      if (s.status === 'active') return this.requireSnapshot();
      const plan = this.deps.fullPlan(s.id);
      from = unfinished(plan) && plan ? { sessionId: s.id, planId: plan.id } : null;
    } else {
      if (active?.issueNumber === input.issueNumber) return this.requireSnapshot();
      from = plans.unfinishedForIssue(projectDir, input.issueNumber);
    }
    if (!from) throw new PaigeError('NOT_FOUND', 'There is no unfinished plan to resume.');
    if (active) {
      throw new PaigeError('ACTIVE_SESSION_EXISTS', `Session ${active.id} is active. End it first.`, {
        sessionId: active.id,
      });
    }
    await this.resumeFrom(from.sessionId, from.planId);
    return this.requireSnapshot();
  }

  /** `planning:retry`: the active session's failed (or never finished) run again. */
  retry(sessionId: number): { started: boolean } {
    const session = this.deps.sessions.getActive();
    if (session?.id !== sessionId) throw new PaigeError('NO_ACTIVE_SESSION', `Session ${sessionId} is not active.`);
    if (this.running.has(sessionId)) throw new PaigeError('BUSY', 'Planning is already running for this session.');
    if (this.deps.fullPlan(sessionId) !== null) return { started: false };
    if (session.issueNumber === null) {
      throw new PaigeError('INVALID_STATE', 'This session has no issue to plan; Claude Code plans it instead.');
    }
    this.startPlanning(session, this.requests.get(sessionId) ?? { issueNumber: session.issueNumber });
    return { started: true };
  }

  /** Waits (briefly) for runs in flight, so their last writes land before the database closes. */
  async drain(): Promise<void> {
    const all = Promise.allSettled([...this.running.values()]);
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([all, new Promise((r) => (timer = setTimeout(r, DRAIN_MS)))]);
    clearTimeout(timer);
  }

  private requireProject(): string {
    const projectDir = this.deps.projectDir();
    if (projectDir === null) throw new PaigeError('INVALID_STATE', 'Open a project before picking an issue.');
    return projectDir;
  }

  private requireSnapshot(): SessionSnapshot {
    const snap = this.deps.snapshot();
    if (!snap) throw new PaigeError('INTERNAL', 'The resumed session could not be read back.');
    return snap;
  }

  private startPlanning(session: Session, input: SelectInput): void {
    this.requests.set(session.id, input);
    const run = this.plan(session, input)
      .catch((err: unknown) => this.deps.logger.error('planning run failed', { err }))
      .finally(() => this.running.delete(session.id));
    this.running.set(session.id, run);
  }

  private branchDeps(sessionId: number, projectDir: string) {
    const env = this.deps.env();
    return {
      git: gitIn(projectDir, env),
      ghLogin: () => new GhClient(() => env).login(projectDir).catch(() => null),
      client: () => this.deps.client(),
      sessionId,
      logger: this.deps.logger,
      notify: (message: string) =>
        this.deps.emit('coaching:message', { messageId: randomUUID(), message, type: 'warning', source: 'coaching' }),
    };
  }

  /** Steps 1–7 after the session exists: the issue from gh (or the request), the branch, then the pipeline. */
  private async plan(session: Session, input: SelectInput): Promise<void> {
    const { sessions, emit } = this.deps;
    const sessionId = session.id;
    const n = input.issueNumber;
    const t0 = performance.now();
    emit('planning:started', { sessionId, issueTitle: input.issueTitle ?? session.issueTitle ?? `Issue #${n}` });
    emit('planning:phase_update', { sessionId, phase: 'fetching', progress: 0 });
    emit('planning:progress', { sessionId, message: `Reading issue #${n} from GitHub` });
    this.deps.recordFor(sessionId, 'planning_started', { issueNumber: n });
    const failed = (err: unknown) => {
      const { code, message } = errorOf(err);
      this.deps.recordFor(sessionId, 'planning_failed', { error: `${code}: ${message}` });
      return { code, message };
    };
    let issue: { number: number; title: string; body: string; labels: string[]; url: string | null };
    try {
      issue = await new GhClient(() => this.deps.env()).viewIssue(session.projectDir, n);
    } catch (err) {
      if (input.issueTitle === undefined) {
        emit('planning:error', { sessionId, ...failed(err), retryable: true });
        return;
      }
      this.deps.logger.warn('gh issue view failed; planning from the picked issue', { issue: n, ...errorOf(err) });
      issue = {
        number: n,
        title: input.issueTitle,
        body: input.issueBody ?? '',
        labels: input.issueLabels ?? [],
        url: input.issueUrl ?? null,
      };
    }
    const current = sessions.fillIssueFields(sessionId, {
      number: issue.number,
      title: issue.title,
      ...(issue.url ? { url: issue.url } : {}),
    });
    emit('coaching:issue_context', {
      number: issue.number,
      title: issue.title,
      summary: issue.body.slice(0, 500),
      labels: issue.labels,
      ...(issue.url ? { url: issue.url } : {}),
    });
    if (current.branchName === null) {
      const branch = await createIssueBranch(this.branchDeps(sessionId, session.projectDir), issue);
      if (branch !== null) sessions.setGit(sessionId, { branchName: branch });
    }
    try {
      const plan = await this.deps.pipeline.run({
        session: current,
        source: 'ui',
        planText: null,
        issue: { number: issue.number, title: issue.title, body: issue.body, labels: issue.labels },
        issueUrl: issue.url,
      });
      this.deps.recordFor(sessionId, 'planning_completed', {
        planId: plan.id,
        durationMs: Math.round(performance.now() - t0),
      });
    } catch (err) {
      // The pipeline already sent `planning:error`; nothing was stored.
      failed(err);
    }
  }

  /** A new active session with a copy of an earlier session's plan, on its branch with its stash re-applied. */
  private async resumeFrom(fromSessionId: number, planId: number): Promise<Session> {
    const { sessions, plans } = this.deps;
    const from = sessions.get(fromSessionId);
    if (!from) throw new PaigeError('NOT_FOUND', `No session ${fromSessionId}.`);
    const started = sessions.start({
      projectDir: from.projectDir,
      hintLevel: from.hintLevel,
      issueNumber: from.issueNumber,
      issueTitle: from.issueTitle,
      issueUrl: from.issueUrl,
      resumedFromSessionId: from.id,
    });
    plans.copyPlan(planId, started.id);
    sessions.setGit(started.id, { branchName: from.branchName, stashName: from.stashName });
    if (from.branchName !== null) {
      try {
        const popped = await checkoutIssueBranch(
          this.branchDeps(started.id, from.projectDir),
          from.branchName,
          from.stashName,
        );
        if (popped) sessions.setGit(started.id, { stashName: null });
      } catch (err) {
        const { code, message } = errorOf(err);
        this.deps.emit('app:error', { code, message });
      }
    }
    this.deps.recordFor(started.id, 'session_started', { issueNumber: from.issueNumber, source: 'resume' });
    this.deps.recordFor(started.id, 'session_resumed', { fromSessionId: from.id });
    const session = sessions.get(started.id) ?? started;
    this.deps.emit('session:started', {
      session,
      issueContext: issueContextOf(session),
      plan: this.deps.fullPlan(session.id),
      hintLevel: session.hintLevel,
    });
    return session;
  }
}
