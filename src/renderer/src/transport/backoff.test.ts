import { describe, expect, it } from 'vitest';
import { RECONNECT_MAX_MS, reconnectDelayMs } from './backoff';

describe('reconnectDelayMs', () => {
  it('follows 1, 2, 4, 8, 16, 30, 30 s', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7].map(reconnectDelayMs);
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it('stays capped forever and tolerates odd input', () => {
    expect(reconnectDelayMs(1_000_000)).toBe(RECONNECT_MAX_MS);
    expect(reconnectDelayMs(0)).toBe(1_000);
    expect(reconnectDelayMs(-3)).toBe(1_000);
  });
});
