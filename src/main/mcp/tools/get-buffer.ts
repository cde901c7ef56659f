// `paige_get_buffer`: the learner's editor buffer of one file (unsaved edits included), or null.
import { GetBufferInput, GetBufferOutput, TOOL_NAMES } from '../../../shared/mcp/tools';
import { defineTool, type McpToolDeps, type PaigeTool } from '../tool-kit';

export function getBufferTool(deps: McpToolDeps): PaigeTool {
  return defineTool(
    {
      name: TOOL_NAMES.getBuffer,
      title: 'Read an editor buffer',
      description:
        'Returns what the learner currently has in the editor for a project file — content including unsaved edits, ' +
        'cursor position, dirty flag — or null when the file is not open in Paige.',
      input: GetBufferInput,
      output: GetBufferOutput,
      readOnly: true,
    },
    (input) => {
      const { rel } = deps.workspace.resolve(input.path);
      const b = deps.workspace.getBuffer(rel);
      return {
        buffer: b
          ? {
              path: rel,
              content: b.content,
              cursorPosition: b.cursor,
              dirty: b.dirty,
              lastUpdated: new Date(b.lastUpdated).toISOString(),
            }
          : null,
      };
    },
  );
}
