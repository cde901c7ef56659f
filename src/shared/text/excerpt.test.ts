import { describe, expect, it } from 'vitest';
import { excerpt } from './excerpt';

describe('excerpt', () => {
  it('returns a text that fits as is, without surrounding whitespace', () => {
    expect(excerpt('  There is a test file.  ', 30)).toBe('There is a test file.');
    expect(excerpt('abc', 3)).toBe('abc');
  });

  it('cuts at the last word boundary and adds an ellipsis', () => {
    // A plain slice would give "There is a test fi".
    expect(excerpt('There is a test file for the store.', 19)).toBe('There is a test…');
  });

  it('keeps a word that ends exactly at the cut', () => {
    expect(excerpt('There is a test file for the store.', 21)).toBe('There is a test file…');
  });

  it('drops dangling punctuation and spaces before the ellipsis', () => {
    expect(excerpt('First part, second part of it', 13)).toBe('First part…');
    expect(excerpt('Line one\n\nLine two is longer', 12)).toBe('Line one…');
  });

  it('never returns more than max characters', () => {
    const text = 'word '.repeat(100);
    for (const max of [1, 2, 5, 17, 250]) expect(excerpt(text, max).length).toBeLessThanOrEqual(max);
  });

  it('cuts inside a word too long to drop', () => {
    expect(excerpt('a https://example.com/a/very/long/path/that/goes/on', 20)).toBe('a https://example.c…');
  });
});
