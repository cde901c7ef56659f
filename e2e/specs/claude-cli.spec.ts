// The real Claude Code CLI (`claude -p`) driven by the scripted fake Anthropic API, calling Paige's MCP tools on a
// running `paige serve`. Needs no browser, so it runs once, in the `browser` project.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server';
import {
  callTool,
  fail,
  loadDeferredTools,
  say,
  toolResults,
  toolResultText,
  type Reply,
} from '../fake-anthropic/script';
import type { MessagesRequest } from '../fake-anthropic/wire';
import { CLAUDE_CODE_VERSION, claudeBinary, runClaudePrint } from '../support/claude-cli';
import { startPaigeServe, type PaigeServe } from '../support/paige-serve';

const START = 'mcp__paige__paige_start_session';
const ACTIVE = 'mcp__paige__paige_get_active_session';

let serve: PaigeServe | undefined;
let fake: FakeAnthropic | undefined;

test.beforeEach(() => {
  test.skip(test.info().project.name !== 'browser', 'runs once, in the browser project');
});

test.afterEach(async () => {
  await fake?.close();
  await serve?.stop();
  fake = undefined;
  serve = undefined;
});

test('the installed claude binary runs here', () => {
  const bin = claudeBinary();
  expect(bin, 'reason' in bin ? bin.reason : '').toHaveProperty('version', CLAUDE_CODE_VERSION);
});

/** The single JSON object a tool_result carries (Paige's tools answer with their structured content as text). */
function resultJson(request: MessagesRequest, index = 0): Record<string, unknown> {
  const block = toolResults(request)[index];
  if (!block) throw new Error('the request carries no tool_result');
  return JSON.parse(toolResultText(block)) as Record<string, unknown>;
}

test('claude -p calls Paige MCP tools chosen by the scripted model and sends their results back', async () => {
  test.setTimeout(60_000);
  serve = await startPaigeServe();
  const projectDir = serve.projectDir;
  fake = await startFakeAnthropic({
    script: [
      // Claude Code 2.1 defers MCP tools: the model first loads their schemas with ToolSearch.
      loadDeferredTools([START, ACTIVE]),
      (req): Reply => {
        const loaded = (req.tools ?? []).map((t) => t.name);
        if (!loaded.includes(START)) return say(`discovery failed; tools: ${loaded.join(',')}`);
        return callTool(START, { project_dir: projectDir, claude_session_id: 'scripted-session' }, 'Starting.');
      },
      (req): Reply => {
        if (resultJson(req).session === undefined) return say(`start failed: ${JSON.stringify(resultJson(req))}`);
        return callTool(ACTIVE, {});
      },
      (req): Reply => {
        const { session } = resultJson(req) as { session: { id: number } | null };
        return say(`Active Paige session ${session?.id ?? 'none'}.`);
      },
    ],
  });

  const run = await runClaudePrint({
    prompt: 'Open a coaching session and tell me which one is active.',
    cwd: projectDir,
    baseUrl: fake.url,
    mcp: { url: serve.mcpUrl, token: serve.mcpToken },
    allowedTools: ['mcp__paige__*'],
  });

  const main = fake.mainRequests();
  expect(run.exitCode, `stderr: ${run.stderr}\nstdout: ${run.stdout}`).toBe(0);
  expect(main).toHaveLength(4);
  expect(fake.exhaustedCount()).toBe(0);
  expect(fake.scriptErrors).toEqual([]);

  const [first, second, third, fourth] = main.map((r) => r.body as MessagesRequest);
  // The first request lists the MCP tools as deferred names only; ToolSearch's result is a tool_reference.
  expect(JSON.stringify(first?.messages)).toContain(START);
  expect((first?.tools ?? []).map((t) => t.name)).not.toContain(START);
  expect(toolResults(second as MessagesRequest)[0]?.content).toEqual(
    expect.arrayContaining([{ type: 'tool_reference', tool_name: START }]),
  );
  // paige_start_session's structured result came back to the model, and get_active_session agrees with it.
  const started = resultJson(third as MessagesRequest) as { session: { id: number; claude_session_id: string } };
  expect(started.session.claude_session_id).toBe('scripted-session');
  const active = resultJson(fourth as MessagesRequest) as { session: { id: number; status: string } | null };
  expect(active.session?.id).toBe(started.session.id);
  expect(run.result?.result).toBe(`Active Paige session ${started.session.id}.`);

  // With the isolation env the CLI talks to nothing but POST /v1/messages: no probes, no side calls.
  expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.kind}`)).toEqual(main.map(() => 'POST /v1/messages main'));
  expect(main[0]?.headers['user-agent']).toContain(`claude-cli/${CLAUDE_CODE_VERSION} `);
  expect(main[0]?.body?.stream).toBe(true);
});

test('claude -p retries a 429 from the fake after its retry-after and then answers', async () => {
  test.setTimeout(60_000);
  fake = await startFakeAnthropic({ script: [fail(429, { retryAfterS: 1 }), say('answered after a retry')] });
  const cwd = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'paige-claude-cwd-')));
  const run = await runClaudePrint({ prompt: 'hello', cwd, baseUrl: fake.url });
  fs.rmSync(cwd, { recursive: true, force: true });

  expect(run.exitCode, run.stderr).toBe(0);
  expect(run.result?.result).toBe('answered after a retry');
  const [failed, retried] = fake.mainRequests();
  expect(failed?.response.status).toBe(429);
  expect(retried?.response.status).toBe(200);
  // The CLI runs its own retry loop (the SDK's retry-count header stays 0) and waits out retry-after.
  expect((retried?.at ?? 0) - (failed?.at ?? 0)).toBeGreaterThanOrEqual(900);
});
