// `paige_get_session_state`: any of the 12 state items of the active session, exactly those asked.
import type { Session } from '../../../shared/domain/session';
import {
  GetSessionStateInput,
  GetSessionStateOutput,
  STATE_ITEMS,
  TOOL_NAMES,
  type SessionState,
  type StateItem,
} from '../../../shared/mcp/tools';
import { defineTool, requireSession, type McpToolDeps, type PaigeTool } from '../tool-kit';
import { unsavedDiffs } from './get-diff';

function readItem(deps: McpToolDeps, s: Session, item: StateItem): SessionState[StateItem] {
  switch (item) {
    case 'session':
      return {
        id: s.id,
        project_dir: s.projectDir,
        issue_number: s.issueNumber,
        issue_title: s.issueTitle,
        status: s.status,
        started_at: s.startedAt,
        hint_level: s.hintLevel,
      };
    case 'plan':
      return deps.state.plan(s.id);
    case 'phase':
      return deps.state.activePhase(s.id);
    case 'progress':
      return deps.state.progress(s.id);
    case 'hints':
      return deps.state.hints(s.id);
    case 'dreyfus':
      return deps.state.dreyfus();
    case 'gaps':
      return deps.state.gaps(s.id, s.startedAt);
    case 'katas':
      return deps.state.katas(s.id, s.startedAt);
    case 'actions':
      // What the action-log writer has stored (it flushes every 50 ms); forcing a write here would make this read
      // tool a write transaction on every call.
      return deps.state.actions(s.id);
    case 'diffs':
      return unsavedDiffs(deps.workspace);
    case 'open_files':
      return deps.workspace.openFilesWithActive();
    case 'buffers':
      return deps.workspace.bufferList();
  }
}

export function getSessionStateTool(deps: McpToolDeps): PaigeTool {
  return defineTool(
    {
      name: TOOL_NAMES.getSessionState,
      title: 'Read the coaching session state',
      description:
        `Returns the requested items of the active session's state (${STATE_ITEMS.join(', ')}); an empty or ` +
        'omitted include returns all of them. Requires an active session.',
      input: GetSessionStateInput,
      output: GetSessionStateOutput,
      readOnly: true,
    },
    (input) => {
      const session = requireSession(deps);
      const items = input.include && input.include.length > 0 ? new Set(input.include) : new Set(STATE_ITEMS);
      const out: Record<string, unknown> = {};
      for (const item of STATE_ITEMS) if (items.has(item)) out[item] = readItem(deps, session, item);
      return out as SessionState;
    },
  );
}
