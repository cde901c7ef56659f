import { describe, expect, it } from 'vitest';
import { formatBytes, formatMs, formatTimestamp, formatUptime } from './format';

describe('format', () => {
  it('formats uptime', () => {
    expect(formatUptime(5.7)).toBe('5s');
    expect(formatUptime(65)).toBe('1m 05s');
    expect(formatUptime(3_725)).toBe('1h 02m 05s');
    expect(formatUptime(90_061)).toBe('1d 1h 01m');
    expect(formatUptime(-1)).toBe('—');
  });

  it('formats bytes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1_536)).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
  });

  it('falls back to the raw timestamp', () => {
    expect(formatTimestamp('not a date')).toBe('not a date');
  });

  it('formats durations', () => {
    expect(formatMs(250)).toBe('250 ms');
    expect(formatMs(16_000)).toBe('16 s');
  });
});
