// `paige_clear_hints`: removes every explorer hint.
import { ClearHintsInput, SuccessOutput, TOOL_NAMES } from '../../../shared/mcp/tools';
import { defineTool, type McpToolDeps, type PaigeTool } from '../tool-kit';

export function clearHintsTool(deps: McpToolDeps): PaigeTool {
  return defineTool(
    {
      name: TOOL_NAMES.clearHints,
      title: 'Clear explorer hints',
      description: 'Removes every file and directory hint from the learner’s file explorer.',
      input: ClearHintsInput,
      output: SuccessOutput,
      readOnly: false,
    },
    () => {
      deps.events.emit('explorer:clear_hints', {});
      return { success: true };
    },
  );
}
