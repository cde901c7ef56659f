// The services MCP tools call, looked up when a tool runs rather than when it is built, so a module can contribute
// tools that use services of modules listed after it.
import type { ModuleContext } from '../modules/feature-module';
import type { McpToolDeps } from './tool-kit';

export function mcpToolDeps(ctx: ModuleContext): McpToolDeps {
  return {
    get sessions() {
      return ctx.get('sessions');
    },
    get projects() {
      return ctx.get('projects');
    },
    settings: ctx.settings,
    events: ctx.events,
    logger: ctx.logger,
    get plans() {
      return ctx.get('plans');
    },
    get wrapUp() {
      return ctx.get('wrapUp');
    },
    get workspace() {
      return ctx.get('workspace');
    },
    get state() {
      return ctx.get('sessionState');
    },
    get validateCommand() {
      return ctx.get('validateCommand');
    },
    record: (type, data) => ctx.get('activity').recordIfActive(type, data),
    // A pty that Paige itself is ending (restart, project switch, shutdown) detaches rather than ends the session.
    isPtyDetaching: (ptyId) => ctx.shuttingDown || (ctx.find('terminal')?.isAppInitiated(ptyId) ?? false),
    observer: () => {
      const s = ctx.find('observer')?.status();
      return { active: s?.active ?? false, muted: s?.muted ?? false };
    },
    now: () => ctx.now(),
  };
}
