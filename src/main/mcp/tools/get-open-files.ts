// `paige_get_open_files`: the files open in the learner's editor, dirty flags and the active tab.
import { GetOpenFilesInput, GetOpenFilesOutput, TOOL_NAMES } from '../../../shared/mcp/tools';
import { defineTool, type McpToolDeps, type PaigeTool } from '../tool-kit';

export function getOpenFilesTool(deps: McpToolDeps): PaigeTool {
  return defineTool(
    {
      name: TOOL_NAMES.getOpenFiles,
      title: 'List the open files',
      description:
        'Lists the files open in the learner’s editor (opened by them or with paige_open_file, minus closed ones), ' +
        'each with whether it has unsaved edits and whether it is the active tab.',
      input: GetOpenFilesInput,
      output: GetOpenFilesOutput,
      readOnly: true,
    },
    () => ({ files: deps.workspace.openFilesWithActive() }),
  );
}
