import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IDLE_AFTER_MS, IdleReporter } from './idle-reporter';

describe('IdleReporter', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reports idle after 5 s without input, once, and its end with the idle duration on the next input', () => {
    const calls: string[] = [];
    const r = new IdleReporter({
      idleStart: (d) => calls.push(`start:${d}`),
      idleEnd: (d) => calls.push(`end:${d}`),
    });
    vi.advanceTimersByTime(IDLE_AFTER_MS - 1);
    r.activity(); // input just before the limit restarts the wait
    vi.advanceTimersByTime(IDLE_AFTER_MS - 1);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(['start:5000']);
    vi.advanceTimersByTime(60_000);
    expect(calls).toEqual(['start:5000']);
    r.activity();
    r.activity();
    expect(calls).toEqual(['start:5000', 'end:65000']);
    r.dispose();
  });
});
