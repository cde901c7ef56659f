// Ending a session (docs/sessions.md): step 1 moves it to `wrapping_up` and announces it; the wrap-up then runs in the
// background: Knowledge Gap and Dreyfus in parallel, then Reflection, each storing its results in its own
// transaction and recording its own failure. Without a model every agent is recorded as not run. A retry reruns only
// the failed agents; shutdown interrupts the agents still running.
import { noKeyAdvice } from '../llm/no-key-advice';
import type { EndReason, Session, SessionStatus, WrapUpAgent } from '../../shared/domain/session';
import { WrapUpAgentSchema } from '../../shared/domain/session';
import type { WrapUpAgentState } from '../../shared/domain/wrap-up';
import { PaigeError } from '../../shared/ipc/errors';
import type { ActionType } from '../activity/action-types';
import type { EventHub } from '../ipc/event-hub';
import type { LlmClient } from '../llm/client';
import { dreyfusAgent } from '../llm/agents/dreyfus';
import { runAgent } from '../llm/agents/kit';
import { knowledgeGapAgent } from '../llm/agents/knowledge-gap';
import { reflectionAgent } from '../llm/agents/reflection';
import type { Logger } from '../logging/logger';
import type { SessionService } from './session-service';
import { readTranscript } from './transcript';
import type { WrapUpInputs, WrapUpStore } from './wrap-up-store';

const AGENT_NOT_RUN_MESSAGE = 'not run: no model is available to run the wrap-up agents';
const INTERRUPTED_MESSAGE = 'interrupted: Paige stopped before this agent finished';

interface WrapUpCounts {
  memoriesAdded: number;
  gapsIdentified: number;
  katasGenerated: number;
  assessmentsUpdated: number;
}

interface WrapUpOutcome {
  sessionId: number;
  status: Extract<SessionStatus, 'completed' | 'completed_with_errors'>;
  counts: WrapUpCounts;
  errors: { agent: WrapUpAgent; message: string }[];
}

interface RetryOutcome extends WrapUpOutcome {
  ran: WrapUpAgent[];
  unresolved: WrapUpAgent[];
}

interface WrapUpDeps {
  sessions: SessionService;
  store: WrapUpStore;
  events: EventHub;
  logger: Logger;
  /** Logs an action for a session that may no longer be the active one. */
  recordFor(sessionId: number, type: ActionType, data: unknown): void;
  /** Writes buffered actions, so the inputs read the whole log. */
  flushActions?: () => void;
  /** Runs while the session is still active, before it ends: the workspace logs its final buffer summaries here. */
  beforeEnd?: (sessionId: number) => void;
  /** Indexes the memories just stored (the memory module, when present); never throws. */
  indexMemories?: () => Promise<void>;
  /** The model client when one is usable (a key is set), else null: the no-model path. */
  model(): LlmClient | null;
  /** Whether Settings can store a key here (desktop keychain); shapes the no-key advice. */
  keyStorable?: () => boolean;
  /** `$CLAUDE_CONFIG_DIR` or `~/.claude`: transcripts are read only from inside it. */
  claudeConfigDir: string;
}

const zeroCounts = (): WrapUpCounts => ({
  memoriesAdded: 0,
  gapsIdentified: 0,
  katasGenerated: 0,
  assessmentsUpdated: 0,
});

export class WrapUpRunner {
  private readonly pending = new Map<number, Promise<WrapUpOutcome>>();
  private readonly controllers = new Set<AbortController>();
  /** Agent states of the wrap-ups and retries in flight, for `session:wrap_up_summary` while they run. */
  private readonly live = new Map<number, Map<WrapUpAgent, { state: WrapUpAgentState; message: string | null }>>();
  private interrupted = false;

  constructor(private readonly deps: WrapUpDeps) {}

  /** Step 1: `active → wrapping_up`, `session_ended`, `session:ended`; the rest runs after this returns. */
  begin(
    sessionId: number,
    reason: EndReason,
    opts: { transcriptPath?: string | undefined } = {},
  ): { session: Session; done: Promise<WrapUpOutcome> } {
    try {
      this.deps.beforeEnd?.(sessionId);
    } catch (err) {
      // Losing the final summaries must not keep the session from ending.
      this.deps.logger.warn('final buffer summaries failed', { sessionId, error: String(err) });
    }
    const session = this.deps.sessions.end(sessionId, 'wrapping_up', reason);
    this.deps.recordFor(sessionId, 'session_ended', {
      status: session.status,
      durationMs: session.totalDurationMs,
      reason,
      ...(opts.transcriptPath !== undefined ? { transcriptPath: opts.transcriptPath } : {}),
    });
    this.deps.events.emit('session:ended', { sessionId, status: session.status, reason });
    this.track(sessionId, WrapUpAgentSchema.options);
    const done = Promise.resolve()
      .then(() => this.wrapUp(session, opts.transcriptPath ?? null))
      .finally(() => this.untrack(sessionId));
    this.pending.set(sessionId, done);
    return { session, done };
  }

