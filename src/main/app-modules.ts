// The composition root's one list of feature modules. Order matters twice: a module's setup may use services of the
// modules above it, modules start top to bottom, and they stop bottom to top (so the action log, first, stops last).
import { activityModule } from './activity/module';
import { bridgeModule, type BridgeModuleOptions } from './bridge/module';
import { chatModule } from './chat/module';
import { coachingModule } from './coaching/module';
import { issuesModule } from './issues/module';
import { workspaceModule } from './fs/module';
import { llmModule, type LlmModuleOptions } from './llm/module';
import { mcpModule } from './mcp/module';
import { observerModule } from './observer/module';
import type { FeatureModule } from './modules/feature-module';
import { projectsModule } from './projects/module';
import { safetyModule } from './safety/module';
import { searchModule } from './search/module';
import { sessionsModule } from './sessions/module';
import { terminalModule } from './terminal/module';

interface PaigeModuleOptions {
  /** `--no-terminal`. */
  noTerminal?: boolean;
  /** The browser bridge (`paige serve`); the desktop app passes its IPC module in `extra` instead. */
  bridge?: BridgeModuleOptions;
  /** The model layer; the desktop app passes Electron's safeStorage so API keys can be stored. */
  llm?: LlmModuleOptions;
  /** Runtime-specific modules, listed last (started last, stopped first). */
  extra?: readonly FeatureModule[];
}

export function paigeModules(opts: PaigeModuleOptions = {}): FeatureModule[] {
  return [
    activityModule,
    projectsModule,
    workspaceModule,
    searchModule,
    safetyModule,
    terminalModule({ disabled: opts.noTerminal === true }),
    sessionsModule,
    llmModule(opts.llm),
    coachingModule,
    issuesModule,
    chatModule,
    observerModule,
    mcpModule,
    ...(opts.bridge ? [bridgeModule(opts.bridge)] : []),
    ...(opts.extra ?? []),
  ];
}
