// Feature module: the embedded terminal running Claude Code (or the shell) in a pty for the open project.
import { findOnPath } from '../health/capabilities';
import type { FeatureModule } from '../modules/feature-module';
import { resolvePluginDir } from './plugin-dir';
import { loadNodePty } from './pty-backend';
import { TerminalService } from './terminal-service';

declare module '../modules/feature-module' {
  interface ServiceMap {
    terminal: TerminalService;
  }
}

interface TerminalModuleOptions {
  /** `--no-terminal`: no pty is ever started. */
  disabled?: boolean;
}

export function terminalModule(opts: TerminalModuleOptions = {}): FeatureModule {
  return {
    id: 'terminal',
    setup(ctx) {
      const pty = opts.disabled ? { ok: false as const, error: 'it was turned off with --no-terminal' } : loadNodePty();
      if (!pty.ok) ctx.logger.warn('the terminal is disabled', { reason: pty.error });
      const terminal = new TerminalService({
        backend: pty.ok ? pty.backend : { error: pty.error },
        emit: (channel, payload) => ctx.events.emit(channel, payload),
        logger: ctx.logger,
        settings: () => ({ ...ctx.settings.values.terminal, safetyMode: ctx.settings.values.safety.mode }),
        projectDir: () => ctx.find('projects')?.projectDir ?? null,
        env: { ...ctx.env },
        pluginDir: resolvePluginDir({
          from: __dirname,
          resourcesPath: (process as { resourcesPath?: string }).resourcesPath,
        }),
        // Read at spawn time: empty when the MCP endpoint is absent or not listening.
        mcp: () => {
          const c = ctx.find('mcp')?.connection();
          return c ? { url: c.url, token: c.token } : { url: '', token: '' };
        },
        record: (type, data) => ctx.get('activity').recordIfActive(type, data),
      });
      ctx.provide('terminal', terminal);
      let claudeCommand = ctx.settings.values.terminal.command;
      let claudeFound = findOnPath(claudeCommand, ctx.env) !== null;
      ctx.store.add(
        ctx.settings.onDidChange(() => {
          const command = ctx.settings.values.terminal.command;
          if (command === claudeCommand) return;
          claudeCommand = command;
          claudeFound = findOnPath(command, ctx.env) !== null;
          ctx.capabilitiesChanged();
        }),
      );
      ctx.store.add(ctx.events.onClientClosed((clientId) => terminal.clientGone(clientId)));
      const projects = ctx.find('projects');
      if (projects) ctx.store.add(projects.onDidChangeProject((dir) => terminal.projectChanged(dir)));
      return {
        settings: ['terminal.command', 'terminal.args', 'terminal.scrollback'],
        capabilities: () => ({ pty: pty.ok, claude: claudeFound }),
        health: () => ({ pty: { state: terminal.state } }),
        handlers: {
          'terminal:attach': ({ cols, rows }, hc) => terminal.attach(hc.clientId, cols, rows),
          'terminal:input': ({ ptyId, data }) => {
            terminal.input(ptyId, data);
            return null;
          },
          'terminal:resize': ({ ptyId, cols, rows }) => {
            terminal.resize(ptyId, cols, rows);
            return null;
          },
          'terminal:ack': ({ ptyId, chars }, hc) => {
            terminal.ack(hc.clientId, ptyId, chars);
            return null;
          },
          'terminal:restart': (input) => terminal.restart(input?.cols, input?.rows),
          'terminal:detach': ({ ptyId }, hc) => {
            terminal.detach(hc.clientId, ptyId);
            return null;
          },
        },
        shutdown: () => terminal.shutdown(),
      };
    },
  };
}
