// `paige_hint_files`: makes files (and optionally directories) glow in the explorer.
import { HintFilesInput, SuccessOutput, TOOL_NAMES } from '../../../shared/mcp/tools';
import { defineTool, projectPath, type McpToolDeps, type PaigeTool } from '../tool-kit';

export function hintFilesTool(deps: McpToolDeps): PaigeTool {
  return defineTool(
    {
      name: TOOL_NAMES.hintFiles,
      title: 'Hint files in the explorer',
      description:
        'Marks 1–50 project files (and optional directories) in the learner’s file explorer with a style: ' +
        'suggested (look here), warning or error. Cleared with paige_clear_hints.',
      input: HintFilesInput,
      output: SuccessOutput,
      readOnly: false,
    },
    (input) => {
      // Resolve every path before emitting anything: one bad path fails the whole call with no partial glow.
      const paths = input.paths.map((p) => projectPath(deps, p));
      const directories = input.directories?.map((p) => projectPath(deps, p));
      deps.events.emit('explorer:hint_files', {
        paths,
        style: input.style,
        ...(directories !== undefined ? { directories } : {}),
      });
      deps.record('file_hints_applied', { paths, style: input.style });
      return { success: true };
    },
  );
}
