// The handler for every invoke channel, as thin adapters over services. The HandlerMap type makes a missing one a
// compile error; the contract test checks the same at run time.
import { PROTOCOL_VERSION } from '../../shared/ipc/contract';
import { PaigeError } from '../../shared/ipc/errors';
import type { HandlerMap } from './router';
import type { AppServices } from '../app';

export function createHandlers(s: AppServices): HandlerMap {
  return {
    'connection:hello': () => {
      const session = s.sessions.getActive();
      const settings = s.settings.values;
      return {
        appVersion: s.appVersion,
        protocolVersion: PROTOCOL_VERSION,
        projectDir: s.projects.projectDir,
        session,
        capabilities: s.capabilities(),
        featureFlags: {
          observer: settings.observer.enabled,
          practice: true,
          chat: true,
          localTests: settings.practice.localTests,
        },
        hintLevel: session?.hintLevel ?? settings.hints.defaultLevel,
      };
    },
    'app:health': () => s.health(),
    'app:open_external': async ({ url }) => {
      const opened = await s.platform.openExternal(url);
      return opened ? { opened } : { opened, url };
    },
    'project:recent': () => ({ projects: s.projects.recent() }),
    'project:open': ({ path }) => s.projects.open(path),
    'project:pick_folder': async () => ({ path: await s.platform.pickFolder() }),
    'session:snapshot': () => {
      const snapshot = s.sessions.snapshot();
      if (!snapshot) return null;
      return {
        ...snapshot,
        plan: s.sessionState.fullPlan(snapshot.session.id),
        openFiles: s.workspace.openFileList(),
      };
    },
    'session:list': (input) => s.sessions.list(input ?? {}),
    'settings:get': () => s.settings.view(),
    'settings:update': ({ patch }) => {
      s.settings.update(patch);
      return s.settings.view();
    },
    'settings:reset': (input) => {
      if (input?.keys?.some((k) => k === 'dataDir')) {
        throw new PaigeError('VALIDATION_FAILED', 'dataDir is set only by PAIGE_DATA_DIR or --data-dir.');
      }
      s.settings.reset(input?.keys);
      return s.settings.view();
    },
    // --- workspace handlers ---
    'fs:tree': () => s.workspace.tree(),
    'file:open': ({ path }) => s.workspace.open(path, 'ui'),
    'file:save': (input) => s.workspace.save(input),
    'file:close': ({ path }) => s.workspace.close(path),
    'file:create': (input) => s.workspace.create(input),
    'file:delete': ({ path }) => s.workspace.delete(path),
    'buffer:update': (input) => s.workspace.updateBuffer(input),
    'editor:tab_switch': ({ fromPath, toPath }) => s.workspace.tabSwitch(fromPath, toPath),
    'editor:selection': (input) => s.workspace.selection(input),
    'search:query': (input) => s.search.query(input),
    // --- end workspace handlers ---
    // --- terminal handlers ---
    'terminal:attach': ({ cols, rows }, ctx) => s.terminal.attach(ctx.clientId, cols, rows),
    'terminal:input': ({ ptyId, data }) => {
      s.terminal.input(ptyId, data);
      return null;
    },
    'terminal:resize': ({ ptyId, cols, rows }) => {
      s.terminal.resize(ptyId, cols, rows);
      return null;
    },
    'terminal:ack': ({ ptyId, chars }, ctx) => {
      s.terminal.ack(ctx.clientId, ptyId, chars);
      return null;
    },
    'terminal:restart': (input) => s.terminal.restart(input?.cols, input?.rows),
    'terminal:detach': ({ ptyId }, ctx) => {
      s.terminal.detach(ctx.clientId, ptyId);
      return null;
    },
    // --- end terminal handlers ---
    // --- mcp and safety handlers ---
    'safety:validate': (input) => s.validateCommand(input),
    'coaching:dismiss': ({ messageId }) => {
      // Every window drops the message, not only the one where the learner dismissed it.
      s.events.emit('coaching:clear', { messageIds: [messageId] });
      return null;
    },
    // --- end mcp and safety handlers ---
  };
}