  /**
   * Reruns the named agent, or every agent with an unresolved error, with the session's inputs; success resolves the
   * agent's rows, and the session becomes `completed` once none is left.
   */
  async retry(sessionId: number, agent?: WrapUpAgent): Promise<RetryOutcome> {
    const session = this.deps.sessions.get(sessionId);
    if (!session) throw new PaigeError('NOT_FOUND', `No session ${sessionId}.`);
    if (session.status === 'active') {
      throw new PaigeError(
        'INVALID_STATE',
        `Session ${sessionId} is still active; end it before retrying its wrap-up.`,
      );
    }
    if (session.status === 'wrapping_up' || this.pending.has(sessionId)) {
      throw new PaigeError('BUSY', `The wrap-up of session ${sessionId} is still running.`);
    }
    if (this.interrupted) throw new PaigeError('SHUTTING_DOWN', 'Paige is shutting down.');
    const client = this.deps.model();
    if (!client) {
      throw new PaigeError('LLM_DISABLED', noKeyAdvice(this.deps.keyStorable?.() ?? false, 'run the wrap-up agents'));
    }
    const agents = agent ? [agent] : [...new Set(this.deps.sessions.wrapUpErrors(sessionId).map((e) => e.agent))];
    const run = async (): Promise<RetryOutcome> => {
      const counts =
        agents.length === 0
          ? zeroCounts()
          : await this.runAgents(session, client, agents, this.deps.store.transcriptPath(sessionId), true);
      const errors = this.deps.sessions.wrapUpErrors(sessionId);
      this.deps.store.settle(sessionId, errors.length);
      const status = errors.length === 0 ? 'completed' : 'completed_with_errors';
      if (agents.length > 0) {
        this.deps.events.emit('session:completed', { sessionId, status, ...counts, errors });
      }
      this.deps.logger.info('wrap-up retried', { sessionId, ran: agents, status, unresolved: errors.length });
      return {
        sessionId,
        status,
        counts,
        errors,
        ran: agents,
        unresolved: [...new Set(errors.map((e) => e.agent))],
      };
    };
    this.track(sessionId, agents);
    const done = run().finally(() => this.untrack(sessionId));
    this.pending.set(sessionId, done);
    return done;
  }

  /** The agents of a wrap-up or retry still in flight and where each stands; undefined when none runs. */
  liveAgents(
    sessionId: number,
  ): ReadonlyMap<WrapUpAgent, { state: WrapUpAgentState; message: string | null }> | undefined {
    return this.live.get(sessionId);
  }

  private track(sessionId: number, agents: readonly WrapUpAgent[]): void {
    this.live.set(sessionId, new Map(agents.map((a) => [a, { state: 'pending' as const, message: null }])));
  }

  private untrack(sessionId: number): void {
    this.pending.delete(sessionId);
    this.live.delete(sessionId);
  }

  /** Records where an agent stands and tells every window (`session:wrap_up_progress`). */
  private progress(sessionId: number, agent: WrapUpAgent, state: WrapUpAgentState, message: string | null): void {
    this.live.get(sessionId)?.set(agent, { state, message });
    this.deps.events.emit('session:wrap_up_progress', { sessionId, agent, state, message });
  }

  /** Waits for every wrap-up in flight (shutdown runs this before the database closes). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.pending.values()]);
  }

  /** Shutdown: agents still running are cancelled and recorded as interrupted; nothing new starts. */
  interrupt(): void {
    this.interrupted = true;
    for (const c of this.controllers) c.abort();
  }

  private async wrapUp(session: Session, transcriptPath: string | null): Promise<WrapUpOutcome> {
    const client = this.deps.model();
    let counts = zeroCounts();
    if (!client) {
      for (const agent of WrapUpAgentSchema.options) this.fail(session.id, agent, AGENT_NOT_RUN_MESSAGE);
    } else {
      counts = await this.runAgents(session, client, WrapUpAgentSchema.options, transcriptPath, false);
    }
    const finished = this.deps.sessions.finishWrapUp(session.id);
    const status = finished.status === 'completed' ? 'completed' : 'completed_with_errors';
    const errors = this.deps.sessions.wrapUpErrors(session.id);
    this.deps.events.emit('session:completed', { sessionId: session.id, status, ...counts, errors });
    this.deps.logger.info('wrap-up finished', { sessionId: session.id, status, unresolved: errors.length, ...counts });
    return { sessionId: session.id, status, counts, errors };
  }

