// The pipeline's memory steps end to end: memories of the project (indexed in the real embedded Chroma server) are
// found by the memory query, the memory filter (haiku, `memory_filter`) keeps the relevant ones, and they reach the
// Coach as `relevant_memories`; `memoriesUsed` lands in the run's action. A failing filter plans without memories.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { fail, say, type Step } from '../../../e2e/fake-anthropic/script';
import { startFakeAnthropic, type FakeAnthropic } from '../../../e2e/fake-anthropic/server';
import { textOf } from '../../../e2e/fake-anthropic/wire';
import { COACH_PLAN, PLAN_TEXT, PROJECT, SELECTION } from '../../../e2e/fixtures/coaching-plan';
import { MEMORY_FILTER_SYSTEM_PROMPT } from '../llm/agents/memory-filter';
import { mcpClientOf } from '../mcp/testing';
import { memory, sessionIn } from '../memory/testing/memory-kit';
import { startTestCore, writeFiles, stopAll, type TestCore } from '../testing/harness';
import { runPipeline, sentInput, startCsvSession } from './testing/pipeline-kit';

let t: TestCore | undefined;
let fake: FakeAnthropic | undefined;
let client: Client | undefined;
afterEach(async () => {
  await stopAll({ client, t, fake });
  t = client = fake = undefined;
});

const CSV_MEMORY = 'Split CSV lines by hand last time and missed quoted commas; a small state machine fixed it';
const OTHER_MEMORY = 'Prefers to write the test first before touching the implementation';

async function boot(script: Step[], mode: 'embedded' | 'fts'): Promise<void> {
  fake = await startFakeAnthropic({ script });
  t = await startTestCore({
    settings: { observer: { enabled: false } },
    env: {
      PATH: process.env.PATH,
      ANTHROPIC_BASE_URL: fake.url,
      ANTHROPIC_API_KEY: 'sk-ant-pipeline-memory-1234',
      PAIGE_MEMORY_MODE: mode,
    },
  });
  writeFiles(t.projectDir, PROJECT);
  const svc = t.core.get('memory');
  if (mode === 'embedded') expect(await svc.connect()).toBe(true);
  const mine = sessionIn(t, t.projectDir);
  const elsewhere = sessionIn(t, '/somewhere/else');
  await svc.add([
    memory('m1', mine, t.projectDir, CSV_MEMORY, ['csv', 'parsing']),
    memory('m2', mine, t.projectDir, OTHER_MEMORY, ['learning']),
    memory('x1', elsewhere, '/somewhere/else', 'CSV quoted fields in another project entirely', ['csv']),
  ]);
  client = await mcpClientOf(t);
  await startCsvSession(client, t.projectDir);
}

function runAction(): Record<string, unknown> {
  t!.core.get('actionLog').flushAll();
  const db = t!.core.db;
  const row = db
    .all(db.qb.selectFrom('action_log').select(['action_type', 'data']))
    .find((a) => a.action_type === 'coaching_pipeline_run');
  return JSON.parse(row?.data ?? '{}') as Record<string, unknown>;
}

const FILTERED = {
  relevant_memories: [
    {
      content: CSV_MEMORY,
      relevance: 'direct',
      connection: 'The same quoted-comma bug, now in the importer.',
      use_in_coaching: 'Remind them of the state machine before they reach for split().',
    },
  ],
  discarded: [{ content: OTHER_MEMORY, reason: 'About habits, not this code.' }],
};

describe('coaching pipeline memories', () => {
  it('memories found in Chroma pass the memory filter and reach the Coach', async () => {
    await boot(
      [say(JSON.stringify(SELECTION)), say(JSON.stringify(FILTERED)), say(JSON.stringify(COACH_PLAN))],
      'embedded',
    );
    const r = await runPipeline(client!);
    expect(r.isError ?? false, JSON.stringify(r.content)).toBe(false);

    const [, filter, coach] = fake!.mainRequests();
    expect(filter!.body!.model).toMatch(/haiku/);
    expect(textOf(filter!.body!.system)).toBe(MEMORY_FILTER_SYSTEM_PROMPT);
    const filterIn = sentInput(fake!, 1) as { candidates: { content: string; tags: string[] }[]; plan_text: string };
    // Only this project's memories are candidates, the CSV one nearest.
    expect(filterIn.candidates.map((c) => c.content)).toEqual([CSV_MEMORY, OTHER_MEMORY]);
    expect(filterIn.candidates[0]!.tags).toEqual(['csv', 'parsing']);
    expect(filterIn.plan_text).toBe(PLAN_TEXT);

    expect(coach!.body!.model).toMatch(/sonnet/);
    const coachIn = sentInput(fake!, 2) as { relevant_memories: unknown[] };
    expect(coachIn.relevant_memories).toEqual([
      {
        content: CSV_MEMORY,
        connection: 'The same quoted-comma bug, now in the importer.',
        use_in_coaching: 'Remind them of the state machine before they reach for split().',
      },
    ]);
    expect(runAction()).toMatchObject({ ok: true, memoriesUsed: 1 });
    const db = t!.core.db;
    const calls = db.all(db.qb.selectFrom('api_call_log').select('call_type').orderBy('id'));
    expect(calls.map((c) => c.call_type)).toEqual(['repo_explore', 'memory_filter', 'coach_agent']);
  });

  it('a failing memory filter plans without memories (warned) instead of failing the pipeline', async () => {
    await boot(
      [
        say(JSON.stringify(SELECTION)),
        fail(400, { type: 'invalid_request_error', message: 'filter refused' }),
        say(JSON.stringify(COACH_PLAN)),
      ],
      'fts',
    );
    const r = await runPipeline(client!);
    expect(r.isError ?? false, JSON.stringify(r.content)).toBe(false);
    const coachIn = sentInput(fake!, 2) as { relevant_memories: unknown[] };
    expect(coachIn.relevant_memories).toEqual([]);
    expect(runAction()).toMatchObject({ ok: true, memoriesUsed: 0 });
    expect(
      t!.logs.records().some((x) => x.level === 'warn' && x.msg === 'memory filter failed; planning without memories'),
    ).toBe(true);
  });
});
