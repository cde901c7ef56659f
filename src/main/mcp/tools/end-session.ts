// `paige_end_session` (docs/sessions.md): ends the active session and starts the wrap-up; a PTY Paige itself is
// restarting or shutting down detaches instead, so the session survives for the next attach.
import { EndReasonSchema, type EndReason } from '../../../shared/domain/session';
import { PaigeError } from '../../../shared/ipc/errors';
import { EndSessionInput, EndSessionOutput, TOOL_NAMES } from '../../../shared/mcp/tools';
import { defineTool, type McpToolDeps, type PaigeTool } from '../tool-kit';

/** With `wait`, the call returns within this long even if the wrap-up is still running. */
const END_SESSION_WAIT_MS = 120_000;

/** Claude Code's SessionEnd reasons (clear, logout, prompt_input_exit, other) all mean Claude exited. */
function toEndReason(reason: string | undefined): EndReason {
  const parsed = EndReasonSchema.safeParse(reason);
  return parsed.success ? parsed.data : 'claude_exit';
}

export function endSessionTool(deps: McpToolDeps): PaigeTool {
  return defineTool(
    {
      name: TOOL_NAMES.endSession,
      title: 'End the coaching session',
      description:
        'Ends the active coaching session and starts the wrap-up (reflection, knowledge gaps, skill assessment). ' +
        'Returns at once unless wait is true. Ending an already ended session is a no-op.',
      input: EndSessionInput,
      output: EndSessionOutput,
      readOnly: false,
    },
    async (input) => {
      const active = deps.sessions.getActive();
      if (input.pty_id !== undefined && deps.isPtyDetaching(input.pty_id)) {
        return { session_id: active?.id ?? null, status: 'detached' as const };
      }
      if (!active) {
        if (input.wait) throw new PaigeError('NO_ACTIVE_SESSION', 'No coaching session is active; nothing to end.');
        const previous = input.claude_session_id ? deps.sessions.findByClaudeSessionId(input.claude_session_id) : null;
        return { session_id: previous?.id ?? null, status: 'noop' as const };
      }
      if (input.claude_session_id !== undefined && active.claudeSessionId !== null) {
        if (active.claudeSessionId !== input.claude_session_id) {
          // Another Claude Code instance ending its conversation must not end the session this one is attached to.
          const previous = deps.sessions.findByClaudeSessionId(input.claude_session_id);
          return { session_id: previous?.id ?? null, status: 'noop' as const };
        }
      }
      const endReason = toEndReason(input.reason);
      const { session, done } = deps.wrapUp.begin(active.id, endReason, {
        transcriptPath: input.transcript_path,
      });
      if (!input.wait) return { session_id: session.id, status: 'wrapping_up' as const, end_reason: endReason };
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), END_SESSION_WAIT_MS);
        timer.unref();
      });
      const outcome = await Promise.race([done, timeout]).finally(() => clearTimeout(timer));
      if (outcome === null) return { session_id: session.id, status: 'wrapping_up' as const, end_reason: endReason };
      return {
        session_id: session.id,
        status: outcome.status,
        end_reason: endReason,
        counts: {
          memories_added: outcome.counts.memoriesAdded,
          gaps_identified: outcome.counts.gapsIdentified,
          katas_generated: outcome.counts.katasGenerated,
          assessments_updated: outcome.counts.assessmentsUpdated,
          errors: outcome.errors,
        },
      };
    },
  );
}
