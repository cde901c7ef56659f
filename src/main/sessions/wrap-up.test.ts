// The wrap-up for real, inside a real AppCore on a real SQLite file, against the fake model: a session driven through
// MCP and the IPC router (so the action log is the one Paige writes), the three agents' inputs and writes, each
// agent failing alone, retries, the one-stage rule for Dreyfus, shutdown mid-wrap-up, and the no-model path.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { fail, say, type Step } from '../../../e2e/fake-anthropic/script';
import { startFakeAnthropic, type FakeAnthropic } from '../../../e2e/fake-anthropic/server';
import { textOf, type MessagesRequest } from '../../../e2e/fake-anthropic/wire';
import { wrapUpAgentOf } from '../../../e2e/fixtures/wrap-up-agents';
import type { InvokeChannel } from '../../shared/ipc/contract';
import {
  EndSessionOutput,
  RetryWrapUpOutput,
  StartSessionOutput,
  TOOL_NAMES,
  ToolErrorSchema,
} from '../../shared/mcp/tools';
import { captureEvents, mcpClientOf } from '../mcp/testing';
import { startTestCore, tempDir, stopAll, type TestCore } from '../testing/harness';

type Agent = 'knowledge_gap' | 'dreyfus' | 'reflection';

let t: TestCore | undefined;
let fake: FakeAnthropic | undefined;
let client: Client | undefined;
afterEach(async () => {
  await stopAll({ client, t, fake });
  t = client = fake = undefined;
});

const KG_ANSWER = {
  knowledge_gaps: [
    {
      topic: 'React useEffect cleanup',
      evidence: 'Asked for two hints in phase 2 and re-saved SearchBar.tsx after the timer kept firing.',
      severity: 'high',
      related_concepts: ['closures', 'timers'],
    },
    {
      topic: 'Debouncing',
      evidence: 'Started by throttling the request instead of delaying it.',
      severity: 'medium',
      related_concepts: ['setTimeout'],
    },
  ],
  kata_specs: [
    {
      gap_index: 0,
      title: 'Clean up after yourself',
      description: 'Write a hook that starts an interval and always stops it.',
      scaffolding_code: 'export function useTicker() {}\n',
      instructor_notes: 'Look for the cleanup function returned from the effect.',
      language: 'typescript',
      difficulty: 'easy',
      estimated_minutes: 15,
      constraints: [
        { id: 'deps', description: 'Restart when the delay changes', minLevel: 5 },
        { id: 'basic', description: 'Tick every second', minLevel: 1 },
        { id: 'pause', description: 'Support pausing', minLevel: 3 },
      ],
      test_code: null,
    },
    {
      gap_index: 7,
      title: 'A kata for a gap that was not returned',
      description: 'Dropped.',
      scaffolding_code: '',
      instructor_notes: '',
      language: 'typescript',
      difficulty: 'easy',
      estimated_minutes: 5,
      constraints: [
        { id: 'a', description: 'a', minLevel: 1 },
        { id: 'b', description: 'b', minLevel: 2 },
        { id: 'c', description: 'c', minLevel: 3 },
      ],
      test_code: null,
    },
  ],
  session_summary: { phases_completed: 1, total_time_minutes: 42, hints_used: 2, independent_completions: 0 },
};

function dreyfusAnswer(stage = 'Advanced Beginner') {
  return {
    assessments: [
      {
        skill_area: 'React hooks',
        stage,
        previous_stage: 'Novice',
        confidence: 0.6,
        evidence: 'Finished the debounce phase with two hints.',
        recommendation: 'Let them write the next effect without a hint.',
      },
    ],
  };
}

const REFLECTION_ANSWER = {
  memories: [
    {
      content: 'Debounced the SearchBar query with a timer kept in a ref; the effect cleanup was the hard part.',
      tags: ['react', 'useeffect', 'debounce'],
      importance: 'high',
    },
    { content: 'Prefers to read the failing test before touching code.', tags: ['habits'], importance: 'medium' },
  ],
};

