// The per-session observer on a fake clock: each trigger, each suppression reason in order with its logged row, the
// cooldown re-check after a slow triage, the flow window, the idle rule, and what survives a failed or orphaned triage.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/settings/schema';
import type { ActivityEvent } from '../activity/activity-bus';
import type { TriageOutput } from '../llm/agents/triage';
import { Logger } from '../logging/logger';
import { SessionObserver, type DeliveryResult, type ObserverMemory } from './session-observer';

const SESSION = 1;

function ev(actionType: ActivityEvent['actionType'], data: unknown = {}, sessionId = SESSION): ActivityEvent {
  return { actionType, data, sessionId, correlationId: null, createdAt: new Date().toISOString() };
}

function verdict(o: Partial<TriageOutput> = {}): TriageOutput {
  return {
    should_nudge: true,
    confidence: 0.9,
    signal: 'wrong_file',
    reasoning: 'Three files outside the phase in a row.',
    suggested_context: {
      current_file: 'src/utils/format.ts',
      expected_file: 'src/api/routes.ts',
      time_in_file: 240,
      phase_description: null,
    },
    ...o,
  };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function make(
  opts: {
    triage?: (m: ObserverMemory, signal: AbortSignal) => Promise<TriageOutput>;
    deliver?: () => Promise<DeliveryResult>;
  } = {},
) {
  const settings = { ...DEFAULT_SETTINGS.observer };
  const rows: { type: string; data: Record<string, unknown> }[] = [];
  const logs: Record<string, unknown>[] = [];
  const state = { llmReady: true, terminalInputAt: 0, statusEmits: 0 };
  const triage = vi.fn(opts.triage ?? (() => Promise.resolve(verdict())));
  const deliver = vi.fn(opts.deliver ?? (() => Promise.resolve<DeliveryResult>({ delivered: true, via: 'pty' })));
  const obs = new SessionObserver({
    sessionId: SESSION,
    settings: () => settings,
    now: () => Date.now(),
    logger: new Logger([{ write: (l) => void logs.push(JSON.parse(l) as Record<string, unknown>) }], 'debug'),
    llmReady: () => state.llmReady,
    triage,
    phase: () => ({ number: 2, description: 'Add the /health route to src/api/routes.ts.' }),
    deliver,
    record: (type, data) => void rows.push({ type, data }),
    terminalInputAt: () => state.terminalInputAt,
    onStatus: () => void state.statusEmits++,
  });
  const kinds = () => rows.map((r) => (r.type === 'nudge_suppressed' ? `suppressed:${String(r.data.reason)}` : r.type));
  return { obs, settings, rows, logs, state, triage, deliver, kinds };
}

let current: SessionObserver | undefined;
beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-03-02T10:00:00Z'));
});
afterEach(() => {
  current?.dispose();
  current = undefined;
  vi.useRealTimers();
});

function track<T extends { obs: SessionObserver }>(t: T): T {
  current = t.obs;
  return t;
}

