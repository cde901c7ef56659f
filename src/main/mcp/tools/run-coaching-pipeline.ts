// `paige_run_coaching_pipeline` (docs/mcp.md): Claude Code hands over the plan it wrote for the issue; Paige turns it
// into phases with hints for the learner, stores it as the session's active plan and shows it in the sidebar.
import { RunCoachingPipelineInput, RunCoachingPipelineOutput, TOOL_NAMES } from '../../../shared/mcp/tools';
import type { CoachingPipeline } from '../../coaching/pipeline';
import { defineTool, requireSession, type McpToolDeps, type PaigeTool } from '../tool-kit';

export function runCoachingPipelineTool(deps: McpToolDeps, pipeline: CoachingPipeline): PaigeTool {
  return defineTool(
    {
      name: TOOL_NAMES.runCoachingPipeline,
      title: 'Turn your plan into a coaching plan',
      description:
        'Give Paige the implementation plan you wrote for the issue (plan_text) and a summary of the issue. Paige ' +
        'reads the relevant files, splits the work into 1-5 phases with tasks and hints for the developer, stores it ' +
        'as the active plan (phase 1 active) and shows it in the sidebar. Needs an active session; takes up to a ' +
        'minute. On LLM_DISABLED or an LLM_* error nothing is stored: coach from your own plan instead.',
      input: RunCoachingPipelineInput,
      output: RunCoachingPipelineOutput,
      readOnly: false,
    },
    async (input) => {
      const session = requireSession(deps);
      const plan = await pipeline.run({
        session,
        source: 'mcp',
        planText: input.plan_text,
        issue: {
          number: input.issue_number ?? session.issueNumber,
          title: session.issueTitle ?? input.issue_summary.split('\n')[0]!.slice(0, 200),
          body: input.issue_summary,
          labels: [],
        },
      });
      return {
        plan_id: plan.id,
        title: plan.title,
        total_phases: plan.totalPhases,
        phases: plan.phases.map((p) => ({ number: p.number, title: p.title, hint_level: p.hintLevel })),
        memory_connection: plan.memoryConnection,
        estimated_difficulty: plan.estimatedDifficulty ?? 'intermediate',
      };
    },
  );
}
