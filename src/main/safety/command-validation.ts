// The validator as a service: the configured mode by default and a `command_validated` action with a redacted
// preview. Shared by `paige_validate_command` and `safety:validate`.
import { redactString } from '../../shared/redact';
import type { ValidateCommandInput, ValidateCommandOutput } from '../../shared/safety/schema';
import { validateCommand, type SafetyMode } from '../../shared/safety/validator';
import type { ActionType } from '../activity/action-types';

/** The command preview in the action log is at most 200 characters, redacted. */
export const COMMAND_PREVIEW_CHARS = 200;

interface CommandValidationDeps {
  mode(): SafetyMode;
  /** Logs against the active session; a no-op when none is active (validation never requires one). */
  record(type: ActionType, data: unknown): void;
}

export type CommandValidator = (input: ValidateCommandInput) => ValidateCommandOutput;

export function createCommandValidator(deps: CommandValidationDeps): CommandValidator {
  return (input) => {
    const result = validateCommand(input.command, { mode: input.mode ?? deps.mode(), cwd: input.cwd });
    deps.record('command_validated', {
      riskLevel: result.risk_level,
      decision: result.decision,
      readOnlyViolation: result.read_only_violation,
      ruleIds: result.matched_rules.map((m) => m.id),
      // Redact the whole command before cutting, so a secret across the cut is not half shown.
      preview: redactString(input.command).slice(0, COMMAND_PREVIEW_CHARS),
    });
    return result;
  };
}