describe('triggers', () => {
  it('every file_open triggers a triage with the snapshot memory', async () => {
    const t = track(make());
    t.obs.handle(ev('file_open', { path: 'src/utils/format.ts', source: 'ui' }));
    await t.obs.settled();
    expect(t.triage).toHaveBeenCalledTimes(1);
    const memory = t.triage.mock.calls[0]![0];
    expect(memory.trigger).toBe('file_open');
    expect(memory.activeFile).toEqual({ path: 'src/utils/format.ts', since: Date.now() });
    expect(memory.recentActions).toEqual([{ type: 'file_open', path: 'src/utils/format.ts', at: Date.now() }]);
    expect(t.kinds()).toEqual(['observer_triage', 'nudge_sent']);
    expect(t.rows[1]!.data).toMatchObject({ signal: 'wrong_file', confidence: 0.9, delivery: 'pty' });
  });

  it('every 5th buffer update within a phase; phase_completed resets the count and triggers', async () => {
    const t = track(make({ triage: () => Promise.resolve(verdict({ should_nudge: false, signal: 'no_nudge' })) }));
    for (let i = 0; i < 4; i++) t.obs.handle(ev('buffer_update', { path: 'a.ts', charCount: i }));
    expect(t.triage).not.toHaveBeenCalled();
    t.obs.handle(ev('buffer_update', { path: 'a.ts', charCount: 5 }));
    await t.obs.settled();
    expect(t.triage.mock.calls.map((c) => c[0].trigger)).toEqual(['buffer_edits']);
    for (let i = 0; i < 3; i++) t.obs.handle(ev('buffer_update', { path: 'a.ts', charCount: i }));
    t.obs.handle(ev('phase_completed', { phaseNumber: 1 }));
    await t.obs.settled();
    await vi.advanceTimersByTimeAsync(61_000); // out of the flow window
    // Three edits before the phase ended no longer count: four more do not reach five.
    for (let i = 0; i < 4; i++) t.obs.handle(ev('buffer_update', { path: 'a.ts', charCount: i }));
    t.obs.handle(ev('phase_started', { phaseNumber: 2 }));
    await t.obs.settled();
    expect(t.triage.mock.calls.map((c) => c[0].trigger)).toEqual([
      'buffer_edits',
      'phase_transition',
      'phase_transition',
    ]);
  });

  it('every 3rd explain request per session, not reset by a phase change', async () => {
    const t = track(make({ triage: () => Promise.resolve(verdict({ should_nudge: false, signal: 'no_nudge' })) }));
    t.obs.handle(ev('user_explain_request', { path: 'a.ts' }));
    t.obs.handle(ev('user_explain_request', { path: 'a.ts' }));
    t.obs.handle(ev('phase_started', { phaseNumber: 2 }));
    await t.obs.settled();
    t.obs.handle(ev('user_explain_request', { path: 'a.ts' }));
    await t.obs.settled();
    expect(t.triage.mock.calls.map((c) => c[0].trigger)).toEqual(['phase_transition', 'explain_requests']);
  });

  it('ignores other sessions and its own rows', async () => {
    const t = track(make());
    t.obs.handle(ev('file_open', { path: 'a.ts' }, 2));
    t.obs.handle(ev('nudge_sent', {}));
    await t.obs.settled();
    expect(t.triage).not.toHaveBeenCalled();
  });
});

describe('idle', () => {
  it('fires once per idle period after 300 s without activity, checked every 30 s', async () => {
    const t = track(make({ triage: () => Promise.resolve(verdict({ should_nudge: false, signal: 'no_nudge' })) }));
    await vi.advanceTimersByTimeAsync(300_000);
    expect(t.triage).not.toHaveBeenCalled(); // exactly 300 s is not more than 300 s
    await vi.advanceTimersByTimeAsync(30_000);
    expect(t.triage).toHaveBeenCalledTimes(1);
    expect(t.triage.mock.calls[0]![0]).toMatchObject({ trigger: 'idle', userIdle: true });
    await vi.advanceTimersByTimeAsync(600_000);
    expect(t.triage).toHaveBeenCalledTimes(1);
    // Activity ends the idle period; the next one fires again.
    t.obs.handle(ev('user_idle_end', { idleDurationMs: 900_000 }));
    await vi.advanceTimersByTimeAsync(330_000);
    expect(t.triage).toHaveBeenCalledTimes(2);
  });

  it('terminal input counts as activity; user_idle_start does not', async () => {
    const t = track(make());
    await vi.advanceTimersByTimeAsync(200_000);
    t.state.terminalInputAt = Date.now();
    t.obs.handle(ev('user_idle_start', { durationMs: 5_000 }));
    await vi.advanceTimersByTimeAsync(290_000);
    expect(t.triage).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(t.triage.mock.calls.map((c) => c[0].trigger)).toEqual(['idle']);
  });
});

