// What the UI shows of a session's wrap-up (docs/sessions.md): each agent's state while it runs, and what came out of
// it, read back from SQLite so a reloaded window shows the same results.
import { z } from 'zod';
import { SessionSchema, WrapUpAgentSchema } from './session';

const WrapUpAgentStateSchema = z.enum(['pending', 'running', 'done', 'failed']);
export type WrapUpAgentState = z.infer<typeof WrapUpAgentStateSchema>;

const DreyfusStageSchema = z.enum(['Novice', 'Advanced Beginner', 'Competent', 'Proficient', 'Expert']);

/** One agent starting, finishing or failing; `message` is the failure's text. */
export const WrapUpProgressEventSchema = z.object({
  sessionId: z.number().int(),
  agent: WrapUpAgentSchema,
  state: WrapUpAgentStateSchema,
  message: z.string().nullable(),
});

export const WrapUpSummarySchema = z.object({
  session: SessionSchema,
  /** Every agent, in run order: Knowledge Gap, Dreyfus, Reflection. */
  agents: z.array(
    z.object({ agent: WrapUpAgentSchema, state: WrapUpAgentStateSchema, message: z.string().nullable() }),
  ),
  gaps: z.array(z.object({ topic: z.string(), severity: z.enum(['low', 'medium', 'high']) })),
  katas: z.array(z.object({ title: z.string(), gapTopic: z.string(), difficulty: z.string() })),
  /** `from` is null for a skill assessed for the first time. */
  stageChanges: z.array(
    z.object({ skillArea: z.string(), from: DreyfusStageSchema.nullable(), to: DreyfusStageSchema }),
  ),
  memories: z.array(z.object({ id: z.string(), content: z.string(), importance: z.enum(['low', 'medium', 'high']) })),
});
export type WrapUpSummary = z.infer<typeof WrapUpSummarySchema>;
