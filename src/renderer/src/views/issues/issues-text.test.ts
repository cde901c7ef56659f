import { describe, expect, it } from 'vitest';
import type { ScoredIssue } from '../../../../shared/domain/issues';
import { progressLine, unratedNote, workOnHint } from './issues-text';

const issues = (n: number) => Array.from({ length: n }, (_, k) => ({ number: k + 1 }) as ScoredIssue);

describe('progressLine', () => {
  it('says how many of the open issues are shown and what the order is', () => {
    expect(progressLine({ status: 'done', issues: issues(15), total: 15, openCount: 40, llm: 'ready' })).toBe(
      'The 15 best starting points of 40 open issues, ranked by labels and activity.',
    );
  });

  it('says all when every open issue is shown, and handles one and none', () => {
    expect(progressLine({ status: 'done', issues: issues(3), total: 3, openCount: 3, llm: 'ready' })).toBe(
      'All 3 open issues, ranked by labels and activity.',
    );
    expect(progressLine({ status: 'done', issues: issues(1), total: 1, openCount: 1, llm: 'ready' })).toBe(
      'The one open issue, ranked by labels and activity.',
    );
    expect(progressLine({ status: 'done', issues: [], total: 0, openCount: 0, llm: 'ready' })).toBe(
      'No open issues to suggest in this repository.',
    );
  });

  it('assesses with a model, only ranks without one', () => {
    expect(progressLine({ status: 'streaming', issues: issues(4), total: 15, openCount: 40, llm: 'ready' })).toBe(
      'Assessing 5 of 15…',
    );
    expect(progressLine({ status: 'streaming', issues: issues(4), total: 15, openCount: 40, llm: 'no_key' })).toBe(
      'Ranking 5 of 15…',
    );
    expect(progressLine({ status: 'loading', issues: [], total: null, openCount: null, llm: null })).toBe(
      'Loading issues from GitHub…',
    );
  });
});

describe('without a model', () => {
  it('says the issues are not rated and why; nothing when the model rated them', () => {
    expect(unratedNote('no_key')).toBe('Not rated: no model is configured (no Anthropic API key).');
    expect(unratedNote('invalid_key')).toContain('Not rated');
    expect(unratedNote('ready')).toBeNull();
    expect(unratedNote(null)).toBeNull();
  });

  it('the Work on button says Paige cannot plan', () => {
    expect(workOnHint('no_key')).toContain('cannot plan it without a model');
    expect(workOnHint('ready')).toContain('then Paige plans the work');
  });
});
