import { describe, expect, it } from 'vitest';
import type { HintLevel } from '../../../../shared/domain/session';
import { hintShortcut, hintShown, hintView, nextLevel } from './hint-levels';

describe('hint level matrix', () => {
  const Y = true;
  const N = false;
  // One row a level. off: nothing but the phase title. low: a subtle glow on the file only, no editor marks,
  // messages collapsed, the summary and the low task hint. medium: an obvious glow on files and their folders, line
  // highlights, messages open, task titles. high: an unmissable glow up every ancestor, all decorations with hover
  // text, the task accordion.
  type Flags = [boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean, boolean];
  // prettier-ignore
  const MATRIX: [HintLevel, string, ...Flags, HintLevel | null][] = [
    // level   glow          folders ancestors lines all-decorations hover expanded summary titles accordion task-hint
    ['off',    'none',       N, N, N, N, N, N, N, N, N, null],
    ['low',    'subtle',     N, N, N, N, N, N, Y, N, N, 'low'],
    ['medium', 'obvious',    Y, N, Y, N, N, Y, Y, Y, N, 'medium'],
    ['high',   'unmissable', Y, Y, Y, Y, Y, Y, Y, Y, Y, 'high'],
  ];

  it.each(MATRIX)('%s: a %s glow', (level, glow, ...row) => {
    const [glowDirectories, glowAncestors, lineHighlights, allDecorations, hoverText, messagesExpanded] = row;
    const [summary, taskTitles, taskAccordion, taskHint] = row.slice(6);
    expect(hintView(level)).toEqual({
      glow,
      glowDirectories,
      glowAncestors,
      lineHighlights,
      allDecorations,
      hoverText,
      messagesExpanded,
      phase: { summary, taskTitles, taskAccordion, taskHint },
    });
  });

  it('a hint shows from its required level up', () => {
    const table = (['off', 'low', 'medium', 'high'] as const).map((level) =>
      (['low', 'medium', 'high'] as const).map((req) => (hintShown(req, level) ? 1 : 0)).join(''),
    );
    expect(table).toEqual(['000', '100', '110', '111']);
  });

  it('Ctrl+Shift+H cycles and wraps; [ and ] step and stop at the ends', () => {
    expect(['off', 'low', 'medium', 'high'].map((l) => nextLevel(l as never, 'cycle'))).toEqual([
      'low',
      'medium',
      'high',
      'off',
    ]);
    expect(nextLevel('high', 'up')).toBe('high');
    expect(nextLevel('low', 'up')).toBe('medium');
    expect(nextLevel('off', 'down')).toBe('off');
    expect(nextLevel('medium', 'down')).toBe('low');
  });

  it('recognises the shortcuts with Ctrl or Cmd and Shift, by key position', () => {
    const k = (
      code: string,
      mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }>,
    ) => hintShortcut({ ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, code, ...mods });
    expect(k('KeyH', { ctrlKey: true, shiftKey: true })).toBe('cycle');
    expect(k('KeyH', { metaKey: true, shiftKey: true })).toBe('cycle');
    expect(k('BracketLeft', { ctrlKey: true, shiftKey: true })).toBe('down');
    expect(k('BracketRight', { metaKey: true, shiftKey: true })).toBe('up');
    expect(k('KeyH', { ctrlKey: true })).toBeNull();
    expect(k('KeyH', { shiftKey: true })).toBeNull();
    expect(k('KeyH', { ctrlKey: true, shiftKey: true, altKey: true })).toBeNull();
  });
});
