// The Coach agent's input assembler: every cap holds however large the issue, plan, tree and excerpts are, and a
// small input goes out whole.
import { describe, expect, it } from 'vitest';
import { COACH_CAPS, coachAgent, type CoachInput } from './coach';
import { TRUNCATION_MARK } from './kit';

function input(overrides: Partial<CoachInput> = {}): CoachInput {
  return {
    issue: {
      number: 42,
      title: 'CSV import breaks on quoted fields',
      body: 'A quoted comma splits a field.',
      labels: [],
    },
    plan_text: '1. Add tests\n2. Rewrite parseLine',
    repo: { tree_paths: ['src/csv/parse.ts'], excerpts: [{ path: 'src/csv/parse.ts', text: 'export {};\n' }] },
    dreyfus: [{ skill_area: 'TypeScript', stage: 'Competent', confidence: 0.6 }],
    relevant_memories: [],
    ...overrides,
  };
}

describe('coachAgent.assemble', () => {
  it('sends a small input unchanged, on sonnet as coach_agent', () => {
    const i = input();
    expect(JSON.parse(coachAgent.assemble(i) as string)).toEqual(i);
    expect(coachAgent).toMatchObject({ alias: 'sonnet', callType: 'coach_agent', maxTokens: 8_192 });
  });

  it('cuts the body, plan text, tree, excerpts and memories to their caps', () => {
    const big = 'x'.repeat(100_000);
    const sent = JSON.parse(
      coachAgent.assemble(
        input({
          issue: { number: null, title: 't', body: big, labels: [] },
          plan_text: big,
          repo: {
            tree_paths: Array.from({ length: 5_000 }, (_, n) => `src/f${n}.ts`),
            excerpts: Array.from({ length: 12 }, (_, n) => ({ path: `src/f${n}.ts`, text: 'y'.repeat(15_000) })),
          },
          relevant_memories: Array.from({ length: 30 }, (_, n) => ({
            content: `m${n}`,
            connection: '',
            use_in_coaching: '',
          })),
        }),
      ) as string,
    ) as CoachInput;
    expect(sent.issue.body).toHaveLength(COACH_CAPS.issueBody);
    expect(sent.issue.body.endsWith(TRUNCATION_MARK)).toBe(true);
    expect(sent.plan_text).toHaveLength(COACH_CAPS.planText);
    expect(sent.repo.tree_paths).toHaveLength(COACH_CAPS.treePaths);
    expect(sent.repo.excerpts.length).toBeLessThanOrEqual(COACH_CAPS.excerptFiles);
    const total = sent.repo.excerpts.reduce((n, e) => n + e.text.length, 0);
    expect(total).toBeLessThanOrEqual(COACH_CAPS.excerptsTotalChars);
    // Whole files first; the last one that fits is cut, not dropped.
    expect(sent.repo.excerpts.map((e) => e.text.length)).toEqual([15_000, 15_000, 10_000]);
    expect(sent.relevant_memories).toHaveLength(COACH_CAPS.memories);
  });
});
