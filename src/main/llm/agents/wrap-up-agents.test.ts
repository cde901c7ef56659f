// The wrap-up agents' caps and the Dreyfus clamp, on their own (the end-to-end runs are in sessions/wrap-up.test.ts).
import { describe, expect, it } from 'vitest';
import { clampStage } from './dreyfus';
import { DREYFUS_STAGES, TRUNCATION_MARK } from './kit';
import { KG_MAX_ACTIONS, knowledgeGapAgent } from './knowledge-gap';
import { REFLECTION_MAX_TRANSCRIPT_CHARS, reflectionAgent } from './reflection';

describe('wrap-up agent inputs', () => {
  it('Knowledge Gap sends the newest 500 actions with long data cut', () => {
    const actions = Array.from({ length: 700 }, (_, i) => ({
      type: 'file_save',
      at: `2026-01-01T00:00:${String(i).padStart(3, '0')}Z`,
      data: i === 699 ? { preview: 'y'.repeat(5_000) } : { path: `src/f${i}.ts` },
    }));
    const sent = JSON.parse(
      knowledgeGapAgent.assemble({ issue_title: 'x', actions, phases: [], existing_gaps: [] }) as string,
    ) as { actions: { data: unknown }[] };
    expect(sent.actions).toHaveLength(KG_MAX_ACTIONS);
    expect(sent.actions[0]!.data).toEqual({ path: 'src/f200.ts' });
    expect(typeof sent.actions.at(-1)!.data).toBe('string');
    expect((sent.actions.at(-1)!.data as string).length).toBeLessThanOrEqual(301);
  });

  it('Reflection cuts the transcript to 50 000 characters', () => {
    const sent = JSON.parse(
      reflectionAgent.assemble({
        issue_title: null,
        transcript: 'z'.repeat(60_000),
        completed_phases: [],
        new_gaps: [],
      }) as string,
    ) as { transcript: string };
    expect(sent.transcript).toHaveLength(REFLECTION_MAX_TRANSCRIPT_CHARS);
    expect(sent.transcript.endsWith(TRUNCATION_MARK)).toBe(true);
  });
});

describe('clampStage', () => {
  it('moves at most one stage either way; a first assessment is taken as given', () => {
    expect(clampStage('Novice', 'Expert')).toBe('Advanced Beginner');
    expect(clampStage('Expert', 'Novice')).toBe('Proficient');
    expect(clampStage('Competent', 'Proficient')).toBe('Proficient');
    expect(clampStage('Competent', 'Competent')).toBe('Competent');
    expect(clampStage(null, 'Proficient')).toBe('Proficient');
    for (const from of DREYFUS_STAGES) {
      for (const to of DREYFUS_STAGES) {
        const moved = Math.abs(DREYFUS_STAGES.indexOf(clampStage(from, to)) - DREYFUS_STAGES.indexOf(from));
        expect(moved).toBeLessThanOrEqual(1);
      }
    }
  });
});
