import { describe, expect, it } from 'vitest';
import { TRUNCATION_MARK } from './kit';
import {
  ISSUE_SUITABILITY_SYSTEM_PROMPT,
  SUITABILITY_MAX_BODY_CHARS,
  issueSuitabilityAgent,
} from './issue-suitability';

describe('Issue Suitability agent', () => {
  it('is a 512-token haiku call logged as issue_suitability', () => {
    expect(issueSuitabilityAgent).toMatchObject({ callType: 'issue_suitability', alias: 'haiku', maxTokens: 512 });
    expect(
      issueSuitabilityAgent.system({ issue: { number: 1, title: '', body: '', labels: [] }, dreyfus: [], gaps: [] }),
    ).toBe(ISSUE_SUITABILITY_SYSTEM_PROMPT);
  });

  it('sends the issue with its body cut to 2 000 characters, the stages and the gaps as one JSON message', () => {
    const body = 'y'.repeat(10_000);
    const sent = JSON.parse(
      issueSuitabilityAgent.assemble({
        issue: { number: 7, title: 'Re-open bug', body, labels: ['bug'] },
        dreyfus: [{ skill_area: 'TypeScript', stage: 'Novice', confidence: 0.4 }],
        gaps: ['unit testing'],
      }) as string,
    ) as { issue: { body: string; labels: string[] }; dreyfus: unknown[]; knowledge_gaps: string[] };
    expect(sent.issue.body).toHaveLength(SUITABILITY_MAX_BODY_CHARS);
    expect(sent.issue.body.endsWith(TRUNCATION_MARK)).toBe(true);
    expect(sent.issue.labels).toEqual(['bug']);
    expect(sent.dreyfus).toHaveLength(1);
    expect(sent.knowledge_gaps).toEqual(['unit testing']);
  });

  it('accepts the documented output and refuses an unknown difficulty', () => {
    const ok = {
      summary: 'You would make completing a to-do idempotent and add a test for it.',
      difficulty: 'very_high',
      suitability: 'fair',
      recommended_focus: 'state updates',
      confidence: 0.6,
    };
    expect(issueSuitabilityAgent.output.safeParse(ok).success).toBe(true);
    expect(issueSuitabilityAgent.output.safeParse({ ...ok, difficulty: 'trivial' }).success).toBe(false);
  });
});
