// Memories from the wrap-up to Claude Code: a session ended through MCP runs the wrap-up against the fake model, the
// Reflection agent's memories are stored and indexed in the real embedded Chroma server, and `paige_search_memories`
// (real MCP SDK client over HTTP) finds them, within the project by default or across every project.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { say, type Step } from '../../../e2e/fake-anthropic/script';
import { startFakeAnthropic, type FakeAnthropic } from '../../../e2e/fake-anthropic/server';
import { textOf, type MessagesRequest } from '../../../e2e/fake-anthropic/wire';
import { EndSessionOutput, SearchMemoriesToolOutput, TOOL_NAMES } from '../../shared/mcp/tools';
import { DREYFUS_SYSTEM_PROMPT } from '../llm/agents/dreyfus';
import { KNOWLEDGE_GAP_SYSTEM_PROMPT } from '../llm/agents/knowledge-gap';
import { REFLECTION_SYSTEM_PROMPT } from '../llm/agents/reflection';
import { mcpClientOf } from '../mcp/testing';
import { startTestCore, stopAll, type TestCore } from '../testing/harness';
import { indexState, memory, sessionIn } from './testing/memory-kit';

let t: TestCore | undefined;
let fake: FakeAnthropic | undefined;
let client: Client | undefined;
afterEach(async () => {
  await stopAll({ client, t, fake });
  t = client = fake = undefined;
});

const ANSWERS: Record<string, unknown> = {
  [KNOWLEDGE_GAP_SYSTEM_PROMPT]: {
    knowledge_gaps: [],
    kata_specs: [],
    session_summary: { phases_completed: 0, total_time_minutes: 5, hints_used: 0, independent_completions: 0 },
  },
  [DREYFUS_SYSTEM_PROMPT]: { assessments: [] },
  [REFLECTION_SYSTEM_PROMPT]: {
    memories: [
      {
        content: 'Debounced the SearchBar query with a timer kept in a ref; the effect cleanup was the hard part.',
        tags: ['react', 'debounce'],
        importance: 'high',
      },
      { content: 'Prefers to read the failing test before touching code.', tags: ['habits'], importance: 'medium' },
    ],
  },
};
const WRAP_UP = Object.keys(ANSWERS);

async function boot(): Promise<void> {
  const script: Step[] = Array.from({ length: 3 }, () => (req: MessagesRequest) => {
    return say(JSON.stringify(ANSWERS[textOf(req.system)]));
  });
  fake = await startFakeAnthropic({
    script,
    classify: (req) => (WRAP_UP.includes(textOf(req.system)) ? 'main' : 'side'),
  });
  t = await startTestCore({
    env: {
      PATH: process.env.PATH,
      ANTHROPIC_API_KEY: 'sk-ant-memory-tools-1234',
      ANTHROPIC_BASE_URL: fake.url,
      PAIGE_MEMORY_MODE: 'embedded',
    },
  });
  expect(await t.core.get('memory').connect()).toBe(true);
  client = await mcpClientOf(t);
}

async function tool(name: string, args: Record<string, unknown>): Promise<unknown> {
  const r = (await client!.callTool({ name, arguments: args })) as CallToolResult;
  expect(r.isError ?? false, JSON.stringify(r.content)).toBe(false);
  return r.structuredContent;
}

describe('paige_search_memories', () => {
  it('finds the Reflection memories the wrap-up stored and indexed', async () => {
    await boot();
    await tool(TOOL_NAMES.startSession, { project_dir: t!.projectDir, issue_title: 'Search fires on every keystroke' });
    const ended = EndSessionOutput.parse(await tool(TOOL_NAMES.endSession, { wait: true }));
    expect(ended).toMatchObject({ status: 'completed', counts: { memories_added: 2 } });
    expect(indexState(t!)).toEqual({ total: 2, pending: 0, embedders: ['hash-384'] });

    // Another project's memory: found with scope "all" only.
    const other = sessionIn(t!, '/elsewhere');
    await t!.core.get('memory').add([memory('o1', other, '/elsewhere', 'Debounce the search field in the other app')]);

    const mine = SearchMemoriesToolOutput.parse(await tool(TOOL_NAMES.searchMemories, { query: 'debounce search' }));
    expect(mine.backend).toBe('chroma');
    expect(mine.results).toHaveLength(2);
    expect(mine.results[0]).toMatchObject({
      content: expect.stringContaining('SearchBar'),
      tags: ['react', 'debounce'],
      importance: 'high',
    });
    expect(mine.results[0]!.score).toBeGreaterThan(mine.results[1]!.score);

    const all = SearchMemoriesToolOutput.parse(
      await tool(TOOL_NAMES.searchMemories, { query: 'debounce search', scope: 'all', limit: 2 }),
    );
    expect(all.results.map((r) => r.id)).toContain('o1');
    expect(all.results).toHaveLength(2);

    // Read-only, and a limit outside 1–20 is malformed arguments.
    const listed = (await client!.listTools()).tools.find((x) => x.name === TOOL_NAMES.searchMemories);
    expect(listed?.annotations?.readOnlyHint).toBe(true);
    await expect(
      client!.callTool({ name: TOOL_NAMES.searchMemories, arguments: { query: 'x', limit: 21 } }),
    ).rejects.toMatchObject({ code: -32602 });
  });
});
