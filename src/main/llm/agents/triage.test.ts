// The Triage agent through the fake model with a realistic snapshot: a learner three files away from the phase's
// expected file. What is sent (haiku, 512 tokens, the conservative prompt, the capped snapshot) and what comes back.
import { afterEach, describe, expect, it } from 'vitest';
import { say } from '../../../../e2e/fake-anthropic/script';
import { textOf, type MessagesRequest } from '../../../../e2e/fake-anthropic/wire';
import { harness, type Harness } from '../testing/harness';
import { runAgent } from './kit';
import { DIFF_SUMMARY_MAX_CHARS, TRIAGE_SYSTEM_PROMPT, summarizeDiffs, triageAgent, type TriageInput } from './triage';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const DIFF = [
  '--- a/src/utils/format.ts',
  '+++ b/src/utils/format.ts',
  '@@ -1,4 +1,6 @@',
  ' export function formatDate(d: Date): string {',
  '-  return d.toISOString();',
  "+  const pad = (n: number) => String(n).padStart(2, '0');",
  '+  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;',
  ' }',
].join('\n');

const SNAPSHOT: TriageInput = {
  trigger: 'file_open',
  user_idle: false,
  hint_level: 'medium',
  dreyfus_stage: 'Advanced Beginner',
  current_phase: {
    number: 2,
    title: 'Add the health route',
    description: 'Register GET /health in src/api/routes.ts and return the service version.',
    expected_files: ['src/api/routes.ts', 'src/api/routes.test.ts'],
    tasks: [{ title: 'Register GET /health', target_files: ['src/api/routes.ts'] }],
  },
  open_files: [
    { path: 'src/utils/format.ts', dirty: true, active: false },
    { path: 'src/db/pool.ts', dirty: false, active: false },
    { path: 'README.md', dirty: false, active: true },
  ],
  active_file: { path: 'README.md', cursor_line: 12, time_in_file: 4 },
  recent_actions: Array.from({ length: 25 }, (_, i) => ({
    type: i % 2 ? 'file_open' : 'editor_tab_switch',
    path: ['src/utils/format.ts', 'src/db/pool.ts', 'README.md'][i % 3]!,
    ago: 250 - i * 10,
  })),
  diff_summary: summarizeDiffs([{ path: 'src/utils/format.ts', diff: DIFF }]),
  time_since_last_save: 310,
  time_since_last_nudge: null,
  recent_nudges: [],
};

const VERDICT = {
  should_nudge: true,
  confidence: 0.82,
  signal: 'wrong_file',
  reasoning:
    'Phase 2 expects src/api/routes.ts; the learner has cycled through three unrelated files for four minutes.',
  suggested_context: {
    current_file: 'README.md',
    expected_file: 'src/api/routes.ts',
    time_in_file: 4,
    phase_description: 'Register GET /health in src/api/routes.ts',
  },
};

describe('Triage agent', () => {
  it('sends the capped snapshot on haiku with the conservative prompt and returns the verdict', async () => {
    let seen: MessagesRequest | undefined;
    h = await harness({
      fake: {
        script: [
          (req) => {
            seen = req;
            return say(JSON.stringify(VERDICT));
          },
        ],
      },
    });
    const r = await runAgent(h.client, triageAgent, SNAPSHOT);
    expect(r.value).toEqual(VERDICT);
    expect(seen!.model).toBe('claude-haiku-4-5-20251001');
    expect(seen!.max_tokens).toBe(512);
    expect(textOf(seen!.system)).toBe(TRIAGE_SYSTEM_PROMPT);
    expect(TRIAGE_SYSTEM_PROMPT).toMatch(/Be conservative/);
    expect(TRIAGE_SYSTEM_PROMPT).toMatch(/Novice or Advanced Beginner may be nudged slightly sooner/);
    const user = JSON.parse(textOf(seen!.messages[0]!.content)) as TriageInput;
    expect(user.current_phase?.expected_files).toEqual(['src/api/routes.ts', 'src/api/routes.test.ts']);
    expect(user.recent_actions).toHaveLength(20);
    expect(user.recent_actions[0]).toEqual(SNAPSHOT.recent_actions[5]);
    // The active and dirty files come first.
    expect(user.open_files.map((f) => f.path)).toEqual(['src/utils/format.ts', 'README.md', 'src/db/pool.ts']);
    expect(user.diff_summary).toEqual([
      {
        path: 'src/utils/format.ts',
        added: 2,
        removed: 1,
        excerpt: [DIFF.split('\n')[4], DIFF.split('\n')[5], DIFF.split('\n')[6]].join('\n'),
      },
    ]);
    expect(h.rows()).toEqual([expect.objectContaining({ call_type: 'triage_model', status: 'ok' })]);
  });

  it('an answer outside the schema is LLM_INVALID_OUTPUT (the observer logs it and keeps watching)', async () => {
    h = await harness({ fake: { script: [say(JSON.stringify({ ...VERDICT, signal: 'panic' }))] } });
    await expect(runAgent(h.client, triageAgent, SNAPSHOT)).rejects.toMatchObject({ code: 'LLM_INVALID_OUTPUT' });
  });

  it('the diff summary keeps 40 changed lines per file and 4 KB in all', () => {
    const big = (n: number) =>
      [
        '--- a/x',
        '+++ b/x',
        '@@ -1 +1 @@',
        ...Array.from({ length: n }, (_, i) => `+line ${i} ${'x'.repeat(60)}`),
      ].join('\n');
    const one = summarizeDiffs([{ path: 'a.ts', diff: big(100) }]);
    expect(one[0]!.added).toBe(100);
    expect(one[0]!.excerpt.split('\n')).toHaveLength(40);
    const many = summarizeDiffs(Array.from({ length: 10 }, (_, i) => ({ path: `f${i}.ts`, diff: big(100) })));
    expect(JSON.stringify(many).length).toBeLessThanOrEqual(DIFF_SUMMARY_MAX_CHARS + 200);
    expect(many.length).toBeGreaterThan(0);
    expect(many.length).toBeLessThan(10);
    expect(summarizeDiffs([{ path: 'clean.ts', diff: '' }])).toEqual([]);
  });
});
