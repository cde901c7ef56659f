// One observer per active coaching session: counts the learner's actions into triggers, keeps the flow window and
// the idle rule, and runs each trigger through the suppression order to triage and delivery (docs/observer.md).
import { randomUUID } from 'node:crypto';
import type { NudgeContext, NudgeSignal, ObserverStatus, ObserverTrigger } from '../../shared/domain/observer';
import type { Settings } from '../../shared/settings/schema';
import type { ActivityEvent } from '../activity/activity-bus';
import type { TriageOutput } from '../llm/agents/triage';
import type { Logger } from '../logging/logger';

type ObserverSettings = Settings['observer'];

/** What the observer logs; every suppression is a `nudge_suppressed` row with its reason. */
type ObserverAction = 'observer_triage' | 'nudge_sent' | 'nudge_suppressed' | 'observer_muted';

type SuppressReason = 'llm_disabled' | 'cooldown' | 'flow_state' | 'contradictory' | 'low_confidence' | 'terminal_busy';

/** Recent actions remembered for the triage snapshot. */
const RECENT_ACTIONS = 20;
/** Signals of recent nudges remembered for the triage snapshot. */
const RECENT_NUDGES = 3;

/** User-initiated events counted in the flow window. */
const FLOW_EVENTS: ReadonlySet<string> = new Set(['buffer_update', 'file_open', 'file_save', 'editor_tab_switch']);
/** Any of these means the learner is at the keyboard (idle ends); terminal input is read separately. */
const USER_EVENTS: ReadonlySet<string> = new Set([
  'buffer_update',
  'file_open',
  'file_save',
  'file_close',
  'file_create',
  'file_delete',
  'editor_tab_switch',
  'editor_selection',
  'user_explain_request',
  'user_idle_end',
  'hints_level_change',
]);
/** The observer's own rows never count as activity or appear in the snapshot. */
const OWN_EVENTS: ReadonlySet<string> = new Set([
  'observer_triage',
  'nudge_sent',
  'nudge_suppressed',
  'observer_muted',
]);

/** What the observer keeps in memory for the triage snapshot. */
export interface ObserverMemory {
  trigger: ObserverTrigger;
  now: number;
  userIdle: boolean;
  activeFile: { path: string; since: number } | null;
  recentActions: readonly { type: string; path: string | null; at: number }[];
  lastSaveAt: number | null;
  lastNudgeAt: number | null;
  recentNudges: readonly NudgeSignal[];
}

export interface NudgeToDeliver {
  nudgeId: string;
  signal: NudgeSignal;
  confidence: number;
  context: NudgeContext;
}

export type DeliveryResult =
  { delivered: true; via: 'pty' | 'channel' | 'ui' } | { delivered: false; reason: 'terminal_busy' | 'superseded' };

export interface SessionObserverDeps {
  sessionId: number;
  settings: () => ObserverSettings;
  now: () => number;
  logger: Logger;
  /** False when the model layer has no usable key (suppression 3). */
  llmReady: () => boolean;
  /** Builds the snapshot from `memory` and the services, and runs the Triage agent. */
  triage: (memory: ObserverMemory, signal: AbortSignal) => Promise<TriageOutput>;
  /** The phase fields the nudge context adds to the model's suggested context. */
  phase: () => { number: number; description: string } | null;
  deliver: (nudge: NudgeToDeliver) => Promise<DeliveryResult>;
  record: (type: ObserverAction, data: Record<string, unknown>) => void;
  /** Epoch ms of the last terminal input, or 0: typing in Claude Code counts as activity for the idle rule. */
  terminalInputAt: () => number;
  onStatus: () => void;
}

function pathOf(data: unknown): string | null {
  if (data === null || typeof data !== 'object') return null;
  const d = data as { path?: unknown; toPath?: unknown };
  if (typeof d.path === 'string') return d.path;
  if (typeof d.toPath === 'string') return d.toPath;
  return null;
}

export class SessionObserver {
  readonly sessionId: number;
  private muted = false;
  private busy = false;
  private disposed = false;
  private llmDisabledLogged = false;
  private lastNudgeAt: number | null = null;
  private lastSaveAt: number | null = null;
  private lastActivityAt: number;
  private idleFired = false;
  private bufferCount = 0;
  private explainCount = 0;
  /** Flow window: timestamps in a ring buffer read from `head`; stale entries are dropped as the window slides. */
  private flowTimes: number[] = [];
  private flowHead = 0;
  private inFlow = false;
  private activeFile: { path: string; since: number } | null = null;
  private readonly recentActions: { type: string; path: string | null; at: number }[] = [];
  private readonly recentNudges: NudgeSignal[] = [];
  private lastEvaluation: ObserverStatus['lastEvaluation'] = null;
  private readonly abort = new AbortController();
  private readonly idleTimer: ReturnType<typeof setInterval>;
  /** Settles when the current evaluation (triage and delivery) is done; for tests and shutdown. */
  private current: Promise<void> = Promise.resolve();

