// Feature module: the open project and the recent-projects list. Its start opens the project named by a flag, the
// environment or settings, or else the last one opened.
import type { FeatureModule } from '../modules/feature-module';
import { ProjectService } from './project-service';

declare module '../modules/feature-module' {
  interface ServiceMap {
    projects: ProjectService;
  }
}

export const projectsModule: FeatureModule = {
  id: 'projects',
  setup(ctx) {
    const projects = new ProjectService(ctx.db, ctx.logger, () => ctx.now());
    ctx.provide('projects', projects);
    ctx.store.add(projects.onDidChangeProject((projectDir) => ctx.events.emit('project:changed', { projectDir })));
    return {
      settings: ['projectDir'],
      handlers: {
        'project:recent': () => ({ projects: projects.recent() }),
        'project:open': ({ path }) => projects.open(path),
        'project:pick_folder': async () => ({ path: await ctx.platform.pickFolder() }),
      },
      start() {
        const projectDir = ctx.settings.values.projectDir ?? projects.lastOpened();
        if (projectDir === null) return;
        try {
          projects.open(projectDir);
        } catch (err) {
          // A project named on the command line or in the environment must exist; a remembered one may have moved.
          if (ctx.settings.view().overrides.projectDir) throw err;
          ctx.logger.warn('last project is gone; showing the landing page', { projectDir });
        }
      },
    };
  },
};
