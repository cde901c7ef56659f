// `paige_highlight_lines`: decorates line ranges in the editor; highlights accumulate, unpersisted.
import { HighlightLinesInput, HighlightLinesOutput, TOOL_NAMES } from '../../../shared/mcp/tools';
import { defineTool, projectPath, type McpToolDeps, type PaigeTool } from '../tool-kit';

export function highlightLinesTool(deps: McpToolDeps): PaigeTool {
  return defineTool(
    {
      name: TOOL_NAMES.highlightLines,
      title: 'Highlight lines in the editor',
      description:
        'Highlights 1–50 line ranges (1-based, inclusive) of a project file in the learner’s editor, with an optional ' +
        'hover text. Highlights add up until cleared with paige_clear_highlights.',
      input: HighlightLinesInput,
      output: HighlightLinesOutput,
      readOnly: false,
    },
    (input) => {
      const path = projectPath(deps, input.path);
      const ranges = input.ranges.map((r) => ({
        start: r.start,
        end: r.end,
        style: r.style,
        ...(r.hover_text !== undefined ? { hoverText: r.hover_text } : {}),
      }));
      deps.events.emit('editor:highlight_lines', { path, ranges });
      deps.record('decorations_applied', { path, count: ranges.length });
      return { success: true, count: ranges.length };
    },
  );
}
