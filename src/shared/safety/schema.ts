// Zod schemas for the validator's input and output, shared by MCP tool 18 (`paige_validate_command`) and the
// `safety:validate` IPC channel.
import { z } from 'zod';
import { RISK_LEVELS, RULE_CATEGORIES, RULES, type RuleId } from './rules';
import { MAX_COMMAND_LENGTH } from './validator';

const SafetyModeSchema = z.enum(['read_only', 'standard']);
const RiskLevelSchema = z.enum(RISK_LEVELS);
const DecisionSchema = z.enum(['allow', 'ask', 'deny']);
const RuleIdSchema = z.enum(Object.keys(RULES) as [RuleId, ...RuleId[]]);

/** A command up to 10 000 characters; the mode defaults to the `safety.mode` setting. */
export const ValidateCommandInputSchema = z.object({
  command: z.string().max(MAX_COMMAND_LENGTH),
  cwd: z.string().max(4096).optional(),
  mode: SafetyModeSchema.optional(),
});
export type ValidateCommandInput = z.infer<typeof ValidateCommandInputSchema>;

export const ValidateCommandOutputSchema = z.object({
  risk_level: RiskLevelSchema,
  decision: DecisionSchema,
  read_only_violation: z.boolean(),
  matched_rules: z.array(z.object({ id: RuleIdSchema, category: z.enum(RULE_CATEGORIES), risk: RiskLevelSchema })),
  reason: z.string(),
  elapsed_us: z.number().int().nonnegative(),
});
export type ValidateCommandOutput = z.infer<typeof ValidateCommandOutputSchema>;

/** `safety:validate` takes `command, mode?`. */
export const SafetyValidateInputSchema = ValidateCommandInputSchema.pick({ command: true, mode: true });
