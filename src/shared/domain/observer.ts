// Shapes the observer shows the UI: its status (watching, muted, in flow, last check) and the nudge marker event.
import { z } from 'zod';

const NUDGE_SIGNALS = [
  'wrong_file',
  'scope_drift',
  'idle',
  'phase_complete',
  'edit_loop',
  'stuck_on_implementation',
  'excessive_hints',
  'repeated_errors',
  'no_nudge',
] as const;
export const NudgeSignalSchema = z.enum(NUDGE_SIGNALS);
export type NudgeSignal = z.infer<typeof NudgeSignalSchema>;

const ObserverTriggerSchema = z.enum(['file_open', 'buffer_edits', 'explain_requests', 'phase_transition', 'idle']);
export type ObserverTrigger = z.infer<typeof ObserverTriggerSchema>;

/** How the last evaluation ended: a nudge, a deliberate silence (with the reason), or a failed triage call. */
const LastEvaluationSchema = z.object({
  at: z.string(),
  trigger: ObserverTriggerSchema,
  outcome: z.enum(['nudged', 'suppressed', 'quiet', 'failed']),
  reason: z.string().nullable(),
});

export const ObserverStatusSchema = z.object({
  active: z.boolean(),
  muted: z.boolean(),
  /** The learner is in flow (many edits in the flow window): nudges wait. */
  flow: z.boolean(),
  lastEvaluation: LastEvaluationSchema.nullable(),
});
export type ObserverStatus = z.infer<typeof ObserverStatusSchema>;

const NudgeContextSchema = z.object({
  current_file: z.string().nullable(),
  expected_file: z.string().nullable(),
  time_in_file: z.number().nullable(),
  phase: z.number().int().nullable(),
  phase_description: z.string().nullable(),
});
export type NudgeContext = z.infer<typeof NudgeContextSchema>;

export const ObserverNudgeEventSchema = z.object({
  nudgeId: z.string(),
  signal: NudgeSignalSchema,
  confidence: z.number().min(0).max(1),
  context: NudgeContextSchema,
  delivery: z.enum(['pty', 'channel', 'ui']),
});
export type ObserverNudgeEvent = z.infer<typeof ObserverNudgeEventSchema>;

/** The renderer's idle reports: durations are bounded to a day so a sleeping laptop cannot send nonsense. */
const IdleDurationSchema = z.number().int().nonnegative().max(86_400_000);
export const IdleStartSchema = z.object({ durationMs: IdleDurationSchema });
export const IdleEndSchema = z.object({ idleDurationMs: IdleDurationSchema });
