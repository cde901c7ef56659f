// `paige_retry_wrap_up` (docs/sessions.md): reruns the failed wrap-up agents of an ended session, or the one named.
import { RetryWrapUpInput, RetryWrapUpOutput, TOOL_NAMES } from '../../../shared/mcp/tools';
import { defineTool, type McpToolDeps, type PaigeTool } from '../tool-kit';

export function retryWrapUpTool(deps: McpToolDeps): PaigeTool {
  return defineTool(
    {
      name: TOOL_NAMES.retryWrapUp,
      title: 'Retry the wrap-up of a session',
      description:
        'Reruns the wrap-up agents (reflection, knowledge_gap, dreyfus) that failed for an ended session, or only the ' +
        'named agent. Success resolves their errors; the session becomes completed when none is left.',
      input: RetryWrapUpInput,
      output: RetryWrapUpOutput,
      readOnly: false,
    },
    async (input) => {
      const r = await deps.wrapUp.retry(input.session_id, input.agent);
      return {
        session_id: r.sessionId,
        status: r.status,
        ran: r.ran,
        counts: {
          memories_added: r.counts.memoriesAdded,
          gaps_identified: r.counts.gapsIdentified,
          katas_generated: r.counts.katasGenerated,
          assessments_updated: r.counts.assessmentsUpdated,
          errors: r.errors,
        },
        unresolved: r.unresolved,
      };
    },
  );
}
