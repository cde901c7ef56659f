// `paige_open_file`: opens a project file in the learner's editor, or focuses its tab.
import { OpenFileInput, OpenFileOutput, TOOL_NAMES } from '../../../shared/mcp/tools';
import { defineTool, type McpToolDeps, type PaigeTool } from '../tool-kit';

export function openFileTool(deps: McpToolDeps): PaigeTool {
  return defineTool(
    {
      name: TOOL_NAMES.openFile,
      title: 'Open a file in the editor',
      description:
        'Opens a project text file (≤ 5 MiB) in the learner’s editor and brings its tab to the front; a file that ' +
        'is already open is just focused. Binary files are refused.',
      input: OpenFileInput,
      output: OpenFileOutput,
      readOnly: false,
    },
    (input) => {
      // Every failure (path, missing, too large, binary) throws before the open set changes or any event goes out.
      const file = deps.workspace.open(input.path, 'mcp', { rejectBinary: true });
      deps.events.emit('editor:open_file', {
        path: file.path,
        content: file.content,
        language: file.language,
        lineCount: file.lineCount,
        source: 'mcp',
      });
      return { success: true, path: file.path };
    },
  );
}