  constructor(private readonly deps: SessionObserverDeps) {
    this.sessionId = deps.sessionId;
    this.lastActivityAt = deps.now();
    this.idleTimer = setInterval(() => this.checkIdle(), deps.settings().idleCheckMs);
    this.idleTimer.unref?.();
  }

  status(): ObserverStatus {
    return { active: !this.disposed, muted: this.muted, flow: this.inFlow, lastEvaluation: this.lastEvaluation };
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    this.deps.record('observer_muted', { muted });
    this.deps.onStatus();
  }

  /** The evaluation in flight, if any, has settled. */
  settled(): Promise<void> {
    return this.current;
  }

  /** One bus event: counters, flow window and idle bookkeeping, then at most one trigger. Synchronous and cheap. */
  handle(e: ActivityEvent): void {
    if (this.disposed || e.sessionId !== this.sessionId) return;
    const type = e.actionType;
    if (OWN_EVENTS.has(type)) return;
    const now = this.deps.now();
    const path = pathOf(e.data);
    if (type !== 'buffer_update') {
      if (this.recentActions.length === RECENT_ACTIONS) this.recentActions.shift();
      this.recentActions.push({ type, path, at: now });
    }
    if (USER_EVENTS.has(type)) {
      this.lastActivityAt = now;
      this.idleFired = false;
    }
    if (FLOW_EVENTS.has(type)) this.countFlow(now);
    if (path !== null && (type === 'file_open' || type === 'editor_tab_switch' || type === 'buffer_update')) {
      if (this.activeFile?.path !== path) this.activeFile = { path, since: now };
    }
    const s = this.deps.settings();
    switch (type) {
      case 'file_open':
        return this.trigger('file_open');
      case 'file_save':
        this.lastSaveAt = now;
        return;
      case 'buffer_update':
        if (++this.bufferCount >= s.bufferTrigger) {
          this.bufferCount = 0;
          this.trigger('buffer_edits');
        }
        return;
      case 'user_explain_request':
        // Counted per session: a phase change does not reset it.
        if (++this.explainCount >= s.explainTrigger) {
          this.explainCount = 0;
          this.trigger('explain_requests');
        }
        return;
      case 'phase_completed':
        this.bufferCount = 0;
        return this.trigger('phase_transition');
      case 'phase_started':
        return this.trigger('phase_transition');
      default:
        return;
    }
  }

  /** The session ended: timers stop, an evaluation in flight is abandoned and its result discarded. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearInterval(this.idleTimer);
    this.abort.abort();
  }

  private countFlow(now: number): void {
    this.flowTimes.push(now);
    this.updateFlow(now);
  }

  /** Drops timestamps older than the window; flow is "more than the threshold in the window". */
  private updateFlow(now: number): boolean {
    const s = this.deps.settings();
    const from = now - s.flowWindowMs;
    while (this.flowHead < this.flowTimes.length && this.flowTimes[this.flowHead]! <= from) this.flowHead++;
    // Compact now and then so the array does not grow for the life of the session.
    if (this.flowHead > 1_024 && this.flowHead * 2 > this.flowTimes.length) {
      this.flowTimes = this.flowTimes.slice(this.flowHead);
      this.flowHead = 0;
    }
    const flow = this.flowTimes.length - this.flowHead > s.flowThreshold;
    if (flow !== this.inFlow) {
      this.inFlow = flow;
      this.deps.onStatus();
    }
    return flow;
  }

  private checkIdle(): void {
    if (this.disposed) return;
    const now = this.deps.now();
    this.lastActivityAt = Math.max(this.lastActivityAt, this.deps.terminalInputAt());
    // The window slides with time too, so a flow state ends after the burst even with no new events.
    this.updateFlow(now);
    if (this.idleFired || now - this.lastActivityAt <= this.deps.settings().idleMs) return;
    this.idleFired = true;
    this.trigger('idle');
  }

  private trigger(trigger: ObserverTrigger): void {
    // 1. muted, 2. an evaluation in progress: skipped silently.
    if (this.muted || this.busy) return;
    this.busy = true;
    const evaluation = this.evaluate(trigger)
      .catch((err: unknown) => this.deps.logger.error('observer evaluation failed', { err, trigger }))
      .finally(() => {
        this.busy = false;
      });
    this.current = Promise.all([this.current, evaluation]).then(() => undefined);
  }

  private suppress(
    trigger: ObserverTrigger,
    reason: SuppressReason,
    extra: { signal?: NudgeSignal; confidence?: number } = {},
  ): void {
    this.deps.record('nudge_suppressed', { reason, ...extra });
    this.evaluated(trigger, 'suppressed', reason);
  }

