import { describe, expect, it } from 'vitest';
import type * as monaco from 'monaco-editor/editor/editor.api';
import { DecorationsApi } from './decorations';

/** A model that keeps each decoration where it was drawn (the editor would move them with edits). */
function fakeModel() {
  const ranges = new Map<string, monaco.IRange>();
  let next = 0;
  const model = {
    isDisposed: () => false,
    deltaDecorations(old: string[], decs: monaco.editor.IModelDeltaDecoration[]): string[] {
      for (const id of old) ranges.delete(id);
      return decs.map((d) => {
        const id = `d${next++}`;
        ranges.set(id, d.range);
        return id;
      });
    },
    getDecorationRange: (id: string) => ranges.get(id) ?? null,
  };
  return { model: model as unknown as monaco.editor.ITextModel, drawn: () => ranges.size };
}

const line = (startLine: number, endLine: number, key?: string) => ({
  type: 'line-highlight' as const,
  range: { startLine, endLine },
  style: 'warning' as const,
  message: 'why',
  ...(key ? { key } : {}),
});

describe('DecorationsApi', () => {
  it('the hint level governs coaching and plan decorations, never review comments', () => {
    const { model } = fakeModel();
    const api = new DecorationsApi(
      () => null,
      () => model,
    );
    api.set('a.ts', 'plan', [line(3, 4, 'plan-hint-1')]);
    api.set('a.ts', 'review', [{ type: 'squiggly', range: { startLine: 9, endLine: 9 }, style: 'error' }]);
    api.setView({ lineHighlights: false, allDecorations: false, hoverText: false });
    expect(api.visible('a.ts').map((v) => v.decoration.type)).toEqual(['squiggly']);
    api.setView({ lineHighlights: true, allDecorations: false, hoverText: false });
    expect(api.visible('a.ts').map((v) => [v.decoration.type, v.hover])).toEqual([
      ['line-highlight', false],
      ['squiggly', true],
    ]);
  });

  it('an edit dismisses the coaching decorations it touches; a dismissed plan hint does not come back', () => {
    const { model, drawn } = fakeModel();
    const api = new DecorationsApi(
      () => null,
      () => model,
    );
    api.set('a.ts', 'plan', [line(21, 22, 'plan-hint-7'), line(30, 30, 'plan-hint-8')]);
    api.add('a.ts', 'coaching', [line(5, 5)]);
    api.set('a.ts', 'review', [line(22, 22)]);
    expect(drawn()).toBe(4);
    // Typing at the end of line 22 touches the plan hint on 21–22 (and the review comment, which stays).
    expect(api.dismissOverlapping('a.ts', [{ startLine: 22, startColumn: 40, endLine: 22, endColumn: 41 }])).toBe(1);
    expect(api.visible('a.ts').map((v) => v.decoration.range.startLine)).toEqual([30, 5, 22]);
    // The plan layer is redrawn (a level change): the dismissed hint stays away.
    api.set('a.ts', 'plan', [line(21, 22, 'plan-hint-7'), line(30, 30, 'plan-hint-8')]);
    expect(api.visible('a.ts').map((v) => v.decoration.range.startLine)).toEqual([30, 5, 22]);
    // An edit on line 6 misses line 5; one on line 5 removes Claude Code's highlight.
    expect(api.dismissOverlapping('a.ts', [{ startLine: 6, startColumn: 1, endLine: 6, endColumn: 2 }])).toBe(0);
    expect(api.dismissOverlapping('a.ts', [{ startLine: 4, startColumn: 1, endLine: 5, endColumn: 1 }])).toBe(1);
    expect(api.get('a.ts').filter((d) => d.range.startLine === 5)).toEqual([]);
  });
});