function agentOf(req: MessagesRequest): Agent {
  const agent = wrapUpAgentOf(req);
  if (!agent) throw new Error(`unexpected request: ${textOf(req.system).slice(0, 80)}`);
  return agent;
}

type Answer = ReturnType<typeof say> | ReturnType<typeof fail>;

/** Script steps that answer each agent from `answers` (whatever order the parallel calls arrive in). */
function routed(n: number, answers: Partial<Record<Agent, () => Answer>>): Step[] {
  const defaults: Record<Agent, () => Answer> = {
    knowledge_gap: () => say(JSON.stringify(KG_ANSWER)),
    dreyfus: () => say(JSON.stringify(dreyfusAnswer())),
    reflection: () => say(JSON.stringify(REFLECTION_ANSWER)),
  };
  return Array.from({ length: n }, () => (req: MessagesRequest) => {
    const agent = agentOf(req);
    return (answers[agent] ?? defaults[agent])();
  });
}

function requestsOf(agent: Agent): MessagesRequest[] {
  return fake!
    .mainRequests()
    .map((r) => r.body as MessagesRequest)
    .filter((b) => agentOf(b) === agent);
}

function userJson(req: MessagesRequest): Record<string, unknown> {
  return JSON.parse(textOf(req.messages[0]!.content)) as Record<string, unknown>;
}

async function boot(script: Step[], extraEnv: Record<string, string> = {}, dirs: { dataDir?: string } = {}) {
  // The observer's triage calls during the session get the fake's minimal answer; the script serves the wrap-up.
  fake = await startFakeAnthropic({
    script,
    classify: (req) => (wrapUpAgentOf(req) ? 'main' : 'side'),
  });
  t = await startTestCore({
    ...dirs,
    env: {
      PATH: process.env.PATH,
      ANTHROPIC_API_KEY: 'sk-ant-env-key-12345678',
      ANTHROPIC_BASE_URL: fake.url,
      ...extraEnv,
    },
  });
  client = await mcpClientOf(t);
}

async function tool(name: string, args: Record<string, unknown>): Promise<unknown> {
  const r = (await client!.callTool({ name, arguments: args })) as CallToolResult;
  expect(r.isError ?? false, JSON.stringify(r.content)).toBe(false);
  return r.structuredContent;
}

async function toolError(name: string, args: Record<string, unknown>): Promise<string> {
  const r = await client!.request({ method: 'tools/call', params: { name, arguments: args } }, CallToolResultSchema);
  expect(r.isError).toBe(true);
  return ToolErrorSchema.parse(r.structuredContent).error.code;
}

async function ipc(channel: InvokeChannel, input: unknown): Promise<unknown> {
  const env = await t!.core.router.dispatch(channel, input as never, { transport: 'bridge', clientId: 't' });
  if (!env.ok) throw new Error(`${env.error.code}: ${env.error.message}`);
  return env.value;
}

function insertPlan(sessionId: number): number[] {
  const db = t!.core.db;
  const ts = new Date().toISOString();
  const plan = db.run(
    db.qb.insertInto('plans').values({
      session_id: sessionId,
      title: 'Debounce the search box',
      summary: 'Stop firing a request on every keystroke',
      total_phases: 3,
      plan_text: null,
      memory_connection: null,
      estimated_difficulty: 'beginner',
      source: 'mcp',
      carried_from_plan_id: null,
      created_at: ts,
    }),
  );
  const titles = ['Find where the search fires', 'Debounce the query', 'Test the debounce'];
  return titles.map((title, i) =>
    Number(
      db.run(
        db.qb.insertInto('phases').values({
          plan_id: Number(plan.lastInsertRowid),
          number: i + 1,
          title,
          description: `${title} in SearchBar.tsx.`,
          hint_level: 'medium',
          status: 'pending',
          started_at: null,
          completed_at: null,
        }),
      ).lastInsertRowid,
    ),
  );
}

const SEARCH_BAR = [
  "import { useState } from 'react';",
  'export function SearchBar({ onSearch }: { onSearch: (q: string) => void }) {',
  "  const [q, setQ] = useState('');",
  '  return <input value={q} onChange={(e) => { setQ(e.target.value); onSearch(e.target.value); }} />;',
  '}',
  '',
].join('\n');