  private evaluated(
    trigger: ObserverTrigger,
    outcome: 'nudged' | 'suppressed' | 'quiet' | 'failed',
    reason: string | null,
  ) {
    this.lastEvaluation = { at: new Date(this.deps.now()).toISOString(), trigger, outcome, reason };
    this.deps.onStatus();
  }

  private inCooldown(): boolean {
    return this.lastNudgeAt !== null && this.deps.now() - this.lastNudgeAt < this.deps.settings().cooldownMs;
  }

  private async evaluate(trigger: ObserverTrigger): Promise<void> {
    const s = this.deps.settings();
    // 3. no usable model: logged once per session.
    if (!this.deps.llmReady()) {
      if (!this.llmDisabledLogged) {
        this.llmDisabledLogged = true;
        this.suppress(trigger, 'llm_disabled');
      }
      return;
    }
    // 4. cooldown, 5. flow state.
    if (this.inCooldown()) return this.suppress(trigger, 'cooldown');
    if (this.updateFlow(this.deps.now())) return this.suppress(trigger, 'flow_state');
    // 6. triage.
    let out: TriageOutput;
    try {
      out = await this.deps.triage(this.memory(trigger), this.abort.signal);
    } catch (err) {
      if (this.disposed) return;
      this.deps.logger.warn('triage failed; the observer keeps watching', { err, trigger });
      this.evaluated(trigger, 'failed', err instanceof Error ? err.message : String(err));
      return;
    }
    // The session ended while triage was in flight: the result belongs to nobody.
    if (this.disposed) return;
    this.deps.record('observer_triage', {
      trigger,
      shouldNudge: out.should_nudge,
      confidence: out.confidence,
      signal: out.signal,
      reasoning: out.reasoning,
    });
    // 7. nothing to say.
    if (!out.should_nudge) return this.evaluated(trigger, 'quiet', out.signal);
    const seen = { signal: out.signal, confidence: out.confidence };
    // 8. a nudge without a signal contradicts itself.
    if (out.signal === 'no_nudge') {
      this.deps.logger.warn('triage said to nudge with signal no_nudge', { trigger, confidence: out.confidence });
      return this.suppress(trigger, 'contradictory', seen);
    }
    // 9. not sure enough, 10. cooldown again: another nudge may have gone out while triage ran.
    if (out.confidence < s.confidence) return this.suppress(trigger, 'low_confidence', seen);
    if (this.inCooldown()) return this.suppress(trigger, 'cooldown', seen);
    // 11. deliver.
    const phase = this.deps.phase();
    const nudge: NudgeToDeliver = {
      nudgeId: randomUUID(),
      signal: out.signal,
      confidence: out.confidence,
      context: {
        current_file: out.suggested_context.current_file,
        expected_file: out.suggested_context.expected_file,
        time_in_file: out.suggested_context.time_in_file,
        phase: phase?.number ?? null,
        phase_description: out.suggested_context.phase_description ?? phase?.description ?? null,
      },
    };
    // Delivery can wait up to a minute for a quiet terminal; the observer is free to evaluate meanwhile, which is why
    // step 10 re-checks the cooldown: a held nudge may land while a later triage runs.
    const delivery = this.deliver(trigger, nudge);
    this.current = Promise.all([this.current, delivery]).then(() => undefined);
  }

  private async deliver(trigger: ObserverTrigger, nudge: NudgeToDeliver): Promise<void> {
    const seen = { signal: nudge.signal, confidence: nudge.confidence };
    let result: DeliveryResult;
    try {
      result = await this.deps.deliver(nudge);
    } catch (err) {
      this.deps.logger.error('nudge delivery failed', { err, nudgeId: nudge.nudgeId });
      return;
    }
    if (this.disposed) return;
    if (!result.delivered) {
      // A newer nudge took its place in the terminal: that one is logged when it lands.
      if (result.reason === 'superseded') return;
      return this.suppress(trigger, result.reason, seen);
    }
    this.lastNudgeAt = this.deps.now();
    if (this.recentNudges.length === RECENT_NUDGES) this.recentNudges.shift();
    this.recentNudges.push(nudge.signal);
    this.deps.record('nudge_sent', { nudgeId: nudge.nudgeId, ...seen, delivery: result.via });
    this.evaluated(trigger, 'nudged', nudge.signal);
  }

  private memory(trigger: ObserverTrigger): ObserverMemory {
    const now = this.deps.now();
    return {
      trigger,
      now,
      userIdle: now - Math.max(this.lastActivityAt, this.deps.terminalInputAt()) > this.deps.settings().idleMs,
      activeFile: this.activeFile,
      recentActions: [...this.recentActions],
      lastSaveAt: this.lastSaveAt,
      lastNudgeAt: this.lastNudgeAt,
      recentNudges: [...this.recentNudges],
    };
  }
}
