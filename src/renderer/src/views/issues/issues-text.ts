// What the Issues view says about the ranked list: how far it got, what the order means, and what picking an issue
// does when the model layer is off.
import type { IssuesState } from './issues-store';

/** The list's progress line; empty when there is nothing to say (idle, or gh failed). */
export function progressLine(s: Pick<IssuesState, 'status' | 'issues' | 'total' | 'openCount' | 'llm'>): string {
  if (s.status === 'loading') return 'Loading issues from GitHub…';
  if (s.status === 'streaming' && s.total !== null) {
    const verb = s.llm === 'ready' ? 'Assessing' : 'Ranking';
    return `${verb} ${Math.min(s.issues.length + 1, s.total)} of ${s.total}…`;
  }
  if (s.status !== 'done') return '';
  const shown = s.issues.length;
  const open = Math.max(s.openCount ?? shown, shown);
  if (shown === 0) return 'No open issues to suggest in this repository.';
  if (shown === 1 && open === 1) return 'The one open issue, ranked by labels and activity.';
  if (shown === open) return `All ${open} open issues, ranked by labels and activity.`;
  return `The ${shown} best starting points of ${open} open issues, ranked by labels and activity.`;
}

/** Why the issues carry no difficulty or fit, when the model layer is off; null when it rated them. */
export function unratedNote(llm: IssuesState['llm']): string | null {
  if (llm === 'no_key') return 'Not rated: no model is configured (no Anthropic API key).';
  if (llm === 'invalid_key') return 'Not rated: the Anthropic API rejected the API key.';
  return null;
}

/** What the "Work on this issue" button does, for its tooltip. */
export function workOnHint(llm: IssuesState['llm']): string {
  if (llm === null || llm === 'ready') {
    return 'Starts a coaching session and a branch for this issue, then Paige plans the work.';
  }
  return 'Starts a coaching session and a branch for this issue, but Paige cannot plan it without a model.';
}
