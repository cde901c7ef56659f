// The Explain agent end to end through the fake model with a realistic selection: what the model is sent (stage,
// phase, cut context, caps) and what the learner gets back.
import { afterEach, describe, expect, it } from 'vitest';
import { say } from '../../../../e2e/fake-anthropic/script';
import type { MessagesRequest } from '../../../../e2e/fake-anthropic/wire';
import { textOf } from '../../../../e2e/fake-anthropic/wire';
import { ExplainService } from '../explain-service';
import { harness, type Harness } from '../testing/harness';
import { EXPLAIN_MAX_SELECTION_CHARS, explainSystemPrompt } from './explain';
import { stageFor, truncate, TRUNCATION_MARK } from './kit';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const FILE = [
  "import { useEffect, useRef, useState } from 'react';",
  '',
  ...Array.from({ length: 60 }, (_, i) => `// padding line ${i + 1} before the hook`),
  '/** Returns `value` once it has stopped changing for `delayMs`. */',
  'export function useDebouncedValue<T>(value: T, delayMs: number): T {',
  '  const [debounced, setDebounced] = useState(value);',
  '  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);',
  '  useEffect(() => {',
  '    clearTimeout(timer.current);',
  '    timer.current = setTimeout(() => setDebounced(value), delayMs);',
  '    return () => clearTimeout(timer.current);',
  '  }, [value, delayMs]);',
  '  return debounced;',
  '}',
  ...Array.from({ length: 60 }, (_, i) => `// padding line ${i + 1} after the hook`),
].join('\n');
const START = 64;
const END = 72;
const SELECTION = FILE.split('\n')
  .slice(START - 1, END)
  .join('\n');

const PHASE = {
  number: 2,
  title: 'Debounce the search box',
  description: 'Stop firing a search request on every keystroke in SearchBar.tsx.',
};

const ANSWER = {
  title: 'A debounced value hook',
  explanation:
    'Each change of `value` restarts a timer; only when the timer survives `delayMs` does the state update. The cleanup cancels the pending timer when the value changes again or the component unmounts.',
  key_concepts: ['useEffect cleanup', 'useRef for mutable timers', 'debouncing'],
  analogy: 'Like a lift door that waits until people stop walking in before it closes.',
  related_files: ['src/components/SearchBar.tsx'],
  phase_connection: 'SearchBar can pass its query through this hook so searches run only after typing pauses.',
};

function userJson(req: MessagesRequest): Record<string, unknown> {
  return JSON.parse(textOf(req.messages[0]!.content)) as Record<string, unknown>;
}

function service(
  hh: Harness,
  opts: { phase?: typeof PHASE | null; binary?: boolean; events?: string[] } = {},
): ExplainService {
  return new ExplainService({
    client: hh.client,
    source: { read: () => Promise.resolve(opts.binary ? { binary: true } : { binary: false, text: FILE }) },
    activePhase: () => (opts.phase === undefined ? PHASE : opts.phase),
    assessments: () => [
      { skillArea: 'React hooks', stage: 'Advanced Beginner' },
      { skillArea: 'TypeScript', stage: 'Proficient' },
    ],
    sessionId: () => null,
    record: (type, data) => opts.events?.push(`${type}:${String(data.ok ?? '')}`),
  });
}

