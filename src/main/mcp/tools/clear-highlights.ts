// `paige_clear_highlights`: clears the highlights of one file, or of every file.
import { ClearHighlightsInput, SuccessOutput, TOOL_NAMES } from '../../../shared/mcp/tools';
import { defineTool, projectPath, type McpToolDeps, type PaigeTool } from '../tool-kit';

export function clearHighlightsTool(deps: McpToolDeps): PaigeTool {
  return defineTool(
    {
      name: TOOL_NAMES.clearHighlights,
      title: 'Clear editor highlights',
      description: 'Clears the line highlights of one file, or of every file when no path is given.',
      input: ClearHighlightsInput,
      output: SuccessOutput,
      readOnly: false,
    },
    (input) => {
      deps.events.emit(
        'editor:clear_highlights',
        input.path !== undefined ? { path: projectPath(deps, input.path) } : {},
      );
      return { success: true };
    },
  );
}
