// Embeddings for the memory index, computed in-process so the vector store never embeds (and never downloads a
// model). The default is a deterministic feature-hashing embedder: lexical similarity only, no synonyms, which suits
// short, topic-heavy memories (docs/memory.md).

export interface Embedder {
  /** Stable id stored with each indexed memory and used in the collection name (`hash-384`). */
  readonly id: string;
  readonly dimensions: number;
  embed(texts: readonly string[]): Promise<number[][]>;
}

const WORD = /[\p{L}\p{N}_]+/gu;
/** Character trigrams are many per word; they count half as much as a word or a word pair. */
const TRIGRAM_WEIGHT = 0.5;

/** 32-bit FNV-1a over UTF-16 code units, then a murmur3-style finaliser so nearby strings spread over the bits. */
function hash32(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Features of a text with their weights: words, word pairs and the character trigrams of each word. */
function features(text: string): Map<string, number> {
  const words = text.normalize('NFKC').toLowerCase().match(WORD) ?? [];
  const counts = new Map<string, number>();
  const add = (f: string, w: number): void => {
    counts.set(f, (counts.get(f) ?? 0) + w);
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    add(`w:${w}`, 1);
    if (i + 1 < words.length) add(`b:${w} ${words[i + 1]!}`, 1);
    const padded = `#${w}#`;
    const chars = Array.from(padded);
    for (let j = 0; j + 3 <= chars.length; j++) add(`c:${chars[j]}${chars[j + 1]}${chars[j + 2]}`, TRIGRAM_WEIGHT);
  }
  return counts;
}

/**
 * Signed feature hashing: each feature lands in one of `dimensions` slots with a sign from an independent hash (so
 * collisions cancel on average), weighted by sublinear term frequency (1 + ln tf), then L2-normalised. A text with no
 * word gets a fixed unit vector so cosine distance stays defined.
 */
function hashEmbedding(text: string, dimensions: number): number[] {
  const v = new Array<number>(dimensions).fill(0);
  for (const [f, raw] of features(text)) {
    // Trigram weights are fractional counts: scale back to a count before the sublinear step.
    const tf = f.startsWith('c:') ? raw / TRIGRAM_WEIGHT : raw;
    const weight = (1 + Math.log(tf)) * (f.startsWith('c:') ? TRIGRAM_WEIGHT : 1);
    const slot = hash32(f, 0) % dimensions;
    const sign = hash32(f, 0x9e3779b9) & 1 ? 1 : -1;
    v[slot]! += sign * weight;
  }
  let norm = 0;
  for (const x of v) norm += x * x;
  if (norm === 0) {
    v[0] = 1;
    return v;
  }
  const inv = 1 / Math.sqrt(norm);
  for (let i = 0; i < v.length; i++) v[i]! *= inv;
  return v;
}

/** The default embedder: `hash-<dimensions>`, offline and deterministic. */
export function hashEmbedder(dimensions = 384): Embedder {
  return {
    id: `hash-${dimensions}`,
    dimensions,
    embed: (texts) => Promise.resolve(texts.map((t) => hashEmbedding(t, dimensions))),
  };
}
