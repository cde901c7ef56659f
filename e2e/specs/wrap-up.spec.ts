// The wrap-up in the browser. First, a whole session with the real Claude Code TUI in Paige's terminal (scripted fake
// model): the model leaves a message in the sidebar, the learner quits Claude Code, the plugin's SessionEnd hook ends
// the session, the fake answers the Knowledge Gap, Dreyfus and Reflection calls, and the sidebar shows the gaps, the
// kata, the stage change and the memory, again after a reload. Second, the learner ends a session with the End session
// button, Reflection answers with something that is not JSON, the card shows the failure, and Retry completes it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type http from 'node:http';
import type { Page } from '@playwright/test';
import { sideReply, startFakeAnthropic, type FakeAnthropic, type RequestKind } from '../fake-anthropic/server';
import { callTool, loadDeferredTools, say, type Reply } from '../fake-anthropic/script';
import { textOf, type MessagesRequest } from '../fake-anthropic/wire';
import { expect, test } from '../support/fixtures';
import { screen } from '../support/terminal-screen';
import { callToolOnce, OBSERVER_OFF } from '../support/mcp-client';
import {
  connectBridge,
  invokeOk,
  measure,
  pluginTool,
  openBridgePage,
  realClaudeSpec,
  startServeForClaude,
} from '../support/paige-plugin';
import { wrapUpAgentOf as agentOf } from '../fixtures/wrap-up-agents';
import type { SessionSnapshot, WrapUpAgent as Agent } from '../../src/shared/domain/session';

const GAP = 'Off-by-one loop bounds';
const KATA = 'Walk an array exactly once';
const MEMORY = 'Found the <= in the sum loop by reading it aloud; check loop bounds first next time.';
const PROMPT = 'Coach me on the sum loop in src/app.ts';

const KG_ANSWER = {
  knowledge_gaps: [
    {
      topic: GAP,
      evidence: 'Needed a pointer to the loop condition.',
      severity: 'medium',
      related_concepts: ['arrays'],
    },
  ],
  kata_specs: [
    {
      gap_index: 0,
      title: KATA,
      description: 'Sum an array without reading past its end.',
      scaffolding_code: 'export function sum(xs: number[]): number {\n  return 0;\n}\n',
      instructor_notes: 'Look for < versus <=.',
      language: 'typescript',
      difficulty: 'easy',
      estimated_minutes: 10,
      constraints: [
        { id: 'for', description: 'Use a for loop', minLevel: 1 },
        { id: 'empty', description: 'Handle an empty array', minLevel: 2 },
        { id: 'reduce', description: 'Rewrite it with reduce', minLevel: 4 },
      ],
      test_code: null,
    },
  ],
  session_summary: { phases_completed: 0, total_time_minutes: 2, hints_used: 0, independent_completions: 0 },
};
const DREYFUS_ANSWER = {
  assessments: [
    {
      skill_area: 'TypeScript loops',
      stage: 'Advanced Beginner',
      previous_stage: 'Novice',
      confidence: 0.6,
      evidence: 'Found the bound with one pointer.',
      recommendation: 'Let them find the next bug unaided.',
    },
  ],
};
const REFLECTION_ANSWER = { memories: [{ content: MEMORY, tags: ['loops'], importance: 'high' }] };

/**
 * Claude Code's main turns (from the CLI, with tools) come from the script; Paige's own wrap-up calls are answered by
 * agent (in whatever order the parallel calls arrive) from `answers`; anything else gets the fake's minimal answer.
 */
function routeWrapUp(answers: Partial<Record<Agent, () => Reply | Promise<Reply>>>) {
  return {
    classify: (req: MessagesRequest, headers: http.IncomingHttpHeaders): RequestKind =>
      (headers['user-agent'] ?? '').startsWith('claude-cli/') && (req.tools ?? []).length > 0 ? 'main' : 'side',
    sideResponder: (req: MessagesRequest): Reply | Promise<Reply> => {
      const agent = agentOf(req);
      const answer = agent ? answers[agent] : undefined;
      return answer ? answer() : sideReply(req);
    },
  };
}

function agentRequests(fake: FakeAnthropic, agent: Agent): MessagesRequest[] {
  return fake.requests
    .filter((r) => r.route === 'messages' && r.body && agentOf(r.body) === agent)
    .map((r) => r.body as MessagesRequest);
}

