import { describe, expect, it } from 'vitest';
import { editOverlaps, insertedSpan } from './edit-overlap';

// A range on lines 3–5 from column 4 of line 3 to column 10 of line 5 (end exclusive).
const RANGE = { startLine: 3, startColumn: 4, endLine: 5, endColumn: 10 };

describe('editOverlaps', () => {
  it('lines apart never overlap', () => {
    expect(editOverlaps({ startLine: 1, endLine: 2 }, RANGE)).toBe(false);
    expect(editOverlaps({ startLine: 6, endLine: 9 }, RANGE)).toBe(false);
  });

  it('an edit inside or around the range overlaps', () => {
    expect(editOverlaps({ startLine: 4, startColumn: 1, endLine: 4, endColumn: 2 }, RANGE)).toBe(true);
    expect(editOverlaps({ startLine: 1, startColumn: 1, endLine: 9, endColumn: 1 }, RANGE)).toBe(true);
  });

  it('on the first line: ending before the start column misses, reaching it overlaps', () => {
    expect(editOverlaps({ startLine: 3, startColumn: 1, endLine: 3, endColumn: 3 }, RANGE)).toBe(false);
    expect(editOverlaps({ startLine: 3, startColumn: 1, endLine: 3, endColumn: 4 }, RANGE)).toBe(true);
    expect(editOverlaps({ startLine: 2, startColumn: 5, endLine: 3, endColumn: 3 }, RANGE)).toBe(false);
    expect(editOverlaps({ startLine: 2, startColumn: 5, endLine: 3, endColumn: 4 }, RANGE)).toBe(true);
  });

  it('on the last line: starting after the end column misses, at it overlaps', () => {
    expect(editOverlaps({ startLine: 5, startColumn: 11, endLine: 5, endColumn: 12 }, RANGE)).toBe(false);
    expect(editOverlaps({ startLine: 5, startColumn: 10, endLine: 5, endColumn: 10 }, RANGE)).toBe(true);
    expect(editOverlaps({ startLine: 5, startColumn: 11, endLine: 7, endColumn: 1 }, RANGE)).toBe(false);
  });

  it('a one-line range checks both columns', () => {
    const one = { startLine: 2, startColumn: 5, endLine: 2, endColumn: 8 };
    expect(editOverlaps({ startLine: 2, startColumn: 1, endLine: 2, endColumn: 4 }, one)).toBe(false);
    expect(editOverlaps({ startLine: 2, startColumn: 9, endLine: 2, endColumn: 9 }, one)).toBe(false);
    expect(editOverlaps({ startLine: 2, startColumn: 6, endLine: 2, endColumn: 6 }, one)).toBe(true);
  });

  it('without columns (a whole-line highlight or a message anchor) the lines decide', () => {
    const lines = { startLine: 3, endLine: 5 };
    expect(editOverlaps({ startLine: 5, startColumn: 200, endLine: 5, endColumn: 200 }, lines)).toBe(true);
    expect(editOverlaps({ startLine: 1, startColumn: 1, endLine: 3, endColumn: 1 }, lines)).toBe(true);
    expect(editOverlaps({ startLine: 6, startColumn: 1, endLine: 6, endColumn: 1 }, lines)).toBe(false);
  });
});

describe('insertedSpan', () => {
  it('one line of text spans its length; several lines end on the last one', () => {
    expect(insertedSpan({ line: 4, column: 3 }, 'abc')).toEqual({
      startLine: 4,
      startColumn: 3,
      endLine: 4,
      endColumn: 6,
    });
    expect(insertedSpan({ line: 4, column: 3 }, 'ab\ncdef\nx')).toEqual({
      startLine: 4,
      startColumn: 3,
      endLine: 6,
      endColumn: 2,
    });
    expect(insertedSpan({ line: 4, column: 3 }, '')).toEqual({
      startLine: 4,
      startColumn: 3,
      endLine: 4,
      endColumn: 3,
    });
  });
});
