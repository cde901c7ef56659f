import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  NUDGE_HOLD_MS,
  NUDGE_MAX_CHARS,
  NudgeInjector,
  QUIET_INPUT_MS,
  QUIET_OUTPUT_MS,
  formatObserverNudge,
  type NudgeTarget,
} from './nudge-injector';

function fakeTerminal() {
  const state = { lastInput: 0, lastOutput: 0, bracketed: false, alive: true, writes: [] as string[] };
  const target: NudgeTarget = {
    lastInputAt: () => state.lastInput,
    lastOutputAt: () => state.lastOutput,
    bracketedPaste: () => state.bracketed,
    alive: () => state.alive,
    write: (d) => state.writes.push(d),
  };
  return { state, target };
}

const TEXT = '[PAIGE_OBSERVER] {"signal":"stuck"}';

describe('NudgeInjector', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('types the line and Enter at once when the terminal has been quiet', async () => {
    const { state, target } = fakeTerminal();
    state.lastInput = Date.now() - QUIET_INPUT_MS;
    state.lastOutput = Date.now() - QUIET_OUTPUT_MS;
    const outcome = await new NudgeInjector(target).inject(TEXT);
    expect(outcome).toEqual({ delivered: true, bracketedPaste: false });
    expect(state.writes).toEqual([TEXT, '\r']);
  });

  it('wraps the line in bracketed-paste markers when the program enabled them', async () => {
    const { state, target } = fakeTerminal();
    state.bracketed = true;
    await new NudgeInjector(target).inject(TEXT);
    expect(state.writes).toEqual([`\x1b[200~${TEXT}\x1b[201~`, '\r']);
  });

  it('holds while the user types or output flows, then delivers in the first quiet window', async () => {
    const { state, target } = fakeTerminal();
    state.lastInput = Date.now();
    const p = new NudgeInjector(target).inject(TEXT);
    vi.advanceTimersByTime(QUIET_INPUT_MS - 1_000);
    state.lastOutput = Date.now(); // output keeps the window closed for another 1.5 s
    vi.advanceTimersByTime(1_000);
    expect(state.writes).toEqual([]);
    vi.advanceTimersByTime(QUIET_OUTPUT_MS);
    expect(await p).toEqual({ delivered: true, bracketedPaste: false });
    expect(state.writes).toEqual([TEXT, '\r']);
  });

  it('drops the nudge as terminal_busy when no quiet window comes within 60 s', async () => {
    const { state, target } = fakeTerminal();
    const busy = setInterval(() => (state.lastOutput = Date.now()), 500);
    state.lastOutput = Date.now();
    const p = new NudgeInjector(target).inject(TEXT);
    vi.advanceTimersByTime(NUDGE_HOLD_MS);
    expect(await p).toEqual({ delivered: false, reason: 'terminal_busy' });
    clearInterval(busy);
    expect(state.writes).toEqual([]);
  });

  it('a newer nudge replaces a held one; an exited pty cannot take one', async () => {
    const { state, target } = fakeTerminal();
    state.lastInput = Date.now();
    const inj = new NudgeInjector(target);
    const first = inj.inject(TEXT);
    const second = inj.inject(TEXT + '2');
    expect(await first).toEqual({ delivered: false, reason: 'superseded' });
    state.alive = false;
    vi.advanceTimersByTime(QUIET_INPUT_MS);
    expect(await second).toEqual({ delivered: false, reason: 'no_terminal' });
    expect(await inj.inject(TEXT)).toEqual({ delivered: false, reason: 'no_terminal' });
  });

  it('refuses multi-line text', () => {
    const { target } = fakeTerminal();
    expect(() => new NudgeInjector(target).inject('a\nb')).toThrow(/one line/);
  });
});

describe('formatObserverNudge', () => {
  it('is one minified line with the marker, shortened to 2 000 chars', () => {
    const text = formatObserverNudge({
      signal: 'wrong_file',
      confidence: 0.8,
      context: {
        current_file: 'a.ts',
        expected_file: 'b.ts',
        time_in_file: 120,
        phase: 2,
        phase_description: 'x'.repeat(5_000),
      },
    });
    expect(text.startsWith('[PAIGE_OBSERVER] {"signal":"wrong_file"')).toBe(true);
    expect(text.length).toBeLessThanOrEqual(NUDGE_MAX_CHARS);
    expect(text).not.toMatch(/\n/);
    const parsed = JSON.parse(text.slice('[PAIGE_OBSERVER] '.length)) as { context: { phase_description: string } };
    expect(parsed.context.phase_description.endsWith('…')).toBe(true);
  });
});