/** A learner's session, driven the way Claude Code and the IDE drive it, so the action log is the real one. */
async function realSession(opts: { transcriptPath?: string } = {}) {
  fs.mkdirSync(path.join(t!.projectDir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(t!.projectDir, 'src/SearchBar.tsx'), SEARCH_BAR);
  const started = StartSessionOutput.parse(
    await tool(TOOL_NAMES.startSession, {
      project_dir: t!.projectDir,
      issue_number: 12,
      issue_title: 'Search fires a request on every keystroke',
      claude_session_id: 'cc-1',
    }),
  );
  const sessionId = started.session.id;
  const [p1, p2] = insertPlan(sessionId);
  await tool(TOOL_NAMES.updatePhase, { phase: 1, status: 'active' });
  await ipc('file:open', { path: 'src/SearchBar.tsx' });
  await tool(TOOL_NAMES.updatePhase, { phase: 1, status: 'complete' });
  await tool(TOOL_NAMES.updatePhase, { phase: 2, status: 'active' });
  const edited = SEARCH_BAR.replace('onSearch(e.target.value);', 'debounced(e.target.value);');
  await ipc('buffer:update', {
    path: 'src/SearchBar.tsx',
    content: edited,
    cursorPosition: { line: 4, column: 40 },
    selections: [],
  });
  await ipc('file:save', { path: 'src/SearchBar.tsx', content: edited });
  const db = t!.core.db;
  for (const n of [1, 2]) {
    db.run(
      db.qb.insertInto('progress_events').values({
        phase_id: p2!,
        event_type: 'hint_used',
        data: JSON.stringify({ level: n === 1 ? 'low' : 'medium' }),
        created_at: new Date().toISOString(),
      }),
    );
  }
  await tool(TOOL_NAMES.updatePhase, { phase: 2, status: 'complete' });
  const ended = EndSessionOutput.parse(
    await tool(TOOL_NAMES.endSession, {
      reason: 'prompt_input_exit',
      claude_session_id: 'cc-1',
      wait: true,
      ...(opts.transcriptPath !== undefined ? { transcript_path: opts.transcriptPath } : {}),
    }),
  );
  return { sessionId, ended, phaseIds: [p1!, p2!] };
}

function rows<T>(sql: string, ...params: unknown[]): T[] {
  return t!.core.db.sqlite.prepare(sql).all(...params) as T[];
}

function errorRows(sessionId: number) {
  return rows<{ agent_name: string; error_message: string; resolved_at: string | null }>(
    'SELECT agent_name, error_message, resolved_at FROM session_wrap_up_errors WHERE session_id = ? ORDER BY id',
    sessionId,
  );
}

function transcriptLines(): string {
  const lines = [
    {
      type: 'user',
      message: { role: 'user', content: 'The search box fires a request on every keystroke. Help me fix it.' },
    },
    { type: 'user', isMeta: true, message: { role: 'user', content: '<command-name>/clear</command-name>' } },
    {
      type: 'assistant',
      message: {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let us look at where onSearch is called first.' },
          { type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: 'src/SearchBar.tsx' } },
        ],
      },
    },
    {
      type: 'user',
      message: {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'SECRET FILE BODY' }],
      },
    },
    {
      type: 'assistant',
      message: { role: 'assistant', content: [{ type: 'text', text: 'A timer in a ref will do it.' }] },
    },
  ];
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}