describe('suppression order', () => {
  it('1. muted: skipped silently, and unmuting re-allows', async () => {
    const t = track(make());
    t.obs.setMuted(true);
    t.obs.handle(ev('file_open', { path: 'a.ts' }));
    await t.obs.settled();
    expect(t.triage).not.toHaveBeenCalled();
    expect(t.kinds()).toEqual(['observer_muted']);
    expect(t.obs.status()).toMatchObject({ active: true, muted: true });
    t.obs.setMuted(false);
    t.obs.handle(ev('file_open', { path: 'b.ts' }));
    await t.obs.settled();
    expect(t.triage).toHaveBeenCalledTimes(1);
  });

  it('2. evaluation in progress: a second trigger is skipped silently', async () => {
    const slow = deferred<TriageOutput>();
    const t = track(make({ triage: () => slow.promise }));
    t.obs.handle(ev('file_open', { path: 'a.ts' }));
    t.obs.handle(ev('file_open', { path: 'b.ts' }));
    slow.resolve(verdict({ should_nudge: false, signal: 'no_nudge' }));
    await t.obs.settled();
    expect(t.triage).toHaveBeenCalledTimes(1);
    expect(t.kinds()).toEqual(['observer_triage']);
  });

  it('3. LLM off: nudge_suppressed llm_disabled once per session, no triage', async () => {
    const t = track(make());
    t.state.llmReady = false;
    t.obs.handle(ev('file_open', { path: 'a.ts' }));
    await t.obs.settled();
    t.obs.handle(ev('file_open', { path: 'b.ts' }));
    await t.obs.settled();
    expect(t.triage).not.toHaveBeenCalled();
    expect(t.kinds()).toEqual(['suppressed:llm_disabled']);
  });

  it('4. cooldown: within 120 s of the last nudge → nudge_suppressed cooldown; after it triage runs again', async () => {
    const t = track(make());
    t.obs.handle(ev('file_open', { path: 'a.ts' }));
    await t.obs.settled();
    await vi.advanceTimersByTimeAsync(119_000);
    t.obs.handle(ev('file_open', { path: 'b.ts' }));
    await t.obs.settled();
    expect(t.kinds()).toEqual(['observer_triage', 'nudge_sent', 'suppressed:cooldown']);
    await vi.advanceTimersByTimeAsync(1_000);
    t.obs.handle(ev('file_open', { path: 'c.ts' }));
    await t.obs.settled();
    expect(t.triage).toHaveBeenCalledTimes(2);
    expect(t.obs.status().lastEvaluation).toMatchObject({ trigger: 'file_open', outcome: 'nudged' });
  });

  it('5. flow state (> 10 user events in 60 s) → nudge_suppressed flow_state; its end re-allows nudges', async () => {
    const t = track(make());
    for (let i = 0; i < 11; i++) {
      t.obs.handle(ev('editor_tab_switch', { fromPath: 'a.ts', toPath: i % 2 ? 'a.ts' : 'b.ts' }));
      await vi.advanceTimersByTimeAsync(1_000);
    }
    expect(t.obs.status().flow).toBe(true);
    t.obs.handle(ev('file_open', { path: 'c.ts' }));
    await t.obs.settled();
    expect(t.triage).not.toHaveBeenCalled();
    expect(t.kinds()).toEqual(['suppressed:flow_state']);
    // The burst slides out of the window: the idle check notices even with no new events.
    await vi.advanceTimersByTimeAsync(80_000);
    expect(t.obs.status().flow).toBe(false);
    t.obs.handle(ev('file_open', { path: 'd.ts' }));
    await t.obs.settled();
    expect(t.triage).toHaveBeenCalledTimes(1);
  });

  it('exactly 10 events in the window is not flow', async () => {
    const t = track(make());
    for (let i = 0; i < 9; i++) t.obs.handle(ev('file_save', { path: 'a.ts' }));
    t.obs.handle(ev('file_open', { path: 'b.ts' }));
    await t.obs.settled();
    expect(t.triage).toHaveBeenCalledTimes(1);
  });

  it('6–7. triage runs and is logged; should_nudge=false ends quietly', async () => {
    const t = track(make({ triage: () => Promise.resolve(verdict({ should_nudge: false, signal: 'no_nudge' })) }));
    t.obs.handle(ev('file_open', { path: 'a.ts' }));
    await t.obs.settled();
    expect(t.rows).toEqual([
      {
        type: 'observer_triage',
        data: {
          trigger: 'file_open',
          shouldNudge: false,
          confidence: 0.9,
          signal: 'no_nudge',
          reasoning: 'Three files outside the phase in a row.',
        },
      },
    ]);
    expect(t.deliver).not.toHaveBeenCalled();
    expect(t.obs.status().lastEvaluation).toMatchObject({ outcome: 'quiet' });
  });

  it('8. should_nudge with signal no_nudge → nudge_suppressed contradictory and a warn', async () => {
    const t = track(make({ triage: () => Promise.resolve(verdict({ signal: 'no_nudge' })) }));
    t.obs.handle(ev('file_open', { path: 'a.ts' }));
    await t.obs.settled();
    expect(t.kinds()).toEqual(['observer_triage', 'suppressed:contradictory']);
    expect(t.logs.some((l) => l.level === 'warn' && /no_nudge/.test(String(l.msg)))).toBe(true);
    expect(t.deliver).not.toHaveBeenCalled();
  });

  it('9. confidence below 0.7 → nudge_suppressed low_confidence with the signal', async () => {
    const t = track(make({ triage: () => Promise.resolve(verdict({ confidence: 0.69 })) }));
    t.obs.handle(ev('file_open', { path: 'a.ts' }));
    await t.obs.settled();
    expect(t.rows.at(-1)).toEqual({
      type: 'nudge_suppressed',
      data: { reason: 'low_confidence', signal: 'wrong_file', confidence: 0.69 },
    });
    expect(t.deliver).not.toHaveBeenCalled();
  });

  it('10. cooldown re-checked after a slow triage: a held nudge that lands meanwhile wins', async () => {
    const held = deferred<DeliveryResult>();
    const slow = deferred<TriageOutput>();
    let calls = 0;
    const t = track(
      make({
        triage: () => (++calls === 1 ? Promise.resolve(verdict()) : slow.promise),
        deliver: () => held.promise,
      }),
    );
    t.obs.handle(ev('file_open', { path: 'a.ts' }));
    await vi.advanceTimersByTimeAsync(0);
    // The first nudge waits for a quiet terminal; the observer is free, and a second triage starts.
    t.obs.handle(ev('file_open', { path: 'b.ts' }));
    await vi.advanceTimersByTimeAsync(0);
    expect(t.triage).toHaveBeenCalledTimes(2);
    held.resolve({ delivered: true, via: 'pty' });
    await vi.advanceTimersByTimeAsync(5_000);
    slow.resolve(verdict({ signal: 'scope_drift' }));
    await t.obs.settled();
    expect(t.kinds()).toEqual(['observer_triage', 'nudge_sent', 'observer_triage', 'suppressed:cooldown']);
    expect(t.rows.at(-1)!.data).toEqual({ reason: 'cooldown', signal: 'scope_drift', confidence: 0.9 });
    expect(t.deliver).toHaveBeenCalledTimes(1);
  });

  it('11. a nudge the terminal never had a quiet moment for → nudge_suppressed terminal_busy, no cooldown', async () => {
    const t = track(make({ deliver: () => Promise.resolve({ delivered: false, reason: 'terminal_busy' }) }));
    t.obs.handle(ev('file_open', { path: 'a.ts' }));
    await t.obs.settled();
    expect(t.kinds()).toEqual(['observer_triage', 'suppressed:terminal_busy']);
    t.obs.handle(ev('file_open', { path: 'b.ts' }));
    await t.obs.settled();
    expect(t.triage).toHaveBeenCalledTimes(2);
  });
});

