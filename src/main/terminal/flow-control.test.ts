import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FlowController, HIGH_WATER_CHARS, LOW_WATER_CHARS, STALE_AFTER_MS } from './flow-control';

function setup() {
  const log: string[] = [];
  const fc = new FlowController({ onPause: () => log.push('pause'), onResume: () => log.push('resume') });
  return { fc, log };
}

describe('FlowController', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('pauses above 100 000 unacknowledged and resumes only when every subscriber is below 5 000', () => {
    const { fc, log } = setup();
    fc.add('window');
    fc.add('bridge');
    fc.sent(HIGH_WATER_CHARS);
    expect(log).toEqual([]);
    fc.sent(1);
    expect(log).toEqual(['pause']);
    expect(fc.isPaused).toBe(true);
    fc.ack('window', HIGH_WATER_CHARS + 1);
    expect(log).toEqual(['pause']);
    fc.ack('bridge', HIGH_WATER_CHARS + 1 - LOW_WATER_CHARS);
    expect(log).toEqual(['pause']);
    fc.ack('bridge', 1);
    expect(log).toEqual(['pause', 'resume']);
    expect(fc.unackedOf('bridge')).toBe(LOW_WATER_CHARS - 1);
  });

  it('a subscriber that goes away no longer holds the pty back', () => {
    const { fc, log } = setup();
    fc.add('window');
    fc.add('gone');
    fc.sent(HIGH_WATER_CHARS + 1);
    fc.ack('window', HIGH_WATER_CHARS + 1);
    expect(log).toEqual(['pause']);
    fc.remove('gone');
    expect(log).toEqual(['pause', 'resume']);
  });

  it('a subscriber silent for 10 s is marked stale and stops counting until it re-attaches', () => {
    const { fc, log } = setup();
    fc.add('silent');
    fc.sent(HIGH_WATER_CHARS + 1);
    expect(log).toEqual(['pause']);
    vi.advanceTimersByTime(STALE_AFTER_MS - 1);
    expect(fc.isStale('silent')).toBe(false);
    vi.advanceTimersByTime(1);
    expect(fc.isStale('silent')).toBe(true);
    expect(log).toEqual(['pause', 'resume']);
    fc.sent(HIGH_WATER_CHARS * 2);
    expect(fc.isPaused).toBe(false);
    // Re-attach: counts again, from zero.
    fc.add('silent');
    expect(fc.unackedOf('silent')).toBe(0);
    fc.sent(HIGH_WATER_CHARS + 1);
    expect(fc.isPaused).toBe(true);
  });

  it('acks keep a slow subscriber from going stale', () => {
    const { fc } = setup();
    fc.add('slow');
    fc.sent(HIGH_WATER_CHARS + 1);
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(STALE_AFTER_MS - 1_000);
      fc.ack('slow', 1_000);
    }
    expect(fc.isStale('slow')).toBe(false);
    expect(fc.isPaused).toBe(true);
  });
});
