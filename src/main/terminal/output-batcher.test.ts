import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BATCH_MAX_CHARS, BATCH_WINDOW_MS, OutputBatcher, Utf8StreamDecoder } from './output-batcher';

describe('Utf8StreamDecoder', () => {
  it('keeps a 4-byte emoji and CJK characters whole when reads split them at every byte', () => {
    const text = 'a😀b漢字c€';
    const bytes = Buffer.from(text, 'utf8');
    const d = new Utf8StreamDecoder();
    let out = '';
    for (const b of bytes) out += d.write(Uint8Array.of(b));
    out += d.end();
    expect(out).toBe(text);
    expect(out).not.toContain('\uFFFD');
  });

  it('emits nothing for an incomplete sequence until the rest arrives', () => {
    const d = new Utf8StreamDecoder();
    const emoji = Buffer.from('😀', 'utf8');
    expect(d.write(emoji.subarray(0, 2))).toBe('');
    expect(d.write(emoji.subarray(2))).toBe('😀');
  });
});

describe('OutputBatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('coalesces everything within the window into one batch', () => {
    const out: string[] = [];
    const b = new OutputBatcher({ onFlush: (d) => out.push(d) });
    b.push('a');
    b.push('b');
    vi.advanceTimersByTime(BATCH_WINDOW_MS - 1);
    expect(out).toEqual([]);
    b.push('c');
    vi.advanceTimersByTime(1);
    expect(out).toEqual(['abc']);
  });

  it('flushes at once when a batch reaches the size cap, never splitting a surrogate pair', () => {
    const out: string[] = [];
    const b = new OutputBatcher({ onFlush: (d) => out.push(d), maxChars: 5 });
    b.push('abcd😀xyz');
    expect(out.join('')).toBe('abcd😀xyz');
    expect(out[0]).toBe('abcd');
    for (const batch of out) expect(batch.length).toBeLessThanOrEqual(5);
    expect(BATCH_MAX_CHARS).toBe(200_000);
  });

  it('holds output while paused and releases it afterwards', () => {
    const out: string[] = [];
    const b = new OutputBatcher({ onFlush: (d) => out.push(d) });
    b.hold();
    b.push('held');
    vi.advanceTimersByTime(100);
    expect(out).toEqual([]);
    b.release();
    vi.advanceTimersByTime(BATCH_WINDOW_MS);
    expect(out).toEqual(['held']);
  });
});
