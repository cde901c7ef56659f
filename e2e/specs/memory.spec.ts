// Memory from one session to the next, in the browser on the sample to-do app (real git history, fake `gh`, fake
// model, the real Claude Code TUI, the embedded Chroma server Paige starts). Session 1: the learner picks issue #17
// (daysUntilDue is off by one), Paige plans it, Claude Code leaves a hint in the sidebar, the learner quits Claude
// Code, the SessionEnd hook ends the session and the wrap-up shows its results, among them the Reflection's memory
// about due dates. Session 2: the learner picks the related issue #32 (reject due dates that are not YYYY-MM-DD);
// the pipeline asks memory, the memory filter gets the memories the vector index found and keeps the due-date one
// (the fake decides from the candidates and the issue it is sent), the Coach's request carries it, and the plan in
// the sidebar says how it connects. Once with the embedded Chroma server, once with full-text search only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect, test } from '@playwright/test';
import { callTool, loadDeferredTools, say, type Reply } from '../fake-anthropic/script';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server';
import { textOf, type MessagesRequest } from '../fake-anthropic/wire';
import { GH_LOGIN, installFakeGh, sampleIssues } from '../fixtures/fake-gh/fixtures';
import { createSampleRepo } from '../fixtures/sample-repo';
import { agentOf as planningAgentOf, TODO_PLAN } from '../fixtures/todo-plan';
import { connectMcp } from '../support/mcp-client';
import {
  connectBridge,
  invokeOk,
  measure,
  pluginTool,
  readActionLog,
  openBridgePage,
  realClaudeSpec,
  startServeForClaude,
} from '../support/paige-plugin';
import { screen } from '../support/terminal-screen';
import { DREYFUS_SYSTEM_PROMPT } from '../../src/main/llm/agents/dreyfus';
import { ISSUE_SUITABILITY_SYSTEM_PROMPT } from '../../src/main/llm/agents/issue-suitability';
import { KNOWLEDGE_GAP_SYSTEM_PROMPT } from '../../src/main/llm/agents/knowledge-gap';
import { MEMORY_FILTER_SYSTEM_PROMPT } from '../../src/main/llm/agents/memory-filter';
import { REFLECTION_SYSTEM_PROMPT } from '../../src/main/llm/agents/reflection';
import type { SearchMemoriesOutput } from '../../src/shared/domain/memory';

const SHOW_MESSAGE = pluginTool('paige_show_message');
const defer = realClaudeSpec();

const ISSUE_A = 17; // daysUntilDue is off by one in UTC+13
const ISSUE_B = 32; // Reject due dates that are not YYYY-MM-DD
/** The Reflection's memory the second session must get: about due dates, like issue B. */
const MEMORY =
  'daysUntilDue in src/format.ts was off by one: it parses the due date as UTC midnight but read today in local ' +
  'time. Check which time zone a due date is parsed in before changing the arithmetic.';
/** A second memory of the same session, about something else: the filter discards it. */
const OTHER_MEMORY = 'Writes long commit messages in the past tense; suggest the imperative mood next time.';
const GAP = 'UTC versus local dates';
const HINT = 'Compare both dates in UTC: which one is read in local time?';

type Agent = 'branch' | 'selector' | 'coach' | 'memory_filter' | 'knowledge_gap' | 'dreyfus' | 'reflection' | 'rating';

/** Which of Paige's own agents a request is for, from its system prompt. */
function agentOf(req: MessagesRequest): Agent | null {
  const system = textOf(req.system ?? '');
  const exact: Record<string, Agent> = {
    [MEMORY_FILTER_SYSTEM_PROMPT]: 'memory_filter',
    [KNOWLEDGE_GAP_SYSTEM_PROMPT]: 'knowledge_gap',
    [DREYFUS_SYSTEM_PROMPT]: 'dreyfus',
    [REFLECTION_SYSTEM_PROMPT]: 'reflection',
    [ISSUE_SUITABILITY_SYSTEM_PROMPT]: 'rating',
  };
  if (exact[system]) return exact[system];
  const planning = planningAgentOf(req);
  return planning === 'rating' ? null : planning;
}