describe('failures and the end of a session', () => {
  it('a triage failure is logged and the observer keeps running', async () => {
    let calls = 0;
    const t = track(
      make({
        triage: () =>
          ++calls === 1 ? Promise.reject(new Error('LLM_SERVER: overloaded')) : Promise.resolve(verdict()),
      }),
    );
    t.obs.handle(ev('file_open', { path: 'a.ts' }));
    await t.obs.settled();
    expect(t.obs.status().lastEvaluation).toMatchObject({ outcome: 'failed' });
    expect(t.logs.some((l) => l.level === 'warn' && /triage failed/.test(String(l.msg)))).toBe(true);
    t.obs.handle(ev('file_open', { path: 'b.ts' }));
    await t.obs.settled();
    expect(t.kinds()).toEqual(['observer_triage', 'nudge_sent']);
  });

  it('the session ending during triage aborts the call and discards its result', async () => {
    const slow = deferred<TriageOutput>();
    let aborted = false;
    const t = track(
      make({
        triage: (_m, signal) => {
          signal.addEventListener('abort', () => (aborted = true));
          return slow.promise;
        },
      }),
    );
    t.obs.handle(ev('file_open', { path: 'a.ts' }));
    t.obs.dispose();
    expect(aborted).toBe(true);
    slow.resolve(verdict());
    await t.obs.settled();
    expect(t.rows).toEqual([]);
    expect(t.deliver).not.toHaveBeenCalled();
    expect(t.obs.status().active).toBe(false);
  });
});
