// The triage snapshot (docs/observer.md): the observer's memory joined with the plan, the open files and the diffs
// of dirty buffers, in the Triage agent's input shape.
import type { WorkspaceService } from '../fs/workspace-service';
import { DREYFUS_STAGES, stageFor, type DreyfusStage, type SkillAssessment } from '../llm/agents/kit';
import { summarizeDiffs, type TriageInput } from '../llm/agents/triage';
import type { SessionService } from '../sessions/session-service';
import type { SessionStateReader, StatePhase } from '../sessions/session-state';
import type { ObserverMemory } from './session-observer';

interface TriageSources {
  hintLevel: () => string;
  phase: () => StatePhase | null;
  assessments: () => readonly SkillAssessment[];
  openFiles: () => readonly { path: string; dirty: boolean }[];
  /** Cursor line of an open buffer, or null. */
  cursorLine: (path: string) => number | null;
  dirtyPaths: () => readonly string[];
  /** Unified diff disk → buffer ('' when clean). */
  diff: (path: string) => string;
}

interface SourceServices {
  sessions?: SessionService | undefined;
  state?: SessionStateReader | undefined;
  workspace?: WorkspaceService | undefined;
}

/** The snapshot's sources for one session, read from the services present (looked up at each read). */
export function triageSources(services: () => SourceServices, sessionId: number): TriageSources {
  return {
    hintLevel: () => services().sessions?.get(sessionId)?.hintLevel ?? 'off',
    phase: () => services().state?.activePhase(sessionId) ?? null,
    assessments: () =>
      (services().state?.dreyfus() ?? [])
        .filter((d) => (DREYFUS_STAGES as readonly string[]).includes(d.stage))
        .map((d) => ({ skillArea: d.skill_area, stage: d.stage as DreyfusStage })),
    openFiles: () => services().workspace?.openFileList() ?? [],
    cursorLine: (path) => services().workspace?.getBuffer(path)?.cursor.line ?? null,
    dirtyPaths: () => services().workspace?.dirtyPaths() ?? [],
    diff: (path) => services().workspace?.diff(path) ?? '',
  };
}

const secondsSince = (now: number, at: number | null): number | null =>
  at === null ? null : Math.max(0, Math.round((now - at) / 1000));

export function buildTriageInput(m: ObserverMemory, src: TriageSources): TriageInput {
  const phase = src.phase();
  const assessments = src.assessments();
  const stage: DreyfusStage | null = assessments.length === 0 ? null : stageFor(phase?.title ?? '', assessments);
  const active = m.activeFile;
  return {
    trigger: m.trigger,
    user_idle: m.userIdle,
    hint_level: src.hintLevel(),
    dreyfus_stage: stage,
    current_phase: phase && {
      number: phase.number,
      title: phase.title,
      description: phase.description,
      expected_files: phase.expected_files,
      tasks: phase.tasks.map((t) => ({ title: t.title, target_files: t.target_files })),
    },
    open_files: src.openFiles().map((f) => ({ path: f.path, dirty: f.dirty, active: f.path === active?.path })),
    active_file: active && {
      path: active.path,
      cursor_line: src.cursorLine(active.path) ?? 1,
      time_in_file: secondsSince(m.now, active.since) ?? 0,
    },
    recent_actions: m.recentActions.map((a) => ({
      type: a.type,
      ...(a.path !== null ? { path: a.path } : {}),
      ago: secondsSince(m.now, a.at) ?? 0,
    })),
    diff_summary: summarizeDiffs(src.dirtyPaths().map((path) => ({ path, diff: src.diff(path) }))),
    time_since_last_save: secondsSince(m.now, m.lastSaveAt),
    time_since_last_nudge: secondsSince(m.now, m.lastNudgeAt),
    recent_nudges: [...m.recentNudges],
  };
}