function userJson<T>(req: MessagesRequest): T {
  return JSON.parse(textOf(req.messages[0]?.content ?? '')) as T;
}

interface FilterIn {
  issue_summary: string;
  candidates: { content: string; tags: string[]; importance: string }[];
}
interface CoachIn {
  issue: { number: number; title: string };
  relevant_memories: { content: string; connection: string; use_in_coaching: string }[];
}

/**
 * The memory filter as a model would do it, from what it is sent: a candidate is relevant when one of its tags is
 * named in the issue; the others are discarded. Nothing is canned: the content comes from the candidates.
 */
function filterAnswer(req: MessagesRequest): Reply {
  const input = userJson<FilterIn>(req);
  const issue = input.issue_summary.toLowerCase();
  const relevant = input.candidates.filter((c) => c.tags.some((t) => issue.includes(t.toLowerCase())));
  return say(
    JSON.stringify({
      relevant_memories: relevant.map((c) => ({
        content: c.content,
        relevance: 'direct',
        connection: `Both are about ${c.tags.find((t) => issue.includes(t.toLowerCase()))}.`,
        use_in_coaching: 'Ask where the due date is parsed before they write the check.',
      })),
      discarded: input.candidates
        .filter((c) => !relevant.includes(c))
        .map((c) => ({ content: c.content, reason: 'Not about this issue.' })),
    }),
  );
}

/** What the fake answers each of Paige's agents; null for a request it does not know. */
function paigeAnswer(req: MessagesRequest): Reply | null {
  switch (agentOf(req)) {
    case 'rating': {
      const n = userJson<{ issue: { number: number } }>(req).issue.number;
      const ours = n === ISSUE_A || n === ISSUE_B;
      return say(
        JSON.stringify({
          summary: `You would work on issue ${n} of the to-do app: a contained change with a test to go with it.`,
          difficulty: ours ? 'low' : 'high',
          suitability: ours ? 'excellent' : 'fair',
          recommended_focus: 'dates',
          confidence: 0.8,
        }),
      );
    }
    case 'branch': {
      const n = userJson<{ issue: { number: number } }>(req).issue.number;
      return say(JSON.stringify({ name: n === ISSUE_A ? `${n}-utc-due-days` : `${n}-reject-bad-due-dates` }));
    }
    case 'selector':
      return say(
        JSON.stringify({
          files: [
            { path: 'src/format.ts', reason: 'daysUntilDue lives here.' },
            { path: 'test/format.test.ts', reason: 'Where the new test goes.' },
          ],
        }),
      );
    case 'coach': {
      const input = userJson<CoachIn>(req);
      return say(
        JSON.stringify({
          ...TODO_PLAN,
          title: input.issue.title.slice(0, 80),
          memory_connection: input.relevant_memories[0]?.connection ?? null,
        }),
      );
    }
    case 'memory_filter':
      return filterAnswer(req);
    case 'knowledge_gap':
      return say(
        JSON.stringify({
          knowledge_gaps: [
            { topic: GAP, evidence: 'Needed the hint about UTC.', severity: 'medium', related_concepts: ['dates'] },
          ],
          kata_specs: [],
          session_summary: { phases_completed: 0, total_time_minutes: 3, hints_used: 1, independent_completions: 0 },
        }),
      );
    case 'dreyfus':
      return say(
        JSON.stringify({
          assessments: [
            {
              skill_area: 'Date handling',
              stage: 'Novice',
              previous_stage: null,
              confidence: 0.5,
              evidence: 'Needed a pointer to the time zone.',
              recommendation: 'Ask about time zones before giving hints.',
            },
          ],
        }),
      );
    case 'reflection':
      return say(
        JSON.stringify({
          memories: [
            { content: MEMORY, tags: ['due dates', 'utc', 'src/format.ts'], importance: 'high' },
            { content: OTHER_MEMORY, tags: ['git', 'commit messages'], importance: 'low' },
          ],
        }),
      );
    default:
      return null;
  }
}

