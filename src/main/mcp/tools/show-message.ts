// `paige_show_message`: a coaching message in the sidebar feed, optionally anchored to lines.
import { randomUUID } from 'node:crypto';
import { ShowMessageInput, ShowMessageOutput, TOOL_NAMES } from '../../../shared/mcp/tools';
import { defineTool, projectPath, requireSession, type McpToolDeps, type PaigeTool } from '../tool-kit';

export function showMessageTool(deps: McpToolDeps): PaigeTool {
  return defineTool(
    {
      name: TOOL_NAMES.showMessage,
      title: 'Show a coaching message',
      description:
        'Shows a short message (≤ 4 000 characters) in Paige’s coaching feed: info, success, warning, error or hint, ' +
        'optionally anchored to lines of a file. Requires an active session.',
      input: ShowMessageInput,
      output: ShowMessageOutput,
      readOnly: false,
    },
    (input) => {
      requireSession(deps);
      const anchor = input.anchor
        ? {
            path: projectPath(deps, input.anchor.path),
            startLine: input.anchor.start_line,
            endLine: input.anchor.end_line,
          }
        : undefined;
      const messageId = randomUUID();
      deps.events.emit('coaching:message', {
        messageId,
        message: input.message,
        type: input.type,
        source: 'coaching',
        ...(anchor ? { anchor } : {}),
      });
      deps.record('coaching_message', { messageType: input.type, source: 'coaching' });
      return { success: true, message_id: messageId };
    },
  );
}
