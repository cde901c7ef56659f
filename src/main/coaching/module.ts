// Feature module: the coaching pipeline (docs/coaching.md). Turns Claude Code's plan text into the session's plan
// through `paige_run_coaching_pipeline`; progress and the ready plan go to the sidebar as events.
import type { FeatureModule } from '../modules/feature-module';
import { mcpToolDeps } from '../mcp/tool-deps';
import { runCoachingPipelineTool } from '../mcp/tools/run-coaching-pipeline';
import { PaigeError } from '../../shared/ipc/errors';
import { GhClient } from '../issues/gh';
import { CoachingPipeline } from './pipeline';

declare module '../modules/feature-module' {
  interface ServiceMap {
    coaching: CoachingPipeline;
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
    return {
      tools: [runCoachingPipelineTool(mcpToolDeps(ctx), pipeline)],
      handlers: {
        // The UI entry: the issue from `gh`, a new session on it (force ends an active one first), then the plan.
        'session:select_issue': async ({ issueNumber, issueTitle, issueBody, issueLabels, issueUrl, force }) => {
          const sessions = ctx.get('sessions');
          const projectDir = ctx.get('projects').projectDir;
          if (projectDir === null) throw new PaigeError('INVALID_STATE', 'Open a project before picking an issue.');
          const active = sessions.getActive();
          if (active && force !== true) {
            throw new PaigeError(
              'ACTIVE_SESSION_EXISTS',
              `Session ${active.id} is active. End it first, or pick the issue again with force to end it.`,
              { sessionId: active.id },
            );
          }
          // The Issues view sends the issue it shows; otherwise `gh` reads it.
          const issue =
            issueTitle !== undefined
              ? {
                  number: issueNumber,
                  title: issueTitle,
                  body: issueBody ?? '',
                  labels: issueLabels ?? [],
                  url: issueUrl,
                }
              : await new GhClient(() => ({ ...ctx.env })).viewIssue(projectDir, issueNumber);
          if (active) {
            const ended = sessions.forceEnd(active.id);
            ctx.events.emit('session:ended', { sessionId: ended.id, status: ended.status, reason: 'forced' });
          }
          const session = sessions.start({
            projectDir,
            hintLevel: ctx.settings.values.hints.defaultLevel,
            issueNumber: issue.number,
            issueTitle: issue.title,
            issueUrl: issue.url,
          });
          ctx.get('activity').recordIfActive('session_started', { issueNumber: issue.number, source: 'ui' });
          ctx.events.emit('session:started', { session, issueContext: null, plan: null, hintLevel: session.hintLevel });
          ctx.events.emit('coaching:issue_context', {
            number: issue.number,
            title: issue.title,
            summary: issue.body.slice(0, 500),
            labels: issue.labels,
            url: issue.url,
          });
          const plan = await pipeline.run({
            session,
            source: 'ui',
            planText: null,
            issue: { number: issue.number, title: issue.title, body: issue.body, labels: issue.labels },
          });
          return { session, plan };
        },
      },
    };
  },
};
