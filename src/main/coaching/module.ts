// Feature module: the coaching pipeline (docs/coaching.md). Turns Claude Code's plan text into the session's plan
// through `paige_run_coaching_pipeline`; progress and the ready plan go to the sidebar as events.
import type { FeatureModule } from '../modules/feature-module';
import { mcpToolDeps } from '../mcp/tool-deps';
import { runCoachingPipelineTool } from '../mcp/tools/run-coaching-pipeline';
import { CoachingPipeline, type MemorySearch } from './pipeline';

declare module '../modules/feature-module' {
  interface ServiceMap {
    coaching: CoachingPipeline;
    /** Provided by a memory module when one is present; the pipeline plans without memories otherwise. */
    memory: MemorySearch;
  }
}

export const coachingModule: FeatureModule = {
  id: 'coaching',
  setup(ctx) {
    const pipeline = new CoachingPipeline({
      plans: ctx.get('plans'),
      client: () => ctx.find('llm')?.client,
      workspace: () => ctx.get('workspace'),
      memory: () => ctx.find('memory'),
      dreyfus: () => ctx.get('sessionState').dreyfus(),
      fullPlan: (id) => ctx.get('sessionState').fullPlan(id),
      emit: (channel, payload) => ctx.events.emit(channel, payload),
      record: (type, data) => ctx.get('activity').recordIfActive(type, data),
      logger: ctx.logger,
    });
    ctx.provide('coaching', pipeline);
    return { tools: [runCoachingPipelineTool(mcpToolDeps(ctx), pipeline)] };
  },
};
