import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { INPUT_CHUNK_CHARS, INPUT_CHUNK_INTERVAL_MS, InputWriter, chunkInput } from './input-writer';

describe('chunkInput', () => {
  it('starts a new chunk at every ESC and caps chunk size', () => {
    expect(chunkInput('ab\x1b[Acd\x1b[200~x', 100)).toEqual(['ab', '\x1b[Acd', '\x1b[200~x']);
    const big = 'x'.repeat(10);
    expect(chunkInput(big, 4)).toEqual(['xxxx', 'xxxx', 'xx']);
  });

  it('never splits a surrogate pair', () => {
    const chunks = chunkInput('abc😀😀', 4);
    expect(chunks.join('')).toBe('abc😀😀');
    for (const c of chunks) expect(c).not.toMatch(/^[\uDC00-\uDFFF]/);
  });
});

describe('InputWriter', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes keystrokes at once and a large paste in order, chunk by chunk', () => {
    const writes: string[] = [];
    const w = new InputWriter((d) => writes.push(d));
    w.send('\x03');
    expect(writes).toEqual(['\x03']);
    const paste = 'p'.repeat(INPUT_CHUNK_CHARS * 3) + '\x1b[201~';
    w.send(paste);
    expect(writes).toHaveLength(2);
    vi.advanceTimersByTime(INPUT_CHUNK_INTERVAL_MS * 10);
    expect(writes.slice(1).join('')).toBe(paste);
    expect(writes.at(-1)).toBe('\x1b[201~');
    for (const c of writes) expect(c.length).toBeLessThanOrEqual(INPUT_CHUNK_CHARS);
  });
});
