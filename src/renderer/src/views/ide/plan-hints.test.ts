import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../../shared/domain/session';
import { hintedPlan, planHints } from './plan-hints';

const hint = (id: number, over: Partial<Plan['phases'][number]['hints'][number]>) => ({
  id,
  type: 'file' as const,
  path: 'src/a.ts',
  lineStart: null,
  lineEnd: null,
  style: 'suggested' as const,
  hoverText: null,
  requiredLevel: 'low' as const,
  ...over,
});

function plan(active: 1 | 2): Plan {
  const phase = (n: number, hints: Plan['phases'][number]['hints']) => ({
    id: n,
    number: n,
    title: `P${n}`,
    description: '',
    hint: '',
    hintLevel: 'low' as const,
    expectedFiles: [],
    status: n === active ? ('active' as const) : n < active ? ('complete' as const) : ('pending' as const),
    startedAt: null,
    completedAt: null,
    tasks: [],
    hints,
  });
  return {
    id: 1,
    title: 't',
    summary: '',
    totalPhases: 2,
    estimatedDifficulty: null,
    memoryConnection: null,
    phases: [
      phase(1, [
        hint(1, { path: 'src/csv/parse.ts', style: 'suggested' }),
        hint(2, { path: 'src/csv/parse.ts', style: 'warning', requiredLevel: 'medium' }),
        hint(3, { path: 'README.md', requiredLevel: 'high' }),
        hint(4, {
          type: 'line',
          path: 'src/csv/parse.ts',
          lineStart: 5,
          lineEnd: 5,
          hoverText: 'bug',
          requiredLevel: 'medium',
        }),
      ]),
      phase(2, [hint(5, { path: 'src/cli.ts' })]),
    ],
  };
}

describe('planHints', () => {
  it('only the active phase, each hint from its level, the most urgent style per file', () => {
    expect(planHints(plan(1), 'off').files).toEqual({});
    expect(planHints(plan(1), 'low')).toMatchObject({ files: { 'src/csv/parse.ts': 'suggested' }, lines: new Map() });
    const medium = planHints(plan(1), 'medium');
    expect(medium.files).toEqual({ 'src/csv/parse.ts': 'warning' });
    expect(medium.directories).toEqual(['src/csv']);
    expect(medium.lines.get('src/csv/parse.ts')).toEqual([
      {
        type: 'line-highlight',
        range: { startLine: 5, endLine: 5 },
        style: 'hint',
        message: 'bug',
        key: 'plan-hint-4',
      },
    ]);
    expect(planHints(plan(1), 'high').files).toEqual({ 'src/csv/parse.ts': 'warning', 'README.md': 'suggested' });
    expect(planHints(plan(2), 'high').files).toEqual({ 'src/cli.ts': 'suggested' });
    expect(planHints(null, 'high').files).toEqual({});
  });
});

describe('hintedPlan', () => {
  it('draws the plan only during an active session: an ended one leaves no highlight or glow', () => {
    const p = plan(1);
    expect(hintedPlan({ status: 'active' }, p)).toBe(p);
    for (const status of ['wrapping_up', 'completed', 'completed_with_errors'] as const) {
      const ended = planHints(hintedPlan({ status }, p), 'high');
      expect(ended).toEqual({ files: {}, directories: [], lines: new Map() });
    }
    expect(hintedPlan(null, p)).toBeNull();
  });
});