function userJson(req: MessagesRequest): Record<string, unknown> {
  return JSON.parse(textOf(req.messages[0]?.content ?? '')) as Record<string, unknown>;
}

/** What the wrap-up card must show for the first test's session, before and after a reload. */
async function expectResults(page: Page, sessionId: number): Promise<void> {
  const card = page.getByTestId('wrapup-card');
  await expect(card).toHaveAttribute('data-session', String(sessionId));
  await expect(card).toHaveAttribute('data-status', 'completed');
  for (const agent of ['knowledge_gap', 'dreyfus', 'reflection']) {
    await expect(page.getByTestId(`wrapup-agent-${agent}`)).toHaveAttribute('data-state', 'done');
  }
  await expect(page.getByTestId('wrapup-gaps')).toContainText(GAP);
  await expect(page.getByTestId('wrapup-gaps').locator('li')).toHaveAttribute('data-severity', 'medium');
  await expect(page.getByTestId('wrapup-katas')).toContainText(KATA);
  await expect(page.getByTestId('wrapup-stage')).toHaveText('TypeScript loops: Novice → Advanced Beginner');
  await expect(page.getByTestId('wrapup-memories')).toContainText(MEMORY);
  await expect(card.getByRole('button', { name: 'Retry' })).toHaveCount(0);
}

