import { describe, expect, it } from 'vitest';
import { scoreIssue, type ScoringInput } from './scoring';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const DAY = 86_400_000;
const LONG_BODY = 'x'.repeat(400);

/** A neutral issue: someone else's, unassigned, no comments or labels, updated 10 days ago (+6), long body. */
function issue(patch: Partial<ScoringInput> = {}): ScoringInput {
  return {
    author: 'someone',
    assignees: [],
    commentCount: 0,
    labels: [],
    updatedAt: new Date(NOW - 10 * DAY).toISOString(),
    body: LONG_BODY,
    ...patch,
  };
}
const BASE = 6;

describe('scoreIssue', () => {
  it.each<[string, Partial<ScoringInput>, number]>([
    ['neutral issue', {}, BASE],
    ['written by the user', { author: 'octo-learner' }, BASE + 5],
    ['author match ignores case', { author: 'Octo-Learner' }, BASE + 5],
    ['assigned to the user', { assignees: ['mona', 'octo-learner'] }, BASE + 20],
    ['assigned to someone else', { assignees: ['mona'] }, BASE],
    ['written by and assigned to the user', { author: 'octo-learner', assignees: ['octo-learner'] }, BASE + 25],
    ['eight comments', { commentCount: 8 }, BASE + 2],
    ['one comment', { commentCount: 1 }, BASE + 0.25],
    ['good first issue', { labels: [{ name: 'good first issue' }] }, BASE + 15],
    ['Good-First-Issue (case and hyphens)', { labels: [{ name: 'Good-First-Issue' }] }, BASE + 15],
    ['bug', { labels: [{ name: 'bug' }] }, BASE + 2],
    ['help-wanted', { labels: [{ name: 'help-wanted' }] }, BASE + 2],
    ['enhancement', { labels: [{ name: 'Enhancement' }] }, BASE + 2],
    ['security', { labels: [{ name: 'security' }] }, BASE - 3],
    ['documentation', { labels: [{ name: 'documentation' }] }, BASE - 10],
    ['docs', { labels: [{ name: 'docs' }] }, BASE - 10],
    ['question', { labels: [{ name: 'question' }] }, BASE - 10],
    ['duplicate', { labels: [{ name: 'duplicate' }] }, BASE - 25],
    ['invalid', { labels: [{ name: 'invalid' }] }, BASE - 25],
    ['wontfix', { labels: [{ name: 'wontfix' }] }, BASE - 50],
    ['unknown label', { labels: [{ name: 'cli' }] }, BASE],
    ['labels add up', { labels: [{ name: 'bug' }, { name: 'good first issue' }, { name: 'security' }] }, BASE + 14],
    ['the same label twice counts once', { labels: [{ name: 'help wanted' }, { name: 'help-wanted' }] }, BASE + 2],
    ['updated just now', { updatedAt: new Date(NOW).toISOString() }, 3],
    ['updated 5 days ago', { updatedAt: new Date(NOW - 5 * DAY).toISOString() }, 3],
    ['updated 5.5 days ago', { updatedAt: new Date(NOW - 5.5 * DAY).toISOString() }, 6],
    ['updated 15 days ago', { updatedAt: new Date(NOW - 15 * DAY).toISOString() }, 6],
    ['updated 20 days ago', { updatedAt: new Date(NOW - 20 * DAY).toISOString() }, -2],
    ['updated 100 days ago', { updatedAt: new Date(NOW - 100 * DAY).toISOString() }, -10],
    ['unreadable date scores no age', { updatedAt: 'yesterday' }, 0],
    ['empty body', { body: '' }, BASE - 25],
    ['49-character body', { body: 'x'.repeat(49) }, BASE - 25],
    ['50-character body', { body: 'x'.repeat(50) }, BASE - 15],
    ['199-character body', { body: 'x'.repeat(199) }, BASE - 15],
    ['200-character body', { body: 'x'.repeat(200) }, BASE - 5],
    ['399-character body', { body: 'x'.repeat(399) }, BASE - 5],
    ['whitespace does not count as body', { body: `${'x'.repeat(10)}${' '.repeat(500)}` }, BASE - 25],
  ])('%s', (_name, patch, expected) => {
    expect(scoreIssue(issue(patch), 'octo-learner', NOW)).toBeCloseTo(expected, 9);
  });

  it('without a known login, authorship and assignment score nothing', () => {
    expect(scoreIssue(issue({ author: 'octo-learner', assignees: ['octo-learner'] }), null, NOW)).toBe(BASE);
  });

  it('a ghost (deleted) author is nobody', () => {
    expect(scoreIssue(issue({ author: null }), 'octo-learner', NOW)).toBe(BASE);
  });
});
