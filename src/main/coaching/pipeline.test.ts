// `paige_run_coaching_pipeline` end to end: the real app core on real SQLite, the real MCP SDK client over HTTP, and
// the fake Anthropic API answering the file selector and the Coach. Claude Code's plan text for a real bug in a small
// TypeScript project becomes three phases with tasks and hints; failures store nothing and come back as tool errors.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { say, type Step } from '../../../e2e/fake-anthropic/script';
import { startFakeAnthropic, type FakeAnthropic } from '../../../e2e/fake-anthropic/server';
import { textOf } from '../../../e2e/fake-anthropic/wire';
import { RunCoachingPipelineOutput, TOOL_NAMES } from '../../shared/mcp/tools';
import { COACH_SYSTEM_PROMPT } from '../llm/agents/coach';
import { captureEvents, mcpClientOf } from '../mcp/testing';
import { startTestCore, writeFiles, stopAll, type TestCore } from '../testing/harness';
import { runPipeline, sentInput, startCsvSession } from './testing/pipeline-kit';
import { COACH_PLAN, PLAN_TEXT, PROJECT, SELECTION } from '../../../e2e/fixtures/coaching-plan';

let t: TestCore | undefined;
let fake: FakeAnthropic | undefined;
let client: Client | undefined;
afterEach(async () => {
  await stopAll({ client, t, fake });
  t = client = fake = undefined;
});

async function boot(script: Step[], withKey = true): Promise<ReturnType<typeof captureEvents>> {
  fake = await startFakeAnthropic({ script });
  t = await startTestCore({
    // The observer would answer phase 1 starting with a triage call of its own; it is not under test here.
    settings: { observer: { enabled: false } },
    env: {
      PATH: process.env.PATH,
      ANTHROPIC_BASE_URL: fake.url,
      ...(withKey ? { ANTHROPIC_API_KEY: 'sk-ant-pipeline-test-1234' } : {}),
    },
  });
  writeFiles(t.projectDir, PROJECT);
  client = await mcpClientOf(t);
  return captureEvents(t.core.events);
}

const startSession = (): Promise<void> => startCsvSession(client!, t!.projectDir);

function errorCode(r: CallToolResult): string | undefined {
  expect(r.isError).toBe(true);
  return (r.structuredContent as { error?: { code?: string } }).error?.code;
}

function count(table: 'plans' | 'phases' | 'phase_tasks' | 'phase_hints'): number {
  const db = t!.core.db;
  return db.all(db.qb.selectFrom(table).select('id')).length;
}

