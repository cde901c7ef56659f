import { describe, expect, it } from 'vitest';
import { hintShortcut, hintShown, hintView, nextLevel } from './hint-levels';

describe('hint level matrix', () => {
  it('off shows nothing but the phase title', () => {
    expect(hintView('off')).toEqual({
      glow: 'none',
      glowDirectories: false,
      glowAncestors: false,
      lineHighlights: false,
      allDecorations: false,
      hoverText: false,
      messagesExpanded: false,
      phase: { summary: false, taskTitles: false, taskAccordion: false, taskHint: null },
    });
  });

  it('low: a subtle glow on the file only, no editor marks, messages collapsed, summary and the low task hint', () => {
    expect(hintView('low')).toEqual({
      glow: 'subtle',
      glowDirectories: false,
      glowAncestors: false,
      lineHighlights: false,
      allDecorations: false,
      hoverText: false,
      messagesExpanded: false,
      phase: { summary: true, taskTitles: false, taskAccordion: false, taskHint: 'low' },
    });
  });

  it('medium: an obvious glow on files and their folders, line highlights with gutter, messages open, task titles', () => {
    expect(hintView('medium')).toEqual({
      glow: 'obvious',
      glowDirectories: true,
      glowAncestors: false,
      lineHighlights: true,
      allDecorations: false,
      hoverText: false,
      messagesExpanded: true,
      phase: { summary: true, taskTitles: true, taskAccordion: false, taskHint: 'medium' },
    });
  });

  it('high: an unmissable glow up every ancestor, all decorations with hover text, the task accordion', () => {
    expect(hintView('high')).toEqual({
      glow: 'unmissable',
      glowDirectories: true,
      glowAncestors: true,
      lineHighlights: true,
      allDecorations: true,
      hoverText: true,
      messagesExpanded: true,
      phase: { summary: true, taskTitles: true, taskAccordion: true, taskHint: 'high' },
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