test.describe('real Claude Code session', () => {
  const defer = realClaudeSpec();

  test('quitting Claude Code runs the wrap-up; the sidebar shows its results, also after a reload', async () => {
    test.setTimeout(150_000);
    const projectDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'paige-wrapup-proj-')));
    defer(() => fs.rmSync(projectDir, { recursive: true, force: true }));
    fs.mkdirSync(path.join(projectDir, 'src'));
    fs.writeFileSync(
      path.join(projectDir, 'src', 'app.ts'),
      'export function sum(xs: number[]): number {\n  let t = 0;\n  for (let i = 0; i <= xs.length; i++) t += xs[i];\n  return t;\n}\n',
    );
    const SHOW_MESSAGE = pluginTool('paige_show_message');
    const fake: FakeAnthropic = await startFakeAnthropic({
      script: [
        loadDeferredTools([SHOW_MESSAGE]),
        callTool(SHOW_MESSAGE, { message: 'Read the loop condition aloud.', type: 'hint' }, 'A pointer for you.'),
        say('Look at the loop condition; I left a hint in the sidebar.'),
      ],
      ...routeWrapUp({
        knowledge_gap: () => say(JSON.stringify(KG_ANSWER)),
        dreyfus: () => say(JSON.stringify(DREYFUS_ANSWER)),
        reflection: () => say(JSON.stringify(REFLECTION_ANSWER)),
      }),
    });
    defer(() => fake.close());
    // Paige's own model calls go to the same fake.
    const { serve } = await startServeForClaude(defer, { projectDir, fakeUrl: fake.url });
    const bridge = await connectBridge(serve.bridgeUrl);
    defer(() => bridge.close());
    // An earlier session left this skill at Novice: the wrap-up moves it one stage.
    const db = new Database(path.join(serve.dataDir, 'paige.db'));
    db.pragma('busy_timeout = 5000');
    const ts = new Date(Date.now() - 86_400_000).toISOString();
    db.prepare(
      "INSERT INTO dreyfus_assessments (skill_area, stage, confidence, evidence, assessed_at) VALUES ('TypeScript loops', 'Novice', 0.5, 'earlier', ?)",
    ).run(ts);
    db.prepare(
      "INSERT INTO dreyfus_history (skill_area, stage, confidence, session_id, assessed_at) VALUES ('TypeScript loops', 'Novice', 0.5, NULL, ?)",
    ).run(ts);
    db.close();

    const page = await openBridgePage(defer, serve.bridgeUrl);
    await page.getByTestId('nav-workspace').click();
    await expect(page.getByTestId('terminal-status')).toHaveAttribute('data-state', 'running', { timeout: 15_000 });
    await expect.poll(() => screen(page), { timeout: 30_000 }).toContain('? for shortcuts');
    let sessionId = 0;
    await expect
      .poll(async () => {
        sessionId = (await invokeOk<SessionSnapshot | null>(bridge, 'session:snapshot'))?.session.id ?? 0;
        return sessionId;
      })
      .toBeGreaterThan(0);
    await expect(page.getByTestId('coach-session')).toHaveAttribute('data-status', 'active');
    // While the session runs the card offers to end it; no wrap-up is shown.
    await expect(page.getByTestId('wrapup-end-session')).toBeVisible();
    await expect(page.getByTestId('wrapup-card')).toHaveCount(0);

    await page.getByTestId('terminal-host').click();
    await page.keyboard.type(PROMPT);
    await expect.poll(() => screen(page)).toContain(PROMPT);
    await page.keyboard.press('Enter');
    await expect(page.locator('[data-testid^="coach-message-"]', { hasText: 'Read the loop condition' })).toBeVisible({
      timeout: 30_000,
    });
    await expect.poll(() => screen(page), { timeout: 15_000 }).toContain('I left a hint in the sidebar.');

    // Quitting Claude Code: the SessionEnd hook ends the session and the wrap-up runs against the fake.
    await page.keyboard.type('/exit');
    await expect.poll(() => screen(page)).toContain('/exit');
    const quit = performance.now();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('terminal-exit-banner')).toBeVisible({ timeout: 15_000 });
    await expect(page.getByTestId('wrapup-card')).toBeVisible({ timeout: 15_000 });
    await expect(page.getByTestId('wrapup-card')).toHaveAttribute('data-status', 'completed', { timeout: 30_000 });
    measure('/exit typed → wrap-up results in the sidebar', Math.round(performance.now() - quit));
    await expectResults(page, sessionId);
    await expect(page.getByTestId('wrapup-end-session')).toHaveCount(0);

    // The fake saw each agent once; Reflection got the Claude Code transcript (read from the config dir) with the
    // learner's prompt, and the Knowledge Gap agent the session's action log with the model's sidebar message.
    expect(fake.scriptErrors).toEqual([]);
    expect(fake.exhaustedCount()).toBe(0);
    for (const agent of ['knowledge_gap', 'dreyfus', 'reflection'] as const) {
      expect(agentRequests(fake, agent), agent).toHaveLength(1);
    }
    const reflectionIn = userJson(agentRequests(fake, 'reflection')[0]!);
    expect(reflectionIn.transcript).toEqual(expect.stringContaining(PROMPT));
    expect(reflectionIn.new_gaps).toEqual([{ topic: GAP, severity: 'medium' }]);
    const kgIn = userJson(agentRequests(fake, 'knowledge_gap')[0]!) as { actions: { type: string }[] };
    expect(kgIn.actions.map((a) => a.type)).toEqual(expect.arrayContaining(['session_started', 'coaching_message']));
    const dreyfusIn = userJson(agentRequests(fake, 'dreyfus')[0]!) as { current_assessments: unknown[] };
    expect(dreyfusIn.current_assessments).toEqual([
      { skill_area: 'TypeScript loops', stage: 'Novice', confidence: 0.5 },
    ]);

    // A reload reads the same results from SQLite; nothing is rerun.
    const requestsBefore = fake.requests.length;
    await page.goto(serve.bridgeUrl);
    await page.getByTestId('nav-workspace').click();
    await expectResults(page, sessionId);
    expect(fake.requests.filter((r) => r.body && agentOf(r.body)).length).toBe(3);
    expect(fake.requests.slice(requestsBefore).filter((r) => r.body && agentOf(r.body))).toEqual([]);
  });
});

