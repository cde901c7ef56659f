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

export const issuesModule: FeatureModule = {
  id: 'issues',
  setup(ctx) {
    const service = new IssuesService({
      gh: new GhClient(() => ({ ...ctx.env })),
      db: ctx.db,
      projectDir: () => ctx.get('projects').projectDir,
      llm: () => ctx.find('llm')?.client,
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
      // A refresh in flight sends its last events before the database closes.
      shutdown: () => service.idle(),
    };
  },
};
