// The agent kit: what every agent file declares (prompt, zod output schema, input assembler with caps) and the one
// runner that sends it through callModel under the agent's call type.
import type { z } from 'zod';
import type { CallResult, LlmClient, ModelAlias, PromptPart } from '../client';

export const DREYFUS_STAGES = ['Novice', 'Advanced Beginner', 'Competent', 'Proficient', 'Expert'] as const;
export type DreyfusStage = (typeof DREYFUS_STAGES)[number];

export interface SkillAssessment {
  skillArea: string;
  stage: DreyfusStage;
}

/**
 * The stage most relevant to a topic: an assessment whose skill area equals the topic or is contained in it (or
 * contains it), else the lowest assessed stage, else Novice.
 */
export function stageFor(topic: string, assessments: readonly SkillAssessment[]): DreyfusStage {
  const t = topic.toLowerCase();
  const exact = assessments.find((a) => a.skillArea.toLowerCase() === t);
  if (exact) return exact.stage;
  const partial = assessments.find((a) => {
    const s = a.skillArea.toLowerCase();
    return s.length > 0 && t.length > 0 && (t.includes(s) || s.includes(t));
  });
  if (partial) return partial.stage;
  if (assessments.length === 0) return 'Novice';
  return assessments.reduce((low, a) => (DREYFUS_STAGES.indexOf(a.stage) < DREYFUS_STAGES.indexOf(low.stage) ? a : low))
    .stage;
}

/** @visibleForTesting */
export const TRUNCATION_MARK = '\n…[truncated]';

/** Cuts text to `max` characters, marking the cut so the model knows it sees part of it. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, Math.max(0, max - TRUNCATION_MARK.length)) + TRUNCATION_MARK;
}

export interface AgentDefinition<I, O extends z.ZodType> {
  /** Logged as `call_type`. */
  callType: string;
  alias: ModelAlias;
  maxTokens: number;
  output: O;
  /** The system prompt; the same input context must give the same text so the prompt cache can reuse it. */
  system(input: I): string;
  /** One JSON user message, already cut to the agent's caps; parts marked `cache` are stable prefixes. */
  assemble(input: I): string | PromptPart[];
}

interface RunOptions {
  sessionId?: number | null;
  signal?: AbortSignal;
  stream?: boolean;
  onDelta?: (text: string) => void;
}

export function runAgent<I, O extends z.ZodType>(
  client: LlmClient,
  agent: AgentDefinition<I, O>,
  input: I,
  opts: RunOptions = {},
): Promise<CallResult<z.output<O>>> {
  return client.callModel({
    callType: agent.callType,
    alias: agent.alias,
    maxTokens: agent.maxTokens,
    system: agent.system(input),
    user: agent.assemble(input),
    schema: agent.output,
    ...opts,
  });
}