describe('Explain agent', () => {
  it('sends the selection with ±50 lines of context, the phase and a stage-aware prompt; returns the explanation', async () => {
    let seen: MessagesRequest | undefined;
    h = await harness({
      fake: {
        script: [
          (req) => {
            seen = req;
            return say(JSON.stringify(ANSWER));
          },
        ],
      },
    });
    const events: string[] = [];
    const out = await service(h, { events }).explain({
      path: 'src/hooks/use-debounced-value.ts',
      range: { startLine: START, endLine: END },
      text: SELECTION,
      language: 'typescript',
    });
    expect(out).toEqual({
      title: ANSWER.title,
      explanation: ANSWER.explanation,
      keyConcepts: ANSWER.key_concepts,
      analogy: ANSWER.analogy,
      relatedFiles: ANSWER.related_files,
      phaseConnection: ANSWER.phase_connection,
    });
    expect(seen!.model).toBe('claude-sonnet-4-5-20250929');
    expect(seen!.max_tokens).toBe(2048);
    // "typescript" matches the TypeScript assessment: a Proficient learner gets the terse prompt.
    expect(textOf(seen!.system)).toBe(explainSystemPrompt('Proficient'));
    expect(textOf(seen!.system)).toMatch(/terse: the design, the trade-offs/);
    const user = userJson(seen!);
    expect(user.selected_code).toBe(SELECTION);
    expect(user.active_phase).toEqual(PHASE);
    const ctxLines = String(user.surrounding_context).split('\n');
    expect(ctxLines).toHaveLength(END - START + 1 + 100);
    expect(ctxLines[0]).toBe('// padding line 12 before the hook');
    expect(ctxLines.at(-1)).toBe('// padding line 49 after the hook'); // line 73 is the closing brace;
    expect(h.rows()).toEqual([expect.objectContaining({ call_type: 'explain_this', status: 'ok' })]);
    expect(events).toEqual(['user_explain_request:', 'explain_completed:true']);
  });

  it('without an active phase the phase connection is null, whatever the model says', async () => {
    h = await harness({ fake: { script: [say(JSON.stringify(ANSWER))] } });
    const out = await service(h, { phase: null }).explain({
      path: 'src/hooks/use-debounced-value.ts',
      range: { startLine: START, endLine: END },
      text: SELECTION,
    });
    expect(out.phaseConnection).toBeNull();
    expect(userJson(h.fake.mainRequests()[0]!.body!).active_phase).toBeNull();
  });

  it('a binary file → BINARY_FILE without a call', async () => {
    h = await harness();
    await expect(
      service(h, { binary: true }).explain({ path: 'logo.png', range: { startLine: 1, endLine: 1 }, text: 'PNG' }),
    ).rejects.toMatchObject({ code: 'BINARY_FILE' });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('cuts a huge selection to its cap and reports model errors to the caller', async () => {
    h = await harness({ fake: { script: [say('Sure! Here is an explanation in prose.')] } });
    const events: string[] = [];
    const huge = 'x'.repeat(EXPLAIN_MAX_SELECTION_CHARS + 5_000);
    await expect(
      service(h, { events }).explain({ path: 'big.ts', range: { startLine: 1, endLine: 1 }, text: huge }),
    ).rejects.toMatchObject({ code: 'LLM_INVALID_OUTPUT' });
    const sent = String(userJson(h.fake.mainRequests()[0]!.body!).selected_code);
    expect(sent).toHaveLength(EXPLAIN_MAX_SELECTION_CHARS);
    expect(sent.endsWith(TRUNCATION_MARK)).toBe(true);
    expect(events).toEqual(['user_explain_request:', 'explain_completed:false']);
  });

  it('the system prompt is stable per stage so it can be read from the prompt cache', async () => {
    h = await harness({ fake: { script: [say(JSON.stringify(ANSWER)), say(JSON.stringify(ANSWER))] } });
    const s = service(h);
    const req = { path: 'a.ts', range: { startLine: START, endLine: END }, text: SELECTION, language: 'typescript' };
    await s.explain(req);
    await s.explain({ ...req, text: `${SELECTION}\n` });
    const [a, b] = h.fake.mainRequests().map((r) => r.body!.system);
    expect(a).toEqual(b);
    expect(a).toEqual([expect.objectContaining({ cache_control: { type: 'ephemeral' } })]);
  });
});

describe('agent kit helpers', () => {
  const assessments = [
    { skillArea: 'React hooks', stage: 'Competent' as const },
    { skillArea: 'SQL', stage: 'Advanced Beginner' as const },
  ];
  it('stageFor: exact, then substring, then the lowest assessed, then Novice', () => {
    expect(stageFor('sql', assessments)).toBe('Advanced Beginner');
    expect(stageFor('react hooks and context', assessments)).toBe('Competent');
    expect(stageFor('rust', assessments)).toBe('Advanced Beginner');
    expect(stageFor('rust', [])).toBe('Novice');
  });
  it('truncate keeps short text and marks a cut', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('a'.repeat(50), 20)).toHaveLength(20);
  });
  it('each stage has its own voice', () => {
    expect(explainSystemPrompt('Novice')).toMatch(/plain words/);
    expect(explainSystemPrompt('Expert')).toMatch(/No analogy/);
    expect(explainSystemPrompt('Novice')).not.toBe(explainSystemPrompt('Competent'));
  });
});
