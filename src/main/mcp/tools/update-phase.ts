// `paige_update_phase` (docs/mcp.md): starts or completes a phase of the active plan.
import { TOOL_NAMES, UpdatePhaseInput, UpdatePhaseOutput } from '../../../shared/mcp/tools';
import { defineTool, requireSession, type McpToolDeps, type PaigeTool } from '../tool-kit';

export function updatePhaseTool(deps: McpToolDeps): PaigeTool {
  return defineTool(
    {
      name: TOOL_NAMES.updatePhase,
      title: 'Start or complete a plan phase',
      description:
        'Marks a phase of the active plan active (only when no other phase is active) or complete (only when active). ' +
        'Asking for the status a phase already has changes nothing.',
      input: UpdatePhaseInput,
      output: UpdatePhaseOutput,
      readOnly: false,
    },
    (input) => {
      const session = requireSession(deps);
      const { phase, changed } = deps.plans.updatePhase(session.id, input.phase, input.status);
      if (changed) {
        const data = { phaseId: phase.id, phaseNumber: phase.number, title: phase.title };
        deps.record(phase.status === 'active' ? 'phase_started' : 'phase_completed', data);
        deps.events.emit('coaching:phase_update', {
          planId: phase.planId,
          phase: {
            id: phase.id,
            number: phase.number,
            title: phase.title,
            status: phase.status,
            startedAt: phase.startedAt,
            completedAt: phase.completedAt,
          },
        });
      }
      return {
        success: true,
        phase: {
          id: phase.id,
          number: phase.number,
          title: phase.title,
          status: phase.status,
          started_at: phase.startedAt,
          completed_at: phase.completedAt,
        },
      };
    },
  );
}
