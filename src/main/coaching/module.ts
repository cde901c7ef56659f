// Feature module: the coaching pipeline (docs/coaching.md). Plans an issue picked in the UI (`session:select_issue`,
// resumed when its plan is unfinished) or Claude Code's plan text (`paige_run_coaching_pipeline`); progress and the
// ready plan go out as `planning:*` events. Also records the learner's hint level changes and feedback.
import type { EventChannel, EventPayload } from '../../shared/ipc/contract';
import type { FeatureModule } from '../modules/feature-module';
import { mcpToolDeps } from '../mcp/tool-deps';
import { runCoachingPipelineTool } from '../mcp/tools/run-coaching-pipeline';
import { HintLevels } from './hint-levels';
import { IssueSessions } from './issue-sessions';
import { CoachingPipeline } from './pipeline';
import { PlanningState } from './planning-state';

declare module '../modules/feature-module' {
  interface ServiceMap {
    coaching: CoachingPipeline;
    /** Each session's planning run as a reloaded window shows it. */
    planningState: PlanningState;
  }
}

export const coachingModule: FeatureModule = {
  id: 'coaching',
  setup(ctx) {
    const planning = new PlanningState();
    // Every planning event also updates what a reloaded window is shown.
    const emit = <C extends EventChannel>(channel: C, payload: EventPayload<C>): void => {
      planning.observe(channel, payload);
      ctx.events.emit(channel, payload);
    };
    const pipeline = new CoachingPipeline({
      plans: ctx.get('plans'),
      client: () => ctx.find('llm')?.client,
      workspace: () => ctx.get('workspace'),
      memory: () => ctx.find('memory'),
      dreyfus: () => ctx.get('sessionState').dreyfus(),
      fullPlan: (id) => ctx.get('sessionState').fullPlan(id),
      isActive: (id) => ctx.get('sessions').activeId() === id,
      emit,
      record: (type, data) => ctx.get('activity').recordIfActive(type, data),
      logger: ctx.logger,
    });
    const issues = new IssueSessions({
      sessions: ctx.get('sessions'),
      plans: ctx.get('plans'),
      pipeline,
      planning,
      projectDir: () => ctx.get('projects').projectDir,
      defaultHintLevel: () => ctx.settings.values.hints.defaultLevel,
      endNormally: (id) => void ctx.get('wrapUp').begin(id, 'user'),
      fullPlan: (id) => ctx.get('sessionState').fullPlan(id),
      snapshot: () => ctx.get('sessionSnapshot')(),
      client: () => {
        const llm = ctx.find('llm');
        return llm && llm.capability !== 'no_key' ? llm.client : undefined;
      },
      env: () => ({ ...ctx.env }),
      emit,
      recordFor: (sessionId, type, data) => ctx.get('recordFor')(sessionId, type, data),
      logger: ctx.logger,
    });
    const hintLevels = new HintLevels({
      db: ctx.db,
      sessions: ctx.get('sessions'),
      now: () => ctx.now(),
      record: (type, data) => ctx.get('activity').recordIfActive(type, data),
    });
    ctx.provide('coaching', pipeline);
    ctx.provide('planningState', planning);
    return {
      tools: [runCoachingPipelineTool(mcpToolDeps(ctx), pipeline)],
      handlers: {
        'session:select_issue': (input) => issues.select(input),
        'session:resume': (input) => issues.resume(input),
        'planning:retry': ({ sessionId }) => issues.retry(sessionId),
        'hints:level_change': ({ from, to }) => hintLevels.change(from, to),
        'coaching:feedback': ({ messageId, helpful }) => {
          ctx.logger.info('coaching feedback', { messageId, helpful, sessionId: ctx.get('sessions').activeId() });
          return null;
        },
      },
      shutdown: () => issues.drain(),
    };
  },
};
