// Line highlights and markers per file, kept across tab switches and re-applied when a file's model is shown
// (`editor:highlight_lines` from Claude Code; later `editor:decorations` from reviews). Monaco appears here as types
// only: highlights arrive (and are stored) before the lazily loaded editor exists.
import type * as monaco from 'monaco-editor/editor/editor.api';
import { editOverlaps, type TextSpan } from './edit-overlap';

type DecorationStyle = 'hint' | 'error' | 'warning' | 'success';

/** `paige_highlight_lines` styles as decoration styles: `info` shows in the hint colour. */
export const HIGHLIGHT_STYLE: Readonly<Record<'info' | 'warning' | 'error', DecorationStyle>> = {
  info: 'hint',
  warning: 'warning',
  error: 'error',
};

export interface LineDecoration {
  type: 'line-highlight' | 'gutter-marker' | 'squiggly';
  range: { startLine: number; endLine: number };
  style: DecorationStyle;
  message?: string;
  /** A stable id: once an edit dismisses it, a decoration with this key is not shown again. */
  key?: string;
}

type Source = string;

/** What the hint level lets coaching decorations show (review comments always show whole). */
interface DecorationView {
  lineHighlights: boolean;
  allDecorations: boolean;
  hoverText: boolean;
}

/** Sources the hint level governs: Claude Code's highlights and the plan's line hints. */
const GOVERNED: ReadonlySet<Source> = new Set(['coaching', 'plan']);

function toMonaco(d: LineDecoration, hover = true): monaco.editor.IModelDeltaDecoration {
  const range: monaco.IRange = {
    startLineNumber: d.range.startLine,
    startColumn: 1,
    endLineNumber: d.range.endLine,
    endColumn: Number.MAX_SAFE_INTEGER,
  };
  const hoverPart = hover && d.message ? { hoverMessage: { value: d.message } } : {};
  switch (d.type) {
    case 'line-highlight':
      return {
        range,
        options: {
          isWholeLine: true,
          className: `paige-line paige-line-${d.style}`,
          linesDecorationsClassName: `paige-line-bar paige-line-bar-${d.style}`,
          ...hoverPart,
        },
      };
    case 'gutter-marker':
      return { range, options: { glyphMarginClassName: `paige-glyph paige-glyph-${d.style}`, ...hoverPart } };
    case 'squiggly':
      return { range, options: { inlineClassName: `paige-squiggly paige-squiggly-${d.style}`, ...hoverPart } };
  }
}

export class DecorationsApi {
  private readonly byPath = new Map<string, Map<Source, LineDecoration[]>>();
  private readonly applied = new Map<string, string[]>();
  /** The decorations behind `applied`, in the same order. */
  private readonly appliedDecorations = new Map<string, LineDecoration[]>();
  private readonly dismissed = new Set<string>();
  private view: DecorationView = { lineHighlights: true, allDecorations: true, hoverText: true };

  constructor(
    private readonly editor: () => monaco.editor.IStandaloneCodeEditor | null,
    private readonly modelOf: (path: string) => monaco.editor.ITextModel | null,
  ) {}

  /** Replaces one source's decorations on a file (e.g. `coaching` highlights, `review` comments). */
  set(path: string, source: Source, decorations: readonly LineDecoration[]): void {
    const sources = this.byPath.get(path) ?? new Map<Source, LineDecoration[]>();
    sources.set(source, [...decorations]);
    this.byPath.set(path, sources);
    this.refresh(path);
  }

  /** Adds to one source's decorations on a file: coaching highlights accumulate until cleared. */
  add(path: string, source: Source, decorations: readonly LineDecoration[]): void {
    const existing = this.byPath.get(path)?.get(source) ?? [];
    this.set(path, source, [...existing, ...decorations]);
  }

  /** Clears one file (or all files), optionally only one source. */
  clear(path?: string, source?: Source): void {
    const paths = path === undefined ? [...this.byPath.keys()] : [path];
    for (const p of paths) {
      if (source === undefined) this.byPath.delete(p);
      else this.byPath.get(p)?.delete(source);
      this.refresh(p);
    }
  }

  get(path: string): LineDecoration[] {
    return [...(this.byPath.get(path)?.values() ?? [])].flat();
  }

  /** The hint level's say over coaching decorations; every open file is redrawn. */
  setView(view: DecorationView): void {
    this.view = view;
    for (const p of this.byPath.keys()) this.refresh(p);
  }

  /** What is drawn on a file: every source, coaching ones as the hint level allows, dismissed ones left out. */
  visible(path: string): { decoration: LineDecoration; hover: boolean }[] {
    const out: { decoration: LineDecoration; hover: boolean }[] = [];
    for (const [source, list] of this.byPath.get(path) ?? []) {
      const governed = GOVERNED.has(source);
      for (const d of list) {
        if (d.key !== undefined && this.dismissed.has(d.key)) continue;
        if (governed && !this.view.lineHighlights) continue;
        if (governed && !this.view.allDecorations && d.type !== 'line-highlight') continue;
        out.push({ decoration: d, hover: !governed || this.view.hoverText });
      }
    }
    return out;
  }

  /**
   * Dismisses the coaching decorations an edit overlaps (`spans` where the edits' text now lies), comparing with
   * where Monaco has moved each decoration since it was drawn. Returns how many went.
   */
  dismissOverlapping(path: string, spans: readonly TextSpan[]): number {
    const model = this.modelOf(path);
    const ids = this.applied.get(path) ?? [];
    const drawn = this.appliedDecorations.get(path) ?? [];
    if (!model || model.isDisposed()) return 0;
    const governed = new Set(
      [...(this.byPath.get(path) ?? [])].flatMap(([source, list]) => (GOVERNED.has(source) ? list : [])),
    );
    const gone = new Set<LineDecoration>();
    ids.forEach((id, i) => {
      const d = drawn[i];
      const r = model.getDecorationRange(id);
      if (!d || !r || !governed.has(d)) return;
      const range = { startLine: r.startLineNumber, endLine: r.endLineNumber };
      if (spans.some((s) => editOverlaps(s, range))) gone.add(d);
    });
    if (gone.size === 0) return 0;
    for (const [source, list] of this.byPath.get(path) ?? []) {
      if (!GOVERNED.has(source)) continue;
      for (const d of list) if (gone.has(d) && d.key !== undefined) this.dismissed.add(d.key);
      this.byPath.get(path)?.set(
        source,
        list.filter((d) => !gone.has(d) || d.key !== undefined),
      );
    }
    this.refresh(path);
    return gone.size;
  }

  /** Applies the stored decorations to the file's model, if it is open. */
  refresh(path: string): void {
    const model = this.modelOf(path);
    if (!model || model.isDisposed()) return;
    const shown = this.visible(path);
    const next = shown.map((v) => toMonaco(v.decoration, v.hover));
    this.appliedDecorations.set(
      path,
      shown.map((v) => v.decoration),
    );
    this.applied.set(path, model.deltaDecorations(this.applied.get(path) ?? [], next));
    // Glyph markers need the margin; only turn it on when something uses it.
    this.editor()?.updateOptions({ glyphMargin: next.some((d) => d.options.glyphMarginClassName) });
  }
}
