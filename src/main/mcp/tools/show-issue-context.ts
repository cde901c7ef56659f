// `paige_show_issue_context`: the issue card in the sidebar; fills the session's missing issue fields.
import { ShowIssueContextInput, SuccessOutput, TOOL_NAMES } from '../../../shared/mcp/tools';
import { defineTool, requireSession, type McpToolDeps, type PaigeTool } from '../tool-kit';

export function showIssueContextTool(deps: McpToolDeps): PaigeTool {
  return defineTool(
    {
      name: TOOL_NAMES.showIssueContext,
      title: 'Show the issue being worked on',
      description:
        'Shows the issue card (title, short summary, number, labels, URL) in Paige’s sidebar and records the issue on ' +
        'the session when it has none yet. Requires an active session.',
      input: ShowIssueContextInput,
      output: SuccessOutput,
      readOnly: false,
    },
    (input) => {
      const session = requireSession(deps);
      deps.sessions.fillIssueFields(session.id, {
        title: input.title,
        ...(input.number !== undefined ? { number: input.number } : {}),
        ...(input.url !== undefined ? { url: input.url } : {}),
      });
      deps.events.emit('coaching:issue_context', {
        title: input.title,
        summary: input.summary,
        ...(input.number !== undefined ? { number: input.number } : {}),
        ...(input.labels !== undefined ? { labels: input.labels } : {}),
        ...(input.url !== undefined ? { url: input.url } : {}),
      });
      return { success: true };
    },
  );
}
