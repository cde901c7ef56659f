// The action-type catalog and the searchable text projection of an action (docs/activity.md).
import { redactString } from '../../shared/redact';

/** Every action type the log knows. */
export type ActionType =
  | 'file_open'
  | 'file_save'
  | 'file_close'
  | 'file_create'
  | 'file_delete'
  | 'buffer_summary'
  | 'buffer_significant_change'
  | 'editor_tab_switch'
  | 'editor_selection'
  | 'hints_level_change'
  | 'user_idle_start'
  | 'user_idle_end'
  | 'user_explain_request'
  | 'explain_completed'
  | 'review_requested'
  | 'review_completed'
  | 'practice_solution_submitted'
  | 'practice_solution_reviewed'
  | 'practice_hint_requested'
  | 'session_started'
  | 'session_resumed'
  | 'session_ended'
  | 'wrap_up_error'
  | 'planning_started'
  | 'planning_completed'
  | 'planning_failed'
  | 'coaching_pipeline_run'
  | 'coaching_message'
  | 'phase_started'
  | 'phase_completed'
  | 'decorations_applied'
  | 'file_hints_applied'
  | 'observer_triage'
  | 'nudge_sent'
  | 'nudge_suppressed'
  | 'observer_muted'
  | 'mcp_tool_call'
  | 'command_validated'
  | 'terminal_started'
  | 'terminal_exited'
  | 'commit_created'
  | 'pr_created'
  | 'git_save_and_exit'
  | 'git_discard_and_exit'
  | 'dashboard_loaded'
  | 'learning_material_generated'
  | 'learning_material_viewed'
  | 'learning_material_completed'
  | 'learning_material_dismissed'
  | 'learning_material_answer_checked'
  | 'chat_message_sent'
  | 'chat_turn_completed';

/** Bound on how much of one string field goes into the search index; long previews are not useful as matches. */
const MAX_FIELD_CHARS = 500;
/** How deep the projection walks `data`; action payloads are shallow. */
const MAX_PROJECTION_DEPTH = 4;

function collectStrings(value: unknown, out: string[], depth: number): void {
  if (depth > MAX_PROJECTION_DEPTH) return;
  if (typeof value === 'string') {
    if (value.length > 0) out.push(redactString(value.slice(0, MAX_FIELD_CHARS)));
  } else if (Array.isArray(value)) {
    for (const v of value) collectStrings(v, out, depth + 1);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value as Record<string, unknown>)) collectStrings(v, out, depth + 1);
  }
}

/**
 * Search text for one action: the type's words ("file save") then every string field of `data`, redacted. The
 * same function rebuilds the text for snippets because the FTS table is contentless.
 */
export function actionSearchText(actionType: string, data: unknown): string {
  const parts = [actionType.replace(/_/g, ' ')];
  collectStrings(data, parts, 0);
  return parts.join(' ');
}
