// The session as MCP tools show it (snake_case, as paige_start_session and paige_get_active_session return it).
import type { Session } from '../../../shared/domain/session';
import type { McpSession } from '../../../shared/mcp/tools';

export function toMcpSession(s: Session): McpSession {
  return {
    id: s.id,
    project_dir: s.projectDir,
    issue_number: s.issueNumber,
    issue_title: s.issueTitle,
    issue_url: s.issueUrl,
    status: s.status,
    started_at: s.startedAt,
    hint_level: s.hintLevel,
    claude_session_id: s.claudeSessionId,
  };
}