// `embedded`: the vector index in the Chroma server Paige starts; `fts`: full-text search only (what every mode falls
// back to when Chroma is off or down).
for (const mode of ['embedded', 'fts'] as const) {
  const backend = mode === 'embedded' ? 'chroma' : 'fts';
  test(`a memory from the first session’s wrap-up reaches the Coach of a session on a related issue (${mode})`, async () => {
    test.setTimeout(180_000);
    const t0 = performance.now();
    const projectDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'paige-memory-e2e-')));
    defer(() => fs.rmSync(projectDir, { recursive: true, force: true }));
    createSampleRepo(projectDir);
    // Both issues are the learner's, so they rank among the issues the Issues view assesses.
    const me = { id: 'MDQ6VXNlcjEyb2N0b2xlYXJuZXI', login: GH_LOGIN, name: 'Octo Learner' };
    const gh = installFakeGh('issues', {
      issues: sampleIssues().map((i) => ([ISSUE_A, ISSUE_B].includes(i.number) ? { ...i, assignees: [me] } : i)),
    });
    defer(() => fs.rmSync(path.dirname(gh.binDir), { recursive: true, force: true }));

    // Claude Code's turns (its requests carry tools) come from this list; Paige's own agents are answered by what
    // they are for, whatever the order.
    const claude: Reply[] = [
      loadDeferredTools([SHOW_MESSAGE]),
      callTool(SHOW_MESSAGE, { message: HINT, type: 'hint' }, 'A pointer for you.'),
      say('Look at how the due date is parsed; I left a hint in the sidebar.'),
    ];
    const unknown: string[] = [];
    const step = (req: MessagesRequest): Reply => {
      if ((req.tools?.length ?? 0) > 0) return claude.shift() ?? say('Nothing more.');
      const answer = paigeAnswer(req);
      if (answer) return answer;
      unknown.push(textOf(req.system ?? '').slice(0, 80));
      return say('{}');
    };
    const fake: FakeAnthropic = await startFakeAnthropic({ script: Array.from({ length: 300 }, () => step) });
    defer(() => fake.close());
    const requestsOf = (agent: Agent): MessagesRequest[] =>
      fake
        .mainRequests()
        .map((r) => r.body!)
        .filter((b) => agentOf(b) === agent);
    const { home, serve } = await startServeForClaude(defer, {
      projectDir,
      fakeUrl: fake.url,
      path: gh.env.PATH,
      env: {
        ...gh.env,
        // embedded: the real vector index, in the Chroma server Paige starts as a child process.
        PAIGE_MEMORY_MODE: mode,
        // The observer would ask the model about phase starts; it is not under test here.
        PAIGE_OBSERVER_ENABLED: 'false',
      },
    });
    const serveReady = performance.now();
    const bridge = await connectBridge(serve.bridgeUrl);
    defer(() => bridge.close());
    // Chroma connects in the background after the ready line; this notes when it is in use (the test goes on).
    let chromaReadyMs: number | null = null;
    const chromaReady =
      mode === 'fts'
        ? Promise.resolve()
        : expect
            .poll(
              async () => {
                const s = await invokeOk<{ backend: string }>(bridge, 'memory:status');
                if (s.backend === 'chroma' && chromaReadyMs === null) chromaReadyMs = performance.now() - serveReady;
                return s.backend;
              },
              { timeout: 60_000, intervals: [50] },
            )
            .toBe('chroma');
    const page = await openBridgePage(defer, serve.bridgeUrl);

    // --- Session 1: issue #17, planned, Claude Code in the terminal. ---
    await page.getByTestId('nav-issues').click();
    const pickedA = performance.now();
    await page
      .getByTestId(`issue-${ISSUE_A}`)
      .getByRole('button', { name: /Work on/ })
      .click({ timeout: 30_000 });
    await expect(page.getByTestId('coach-phase-1')).toHaveAttribute('data-status', 'active', { timeout: 30_000 });
    measure('session 1: Work on #17 → plan in the sidebar', Math.round(performance.now() - pickedA));
    // No memories yet: the pipeline asked and found none, so no filter call and no memory line in the plan.
    await expect(page.getByTestId('plan-memory-connection')).toHaveCount(0);
    expect(requestsOf('coach')).toHaveLength(1);
    expect(userJson<CoachIn>(requestsOf('coach')[0]!).relevant_memories).toEqual([]);
    expect(requestsOf('memory_filter')).toHaveLength(0);

    await expect(page.getByTestId('terminal-status')).toHaveAttribute('data-state', 'running', { timeout: 15_000 });
    await expect.poll(() => screen(page), { timeout: 30_000 }).toMatch(/^\s*❯\s*$/m);
    await page.getByTestId('terminal-host').click();
    const prompt = 'Why is daysUntilDue off by one?';
    const typed = performance.now();
    await page.keyboard.type(prompt);
    await expect.poll(() => screen(page)).toContain(prompt);
    await page.keyboard.press('Enter');
    await expect(page.locator('[data-testid^="coach-message-"]', { hasText: HINT })).toBeVisible({ timeout: 30_000 });
    await expect.poll(() => screen(page), { timeout: 15_000 }).toContain('I left a hint in the sidebar.');
    measure('session 1: prompt → Claude Code’s hint in the sidebar', Math.round(performance.now() - typed));

    // Quitting Claude Code: the SessionEnd hook ends the session; the wrap-up runs and shows its results.
    await page.keyboard.type('/exit');
    await expect.poll(() => screen(page)).toContain('/exit');
    const quit = performance.now();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('terminal-exit-banner')).toBeVisible({ timeout: 15_000 });
    const card = page.getByTestId('wrapup-card');
    await expect(card).toHaveAttribute('data-status', /^completed/, { timeout: 30_000 });
    for (const agent of ['knowledge_gap', 'dreyfus', 'reflection']) {
      await expect(page.getByTestId(`wrapup-agent-${agent}`), agent).toHaveAttribute('data-state', 'done');
    }
    await expect(card).toHaveAttribute('data-status', 'completed');
    measure('session 1: /exit → wrap-up results in the sidebar', Math.round(performance.now() - quit));
    await expect(page.getByTestId('wrapup-memories')).toContainText(MEMORY);
    await expect(page.getByTestId('wrapup-memories')).toContainText(OTHER_MEMORY);
    await expect(page.getByTestId('wrapup-gaps')).toContainText(GAP);
    const reflectionIn = userJson<{ issue_title: string; transcript: string }>(requestsOf('reflection')[0]!);
    expect(reflectionIn.issue_title).toBe('daysUntilDue is off by one in UTC+13');
    expect(reflectionIn.transcript).toContain(prompt);
    // The session was ended by Claude Code's SessionEnd hook (through paige_end_session), not by the app.
    const ended = readActionLog(serve.dataDir, 'session_ended');
    expect(ended).toHaveLength(1);
    expect(ended[0]!.data).toMatchObject({
      reason: 'claude_exit',
      transcriptPath: expect.stringContaining(home.configDir) as unknown,
    });

    // Both memories are in the embedded Chroma server's collection (none pending), and the search tools find the
    // due-date one first for a query about due dates.
    await chromaReady;
    if (mode === 'embedded') measure('serve ready → embedded Chroma in use', Math.round(chromaReadyMs ?? -1));
    if (mode === 'embedded')
      await expect
        .poll(async () => {
          const s = await invokeOk<{ backend: string; chroma: string | null; pending: number }>(
            bridge,
            'memory:status',
          );
          return { backend: s.backend, chroma: s.chroma, pending: s.pending };
        })
        .toEqual({ backend: 'chroma', chroma: 'embedded', pending: 0 });
    const found = await invokeOk<SearchMemoriesOutput>(bridge, 'search:memories', {
      query: 'parsing due dates',
      scope: 'all',
    });
    expect(found.backend).toBe(backend);
    expect(found.results[0]?.content).toBe(MEMORY);
    // The nearest neighbours are every memory of the project; full-text search finds only those sharing a word.
    expect(found.results.map((r) => r.content)).toEqual(mode === 'embedded' ? [MEMORY, OTHER_MEMORY] : [MEMORY]);
    const mcp = await connectMcp(serve.mcpUrl, serve.mcpToken);
    defer(() => mcp.close());
    const viaTool = (await mcp.callTool({
      name: 'paige_search_memories',
      arguments: { query: 'due date off by one', limit: 1 },
    })) as CallToolResult;
    expect(viaTool.isError ?? false).toBe(false);
    expect(viaTool.structuredContent).toMatchObject({ backend, results: [{ content: MEMORY }] });

    // --- Session 2: the related issue #32. ---
    await page.getByTestId('nav-issues').click();
    const pickedB = performance.now();
    await page
      .getByTestId(`issue-${ISSUE_B}`)
      .getByRole('button', { name: /Work on/ })
      .click({ timeout: 30_000 });
    await expect(page.getByTestId('ide-view')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('coach-phase-1')).toHaveAttribute('data-status', 'active', { timeout: 30_000 });
    measure('session 2: Work on #32 → plan in the sidebar', Math.round(performance.now() - pickedB));
    // The plan says how it draws on the earlier session (the Coach's memory_connection, from the filter's answer).
    await expect(page.getByTestId('plan-memory-connection')).toHaveText(
      'From an earlier session: Both are about due dates.',
    );

    // The memory filter got both of session 1's memories as candidates with issue #32, the due-date one first (the
    // nearest neighbours; or the best bm25 matches, the other one sharing only common words); it kept the due-date
    // one, and the Coach's request carries it.
    const filters = requestsOf('memory_filter');
    expect(filters).toHaveLength(1);
    const filterIn = userJson<FilterIn>(filters[0]!);
    expect(filterIn.issue_summary).toContain('Reject due dates that are not YYYY-MM-DD');
    expect(filterIn.candidates.map((c) => c.content)).toEqual([MEMORY, OTHER_MEMORY]);
    expect(filterIn.candidates[0]).toEqual({
      content: MEMORY,
      tags: ['due dates', 'utc', 'src/format.ts'],
      importance: 'high',
    });
    const coaches = requestsOf('coach');
    expect(coaches).toHaveLength(2);
    const coachIn = userJson<CoachIn>(coaches[1]!);
    expect(coachIn.issue).toMatchObject({ number: ISSUE_B, title: 'Reject due dates that are not YYYY-MM-DD' });
    expect(coachIn.relevant_memories).toEqual([
      {
        content: MEMORY,
        connection: 'Both are about due dates.',
        use_in_coaching: 'Ask where the due date is parsed before they write the check.',
      },
    ]);
    // The run's action is written just after the plan goes out.
    await expect
      .poll(() => readActionLog(serve.dataDir, 'coaching_pipeline_run').map((r) => r.data.memoriesUsed))
      .toEqual([0, 1]);
    const runs = readActionLog(serve.dataDir, 'coaching_pipeline_run');
    expect(runs[1]!.sessionId).not.toBe(runs[0]!.sessionId);

    // Chroma answered the pipeline's query: it never failed over to full-text search.
    expect((await invokeOk<{ backend: string }>(bridge, 'memory:status')).backend).toBe(backend);
    expect(serve.stderr()).not.toContain('memory index unavailable');
    expect(fake.scriptErrors).toEqual([]);
    expect(unknown).toEqual([]);
    measure('whole spec', Math.round(performance.now() - t0));
  });
}
