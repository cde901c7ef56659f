// The Triage agent: given a snapshot of what the learner is doing against the active phase, decides whether the
// observer should speak up now. Conservative by design: silence is the default (docs/observer.md).
import { z } from 'zod';
import { NudgeSignalSchema, type ObserverTrigger } from '../../../shared/domain/observer';
import type { AgentDefinition, DreyfusStage } from './kit';

/** The snapshot carries the last this-many actions. */
const TRIAGE_RECENT_ACTIONS = 20;
/** Changed lines quoted per file in the diff summary. */
const DIFF_EXCERPT_LINES = 40;
/** The whole diff summary (every file's excerpt and path), in characters. @visibleForTesting */
export const DIFF_SUMMARY_MAX_CHARS = 4_096;
/** Open files listed; a learner with more tabs than this gets the active and dirty ones first. */
const MAX_OPEN_FILES = 30;
/** Text fields from the plan are the coach's prose; bounded so one long description cannot crowd out the rest. */
const MAX_PHASE_TEXT_CHARS = 1_000;

interface DiffSummaryEntry {
  path: string;
  added: number;
  removed: number;
  excerpt: string;
}

export interface TriageInput {
  trigger: ObserverTrigger;
  user_idle: boolean;
  hint_level: string;
  dreyfus_stage: DreyfusStage | null;
  current_phase: {
    number: number;
    title: string;
    description: string;
    expected_files: string[];
    tasks: { title: string; target_files: string[] }[];
  } | null;
  open_files: { path: string; dirty: boolean; active: boolean }[];
  /** `time_in_file` in seconds. */
  active_file: { path: string; cursor_line: number; time_in_file: number } | null;
  /** `ago` in seconds. */
  recent_actions: { type: string; path?: string; ago: number }[];
  diff_summary: DiffSummaryEntry[];
  /** Seconds, or null when nothing was saved / no nudge was sent this session. */
  time_since_last_save: number | null;
  time_since_last_nudge: number | null;
  /** Signals of the last three nudges, oldest first. */
  recent_nudges: string[];
}

const TriageOutputSchema = z.object({
  should_nudge: z.boolean(),
  confidence: z.number().min(0).max(1),
  signal: NudgeSignalSchema,
  reasoning: z.string(),
  suggested_context: z.object({
    current_file: z.string().nullable(),
    expected_file: z.string().nullable(),
    time_in_file: z.number().nullable(),
    phase_description: z.string().nullable(),
  }),
});
export type TriageOutput = z.output<typeof TriageOutputSchema>;

/**
 * Unified diffs (one per dirty file) → counts and an excerpt of at most 40 changed lines per file, the whole summary
 * within 4 KB: files are taken in order until the budget runs out, the last one cut short.
 */
export function summarizeDiffs(diffs: readonly { path: string; diff: string }[]): DiffSummaryEntry[] {
  const out: DiffSummaryEntry[] = [];
  let budget = DIFF_SUMMARY_MAX_CHARS;
  for (const { path, diff } of diffs) {
    if (diff === '') continue;
    let added = 0;
    let removed = 0;
    const changed: string[] = [];
    for (const line of diff.split('\n')) {
      if (line.startsWith('+++') || line.startsWith('---')) continue;
      if (line.startsWith('+')) added++;
      else if (line.startsWith('-')) removed++;
      else continue;
      if (changed.length < DIFF_EXCERPT_LINES) changed.push(line);
    }
    if (added + removed === 0) continue;
    // The path and counts cost characters too; the JSON quoting of the excerpt is small next to the cap.
    const overhead = path.length + 40;
    if (budget - overhead <= 0) break;
    const excerpt = changed.join('\n').slice(0, budget - overhead);
    budget -= overhead + excerpt.length;
    out.push({ path, added, removed, excerpt });
  }
  return out;
}

/** @visibleForTesting */
export const TRIAGE_SYSTEM_PROMPT = [
  'You are the quiet observer inside Paige, a coding coach. A developer is working through a plan, one phase at a',
  'time, while Claude Code runs in their terminal as their coach. You see a snapshot of what they are doing and decide',
  'whether the coach should check in with them right now.',
  '',
  'Be conservative. Interrupting someone who is making progress costs more than staying silent. Say should_nudge=true',
  'only when the snapshot clearly shows one of these, and name it in `signal`:',
  '- wrong_file: they keep working in files that the current phase does not point at, while its expected files sit untouched;',
  '- scope_drift: their edits wander into work that belongs to another phase or to no phase at all;',
  '- idle: they have been idle for a long time in the middle of a phase;',
  '- phase_complete: the diff suggests the phase is done but it has not been marked complete;',
  '- edit_loop: they keep editing and undoing the same lines;',
  '- stuck_on_implementation: a long time in one file with little change and no saves;',
  '- excessive_hints: they lean on hints or explanations instead of trying;',
  '- repeated_errors: the same mistake keeps coming back.',
  'Otherwise answer should_nudge=false with signal "no_nudge". Never say should_nudge=true with "no_nudge".',
  'Opening a file once, reading around the codebase, short pauses and steady edits in the expected files are normal',
  'work: stay silent. Do not nudge about the same signal as a recent nudge unless the situation clearly got worse.',
  'A Novice or Advanced Beginner may be nudged slightly sooner than a more experienced developer; when the stage is',
  'unknown treat them as a Novice.',
  '',
  '`confidence` (0 to 1) is how sure you are that a check-in would help now; below 0.7 nothing is sent.',
  '`reasoning` is one or two sentences for the log; the developer never sees it.',
  '`suggested_context` names the file they are in, the file the phase expects (one of its expected or target files),',
  'the seconds spent in the current file, and a one-line description of the phase, each null when not known.',
  'Answer with JSON only.',
].join('\n');

function cut(text: string): string {
  return text.length <= MAX_PHASE_TEXT_CHARS ? text : text.slice(0, MAX_PHASE_TEXT_CHARS - 1) + '…';
}

/** The snapshot as sent: caps applied here so no caller can send an unbounded message. */
function capped(input: TriageInput): TriageInput {
  const open = [...input.open_files].sort((a, b) => Number(b.active || b.dirty) - Number(a.active || a.dirty));
  return {
    ...input,
    current_phase: input.current_phase && {
      ...input.current_phase,
      title: cut(input.current_phase.title),
      description: cut(input.current_phase.description),
    },
    open_files: open.slice(0, MAX_OPEN_FILES),
    recent_actions: input.recent_actions.slice(-TRIAGE_RECENT_ACTIONS),
    recent_nudges: input.recent_nudges.slice(-3),
  };
}

export const triageAgent: AgentDefinition<TriageInput, typeof TriageOutputSchema> = {
  callType: 'triage_model',
  alias: 'haiku',
  maxTokens: 512,
  output: TriageOutputSchema,
  system: () => TRIAGE_SYSTEM_PROMPT,
  assemble: (input) => JSON.stringify(capped(input)),
};
