import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BufferLogger, SUMMARY_INTERVAL_MS } from './buffer-logger';

type Logged = { type: string; data: Record<string, unknown> };

describe('BufferLogger (docs/activity.md)', () => {
  let logged: Logged[];
  let bl: BufferLogger;

  beforeEach(() => {
    vi.useFakeTimers();
    logged = [];
    bl = new BufferLogger((type, data) => logged.push({ type, data }));
  });
  afterEach(() => {
    bl.dispose();
    vi.useRealTimers();
  });

  it('small edits are summarised once per 30 s window, with the edit count and char delta', () => {
    bl.opened('a.ts', 1_000);
    for (let i = 1; i <= 5; i++) bl.update('a.ts', 1_000 + i * 10);
    expect(logged).toEqual([]);
    vi.advanceTimersByTime(SUMMARY_INTERVAL_MS - 1);
    expect(logged).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(logged).toEqual([
      { type: 'buffer_summary', data: { path: 'a.ts', editCount: 5, charDelta: 50, charCount: 1_050 } },
    ]);
    // No new edits → nothing in the next window.
    vi.advanceTimersByTime(SUMMARY_INTERVAL_MS * 3);
    expect(logged).toHaveLength(1);
  });

  it('a change of more than 500 chars or more than 50 % is logged immediately', () => {
    bl.opened('big.ts', 10_000);
    bl.update('big.ts', 10_400);
    expect(logged).toEqual([]);
    bl.update('big.ts', 10_501);
    expect(logged).toEqual([
      {
        type: 'buffer_significant_change',
        data: { path: 'big.ts', previousCharCount: 10_000, newCharCount: 10_501, delta: 501 },
      },
    ]);
    bl.opened('small.ts', 100);
    bl.update('small.ts', 150);
    expect(logged).toHaveLength(1);
    bl.update('small.ts', 40);
    expect(logged[1]).toEqual({
      type: 'buffer_significant_change',
      data: { path: 'small.ts', previousCharCount: 100, newCharCount: 40, delta: -60 },
    });
  });

  it('an empty baseline gaining content is significant; the threshold is strict', () => {
    bl.opened('new.ts', 0);
    bl.update('new.ts', 1);
    expect(logged.map((l) => l.type)).toEqual(['buffer_significant_change']);
    bl.opened('edge.ts', 1_000);
    bl.update('edge.ts', 1_500);
    expect(logged).toHaveLength(1);
  });

  it('a file logged as significant is not summarised for the same edits, but is for edits after it', () => {
    bl.opened('a.ts', 100);
    bl.update('a.ts', 110);
    bl.update('a.ts', 900);
    vi.advanceTimersByTime(SUMMARY_INTERVAL_MS);
    expect(logged.map((l) => l.type)).toEqual(['buffer_significant_change']);
    bl.update('a.ts', 120);
    expect(logged.map((l) => l.type)).toEqual(['buffer_significant_change', 'buffer_significant_change']);
    bl.update('a.ts', 125);
    vi.advanceTimersByTime(SUMMARY_INTERVAL_MS);
    expect(logged.at(-1)).toEqual({
      type: 'buffer_summary',
      data: { path: 'a.ts', editCount: 1, charDelta: 5, charCount: 125 },
    });
  });

  it('a saved (clean) file is not summarised; a closed file is forgotten', () => {
    bl.opened('a.ts', 100);
    bl.update('a.ts', 101);
    bl.saved('a.ts');
    bl.opened('b.ts', 100);
    bl.update('b.ts', 102);
    bl.closed('b.ts');
    vi.advanceTimersByTime(SUMMARY_INTERVAL_MS);
    expect(logged).toEqual([]);
  });

  it('finish writes the final summaries and stops the timer', () => {
    bl.opened('a.ts', 100);
    bl.update('a.ts', 101);
    bl.finish();
    expect(logged.map((l) => l.type)).toEqual(['buffer_summary']);
    expect(vi.getTimerCount()).toBe(0);
  });
});