test.describe('End session button and Retry', () => {
  let reflectionBroken = true;
  /** Holds the Knowledge Gap answer until the test has seen the agents' progress. */
  let releaseGaps: () => void = () => undefined;
  let gapsGate: Promise<void> = Promise.resolve();
  const withFake = test.extend<{ fake: FakeAnthropic }>({
    // eslint-disable-next-line no-empty-pattern
    fake: async ({}, use) => {
      const fake = await startFakeAnthropic(
        routeWrapUp({
          knowledge_gap: async () => {
            await gapsGate;
            return say(JSON.stringify(KG_ANSWER));
          },
          dreyfus: () => say(JSON.stringify(DREYFUS_ANSWER)),
          reflection: () =>
            reflectionBroken ? say('Here are my notes: loops are hard.') : say(JSON.stringify(REFLECTION_ANSWER)),
        }),
      );
      await use(fake);
      await fake.close();
    },
    paigeEnv: async ({ fake }, use) => {
      await use({ ANTHROPIC_API_KEY: 'sk-ant-e2e-wrapup-1234', ANTHROPIC_BASE_URL: fake.url });
    },
  });
  withFake.use({ dataFiles: OBSERVER_OFF });

  withFake('a failed Reflection shows with Retry; Retry completes the wrap-up in place', async ({ paige, fake }) => {
    test.skip(test.info().project.name !== 'browser', 'one renderer is enough for the card');
    test.setTimeout(60_000);
    reflectionBroken = true;
    gapsGate = new Promise((resolve) => (releaseGaps = resolve));
    const { page, dataDir, projectDir } = paige;
    await page.getByTestId('nav-workspace').click();
    await callToolOnce(dataDir, 'paige_start_session', {
      project_dir: projectDir,
      issue_number: 7,
      issue_title: 'sum() reads past the end',
    });
    await expect(page.getByTestId('coach-session')).toHaveAttribute('data-status', 'active');

    await page.getByTestId('wrapup-end-session').click();
    const card = page.getByTestId('wrapup-card');
    // Progress while the Knowledge Gap answer is held: it runs, Dreyfus is done, Reflection waits for both.
    await expect(card).toHaveAttribute('data-status', 'wrapping_up');
    await expect(card).toContainText('Wrapping up');
    await expect(page.getByTestId('wrapup-agent-knowledge_gap')).toHaveAttribute('data-state', 'running');
    await expect(page.getByTestId('wrapup-agent-dreyfus')).toHaveAttribute('data-state', 'done');
    await expect(page.getByTestId('wrapup-agent-reflection')).toHaveAttribute('data-state', 'pending');
    await expect(page.getByTestId('wrapup-end-session')).toHaveCount(0);
    releaseGaps();
    await expect(card).toHaveAttribute('data-status', 'completed_with_errors', { timeout: 30_000 });
    const reflection = page.getByTestId('wrapup-agent-reflection');
    await expect(reflection).toHaveAttribute('data-state', 'failed');
    // A sentence for the learner; the technical text waits in a collapsed details block.
    await expect(reflection.getByTestId('wrapup-agent-error')).toContainText('Retry usually fixes this.');
    await expect(reflection.getByTestId('wrapup-agent-error-detail')).toBeHidden();
    await expect(reflection.getByTestId('wrapup-agent-error-detail')).toContainText('not JSON');
    await expect(page.getByTestId('wrapup-agent-knowledge_gap')).toHaveAttribute('data-state', 'done');
    await expect(page.getByTestId('wrapup-agent-dreyfus')).toHaveAttribute('data-state', 'done');
    // What the other agents produced is already shown; no memory yet.
    await expect(page.getByTestId('wrapup-gaps')).toContainText(GAP);
    await expect(page.getByTestId('wrapup-stage')).toHaveText('TypeScript loops: assessed Advanced Beginner');
    await expect(page.getByTestId('wrapup-memories')).toHaveCount(0);
    const first = agentRequests(fake, 'reflection');
    expect(first.length).toBeGreaterThanOrEqual(1);
    expect(agentRequests(fake, 'knowledge_gap')).toHaveLength(1);

    reflectionBroken = false;
    const clicked = performance.now();
    await page.getByTestId('wrapup-retry-reflection').click();
    await expect(card).toHaveAttribute('data-status', 'completed', { timeout: 30_000 });
    measure('Retry clicked → wrap-up completed in the card', Math.round(performance.now() - clicked));
    await expect(reflection).toHaveAttribute('data-state', 'done');
    await expect(page.getByTestId('wrapup-retry-reflection')).toHaveCount(0);
    await expect(page.getByTestId('wrapup-memories')).toContainText(MEMORY);
    await expect(page.getByTestId('wrapup-gaps')).toContainText(GAP);

    // Only Reflection ran again, with the session's gaps read back from the database.
    const after = agentRequests(fake, 'reflection');
    expect(after).toHaveLength(first.length + 1);
    expect(userJson(after.at(-1)!).new_gaps).toEqual([{ topic: GAP, severity: 'medium' }]);
    expect(agentRequests(fake, 'knowledge_gap')).toHaveLength(1);
    expect(agentRequests(fake, 'dreyfus')).toHaveLength(1);
  });
});