describe('wrap-up with the model', () => {
  it('runs the three agents on the real session and stores their results; completed with counts', async () => {
    const configDir = tempDir('paige-claude-');
    const transcript = path.join(configDir, 'projects', 'p', 'cc-1.jsonl');
    fs.mkdirSync(path.dirname(transcript), { recursive: true });
    fs.writeFileSync(transcript, transcriptLines());
    await boot(routed(3, {}), { CLAUDE_CONFIG_DIR: configDir });
    const events = captureEvents(t!.core.events);
    const { sessionId, ended } = await realSession({ transcriptPath: transcript });

    expect(ended.status).toBe('completed');
    expect(ended.counts).toEqual({
      memories_added: 2,
      gaps_identified: 2,
      katas_generated: 1,
      assessments_updated: 1,
      errors: [],
    });
    expect(t!.core.get('sessions').get(sessionId)?.status).toBe('completed');
    expect(events.of('session:completed')).toEqual([
      {
        sessionId,
        status: 'completed',
        memoriesAdded: 2,
        gapsIdentified: 2,
        katasGenerated: 1,
        assessmentsUpdated: 1,
        errors: [],
      },
    ]);

    // Knowledge Gap read the action log Paige wrote for the session, the phases and the existing gaps.
    const [kg] = requestsOf('knowledge_gap');
    expect(kg!.max_tokens).toBe(4096);
    const kgIn = userJson(kg!) as {
      issue_title: string;
      actions: { type: string }[];
      phases: unknown[];
      existing_gaps: unknown[];
    };
    expect(kgIn.issue_title).toBe('Search fires a request on every keystroke');
    const types = kgIn.actions.map((a) => a.type);
    for (const ty of [
      'session_started',
      'phase_started',
      'file_open',
      'file_save',
      'phase_completed',
      'session_ended',
    ]) {
      expect(types, ty).toContain(ty);
    }
    expect(types).not.toContain('wrap_up_error');
    expect(kgIn.phases).toEqual([
      { title: 'Find where the search fires', status: 'complete', hint_level: 'medium' },
      { title: 'Debounce the query', status: 'complete', hint_level: 'medium' },
      { title: 'Test the debounce', status: 'pending', hint_level: 'medium' },
    ]);
    expect(kgIn.existing_gaps).toEqual([]);

    // Dreyfus: this session's counts (phase 1 without hints is the independent completion).
    const dIn = userJson(requestsOf('dreyfus')[0]!) as { this_session: Record<string, unknown> };
    expect(dIn.this_session).toMatchObject({ phases_completed: 2, hints_used: 2, independent_completions: 1 });

    // Reflection ran after Knowledge Gap, with its gaps and the condensed transcript (text only, no tool output).
    const main = fake!.mainRequests().map((r) => agentOf(r.body as MessagesRequest));
    expect(main[2]).toBe('reflection');
    const rIn = userJson(requestsOf('reflection')[0]!) as {
      transcript: string;
      new_gaps: unknown[];
      completed_phases: { title: string }[];
    };
    expect(rIn.new_gaps).toEqual([
      { topic: 'React useEffect cleanup', severity: 'high' },
      { topic: 'Debouncing', severity: 'medium' },
    ]);
    expect(rIn.completed_phases.map((p) => p.title)).toEqual(['Find where the search fires', 'Debounce the query']);
    expect(rIn.transcript).toBe(
      'User: The search box fires a request on every keystroke. Help me fix it.\n\n' +
        'Claude: Let us look at where onSearch is called first.\n\nClaude: A timer in a ref will do it.',
    );

    // The writes.
    expect(rows('SELECT topic, severity, frequency, session_id FROM knowledge_gaps ORDER BY id')).toEqual([
      { topic: 'React useEffect cleanup', severity: 'high', frequency: 1, session_id: sessionId },
      { topic: 'Debouncing', severity: 'medium', frequency: 1, session_id: sessionId },
    ]);
    const [kata] = rows<{ title: string; constraints: string }>('SELECT title, constraints FROM kata_specs');
    expect(kata!.title).toBe('Clean up after yourself');
    expect((JSON.parse(kata!.constraints) as { id: string }[]).map((c) => c.id)).toEqual(['basic', 'pause', 'deps']);
    expect(rows('SELECT skill_area, stage FROM dreyfus_assessments')).toEqual([
      { skill_area: 'React hooks', stage: 'Advanced Beginner' },
    ]);
    expect(rows('SELECT session_id FROM dreyfus_history')).toEqual([{ session_id: sessionId }]);
    expect(rows('SELECT id, project, importance, tags FROM memories ORDER BY id')).toEqual([
      { id: `s${sessionId}-m1`, project: t!.projectDir, importance: 'high', tags: 'react,useeffect,debounce' },
      { id: `s${sessionId}-m2`, project: t!.projectDir, importance: 'medium', tags: 'habits' },
    ]);
    expect(errorRows(sessionId)).toEqual([]);
    t!.core.get('llm').ledger.flush();
    // Each agent's call is in the ledger against the session (the observer's triage calls are there too).
    expect(
      rows(
        "SELECT call_type, status FROM api_call_log WHERE session_id = ? AND call_type != 'triage_model' ORDER BY 1",
        sessionId,
      ),
    ).toEqual([
      { call_type: 'dreyfus_agent', status: 'ok' },
      { call_type: 'knowledge_gap_agent', status: 'ok' },
      { call_type: 'reflection_agent', status: 'ok' },
    ]);
  });

  it.each<Agent>(['knowledge_gap', 'dreyfus', 'reflection'])(
    '%s failing alone: its error row, the others keep their writes, completed_with_errors',
    async (failing) => {
      await boot(routed(3, { [failing]: () => fail(400, { message: `${failing} broke` }) }));
      const events = captureEvents(t!.core.events);
      const { sessionId, ended } = await realSession();
      expect(ended.status).toBe('completed_with_errors');
      expect(ended.counts?.errors).toEqual([{ agent: failing, message: expect.stringContaining('LLM_BAD_REQUEST') }]);
      expect(errorRows(sessionId).map((r) => [r.agent_name, r.resolved_at])).toEqual([[failing, null]]);
      const count = (table: string) => rows<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)[0]!.n;
      expect(count('knowledge_gaps')).toBe(failing === 'knowledge_gap' ? 0 : 2);
      expect(count('kata_specs')).toBe(failing === 'knowledge_gap' ? 0 : 1);
      expect(count('dreyfus_history')).toBe(failing === 'dreyfus' ? 0 : 1);
      expect(count('memories')).toBe(failing === 'reflection' ? 0 : 2);
      t!.core.get('actionLog').flushAll();
      expect(
        rows<{ data: string }>("SELECT data FROM action_log WHERE action_type = 'wrap_up_error'").map(
          (r) => (JSON.parse(r.data) as { agent: string }).agent,
        ),
      ).toEqual([failing]);
      expect(events.of('session:completed')).toEqual([
        expect.objectContaining({ sessionId, status: 'completed_with_errors', errors: ended.counts?.errors }),
      ]);
    },
  );

  it('paige_retry_wrap_up reruns only the failed agent, resolves its row and promotes the session', async () => {
    await boot([
      ...routed(3, { knowledge_gap: () => fail(400) }),
      ...routed(1, {
        knowledge_gap: () =>
          say(JSON.stringify({ ...KG_ANSWER, knowledge_gaps: KG_ANSWER.knowledge_gaps.slice(0, 1), kata_specs: [] })),
      }),
    ]);
    const { sessionId, ended } = await realSession();
    expect(ended.status).toBe('completed_with_errors');
    const before = fake!.mainRequests().length;
    const firstKgInput = userJson(requestsOf('knowledge_gap')[0]!);

    const r = RetryWrapUpOutput.parse(await tool(TOOL_NAMES.retryWrapUp, { session_id: sessionId }));
    expect(r).toEqual({
      session_id: sessionId,
      status: 'completed',
      ran: ['knowledge_gap'],
      counts: { memories_added: 0, gaps_identified: 1, katas_generated: 0, assessments_updated: 0, errors: [] },
      unresolved: [],
    });
    const after = fake!.mainRequests().slice(before);
    expect(after.map((x) => agentOf(x.body as MessagesRequest))).toEqual(['knowledge_gap']);
    // The same inputs as the first run: the log up to the end, not the wrap-up's own rows.
    expect(userJson(after[0]!.body as MessagesRequest)).toEqual(firstKgInput);
    expect(errorRows(sessionId)).toEqual([
      { agent_name: 'knowledge_gap', error_message: expect.any(String), resolved_at: expect.any(String) },
    ]);
    expect(t!.core.get('sessions').get(sessionId)?.status).toBe('completed');
    // Nothing left to retry: nothing runs.
    const again = RetryWrapUpOutput.parse(await tool(TOOL_NAMES.retryWrapUp, { session_id: sessionId }));
    expect(again.ran).toEqual([]);
    expect(fake!.mainRequests().length).toBe(before + 1);
    expect(await toolError(TOOL_NAMES.retryWrapUp, { session_id: 9999 })).toBe('NOT_FOUND');
  });

  it('session:retry_wrap_up: a failed reflection reruns with _r1 ids; a failing retry keeps one open row', async () => {
    await boot([
      ...routed(3, { reflection: () => fail(400) }),
      ...routed(1, { reflection: () => fail(400, { message: 'still broken' }) }),
      ...routed(1, {}),
    ]);
    const { sessionId } = await realSession();
    const failed = (await ipc('session:retry_wrap_up', { sessionId })) as Record<string, unknown>;
    expect(failed).toMatchObject({ status: 'completed_with_errors', ran: ['reflection'], unresolved: ['reflection'] });
    expect(errorRows(sessionId)).toEqual([
      { agent_name: 'reflection', error_message: expect.stringContaining('still broken'), resolved_at: null },
    ]);
    const ok = (await ipc('session:retry_wrap_up', { sessionId })) as Record<string, unknown>;
    expect(ok).toEqual({
      sessionId,
      status: 'completed',
      ran: ['reflection'],
      memoriesAdded: 2,
      gapsIdentified: 0,
      katasGenerated: 0,
      assessmentsUpdated: 0,
      unresolved: [],
    });
    // Reflection on a retry gets the session's gaps from the database.
    const rIn = userJson(requestsOf('reflection').at(-1)!) as { new_gaps: unknown[] };
    expect(rIn.new_gaps).toEqual([
      { topic: 'React useEffect cleanup', severity: 'high' },
      { topic: 'Debouncing', severity: 'medium' },
    ]);
    expect(rows('SELECT id FROM memories ORDER BY id')).toEqual([
      { id: `s${sessionId}-m1_r1` },
      { id: `s${sessionId}-m2_r1` },
    ]);
    // An active session cannot be retried.
    const active = StartSessionOutput.parse(await tool(TOOL_NAMES.startSession, { project_dir: t!.projectDir }));
    expect(await toolError(TOOL_NAMES.retryWrapUp, { session_id: active.session.id })).toBe('INVALID_STATE');
  });

  it('Dreyfus moves a skill at most one stage per wrap-up, even when rerun', async () => {
    await boot([
      ...routed(3, {
        dreyfus: () =>
          say(
            JSON.stringify({
              assessments: [
                { ...dreyfusAnswer('Proficient').assessments[0]!, skill_area: 'TypeScript' },
                { ...dreyfusAnswer('Novice').assessments[0]!, skill_area: 'Testing' },
                { ...dreyfusAnswer('Competent').assessments[0]!, skill_area: 'CSS' },
                { ...dreyfusAnswer('Expert').assessments[0]!, skill_area: 'TypeScript' },
              ],
            }),
          ),
      }),
      ...routed(1, {
        dreyfus: () =>
          say(
            JSON.stringify({ assessments: [{ ...dreyfusAnswer('Expert').assessments[0]!, skill_area: 'TypeScript' }] }),
          ),
      }),
    ]);
    const db = t!.core.db;
    const ts = new Date(Date.now() - 86_400_000).toISOString();
    for (const [skill, stage] of [
      ['TypeScript', 'Novice'],
      ['Testing', 'Expert'],
    ] as const) {
      db.run(
        db.qb
          .insertInto('dreyfus_assessments')
          .values({ skill_area: skill, stage, confidence: 0.5, evidence: 'earlier', assessed_at: ts }),
      );
      db.run(
        db.qb
          .insertInto('dreyfus_history')
          .values({ skill_area: skill, stage, confidence: 0.5, session_id: null, assessed_at: ts }),
      );
    }
    const { sessionId, ended } = await realSession();
    expect(ended.counts?.assessments_updated).toBe(3);
    const stages = () => rows('SELECT skill_area, stage FROM dreyfus_assessments ORDER BY skill_area');
    expect(stages()).toEqual([
      { skill_area: 'CSS', stage: 'Competent' }, // first assessment: taken as given
      { skill_area: 'Testing', stage: 'Proficient' }, // Expert → Novice proposed: one step down
      { skill_area: 'TypeScript', stage: 'Advanced Beginner' }, // Novice → Proficient proposed: one step up
    ]);
    const input = userJson(requestsOf('dreyfus')[0]!) as { current_assessments: unknown[]; evidence: unknown[] };
    expect(input.current_assessments).toEqual([
      { skill_area: 'TypeScript', stage: 'Novice', confidence: 0.5 },
      { skill_area: 'Testing', stage: 'Expert', confidence: 0.5 },
    ]);
    expect(input.evidence).toEqual([
      { skill_area: 'TypeScript', sessions: 0, hint_trend: 'unknown', completion_rate: null },
      { skill_area: 'Testing', sessions: 0, hint_trend: 'unknown', completion_rate: null },
    ]);
    // Rerunning Dreyfus for the same session still measures from where the skill stood before it.
    const r = RetryWrapUpOutput.parse(await tool(TOOL_NAMES.retryWrapUp, { session_id: sessionId, agent: 'dreyfus' }));
    expect(r.ran).toEqual(['dreyfus']);
    expect(rows("SELECT stage FROM dreyfus_assessments WHERE skill_area = 'TypeScript'")).toEqual([
      { stage: 'Advanced Beginner' },
    ]);
  });

  it('a gap met again is re-encountered (same row, frequency + 1) and earlier sessions feed the skill evidence', async () => {
    await boot(routed(3, {}));
    const db = t!.core.db;
    const old = new Date(Date.now() - 7 * 86_400_000).toISOString();
    // An earlier session that assessed React hooks, completed one of two phases and used three hints on it.
    const prev = Number(
      db.run(
        db.qb.insertInto('sessions').values({
          project_dir: t!.projectDir,
          status: 'completed',
          hint_level: 'medium',
          started_at: old,
          ended_at: old,
          last_activity_at: old,
        }),
      ).lastInsertRowid,
    );
    const [p1] = insertPlan(prev);
    db.sqlite
      .prepare("UPDATE phases SET status = 'complete', started_at = ?, completed_at = ? WHERE id = ?")
      .run(old, old, p1);
    for (let i = 0; i < 3; i++) {
      db.run(
        db.qb
          .insertInto('progress_events')
          .values({ phase_id: p1!, event_type: 'hint_used', data: null, created_at: old }),
      );
    }
    db.run(
      db.qb.insertInto('dreyfus_assessments').values({
        skill_area: 'React hooks',
        stage: 'Novice',
        confidence: 0.4,
        evidence: 'earlier',
        assessed_at: old,
      }),
    );
    db.run(
      db.qb
        .insertInto('dreyfus_history')
        .values({ skill_area: 'React hooks', stage: 'Novice', confidence: 0.4, session_id: prev, assessed_at: old }),
    );
    db.run(
      db.qb.insertInto('knowledge_gaps').values({
        session_id: prev,
        topic: 'debouncing',
        severity: 'low',
        evidence: 'earlier',
        frequency: 2,
        addressed: 1,
        identified_at: old,
        last_encountered_at: old,
        addressed_at: old,
      }),
    );
    const { sessionId } = await realSession();
    const kgIn = userJson(requestsOf('knowledge_gap')[0]!) as { existing_gaps: unknown[] };
    expect(kgIn.existing_gaps).toEqual([{ topic: 'debouncing', frequency: 2 }]);
    const dIn = userJson(requestsOf('dreyfus')[0]!) as { evidence: unknown[] };
    expect(dIn.evidence).toEqual([
      { skill_area: 'React hooks', sessions: 1, hint_trend: 'unknown', completion_rate: 0.33 },
    ]);
    expect(rows('SELECT topic, severity, frequency, addressed, session_id FROM knowledge_gaps ORDER BY id')).toEqual([
      { topic: 'debouncing', severity: 'medium', frequency: 3, addressed: 0, session_id: prev },
      { topic: 'React useEffect cleanup', severity: 'high', frequency: 1, addressed: 0, session_id: sessionId },
    ]);
    // Both count as this session's gaps for the state reader and a Reflection retry.
    expect(t!.core.get('sessionState').gaps(sessionId, t!.core.get('sessions').get(sessionId)!.startedAt)).toHaveLength(
      2,
    );
  });

  it('reads no transcript outside the Claude config dir, nor through a symlink leading outside', async () => {
    const configDir = tempDir('paige-claude-');
    const outside = path.join(tempDir('paige-elsewhere-'), 't.jsonl');
    fs.writeFileSync(outside, transcriptLines());
    const link = path.join(configDir, 'link.jsonl');
    fs.symlinkSync(outside, link);
    await boot([...routed(3, {}), ...routed(1, {})], { CLAUDE_CONFIG_DIR: configDir });
    const { sessionId } = await realSession({ transcriptPath: link });
    expect((userJson(requestsOf('reflection')[0]!) as { transcript: unknown }).transcript).toBeNull();
    await tool(TOOL_NAMES.retryWrapUp, { session_id: sessionId, agent: 'reflection' });
    expect((userJson(requestsOf('reflection')[1]!) as { transcript: unknown }).transcript).toBeNull();
  });

  it('shutdown mid-wrap-up: unfinished agents get interrupted rows; after restart nothing is wrapping_up', async () => {
    const dataDir = tempDir('paige-data-');
    await boot(
      routed(3, {
        knowledge_gap: () => say(JSON.stringify(KG_ANSWER), { delayMs: 60_000 }),
      }),
      {},
      { dataDir },
    );
    const started = StartSessionOutput.parse(await tool(TOOL_NAMES.startSession, { project_dir: t!.projectDir }));
    const sessionId = started.session.id;
    const ended = EndSessionOutput.parse(await tool(TOOL_NAMES.endSession, { reason: 'user' }));
    expect(ended.status).toBe('wrapping_up');
    await fake!.waitFor((r) => r.kind === 'main' && r.body !== undefined && agentOf(r.body) === 'knowledge_gap');
    await vi.waitFor(() => expect(rows('SELECT id FROM dreyfus_history')).toHaveLength(1));
    const projectDir = t!.projectDir;
    await client!.close();
    client = undefined;
    expect(await t!.core.shutdown('test')).toBe(0);

    t = await startTestCore({ dataDir, projectDir, env: { PATH: process.env.PATH } });
    expect(t.core.get('sessions').get(sessionId)?.status).toBe('completed_with_errors');
    expect(errorRows(sessionId).map((r) => [r.agent_name, r.error_message, r.resolved_at])).toEqual([
      ['knowledge_gap', expect.stringMatching(/^interrupted/), null],
      ['reflection', expect.stringMatching(/^interrupted/), null],
    ]);
    expect(rows('SELECT skill_area FROM dreyfus_assessments')).toEqual([{ skill_area: 'React hooks' }]);
  });
});

describe('wrap-up without a model', () => {
  it('records every agent as not run, and a retry answers LLM_DISABLED leaving the rows alone', async () => {
    t = await startTestCore();
    client = await mcpClientOf(t);
    const s = StartSessionOutput.parse(await tool(TOOL_NAMES.startSession, { project_dir: t.projectDir }));
    const ended = EndSessionOutput.parse(await tool(TOOL_NAMES.endSession, { wait: true }));
    expect(ended.status).toBe('completed_with_errors');
    expect(ended.counts?.errors.map((e) => e.message)).toEqual(Array(3).fill(expect.stringMatching(/^not run/)));
    expect(await toolError(TOOL_NAMES.retryWrapUp, { session_id: s.session.id })).toBe('LLM_DISABLED');
    expect(errorRows(s.session.id).every((r) => r.resolved_at === null)).toBe(true);
    expect(errorRows(s.session.id)).toHaveLength(3);
  });
});
