import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debounce } from './debounce';

describe('debounce (300 ms trailing, 5 s max wait)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fires once, 300 ms after the last call, with the last arguments', () => {
    const calls: number[] = [];
    const d = debounce((n: number) => calls.push(n), 300, 5_000);
    d(1);
    vi.advanceTimersByTime(200);
    d(2);
    vi.advanceTimersByTime(299);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual([2]);
    vi.advanceTimersByTime(10_000);
    expect(calls).toEqual([2]);
  });

  it('fires at least every 5 s during continuous typing', () => {
    const calls: number[] = [];
    const d = debounce((n: number) => calls.push(n), 300, 5_000);
    for (let t = 0; t < 12_000; t += 100) {
      d(t);
      vi.advanceTimersByTime(100);
    }
    expect(calls).toEqual([4_900, 9_900]);
  });

  it('flush runs the pending call now; cancel drops it', () => {
    const calls: number[] = [];
    const d = debounce((n: number) => calls.push(n), 300, 5_000);
    d(1);
    expect(d.pending).toBe(true);
    d.flush();
    expect(calls).toEqual([1]);
    d(2);
    d.cancel();
    vi.advanceTimersByTime(6_000);
    expect(calls).toEqual([1]);
    expect(d.pending).toBe(false);
  });
});
