// How well an open issue fits the learner, before any model looks at it: a pure score from who wrote it, who it is
// assigned to, its comments, labels, age and how much its body says. Higher is better; only the order matters.

/** @visibleForTesting */
export interface ScoringInput {
  author: string | null;
  assignees: readonly string[];
  commentCount: number;
  labels: readonly { name: string }[];
  /** ISO timestamp. */
  updatedAt: string;
  body: string;
}

const DAY_MS = 86_400_000;

/** Label weights, by the label's name in lower case with hyphens read as spaces. */
const LABEL_WEIGHTS: Record<string, number> = {
  'good first issue': 15,
  bug: 2,
  'help wanted': 2,
  enhancement: 2,
  security: -3,
  documentation: -10,
  docs: -10,
  question: -10,
  duplicate: -25,
  invalid: -25,
  wontfix: -50,
};

function labelKey(name: string): string {
  return name.trim().toLowerCase().replace(/-/g, ' ').replace(/\s+/g, ' ');
}

/**
 * The issue's score for the user `login` at time `now`:
 * - written by the user +5; assigned to the user +20; +0.25 per comment;
 * - labels (case-insensitive, a hyphen counts as a space): good first issue +15; bug, help wanted, enhancement +2;
 *   security −3; documentation, docs, question −10; duplicate, invalid −25; wontfix −50;
 * - updated at most 5 days ago +3, at most 15 days +6, older −0.1 per day;
 * - a body under 50 characters −25, under 200 −15, under 400 −5.
 */
export function scoreIssue(issue: ScoringInput, login: string | null, now: number): number {
  let score = 0;
  const me = login?.toLowerCase() ?? null;
  if (me !== null && issue.author?.toLowerCase() === me) score += 5;
  if (me !== null && issue.assignees.some((a) => a.toLowerCase() === me)) score += 20;
  score += 0.25 * Math.max(0, issue.commentCount);

  // A label listed twice (e.g. "help wanted" and "help-wanted") counts once.
  const seen = new Set(issue.labels.map((l) => labelKey(l.name)));
  for (const key of seen) score += LABEL_WEIGHTS[key] ?? 0;

  const updated = Date.parse(issue.updatedAt);
  if (Number.isFinite(updated)) {
    const days = Math.max(0, (now - updated) / DAY_MS);
    if (days <= 5) score += 3;
    else if (days <= 15) score += 6;
    else score -= 0.1 * days;
  }

  const length = issue.body.trim().length;
  if (length < 50) score -= 25;
  else if (length < 200) score -= 15;
  else if (length < 400) score -= 5;
  return score;
}
