// `paige_start_session` (docs/sessions.md): one active session; the same project attaches, another project is
// refused unless `force`, which ends the old one as recovered and starts anew.
import fs from 'node:fs';
import type { Session } from '../../../shared/domain/session';
import { PaigeError } from '../../../shared/ipc/errors';
import { StartSessionInput, StartSessionOutput, TOOL_NAMES } from '../../../shared/mcp/tools';
import { defineTool, type McpToolDeps, type PaigeTool } from '../tool-kit';
import { toMcpSession } from './to-mcp-session';

/** How Claude Code should behave while Paige coaches; returned on every start so a resumed conversation has it too. */
const COACH_PERSONA = [
  'You are Paige, a coding coach working beside a learner in their own project.',
  '- Never write, edit or delete files and never run commands that change the project: the learner writes every line.',
  '- Guide with questions and hints before answers; point at files and lines (paige_hint_files, ' +
    'paige_highlight_lines) and explain at their level; keep sidebar messages short (paige_show_message).',
  "- Respect the session's hint level (in the state summary): start with the lightest hint that could help and give " +
    'more only when asked or when the learner stays stuck.',
  '- Check a shell command with paige_validate_command before suggesting it.',
  '- A line starting with [PAIGE_OBSERVER] is an automated check-in from Paige, not the learner: read its JSON and ' +
    'offer one brief nudge, or stay quiet if it does not fit.',
].join('\n');

function realProjectDir(input: string): string {
  try {
    const real = fs.realpathSync(input);
    if (fs.statSync(real).isDirectory()) return real;
  } catch {
    // Reported below.
  }
  throw new PaigeError('PROJECT_NOT_FOUND', `No project directory at ${input.slice(0, 300)}.`, {
    projectDir: input.slice(0, 300),
  });
}

function stateSummary(s: Session, attached: boolean, planTitle: string | null): string {
  const issue =
    s.issueNumber !== null ? `issue #${s.issueNumber}${s.issueTitle ? ` "${s.issueTitle}"` : ''}` : 'no issue';
  const plan = planTitle !== null ? `plan "${planTitle}"` : 'no plan yet';
  return `${attached ? 'Attached to' : 'Started'} session ${s.id} in ${s.projectDir}: ${issue}, ${plan}, hint level ${s.hintLevel}.`;
}

export function startSessionTool(deps: McpToolDeps): PaigeTool {
  return defineTool(
    {
      name: TOOL_NAMES.startSession,
      title: 'Start or attach to the coaching session',
      description:
        'Starts the coaching session for a project, or attaches to the active one for the same project. ' +
        'Another project with an active session is refused unless force is true (which ends that session).',
      input: StartSessionInput,
      output: StartSessionOutput,
      readOnly: false,
    },
    (input) => {
      const projectDir = realProjectDir(input.project_dir);
      const active = deps.sessions.getActive();
      let session: Session;
      let attached = false;
      if (active && active.projectDir === projectDir) {
        session = deps.sessions.attach(active.id, input.claude_session_id ?? null);
        if (input.issue_number !== undefined || input.issue_title !== undefined) {
          session = deps.sessions.fillIssueFields(session.id, {
            ...(input.issue_number !== undefined ? { number: input.issue_number } : {}),
            ...(input.issue_title !== undefined ? { title: input.issue_title } : {}),
          });
        }
        attached = true;
      } else {
        if (active) {
          if (!input.force) {
            throw new PaigeError(
              'ACTIVE_SESSION_EXISTS',
              `Session ${active.id} is active for ${active.projectDir}. End it first, or pass force: true to end it.`,
              { sessionId: active.id, projectDir: active.projectDir },
            );
          }
          const ended = deps.sessions.forceEnd(active.id);
          deps.events.emit('session:ended', { sessionId: ended.id, status: ended.status, reason: 'forced' });
        }
        session = deps.sessions.start({
          projectDir,
          hintLevel: deps.settings.values.hints.defaultLevel,
          issueNumber: input.issue_number ?? null,
          issueTitle: input.issue_title ?? null,
          claudeSessionId: input.claude_session_id ?? null,
        });
        deps.record('session_started', { issueNumber: session.issueNumber, source: 'mcp' });
      }
      const snapshot = deps.sessions.snapshot();
      deps.events.emit('session:started', {
        session,
        issueContext: snapshot?.issueContext ?? null,
        plan: deps.state.fullPlan(session.id),
        hintLevel: session.hintLevel,
      });
      const plan = deps.plans.activePlan(session.id);
      return {
        session: toMcpSession(session),
        attached,
        persona: COACH_PERSONA,
        state_summary: stateSummary(session, attached, plan?.title ?? null),
      };
    },
  );
}
