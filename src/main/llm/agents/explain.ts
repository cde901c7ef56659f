// The Explain agent: explains a selection of code to the learner, pitched at their Dreyfus stage for the topic and
// tied to the active phase of their plan when there is one.
import { z } from 'zod';
import { truncate, type AgentDefinition, type DreyfusStage } from './kit';

/** Caps on what is sent: the selection, and the lines either side of it for context. @visibleForTesting */
export const EXPLAIN_MAX_SELECTION_CHARS = 20_000;
const EXPLAIN_CONTEXT_LINES = 50;
/** The context around a selection is lines of code; this bounds pathological minified lines too. */
const EXPLAIN_MAX_CONTEXT_CHARS = 20_000;
const EXPLAIN_TITLE_MAX = 50;

export interface ActivePhase {
  number: number;
  title: string;
  description: string;
}

interface ExplainInput {
  path: string;
  language: string | null;
  selectedText: string;
  range: { startLine: number; endLine: number };
  /** The whole file (from the editor buffer) when known: the context is cut from it. */
  fileText?: string | undefined;
  /** Context the renderer sent instead, used when the file text is not known. */
  surroundingContext?: string | undefined;
  phase: ActivePhase | null;
  stage: DreyfusStage;
}

const ExplainOutputSchema = z.object({
  title: z.string().min(1).max(EXPLAIN_TITLE_MAX),
  explanation: z.string().min(1),
  key_concepts: z.array(z.string().min(1)).max(12),
  analogy: z.string().nullable(),
  related_files: z.array(z.string().min(1)).max(12).nullable(),
  phase_connection: z.string().nullable(),
});
type ExplainOutput = z.output<typeof ExplainOutputSchema>;

const VOICE: Record<DreyfusStage, string> = {
  Novice:
    'The learner is a Novice here. Use plain words, define every term you use, go line by line where it helps, and give an everyday analogy.',
  'Advanced Beginner':
    'The learner is an Advanced Beginner here. Use plain words, name the concepts they are meeting, and give an analogy when it makes the idea click.',
  Competent:
    'The learner is Competent here. Skip the basics; explain why the code is written this way and what would break if it were not. An analogy only if it adds something.',
  Proficient:
    'The learner is Proficient here. Be terse: the design, the trade-offs it makes, and the edge cases to watch. No analogy unless asked.',
  Expert:
    'The learner is an Expert here. Be terse: architecture, trade-offs, edge cases and non-obvious behaviour only. No analogy.',
};

/** @visibleForTesting */
export function explainSystemPrompt(stage: DreyfusStage): string {
  return [
    'You are Paige, a patient coding coach who helps a developer understand the code they are working in.',
    'The developer selected some code in their editor and asked you to explain it.',
    VOICE[stage],
    'Explain what the selected code does and why, using the surrounding context to resolve names. Do not rewrite the',
    'code or hand over a solution to their task; help them understand it so they can do the work themselves.',
    'If an active phase of their plan is given, say in one or two sentences how this code relates to it in',
    '`phase_connection`; otherwise `phase_connection` is null.',
    `Answer with JSON only: \`title\` (at most ${EXPLAIN_TITLE_MAX} characters), \`explanation\` (markdown),`,
    '`key_concepts` (short names), `analogy` (or null), `related_files` (repository paths the code depends on, or null),',
    '`phase_connection` (or null).',
  ].join('\n');
}

/** The lines either side of the selection, cut from the file text; or the context the renderer sent. */
function surroundingLines(input: ExplainInput): string | null {
  if (input.fileText !== undefined) {
    const lines = input.fileText.split('\n');
    const from = Math.max(0, input.range.startLine - 1 - EXPLAIN_CONTEXT_LINES);
    const to = Math.min(lines.length, input.range.endLine + EXPLAIN_CONTEXT_LINES);
    return truncate(lines.slice(from, to).join('\n'), EXPLAIN_MAX_CONTEXT_CHARS);
  }
  if (input.surroundingContext !== undefined && input.surroundingContext !== '') {
    return truncate(input.surroundingContext, EXPLAIN_MAX_CONTEXT_CHARS);
  }
  return null;
}

export const explainAgent: AgentDefinition<ExplainInput, typeof ExplainOutputSchema> = {
  callType: 'explain_this',
  alias: 'sonnet',
  maxTokens: 2_048,
  output: ExplainOutputSchema,
  system: (input) => explainSystemPrompt(input.stage),
  assemble: (input) =>
    JSON.stringify({
      path: input.path,
      language: input.language,
      selection: { startLine: input.range.startLine, endLine: input.range.endLine },
      selected_code: truncate(input.selectedText, EXPLAIN_MAX_SELECTION_CHARS),
      surrounding_context: surroundingLines(input),
      active_phase: input.phase,
    }),
};

/** The answer as the IPC contract carries it; a phase connection without an active phase is dropped. */
export function toExplanation(out: ExplainOutput, phase: ActivePhase | null) {
  return {
    title: out.title,
    explanation: out.explanation,
    keyConcepts: out.key_concepts,
    analogy: out.analogy,
    relatedFiles: out.related_files,
    phaseConnection: phase ? out.phase_connection : null,
  };
}
