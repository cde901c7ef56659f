// Where a nudge goes (docs/observer.md, delivery): typed into Claude Code's prompt when the terminal runs it, else a
// sidebar message. `observer:nudge` goes out for every delivered nudge so the sidebar can show its marker.
import type { NudgeContext, NudgeSignal, ObserverNudgeEvent } from '../../shared/domain/observer';
import { formatObserverNudge, type NudgeOutcome } from '../terminal/nudge-injector';
import type { DeliveryResult, NudgeToDeliver } from './session-observer';

interface NudgeTerminal {
  /** Claude Code is running in the pty (not the shell fallback, not exited). */
  runsClaude(): boolean;
  inject(text: string): Promise<NudgeOutcome>;
}

interface DeliveryDeps {
  terminal: () => NudgeTerminal | null;
  /** `observer.nudgeDelivery`. */
  mode: () => 'pty' | 'channel' | 'auto';
  /** Told once that the channel path is not available, when the setting asks for it. */
  onChannelUnavailable: () => void;
  emitNudge: (e: ObserverNudgeEvent) => void;
  emitMessage: (m: { messageId: string; message: string }) => void;
}

/** The sidebar text when the nudge cannot go through Claude Code: one fixed line per signal. @visibleForTesting */
export function uiMessage(signal: NudgeSignal, c: NudgeContext): string {
  const phase = c.phase !== null ? `phase ${c.phase}` : 'the current phase';
  switch (signal) {
    case 'wrong_file':
      return `The current phase points at ${c.expected_file ?? 'other files'} — worth a look?`;
    case 'scope_drift':
      return `This looks like it is drifting beyond ${phase}${c.phase_description ? ` (${c.phase_description})` : ''}. Worth refocusing?`;
    case 'idle':
      return 'It has been quiet for a while. Stuck on the next step? Ask Claude Code for a hint.';
    case 'phase_complete':
      return `${phase[0]!.toUpperCase()}${phase.slice(1)} may be done. Ask Claude Code to check it and move on?`;
    case 'edit_loop':
      return `You have reworked the same lines in ${c.current_file ?? 'this file'} a few times. Want to talk it through?`;
    case 'stuck_on_implementation':
      return `${c.current_file ?? 'This file'} has had your attention for a while. Want a nudge in the right direction?`;
    case 'excessive_hints':
      return 'Try the next step on your own first; you may know more than you think.';
    case 'repeated_errors':
      return 'The same error keeps coming back. Worth reading it closely, line by line?';
    case 'no_nudge':
      return 'Paige checked in.';
  }
}

export function createNudgeDelivery(deps: DeliveryDeps): (n: NudgeToDeliver) => Promise<DeliveryResult> {
  let toldChannel = false;
  return async (nudge) => {
    // The MCP channel path needs a Claude Code build with channels; Paige does not offer it yet, so `channel` and
    // `auto` take the pty path (what `auto` falls back to anyway).
    if (deps.mode() !== 'pty' && !toldChannel) {
      toldChannel = true;
      deps.onChannelUnavailable();
    }
    const terminal = deps.terminal();
    let via: 'pty' | 'ui' = 'ui';
    if (terminal?.runsClaude()) {
      const outcome = await terminal.inject(
        formatObserverNudge({ signal: nudge.signal, confidence: nudge.confidence, context: nudge.context }),
      );
      if (outcome.delivered) via = 'pty';
      else if (outcome.reason !== 'no_terminal') return { delivered: false, reason: outcome.reason };
      // The pty went away while the nudge waited: the sidebar still gets it.
    }
    if (via === 'ui') deps.emitMessage({ messageId: nudge.nudgeId, message: uiMessage(nudge.signal, nudge.context) });
    deps.emitNudge({ ...nudge, delivery: via });
    return { delivered: true, via };
  };
}
