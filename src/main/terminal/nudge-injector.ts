// Types an observer nudge into Claude Code's prompt only when the terminal is quiet, so it never interleaves with
// the user's typing or the model's output (docs/terminal.md, nudge injection).

/** No terminal input for this long before a nudge may be typed. @visibleForTesting */
export const QUIET_INPUT_MS = 3_000;
/** No pty output for this long before a nudge may be typed. @visibleForTesting */
export const QUIET_OUTPUT_MS = 1_500;
/** A nudge waiting for a quiet window is dropped after this (`nudge_suppressed: terminal_busy`). @visibleForTesting */
export const NUDGE_HOLD_MS = 60_000;
/** The whole injected line, marker included. @visibleForTesting */
export const NUDGE_MAX_CHARS = 2_000;

const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';

export type NudgeOutcome =
  | { delivered: true; bracketedPaste: boolean }
  | { delivered: false; reason: 'terminal_busy' | 'superseded' | 'no_terminal' };

/** @visibleForTesting */
export interface NudgeTarget {
  /** Epoch ms of the last terminal input (any client), or 0. */
  lastInputAt(): number;
  /** Epoch ms of the last pty output, or 0. */
  lastOutputAt(): number;
  /** The program turned on bracketed paste (`ESC[?2004h`). */
  bracketedPaste(): boolean;
  /** False once the pty has exited. */
  alive(): boolean;
  write(data: string): void;
}

interface ObserverNudgePayload {
  signal: string;
  confidence: number;
  context: {
    current_file: string | null;
    expected_file: string | null;
    time_in_file: number | null;
    phase: number | null;
    phase_description: string | null;
  };
}

/** The one-line `[PAIGE_OBSERVER] {json}` text; an over-long phase description is shortened to fit. */
export function formatObserverNudge(payload: ObserverNudgePayload): string {
  const line = (p: ObserverNudgePayload): string => `[PAIGE_OBSERVER] ${JSON.stringify(p)}`;
  let text = line(payload);
  const desc = payload.context.phase_description;
  if (text.length > NUDGE_MAX_CHARS && desc !== null) {
    const keep = Math.max(0, desc.length - (text.length - NUDGE_MAX_CHARS) - 1);
    text = line({ ...payload, context: { ...payload.context, phase_description: desc.slice(0, keep) + '…' } });
  }
  if (text.length > NUDGE_MAX_CHARS) throw new Error(`nudge text is ${text.length} chars (max ${NUDGE_MAX_CHARS})`);
  return text;
}

interface Pending {
  text: string;
  deadline: number;
  resolve: (o: NudgeOutcome) => void;
}

interface NudgeInjectorOptions {
  now?: () => number;
  quietInputMs?: number;
  quietOutputMs?: number;
  holdMs?: number;
}

export class NudgeInjector {
  private pending: Pending | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly now: () => number;
  private readonly quietInputMs: number;
  private readonly quietOutputMs: number;
  private readonly holdMs: number;

  constructor(
    private readonly target: NudgeTarget,
    opts: NudgeInjectorOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.quietInputMs = opts.quietInputMs ?? QUIET_INPUT_MS;
    this.quietOutputMs = opts.quietOutputMs ?? QUIET_OUTPUT_MS;
    this.holdMs = opts.holdMs ?? NUDGE_HOLD_MS;
  }

  /** Delivers now if quiet, else holds it; a newer nudge replaces a held one (the older resolves `superseded`). */
  inject(text: string): Promise<NudgeOutcome> {
    if (/[\r\n]/.test(text)) throw new Error('a nudge must be one line');
    if (text.length > NUDGE_MAX_CHARS) throw new Error(`nudge text is over ${NUDGE_MAX_CHARS} chars`);
    if (!this.target.alive()) return Promise.resolve({ delivered: false, reason: 'no_terminal' });
    this.settle({ delivered: false, reason: 'superseded' });
    return new Promise((resolve) => {
      this.pending = { text, deadline: this.now() + this.holdMs, resolve };
      this.evaluate();
    });
  }

  /** The pty went away: a held nudge cannot be delivered. */
  cancel(): void {
    this.settle({ delivered: false, reason: 'no_terminal' });
  }

  dispose(): void {
    this.cancel();
  }

  private evaluate(): void {
    this.clearTimer();
    const p = this.pending;
    if (!p) return;
    if (!this.target.alive()) return this.settle({ delivered: false, reason: 'no_terminal' });
    const now = this.now();
    const quietAt = Math.max(
      this.target.lastInputAt() + this.quietInputMs,
      this.target.lastOutputAt() + this.quietOutputMs,
    );
    if (now >= quietAt) {
      const bracketed = this.target.bracketedPaste();
      this.target.write(bracketed ? `${PASTE_START}${p.text}${PASTE_END}` : p.text);
      this.target.write('\r');
      return this.settle({ delivered: true, bracketedPaste: bracketed });
    }
    if (now >= p.deadline) return this.settle({ delivered: false, reason: 'terminal_busy' });
    // Activity moves quietAt later, so this re-checks rather than trusting the first estimate.
    this.timer = setTimeout(() => this.evaluate(), Math.min(quietAt, p.deadline) - now);
    this.timer.unref?.();
  }

  private settle(outcome: NudgeOutcome): void {
    this.clearTimer();
    const p = this.pending;
    this.pending = null;
    p?.resolve(outcome);
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