describe('paige_run_coaching_pipeline', () => {
  it('turns the plan text into a stored plan with phase 1 active, shown in the sidebar with its hints', async () => {
    const events = await boot([say(JSON.stringify(SELECTION)), say(JSON.stringify(COACH_PLAN))]);
    await startSession();

    const r = await runPipeline(client!);
    expect(r.isError ?? false, JSON.stringify(r.content)).toBe(false);
    const out = RunCoachingPipelineOutput.parse(r.structuredContent);
    expect(out).toMatchObject({
      title: 'Quoted fields in the CSV parser',
      total_phases: 3,
      memory_connection: null,
      estimated_difficulty: 'intermediate',
      phases: [
        { number: 1, title: 'Reproduce the bug with tests', hint_level: 'high' },
        { number: 2, title: 'Parse with a state machine', hint_level: 'medium' },
        { number: 3, title: 'Edge cases and docs', hint_level: 'off' },
      ],
    });

    // The file selector (haiku) saw the issue, the plan and every path of the project.
    const [selector, coach] = fake!.mainRequests();
    expect(selector!.body!.model).toMatch(/haiku/);
    const selIn = sentInput(fake!, 0) as { tree_paths: string[]; plan_text: string };
    expect([...selIn.tree_paths].sort()).toEqual(Object.keys(PROJECT).sort());
    expect(selIn.plan_text).toContain('state machine');
    // The Coach (sonnet) got the plan text, the three real files the selector picked (not the made-up one), and no
    // memories since no memory service is present.
    expect(coach!.body!.model).toMatch(/sonnet/);
    expect(textOf(coach!.body!.system)).toBe(COACH_SYSTEM_PROMPT);
    const coachIn = sentInput(fake!, 1) as {
      plan_text: string;
      issue: { number: number; title: string };
      repo: { excerpts: { path: string; text: string }[] };
      relevant_memories: unknown[];
    };
    expect(coachIn.plan_text).toBe(PLAN_TEXT);
    expect(coachIn.issue).toMatchObject({ number: 42, title: 'CSV import breaks on quoted fields' });
    expect(coachIn.repo.excerpts.map((e) => e.path)).toEqual([
      'src/csv/parse.ts',
      'src/csv/parse.test.ts',
      'src/cli.ts',
    ]);
    expect(coachIn.repo.excerpts[0]!.text).toBe(PROJECT['src/csv/parse.ts']);
    expect(coachIn.relevant_memories).toEqual([]);

    // Stored: one active plan with the plan text, phases in order (1 active), tasks and hints with required levels.
    const db = t!.core.db;
    const plan = db.get(db.qb.selectFrom('plans').selectAll().where('id', '=', out.plan_id))!;
    expect(plan).toMatchObject({ is_active: 1, source: 'mcp', plan_text: PLAN_TEXT, total_phases: 3 });
    const hintLevels = db.all(
      db.qb
        .selectFrom('phase_hints')
        .innerJoin('phases', 'phases.id', 'phase_hints.phase_id')
        .select(['phases.number', 'phase_hints.type', 'phase_hints.required_level'])
        .orderBy('phase_hints.id'),
    );
    expect(hintLevels.map((h) => `${h.number}:${h.type}:${h.required_level}`)).toEqual([
      '1:file:high',
      '1:file:high',
      '1:line:high',
      '1:line:high',
      '2:file:medium',
      '2:line:medium',
      '3:file:low',
    ]);
    expect(count('phase_tasks')).toBe(6);

    // The sidebar: progress while it ran (with the files read), then the whole plan; phase 1's hints in the UI.
    const steps = events.of('planning:phase_update') as { phase: string; progress: number }[];
    expect(steps.map((p) => `${p.phase}@${p.progress}`)).toEqual([
      'exploring@25',
      'exploring@25',
      'exploring@25',
      'exploring@25',
      'exploring@40',
      'planning@50',
      'writing_hints@85',
    ]);
    const progress = events.of('planning:progress') as { message: string; filePath?: string }[];
    expect(progress.at(-1)?.message).toBe('Plan ready: Quoted fields in the CSV parser');
    expect(progress.flatMap((p) => (p.filePath ? [p.filePath] : []))).toEqual([
      'src/csv/parse.ts',
      'src/csv/parse.test.ts',
      'src/cli.ts',
    ]);
    const ready = events.of('coaching:plan_ready') as { plan: { id: number; phases: { status: string }[] } }[];
    expect(ready).toHaveLength(1);
    expect(ready[0]!.plan.id).toBe(out.plan_id);
    expect(ready[0]!.plan.phases.map((p) => p.status)).toEqual(['active', 'pending', 'pending']);
    expect(events.of('explorer:hint_files')).toEqual([
      { paths: ['src/csv/parse.test.ts'], style: 'suggested', fromPlan: true },
      { paths: ['src/csv/parse.ts'], style: 'warning', fromPlan: true },
    ]);
    expect(events.of('editor:highlight_lines')).toEqual([
      {
        path: 'src/csv/parse.test.ts',
        ranges: [{ start: 4, end: 6, style: 'info', hoverText: 'Model your tests on this.' }],
        fromPlan: true,
      },
      {
        path: 'src/csv/parse.ts',
        ranges: [{ start: 5, end: 5, style: 'warning', hoverText: 'This split is the bug.' }],
        fromPlan: true,
      },
    ]);

    // A reload of the sidebar reads the same plan; the phase tool moves it on.
    const snap = await t!.core.router.dispatch('session:snapshot', undefined as never, {
      transport: 'bridge',
      clientId: 'pipeline-test',
    });
    const snapPlan = (snap.ok ? snap.value : null) as { plan: { phases: { status: string }[] } } | null;
    expect(snapPlan?.plan.phases.map((p) => p.status)).toEqual(['active', 'pending', 'pending']);
    const done = (await client!.callTool({
      name: TOOL_NAMES.updatePhase,
      arguments: { phase: 1, status: 'complete' },
    })) as CallToolResult;
    expect(done.isError ?? false).toBe(false);

    t!.core.get('actionLog').flushAll();
    const actions = db.all(db.qb.selectFrom('action_log').select(['action_type', 'data']));
    const run = actions.find((a) => a.action_type === 'coaching_pipeline_run');
    expect(JSON.parse(run?.data ?? '{}')).toMatchObject({ ok: true, planId: out.plan_id, phases: 3 });
  });

  it('an invalid Coach answer stores nothing and returns LLM_INVALID_OUTPUT; a rerun then replaces nothing', async () => {
    const broken = { ...COACH_PLAN, phases: [] };
    const events = await boot([say(JSON.stringify(SELECTION)), say(JSON.stringify(broken))]);
    await startSession();

    expect(errorCode(await runPipeline(client!))).toBe('LLM_INVALID_OUTPUT');
    for (const table of ['plans', 'phases', 'phase_tasks', 'phase_hints'] as const) expect(count(table)).toBe(0);
    expect(events.of('planning:error')).toEqual([
      expect.objectContaining({ code: 'LLM_INVALID_OUTPUT', retryable: true }),
    ]);
    expect(events.of('coaching:plan_ready')).toEqual([]);
    // The session is still active and a second run works.
    fake!.enqueue(say(JSON.stringify(SELECTION)), say(JSON.stringify(COACH_PLAN)));
    const r = await runPipeline(client!);
    expect(r.isError ?? false, JSON.stringify(r.content)).toBe(false);
    expect(count('plans')).toBe(1);
  });

  it('a second run for the same session while one is in flight is BUSY; the next run makes the old plan inactive', async () => {
    let reached!: () => void;
    const selectorReached = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await boot([
      async () => {
        reached();
        await gate;
        return say(JSON.stringify(SELECTION));
      },
      say(JSON.stringify(COACH_PLAN)),
      say(JSON.stringify(SELECTION)),
      say(JSON.stringify({ ...COACH_PLAN, title: 'Second take' })),
    ]);
    await startSession();

    const first = runPipeline(client!);
    await selectorReached;
    expect(errorCode(await runPipeline(client!))).toBe('BUSY');
    release();
    expect((await first).isError ?? false).toBe(false);

    const second = await runPipeline(client!);
    expect(second.isError ?? false, JSON.stringify(second.content)).toBe(false);
    const db = t!.core.db;
    const plans = db.all(db.qb.selectFrom('plans').select(['title', 'is_active']).orderBy('id'));
    expect(plans).toEqual([
      { title: 'Quoted fields in the CSV parser', is_active: 0 },
      { title: 'Second take', is_active: 1 },
    ]);
  });

  it('without an API key: LLM_DISABLED, no model call, nothing stored', async () => {
    await boot([], false);
    await startSession();
    expect(errorCode(await runPipeline(client!))).toBe('LLM_DISABLED');
    expect(fake!.mainRequests()).toHaveLength(0);
    expect(count('plans')).toBe(0);
  });

  it('without an active session: NO_ACTIVE_SESSION, with what to do', async () => {
    await boot([]);
    const r = await runPipeline(client!);
    expect(errorCode(r)).toBe('NO_ACTIVE_SESSION');
    expect(JSON.stringify(r.content)).toContain('paige_start_session');
    expect(fake!.mainRequests()).toHaveLength(0);
  });
});
