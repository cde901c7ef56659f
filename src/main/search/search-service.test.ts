import { describe, expect, it } from 'vitest';
import { isPaigeError } from '../../shared/ipc/errors';
import { makeSnippet, sanitizeQuery, SNIPPET_TOKENS } from './search-service';

describe('sanitizeQuery', () => {
  it('quotes words, keeps phrases and a trailing prefix star, and strips operators and punctuation', () => {
    expect(sanitizeQuery('save file').match).toBe('"save" "file"');
    expect(sanitizeQuery('"file save" readme').match).toBe('"file save" "readme"');
    expect(sanitizeQuery('comp*').match).toBe('"comp"*');
    expect(sanitizeQuery('src/app.ts').match).toBe('"src" "app" "ts"');
    expect(sanitizeQuery('a OR b NOT c NEAR(d) -e ^f col:g').match).toBe('"a" "b" "c" "d" "e" "f" "col" "g"');
    expect(sanitizeQuery('or and').match).toBe('"or" "and"');
  });

  it('an empty query after sanitizing is VALIDATION_FAILED', () => {
    for (const q of ['', '   ', '***', '"" ()', 'AND OR']) {
      let code: string | null = null;
      try {
        sanitizeQuery(q);
      } catch (err) {
        code = isPaigeError(err) ? err.code : 'other';
      }
      expect({ q, code }).toEqual({ q, code: 'VALIDATION_FAILED' });
    }
  });
});

describe('makeSnippet', () => {
  it('returns a 12-token window around the first hit with character ranges of every hit in it', () => {
    const text = Array.from({ length: 40 }, (_, i) => (i === 20 ? 'Café' : `w${i}`)).join(' ');
    const { snippet, highlights } = makeSnippet(text, sanitizeQuery('cafe').terms);
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet.slice(1, -1).split(' ')).toHaveLength(SNIPPET_TOKENS);
    expect(highlights).toHaveLength(1);
    const [s, e] = highlights[0] ?? [0, 0];
    expect(snippet.slice(s, e)).toBe('Café');
  });

  it('matches prefixes and short texts whole', () => {
    const { snippet, highlights } = makeSnippet('file save src/components/Button.tsx', sanitizeQuery('comp*').terms);
    expect(snippet).toBe('file save src/components/Button.tsx');
    expect(highlights.map(([s, e]) => snippet.slice(s, e))).toEqual(['components']);
  });
});
