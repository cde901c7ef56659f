// Line highlights and markers per file, kept across tab switches and re-applied when a file's model is shown
// (`editor:highlight_lines` from Claude Code; later `editor:decorations` from reviews). Monaco appears here as types
// only: highlights arrive (and are stored) before the lazily loaded editor exists.
import type * as monaco from 'monaco-editor/editor/editor.api';

type DecorationStyle = 'hint' | 'error' | 'warning' | 'success';

/** `paige_highlight_lines` styles as decoration styles: `info` shows in the hint colour. */
export const HIGHLIGHT_STYLE: Readonly<Record<'info' | 'warning' | 'error', DecorationStyle>> = {
  info: 'hint',
  warning: 'warning',
  error: 'error',
};

interface LineDecoration {
  type: 'line-highlight' | 'gutter-marker' | 'squiggly';
  range: { startLine: number; endLine: number };
  style: DecorationStyle;
  message?: string;
}

type Source = string;

function toMonaco(d: LineDecoration): monaco.editor.IModelDeltaDecoration {
  const range: monaco.IRange = {
    startLineNumber: d.range.startLine,
    startColumn: 1,
    endLineNumber: d.range.endLine,
    endColumn: Number.MAX_SAFE_INTEGER,
  };
  const hover = d.message ? { hoverMessage: { value: d.message } } : {};
  switch (d.type) {
    case 'line-highlight':
      return {
        range,
        options: {
          isWholeLine: true,
          className: `paige-line paige-line-${d.style}`,
          linesDecorationsClassName: `paige-line-bar paige-line-bar-${d.style}`,
          ...hover,
        },
      };
    case 'gutter-marker':
      return { range, options: { glyphMarginClassName: `paige-glyph paige-glyph-${d.style}`, ...hover } };
    case 'squiggly':
      return { range, options: { inlineClassName: `paige-squiggly paige-squiggly-${d.style}`, ...hover } };
  }
}

export class DecorationsApi {
  private readonly byPath = new Map<string, Map<Source, LineDecoration[]>>();
  private readonly applied = new Map<string, string[]>();

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

  /** Applies the stored decorations to the file's model, if it is open. */
  refresh(path: string): void {
    const model = this.modelOf(path);
    if (!model || model.isDisposed()) return;
    const next = this.get(path).map(toMonaco);
    this.applied.set(path, model.deltaDecorations(this.applied.get(path) ?? [], next));
    // Glyph markers need the margin; only turn it on when something uses it.
    this.editor()?.updateOptions({ glyphMargin: next.some((d) => d.options.glyphMarginClassName) });
  }
}
