// Whether an edit touches a decorated range or a message's anchor, so the hint it carries is dismissed: lines
// intersect (`edit.startLine ≤ range.endLine ∧ edit.endLine ≥ range.startLine`) and, on the boundary lines, columns
// too. Positions are 1-based; an end column is exclusive, as in Monaco, and a missing column means the whole line.

export interface TextSpan {
  startLine: number;
  endLine: number;
  startColumn?: number;
  endColumn?: number;
}

export function editOverlaps(edit: TextSpan, range: TextSpan): boolean {
  if (edit.startLine > range.endLine || edit.endLine < range.startLine) return false;
  // The edit ends on the range's first line: it must reach the range's first column.
  if (edit.endLine === range.startLine && range.startColumn !== undefined && edit.endColumn !== undefined) {
    if (edit.endColumn < range.startColumn) return false;
  }
  // The edit starts on the range's last line: it must start before the range's end.
  if (edit.startLine === range.endLine && range.endColumn !== undefined && edit.startColumn !== undefined) {
    if (edit.startColumn > range.endColumn) return false;
  }
  return true;
}

/** Where an edit's text lies once applied: it starts where the replaced range started and spans the inserted text. */
export function insertedSpan(start: { line: number; column: number }, text: string): Required<TextSpan> {
  const lines = text.split(/\r\n|\r|\n/);
  const last = lines[lines.length - 1] ?? '';
  const endLine = start.line + lines.length - 1;
  const endColumn = lines.length === 1 ? start.column + last.length : last.length + 1;
  return { startLine: start.line, startColumn: start.column, endLine, endColumn };
}
