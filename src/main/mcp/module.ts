// Feature module: the MCP endpoint Claude Code's Paige plugin connects to. It serves the tools every other module
// contributes; it owns none of its own.
import type { FeatureModule } from '../modules/feature-module';
import { McpService } from './mcp-service';

declare module '../modules/feature-module' {
  interface ServiceMap {
    mcp: McpService;
  }
}

export const mcpModule: FeatureModule = {
  id: 'mcp',
  setup(ctx) {
    const mcp = new McpService({
      appVersion: ctx.appVersion,
      logger: ctx.logger,
      tools: () => ctx.tools(),
      record: (type, data) => ctx.get('activity').recordIfActive(type, data),
      onToolDenied: (report) => ctx.find('recordToolDenied')?.(report),
      validateOutput: ctx.validateOutput,
    });
    ctx.provide('mcp', mcp);
    return {
      settings: ['mcp.port'],
      connections: () => mcp.connectionCounts(),
      runtimeInfo: () => {
        const c = mcp.connection();
        return c ? { mcpUrl: c.url, mcpToken: c.token, mcpPort: c.port } : {};
      },
      async start() {
        const port = ctx.settings.values.mcp.port;
        try {
          await mcp.start(port);
        } catch (err) {
          // The rest of Paige still works without it; the learner is told why Claude Code cannot reach Paige.
          ctx.events.emit(
            'app:error',
            {
              code: 'INTERNAL',
              message:
                `The MCP server could not listen on port ${port} (${(err as Error).message}); ` +
                'Claude Code cannot reach Paige. Pick another port in Settings → MCP, or 0 for any free port.',
            },
            { sticky: true },
          );
        }
      },
      stopAccepting: () => mcp.stopAccepting(),
      shutdown: () => mcp.close(),
    };
  },
};
