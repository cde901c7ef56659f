// `paige_validate_command` (docs/safety.md): the safety validator; never requires a session.
import { TOOL_NAMES, ValidateCommandToolInput, ValidateCommandToolOutput } from '../../../shared/mcp/tools';
import { defineTool, type McpToolDeps, type PaigeTool } from '../tool-kit';

export function validateCommandTool(deps: McpToolDeps): PaigeTool {
  return defineTool(
    {
      name: TOOL_NAMES.validateCommand,
      title: 'Check a shell command',
      description:
        'Analyses a shell command (≤ 10 000 characters) and returns its risk (safe, moderate, high, critical), a ' +
        'decision (allow, ask, deny) for the mode (read_only or standard; default from settings), and the rules matched.',
      input: ValidateCommandToolInput,
      output: ValidateCommandToolOutput,
      readOnly: true,
    },
    (input) => deps.validateCommand(input),
  );
}
