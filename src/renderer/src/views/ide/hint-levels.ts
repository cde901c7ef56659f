// What each hint level shows, as one table (docs/coaching.md): the explorer glow, the editor decorations, whether
// coaching messages open expanded and how much of the active phase the plan panel shows. The renderer applies it at
// once; the backend only records the change.
import { HINT_LEVELS, type HintLevel } from '../../../../shared/domain/session';

interface HintView {
  /** How strongly hinted files glow: `none` at off. */
  glow: 'none' | 'subtle' | 'obvious' | 'unmissable';
  /** The folders a hint names (or the hinted file's folder) glow too. */
  glowDirectories: boolean;
  /** Every folder above a hinted file glows, so it can be found collapsed. */
  glowAncestors: boolean;
  /** Line highlights with their gutter bar. */
  lineHighlights: boolean;
  /** Every decoration kind (squiggles, glyphs too) and their hover text. */
  allDecorations: boolean;
  hoverText: boolean;
  /** Coaching messages anchored to code open expanded; otherwise they are an icon the learner can open. */
  messagesExpanded: boolean;
  phase: {
    summary: boolean;
    taskTitles: boolean;
    taskAccordion: boolean;
    /** Which of a task's three hints shows, if any. */
    taskHint: 'low' | 'medium' | 'high' | null;
  };
}

const VIEWS: Readonly<Record<HintLevel, HintView>> = {
  off: {
    glow: 'none',
    glowDirectories: false,
    glowAncestors: false,
    lineHighlights: false,
    allDecorations: false,
    hoverText: false,
    messagesExpanded: false,
    phase: { summary: false, taskTitles: false, taskAccordion: false, taskHint: null },
  },
  low: {
    glow: 'subtle',
    glowDirectories: false,
    glowAncestors: false,
    lineHighlights: false,
    allDecorations: false,
    hoverText: false,
    messagesExpanded: false,
    phase: { summary: true, taskTitles: false, taskAccordion: false, taskHint: 'low' },
  },
  medium: {
    glow: 'obvious',
    glowDirectories: true,
    glowAncestors: false,
    lineHighlights: true,
    allDecorations: false,
    hoverText: false,
    messagesExpanded: true,
    phase: { summary: true, taskTitles: true, taskAccordion: false, taskHint: 'medium' },
  },
  high: {
    glow: 'unmissable',
    glowDirectories: true,
    glowAncestors: true,
    lineHighlights: true,
    allDecorations: true,
    hoverText: true,
    messagesExpanded: true,
    phase: { summary: true, taskTitles: true, taskAccordion: true, taskHint: 'high' },
  },
};

export function hintView(level: HintLevel): HintView {
  return VIEWS[level];
}

/** A plan hint shows only when the learner's level is at least the level it needs. */
export function hintShown(required: Exclude<HintLevel, 'off'>, level: HintLevel): boolean {
  return HINT_LEVELS.indexOf(level) >= HINT_LEVELS.indexOf(required);
}

/** Ctrl/Cmd+Shift+H cycles (high wraps to off); Ctrl/Cmd+Shift+[ and ] step down and up, stopping at the ends. */
export function nextLevel(level: HintLevel, move: 'cycle' | 'down' | 'up'): HintLevel {
  const i = HINT_LEVELS.indexOf(level);
  const last = HINT_LEVELS.length - 1;
  const next =
    move === 'cycle' ? (i + 1) % HINT_LEVELS.length : move === 'up' ? Math.min(last, i + 1) : Math.max(0, i - 1);
  return HINT_LEVELS[next]!;
}

/** The shortcut a key event is, if any. */
export function hintShortcut(e: {
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  code: string;
}): 'cycle' | 'down' | 'up' | null {
  if (!(e.ctrlKey || e.metaKey) || !e.shiftKey || e.altKey) return null;
  if (e.code === 'KeyH') return 'cycle';
  if (e.code === 'BracketLeft') return 'down';
  if (e.code === 'BracketRight') return 'up';
  return null;
}
