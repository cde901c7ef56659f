// `paige_get_active_session`: the active session, its plan and the observer state; never an error.
import { GetActiveSessionInput, GetActiveSessionOutput, TOOL_NAMES } from '../../../shared/mcp/tools';
import { defineTool, type McpToolDeps, type PaigeTool } from '../tool-kit';
import { toMcpSession } from './to-mcp-session';

export function getActiveSessionTool(deps: McpToolDeps): PaigeTool {
  return defineTool(
    {
      name: TOOL_NAMES.getActiveSession,
      title: 'Get the active coaching session',
      description:
        'Returns the active coaching session (or null), its plan with the active phase, and the observer state.',
      input: GetActiveSessionInput,
      output: GetActiveSessionOutput,
      readOnly: true,
    },
    () => {
      const session = deps.sessions.getActive();
      const plan = session ? deps.plans.activePlan(session.id) : null;
      return {
        session: session ? toMcpSession(session) : null,
        plan: plan
          ? { id: plan.id, title: plan.title, total_phases: plan.totalPhases, active_phase: plan.activePhase }
          : null,
        observer: deps.observer?.() ?? { active: false, muted: false },
      };
    },
  );
}
