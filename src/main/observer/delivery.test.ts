// Where a nudge goes: the terminal when Claude Code runs there, the sidebar otherwise, and nothing (but a logged
// suppression) when the terminal never went quiet.
import { describe, expect, it } from 'vitest';
import type { ObserverNudgeEvent } from '../../shared/domain/observer';
import type { NudgeOutcome } from '../terminal/nudge-injector';
import { createNudgeDelivery, uiMessage } from './delivery';
import type { NudgeToDeliver } from './session-observer';

const NUDGE: NudgeToDeliver = {
  nudgeId: 'n-1',
  signal: 'wrong_file',
  confidence: 0.8,
  context: {
    current_file: 'src/db/pool.ts',
    expected_file: 'src/api/routes.ts',
    time_in_file: 90,
    phase: 2,
    phase_description: 'Add GET /health',
  },
};

function setup(terminal: { runsClaude: boolean; outcome: NudgeOutcome } | null) {
  const typed: string[] = [];
  const nudges: ObserverNudgeEvent[] = [];
  const messages: { messageId: string; message: string }[] = [];
  const deliver = createNudgeDelivery({
    terminal: () =>
      terminal && {
        runsClaude: () => terminal.runsClaude,
        inject: (text) => {
          typed.push(text);
          return Promise.resolve(terminal.outcome);
        },
      },
    mode: () => 'pty',
    onChannelUnavailable: () => undefined,
    emitNudge: (e) => void nudges.push(e),
    emitMessage: (m) => void messages.push(m),
  });
  return { deliver, typed, nudges, messages };
}

describe('nudge delivery', () => {
  it('pty: the one-line marker goes to Claude Code; the sidebar gets only the quiet marker event', async () => {
    const s = setup({ runsClaude: true, outcome: { delivered: true, bracketedPaste: true } });
    expect(await s.deliver(NUDGE)).toEqual({ delivered: true, via: 'pty' });
    expect(s.typed).toEqual([
      '[PAIGE_OBSERVER] {"signal":"wrong_file","confidence":0.8,"context":{"current_file":"src/db/pool.ts","expected_file":"src/api/routes.ts","time_in_file":90,"phase":2,"phase_description":"Add GET /health"}}',
    ]);
    expect(s.nudges).toEqual([{ ...NUDGE, delivery: 'pty' }]);
    expect(s.messages).toEqual([]);
  });

  it('a terminal that never went quiet: not delivered, no marker', async () => {
    const s = setup({ runsClaude: true, outcome: { delivered: false, reason: 'terminal_busy' } });
    expect(await s.deliver(NUDGE)).toEqual({ delivered: false, reason: 'terminal_busy' });
    expect(s.nudges).toEqual([]);
  });

  it('shell fallback, no pty, or a pty that exited while the nudge waited: a sidebar message', async () => {
    for (const terminal of [
      { runsClaude: false, outcome: { delivered: true, bracketedPaste: false } as NudgeOutcome },
      null,
      { runsClaude: true, outcome: { delivered: false, reason: 'no_terminal' } as NudgeOutcome },
    ]) {
      const s = setup(terminal);
      expect(await s.deliver(NUDGE)).toEqual({ delivered: true, via: 'ui' });
      expect(s.messages).toEqual([
        { messageId: 'n-1', message: 'The current phase points at src/api/routes.ts — worth a look?' },
      ]);
      expect(s.nudges).toEqual([{ ...NUDGE, delivery: 'ui' }]);
    }
  });

  it('every signal has its own sidebar line', () => {
    const signals = [
      'wrong_file',
      'scope_drift',
      'idle',
      'phase_complete',
      'edit_loop',
      'stuck_on_implementation',
      'excessive_hints',
      'repeated_errors',
    ] as const;
    const lines = signals.map((s) => uiMessage(s, NUDGE.context));
    expect(new Set(lines).size).toBe(signals.length);
    expect(uiMessage('phase_complete', NUDGE.context)).toBe(
      'Phase 2 may be done. Ask Claude Code to check it and move on?',
    );
  });
});
