// The active phase's hints as the explorer and editor show them at a hint level: each hint only from the level it
// needs, file hints as glows (the most urgent style per file), line hints as highlights keyed by hint id so one
// dismissed by an edit stays dismissed.
import type { HintLevel, Plan, Session } from '../../../../shared/domain/session';
import type { HintStyle } from './ide-controller';
import type { LineDecoration } from './decorations';
import { hintShown } from './hint-levels';

const SEVERITY: Readonly<Record<HintStyle, number>> = { suggested: 1, warning: 2, error: 3 };
const LINE_STYLE = { suggested: 'hint', warning: 'warning', error: 'error' } as const;

interface PlanHintLayer {
  files: Readonly<Record<string, HintStyle>>;
  /** The folders holding hinted files (they glow from `medium`). */
  directories: readonly string[];
  lines: ReadonlyMap<string, LineDecoration[]>;
}

/** The plan whose hints are drawn: only during an active session; once it ends, its highlights and glows go. */
export function hintedPlan(session: Pick<Session, 'status'> | null, plan: Plan | null): Plan | null {
  return session?.status === 'active' ? plan : null;
}

export function planHints(plan: Plan | null, level: HintLevel): PlanHintLayer {
  const files: Record<string, HintStyle> = {};
  const lines = new Map<string, LineDecoration[]>();
  const phase = plan?.phases.find((p) => p.status === 'active');
  for (const h of phase?.hints ?? []) {
    if (!hintShown(h.requiredLevel, level)) continue;
    if (h.type === 'file') {
      const cur = files[h.path];
      if (cur === undefined || SEVERITY[h.style] > SEVERITY[cur]) files[h.path] = h.style;
    } else if (h.lineStart !== null) {
      const list = lines.get(h.path) ?? [];
      list.push({
        type: 'line-highlight',
        range: { startLine: h.lineStart, endLine: h.lineEnd ?? h.lineStart },
        style: LINE_STYLE[h.style],
        ...(h.hoverText ? { message: h.hoverText } : {}),
        key: `plan-hint-${h.id}`,
      });
      lines.set(h.path, list);
    }
  }
  const directories = [
    ...new Set(Object.keys(files).flatMap((p) => (p.includes('/') ? [p.slice(0, p.lastIndexOf('/'))] : []))),
  ];
  return { files, directories, lines };
}
