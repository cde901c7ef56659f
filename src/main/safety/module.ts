// Feature module: the command safety validator for Claude Code's Bash calls (`paige_validate_command`, the plugin's
// PreToolUse hook) and for the UI (`safety:validate`), with every decision in the action log.
import { redactString } from '../../shared/redact';
import type { ActionType } from '../activity/action-types';
import type { FeatureModule } from '../modules/feature-module';
import type { ToolDeniedReport } from '../mcp/mcp-http-server';
import { mcpToolDeps } from '../mcp/tool-deps';
import { validateCommandTool } from '../mcp/tools/validate-command';
import { COMMAND_PREVIEW_CHARS, createCommandValidator, type CommandValidator } from './command-validation';

declare module '../modules/feature-module' {
  interface ServiceMap {
    validateCommand: CommandValidator;
    /** Logs a file-editing tool call the plugin's hook refused. */
    recordToolDenied: (report: ToolDeniedReport) => void;
  }
}

export const safetyModule: FeatureModule = {
  id: 'safety',
  setup(ctx) {
    const record = (type: ActionType, data: unknown): void => ctx.get('activity').recordIfActive(type, data);
    const validate = createCommandValidator({ mode: () => ctx.settings.values.safety.mode, record });
    ctx.provide('validateCommand', validate);
    // Logged like a write-style command denied in read-only mode, so every blocked attempt is in the log.
    ctx.provide('recordToolDenied', (r) =>
      record('command_validated', {
        riskLevel: 'safe',
        decision: 'deny',
        readOnlyViolation: true,
        ruleIds: [],
        tool: r.toolName,
        preview: redactString(r.target === null ? r.toolName : `${r.toolName} ${r.target}`).slice(
          0,
          COMMAND_PREVIEW_CHARS,
        ),
      }),
    );
    return {
      settings: ['safety.mode'],
      handlers: { 'safety:validate': (input) => validate(input) },
      tools: [validateCommandTool(mcpToolDeps(ctx))],
    };
  },
};
