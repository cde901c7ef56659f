// The observer's corner of the coaching sidebar: whether Paige is watching (or waiting while the learner is in flow),
// a mute switch, and a quiet "Paige checked in" marker after each nudge. Also reports idle periods to the backend.
import { useEffect, useState } from 'react';
import type { ObserverNudgeEvent, ObserverStatus } from '../../../../shared/domain/observer';
import { usePaige, usePaigeEvent } from '../../state/paige-context';
import { IdleReporter } from './idle-reporter';
import './observer-card.css';

/** Input that counts as the learner being at the keyboard (captured, so the editor and terminal count too). */
const INPUT_EVENTS = ['keydown', 'pointerdown', 'wheel'] as const;

function stateLabel(s: ObserverStatus): string {
  if (s.muted) return 'Muted: Paige will not check in';
  if (s.flow) return 'You are in flow: Paige stays quiet';
  return 'Paige is watching quietly';
}

function useIdleReporting(): void {
  const { client } = usePaige().connection;
  useEffect(() => {
    const reporter = new IdleReporter({
      idleStart: (durationMs) => void client.invoke('user:idle_start', { durationMs }).catch(() => undefined),
      idleEnd: (idleDurationMs) => void client.invoke('user:idle_end', { idleDurationMs }).catch(() => undefined),
    });
    const onInput = (): void => reporter.activity();
    for (const e of INPUT_EVENTS) window.addEventListener(e, onInput, { capture: true, passive: true });
    return () => {
      for (const e of INPUT_EVENTS) window.removeEventListener(e, onInput, { capture: true });
      reporter.dispose();
    };
  }, [client]);
}

export function ObserverCard() {
  const { client } = usePaige().connection;
  const [status, setStatus] = useState<ObserverStatus | null>(null);
  const [nudge, setNudge] = useState<(ObserverNudgeEvent & { at: Date }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  useIdleReporting();

  useEffect(() => {
    let live = true;
    client.invoke('observer:get_status').then(
      (s) => live && setStatus(s),
      () => live && setStatus(null),
    );
    return () => {
      live = false;
    };
  }, [client]);
  usePaigeEvent('observer:status', (s) => setStatus(s));
  usePaigeEvent('observer:nudge', (n) => setNudge({ ...n, at: new Date() }));

  if (!status?.active) return null;
  const toggle = (): void => {
    client.invoke('observer:mute', { muted: !status.muted }).then(
      (s) => {
        setError(null);
        setStatus(s);
      },
      (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
    );
  };
  return (
    <section
      className="observer-card"
      aria-label="Observer"
      data-testid="observer-card"
      data-muted={status.muted}
      data-flow={status.flow}
    >
      <div className="observer-row">
        <span className={`observer-dot${status.muted ? ' off' : ''}`} aria-hidden="true" />
        <span className="observer-state" data-testid="observer-state">
          {stateLabel(status)}
        </span>
        <button type="button" className="observer-mute" data-testid="observer-mute" onClick={toggle}>
          {status.muted ? 'Unmute' : 'Mute'}
        </button>
      </div>
      {nudge ? (
        <p className="observer-checked-in" data-testid="observer-checked-in" data-signal={nudge.signal}>
          Paige checked in at {nudge.at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
          {nudge.delivery === 'pty' ? ' (in the terminal)' : ''}
        </p>
      ) : null}
      {error ? (
        <p className="observer-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
