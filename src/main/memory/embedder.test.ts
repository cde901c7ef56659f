// hash-384: deterministic, unit length, 384 dimensions, and lexical: texts sharing words and word pieces are closer
// than unrelated ones.
import { describe, expect, it } from 'vitest';
import { hashEmbedder } from './embedder';

const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('hash-384', () => {
  const e = hashEmbedder();

  it('is deterministic, 384-dimensional and L2-normalised', async () => {
    const texts = ['Fixed the debounce in SearchBar', 'Ünïcödé wörds, café and naïve', 'x', '  '];
    const [a, b] = [await e.embed(texts), await hashEmbedder(384).embed(texts)];
    expect(e.id).toBe('hash-384');
    expect(e.dimensions).toBe(384);
    expect(a).toEqual(b);
    for (const v of a) {
      expect(v).toHaveLength(384);
      expect(Math.sqrt(dot(v, v))).toBeCloseTo(1, 10);
    }
  });

  it('ignores case and ranks shared words and word pieces above unrelated text', async () => {
    const [q, same, near, far] = await e.embed([
      'debounce the search input',
      'DEBOUNCE THE SEARCH INPUT',
      'debounced search inputs in the SearchBar',
      'configured the postgres connection pool',
    ]);
    expect(dot(q!, same!)).toBeCloseTo(1, 10);
    expect(dot(q!, near!)).toBeGreaterThan(dot(q!, far!) + 0.2);
  });

  it('word order matters through word pairs, and other dimensions give another embedder id', async () => {
    const [ab, ba] = await e.embed(['state machine parser', 'parser machine state']);
    expect(dot(ab!, ba!)).toBeLessThan(0.999);
    expect(dot(ab!, ba!)).toBeGreaterThan(0.5);
    const small = hashEmbedder(128);
    expect(small.id).toBe('hash-128');
    expect((await small.embed(['a']))[0]).toHaveLength(128);
  });
});
