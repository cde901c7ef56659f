// Wires the hint level into the IDE: the active phase's hints (from the plan) and Claude Code's hints drawn as the
// level allows, the level shortcuts, and edits dismissing the anchored messages they touch.
import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import type { CoachingStore } from './coaching-store';
import { hintShortcut, hintView, nextLevel } from './hint-levels';
import type { HintStyle, IdeController, IdeState } from './ide-controller';
import { hintedPlan, planHints } from './plan-hints';

interface ExplorerHints {
  hints: Readonly<Record<string, HintStyle>>;
  hintDirectories: ReadonlySet<string>;
  glow: { mode: 'none' | 'subtle' | 'obvious' | 'unmissable'; directories: boolean; ancestors: boolean };
}

/** `visible()` says whether the IDE is on screen: the shortcuts only act there. */
export function usePlanHints(
  controller: IdeController,
  coaching: CoachingStore,
  state: IdeState,
  visible: () => boolean,
): ExplorerHints {
  const { session, plan: fullPlan, hintLevel } = useSyncExternalStore(coaching.subscribe, coaching.getState);
  const plan = hintedPlan(session, fullPlan);
  const layer = useMemo(() => planHints(plan, hintLevel), [plan, hintLevel]);
  const view = hintView(hintLevel);
  const drawn = useRef<ReadonlySet<string>>(new Set());

  useEffect(() => {
    controller.decorations.setView(view);
    for (const path of drawn.current) if (!layer.lines.has(path)) controller.decorations.clear(path, 'plan');
    for (const [path, list] of layer.lines) controller.decorations.set(path, 'plan', list);
    drawn.current = new Set(layer.lines.keys());
  }, [controller, layer, view]);

  useEffect(() => {
    const sub = controller.onDidEdit(({ path, spans }) => coaching.dismissAnchored(path, spans));
    return () => sub.dispose();
  }, [controller, coaching]);

  useEffect(() => {
    // Capture phase: the editor would otherwise take Ctrl+Shift+[ / ] for folding.
    const onKey = (e: KeyboardEvent): void => {
      const move = hintShortcut(e);
      if (!move || !visible()) return;
      e.preventDefault();
      e.stopPropagation();
      coaching.setHintLevel(nextLevel(coaching.getState().hintLevel, move));
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [coaching, visible]);

  return useMemo(
    () => ({
      hints: { ...state.hints, ...layer.files },
      hintDirectories: new Set([...state.hintDirectories, ...layer.directories]),
      glow: { mode: view.glow, directories: view.glowDirectories, ancestors: view.glowAncestors },
    }),
    [state.hints, state.hintDirectories, layer, view],
  );
}