  private fail(sessionId: number, agent: WrapUpAgent, message: string): void {
    this.deps.store.recordError(sessionId, agent, message);
    this.deps.recordFor(sessionId, 'wrap_up_error', { agent, error: message });
    this.progress(sessionId, agent, 'failed', message);
  }

  /** Knowledge Gap ∥ Dreyfus, then Reflection (it reads the new gaps); each agent stores or fails on its own. */
  private async runAgents(
    session: Session,
    client: LlmClient,
    agents: readonly WrapUpAgent[],
    transcriptPath: string | null,
    rerun: boolean,
  ): Promise<WrapUpCounts> {
    const counts = zeroCounts();
    const ctl = new AbortController();
    this.controllers.add(ctl);
    if (this.interrupted) ctl.abort();
    const call = { sessionId: session.id, signal: ctl.signal };
    const attempt = async <T>(agent: WrapUpAgent, fn: () => Promise<T>): Promise<T | undefined> => {
      if (ctl.signal.aborted) {
        this.fail(session.id, agent, INTERRUPTED_MESSAGE);
        return undefined;
      }
      try {
        this.progress(session.id, agent, 'running', null);
        const out = await fn();
        this.deps.store.resolveErrors(session.id, agent);
        this.progress(session.id, agent, 'done', null);
        return out;
      } catch (err) {
        const message = ctl.signal.aborted
          ? INTERRUPTED_MESSAGE
          : err instanceof PaigeError
            ? `${err.code}: ${err.message}`
            : String(err);
        this.deps.logger.warn('wrap-up agent failed', { sessionId: session.id, agent, error: message });
        this.fail(session.id, agent, message);
        return undefined;
      }
    };
    try {
      let inputs: WrapUpInputs;
      try {
        this.deps.flushActions?.();
        inputs = this.deps.store.gather(session);
      } catch (err) {
        // Without inputs no agent can run; each is recorded so the session still finishes and a retry can run it.
        for (const agent of agents) this.fail(session.id, agent, `inputs could not be read: ${String(err)}`);
        return counts;
      }
      const want = new Set(agents);
      const [gaps] = await Promise.all([
        want.has('knowledge_gap')
          ? attempt('knowledge_gap', async () => {
              const r = await runAgent(client, knowledgeGapAgent, inputs.knowledgeGap, call);
              const stored = this.deps.store.storeGaps(session.id, r.value);
              counts.gapsIdentified += stored.gapsIdentified;
              counts.katasGenerated += stored.katasGenerated;
              this.deps.logger.info('wrap-up knowledge gaps', {
                sessionId: session.id,
                gaps: stored.gapsIdentified,
                katas: stored.katasGenerated,
                summary: r.value.session_summary,
              });
              return stored.gaps;
            })
          : Promise.resolve(undefined),
        want.has('dreyfus')
          ? attempt('dreyfus', async () => {
              const r = await runAgent(client, dreyfusAgent, inputs.dreyfus, call);
              const changes = this.deps.store.storeAssessments(session.id, r.value);
              counts.assessmentsUpdated += changes.length;
              this.deps.logger.info('wrap-up assessments', { sessionId: session.id, changes });
            })
          : Promise.resolve(undefined),
      ]);
      if (want.has('reflection')) {
        await attempt('reflection', async () => {
          const transcript = await readTranscript(transcriptPath, this.deps.claudeConfigDir);
          if (transcript.text === null && transcriptPath !== null) {
            this.deps.logger.info('wrap-up transcript not read', { sessionId: session.id, reason: transcript.reason });
          }
          const r = await runAgent(
            client,
            reflectionAgent,
            {
              issue_title: session.issueTitle,
              transcript: transcript.text,
              completed_phases: inputs.completedPhases,
              new_gaps: gaps ?? this.deps.store.sessionGaps(session),
            },
            call,
          );
          counts.memoriesAdded += this.deps.store.storeMemories(session, r.value, rerun);
          // Stored is what counts; the vector index follows (or catches up later when it is down).
          await this.deps.indexMemories?.();
        });
      }
    } finally {
      this.controllers.delete(ctl);
    }
    return counts;
  }
}
