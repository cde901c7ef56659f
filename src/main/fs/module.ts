// Feature module: the workspace (file tree, buffers, saves, the watcher) and the MCP tools that read or point at the
// learner's files.
import type { FeatureModule } from '../modules/feature-module';
import { clearHighlightsTool } from '../mcp/tools/clear-highlights';
import { clearHintsTool } from '../mcp/tools/clear-hints';
import { getBufferTool } from '../mcp/tools/get-buffer';
import { getDiffTool } from '../mcp/tools/get-diff';
import { getOpenFilesTool } from '../mcp/tools/get-open-files';
import { highlightLinesTool } from '../mcp/tools/highlight-lines';
import { hintFilesTool } from '../mcp/tools/hint-files';
import { openFileTool } from '../mcp/tools/open-file';
import { mcpToolDeps } from '../mcp/tool-deps';
import { WorkspaceService } from './workspace-service';

declare module '../modules/feature-module' {
  interface ServiceMap {
    workspace: WorkspaceService;
  }
}

export const workspaceModule: FeatureModule = {
  id: 'workspace',
  setup(ctx) {
    const workspace = new WorkspaceService({
      activity: ctx.get('activity'),
      logger: ctx.logger,
      events: {
        treeUpdate: (changes) => ctx.events.emit('fs:tree_update', { changes }),
        externalChange: (change) => ctx.events.emit('buffer:external_change', change),
      },
      extraIgnores: () => ctx.settings.values.fs.extraIgnores,
      now: () => ctx.now(),
    });
    ctx.provide('workspace', workspace);
    const deps = mcpToolDeps(ctx);
    return {
      settings: ['fs.extraIgnores'],
      handlers: {
        'fs:tree': () => workspace.tree(),
        'file:open': ({ path }) => workspace.open(path, 'ui'),
        'file:save': (input) => workspace.save(input),
        'file:close': ({ path }) => workspace.close(path),
        'file:create': (input) => workspace.create(input),
        'file:delete': ({ path }) => workspace.delete(path),
        'buffer:update': (input) => workspace.updateBuffer(input),
        'editor:tab_switch': ({ fromPath, toPath }) => workspace.tabSwitch(fromPath, toPath),
        'editor:selection': (input) => workspace.selection(input),
      },
      tools: [
        getBufferTool(deps),
        getOpenFilesTool(deps),
        getDiffTool(deps),
        openFileTool(deps),
        highlightLinesTool(deps),
        clearHighlightsTool(deps),
        hintFilesTool(deps),
        clearHintsTool(deps),
      ],
      async start() {
        // The watcher for the project opened at start-up; later switches follow the project service.
        const projects = ctx.get('projects');
        await workspace.setProject(projects.projectDir);
        ctx.store.add(
          projects.onDidChangeProject((dir) => {
            workspace.setProject(dir).catch((err: unknown) => ctx.logger.error('workspace switch failed', { err }));
          }),
        );
      },
      shutdown: () => workspace.shutdown(),
    };
  },
};
