// Feature module: the learner's GitHub issues (docs/issues.md). Serves `dashboard:refresh_issues`, which streams
// what is in progress and the open issues ranked for the learner as `dashboard:*` events.
import type { FeatureModule } from '../modules/feature-module';
import { GhClient } from './gh';
import { IssuesService } from './issues-service';

declare module '../modules/feature-module' {
  interface ServiceMap {
    issues: IssuesService;
  }
}

const SHUTDOWN_WAIT_MS = 1_000;

export const issuesModule: FeatureModule = {
  id: 'issues',
  setup(ctx) {
    const service = new IssuesService({
      gh: new GhClient(() => ({ ...ctx.env })),
      db: ctx.db,
      plans: ctx.get('plans'),
      projectDir: () => ctx.get('projects').projectDir,
      llm: () => ctx.find('llm')?.client,
      llmState: () => ctx.find('llm')?.capability ?? 'no_key',
      dreyfus: () => ctx.find('sessionState')?.dreyfus() ?? [],
      emit: (channel, payload) => ctx.events.emit(channel, payload),
      logger: ctx.logger,
      now: () => ctx.now().getTime(),
    });
    ctx.provide('issues', service);
    return {
      handlers: {
        'dashboard:refresh_issues': () => service.refresh(),
      },
      // A refresh in flight gets a moment to send its last events before the database closes; gh may take up to
      // 15 s, longer than shutdown may wait, so it is not waited for past that.
      shutdown: () => service.idle(SHUTDOWN_WAIT_MS),
    };
  },
};
