// The fake Anthropic API over plain fetch (no @anthropic-ai/sdk is installed): wire format, script, routing, faults.
// The e2e spec e2e/specs/claude-cli.spec.ts drives it with the real Claude Code CLI.
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from './server';
import {
  callTool,
  callTools,
  fail,
  malformed,
  reset,
  say,
  streamError,
  toolResults,
  toolResultText,
  turn,
} from './script';

let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const TOOLS = [{ name: 'lookup', description: 'd', input_schema: { type: 'object', properties: {} } }];

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  if (!fake) throw new Error('no fake');
  return fetch(`${fake.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'k', 'anthropic-version': '2023-06-01', ...headers },
    body: JSON.stringify(body),
  });
}

function messages(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'claude-test', max_tokens: 100, tools: TOOLS, messages: [{ role: 'user', content: 'hi' }], ...extra };
}

interface Sse {
  event: string;
  data: Record<string, unknown>;
}

function parseSse(text: string): Sse[] {
  return text
    .split('\n\n')
    .filter((chunk) => chunk.trim())
    .map((chunk) => {
      const event = /^event: (.*)$/m.exec(chunk)?.[1] ?? '';
      const data = /^data: (.*)$/m.exec(chunk)?.[1] ?? '{}';
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });
}

/** Rebuilds the content blocks from the deltas, as a client does. */
function assemble(events: Sse[]): { text: string[]; tools: { name: string; id: string; input: unknown }[] } {
  const text: string[] = [];
  const tools: { name: string; id: string; input: unknown }[] = [];
  const partial = new Map<number, string>();
  for (const { event, data } of events) {
    const index = data.index as number;
    if (event === 'content_block_start') {
      const block = data.content_block as { type: string; name?: string; id?: string };
      if (block.type === 'text') text[index] = '';
      if (block.type === 'tool_use') partial.set(index, '');
      if (block.type === 'tool_use') tools.push({ name: block.name ?? '', id: block.id ?? '', input: undefined });
    }
    if (event === 'content_block_delta') {
      const delta = data.delta as { type: string; text?: string; partial_json?: string };
      if (delta.type === 'text_delta') text[index] = (text[index] ?? '') + (delta.text ?? '');
      if (delta.type === 'input_json_delta')
        partial.set(index, (partial.get(index) ?? '') + (delta.partial_json ?? ''));
    }
    if (event === 'content_block_stop' && partial.has(index)) {
      const tool = tools.find((t) => t.input === undefined);
      if (tool) tool.input = JSON.parse(partial.get(index) ?? '{}');
    }
  }
  return { text: text.filter((t) => t !== undefined), tools };
}

describe('fake Anthropic Messages API', () => {
  it('answers a JSON request with a message carrying the scripted text and tool calls', async () => {
    fake = await startFakeAnthropic({ script: [callTool('lookup', { q: 'x' }, 'Let me look.'), say('done')] });
    const first = (await (await post('/v1/messages', messages())).json()) as Record<string, unknown>;
    expect(first).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-test',
      stop_reason: 'tool_use',
      content: [
        { type: 'text', text: 'Let me look.' },
        { type: 'tool_use', name: 'lookup', input: { q: 'x' } },
      ],
    });
    expect((first.content as { id?: string }[])[1]?.id).toMatch(/^toolu_01[0-9A-Za-z]{22}$/);
    expect((first.usage as { input_tokens: number }).input_tokens).toBeGreaterThan(0);
    const second = (await (await post('/v1/messages', messages())).json()) as Record<string, unknown>;
    expect(second).toMatchObject({ stop_reason: 'end_turn', content: [{ type: 'text', text: 'done' }] });
    expect(fake.remaining()).toBe(0);
  });

  it('streams the real event sequence, and the deltas reassemble into the scripted blocks', async () => {
    fake = await startFakeAnthropic({
      chunkSize: 5,
      script: [callTools([{ name: 'lookup', input: { path: 'src/a.ts', lines: [1, 2, 3] } }], 'A longer sentence.')],
    });
    const res = await post('/v1/messages', messages({ stream: true }));
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const events = parseSse(await res.text());
    const names = events.map((e) => e.event);
    expect(names.slice(0, 3)).toEqual(['message_start', 'ping', 'content_block_start']);
    expect(names.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(names.filter((n) => n === 'content_block_start')).toHaveLength(2);
    expect(names.filter((n) => n === 'content_block_stop')).toHaveLength(2);
    expect(events[0]?.data).toMatchObject({ message: { role: 'assistant', content: [], stop_reason: null } });
    expect(events.at(-2)?.data).toMatchObject({
      delta: { stop_reason: 'tool_use' },
      usage: { output_tokens: expect.any(Number) },
    });
    const { text, tools } = assemble(events);
    expect(text).toEqual(['A longer sentence.']);
    expect(tools).toEqual([
      { name: 'lookup', id: expect.stringMatching(/^toolu_/), input: { path: 'src/a.ts', lines: [1, 2, 3] } },
    ]);
  });

  it('lets a scripted turn read the tool_result the client sent back', async () => {
    fake = await startFakeAnthropic({
      script: [
        callTool('lookup', {}, undefined),
        (req) => say(`got ${toolResults(req).map(toolResultText).join('+')}`),
      ],
    });
    const first = (await (await post('/v1/messages', messages())).json()) as { content: { id: string }[] };
    const id = first.content[0]?.id ?? '';
    const followUp = messages({
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: [{ type: 'text', text: '42' }] }] },
      ],
    });
    const second = (await (await post('/v1/messages', followUp)).json()) as { content: { text: string }[] };
    expect(second.content[0]?.text).toBe('got 42');
    expect(fake.mainRequests().map((r) => r.step)).toEqual([0, 1]);
  });

  it("routes the CLI's tool-less side calls away from the script and answers structured output with the schema", async () => {
    fake = await startFakeAnthropic({ script: [say('main answer')] });
    const cli = { 'user-agent': 'claude-cli/2.1.328 (external, cli)' };
    const titleCall = messages({
      tools: undefined,
      output_config: {
        format: {
          type: 'json_schema',
          schema: { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] },
        },
      },
    });
    const title = (await (await post('/v1/messages', titleCall, cli)).json()) as { content: { text: string }[] };
    expect(JSON.parse(title.content[0]?.text ?? '')).toEqual({ title: 'Fake session' });
    const main = (await (await post('/v1/messages', messages(), cli)).json()) as { content: { text: string }[] };
    expect(main.content[0]?.text).toBe('main answer');
    expect(fake.sideRequests()).toHaveLength(1);
    expect(fake.mainRequests()).toHaveLength(1);
    // Another client without tools (e.g. the app's own SDK calls) is answered from the script.
    fake.enqueue(say('for the app'));
    const app = (await (await post('/v1/messages', messages({ tools: undefined }))).json()) as {
      content: { text: string }[];
    };
    expect(app.content[0]?.text).toBe('for the app');
  });

  it('injects HTTP errors with the API error body and retry-after, and a slow response', async () => {
    fake = await startFakeAnthropic({
      script: [fail(429, { retryAfterS: 3 }), fail(500), fail(529), say('slow', { delayMs: 150 })],
    });
    const limited = await post('/v1/messages', messages());
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(await limited.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    const server = await post('/v1/messages', messages());
    expect(server.status).toBe(500);
    expect(await server.json()).toMatchObject({ error: { type: 'api_error' } });
    expect(((await (await post('/v1/messages', messages())).json()) as { error: { type: string } }).error.type).toBe(
      'overloaded_error',
    );
    const t0 = performance.now();
    expect((await post('/v1/messages', messages())).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    expect(fake.mainRequests().map((r) => r.response.status)).toEqual([429, 500, 529, 200]);
  });

  it('sends malformed bodies, a mid-stream error event, and a dropped connection', async () => {
    fake = await startFakeAnthropic({
      script: [malformed(), malformed(), streamError(say('partial answer'), 0), reset()],
    });
    await expect((await post('/v1/messages', messages())).json()).rejects.toThrow();
    const brokenStream = await (await post('/v1/messages', messages({ stream: true }))).text();
    expect(brokenStream).toMatch(/^event: message_start\ndata: \{.*[^}\n]$/);
    const events = parseSse(await (await post('/v1/messages', messages({ stream: true }))).text());
    expect(events.map((e) => e.event)).toEqual(['message_start', 'error']);
    expect(events[1]?.data).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
    await expect(post('/v1/messages', messages())).rejects.toThrow();
    expect(fake.mainRequests().map((r) => r.response.fault)).toEqual([
      'malformed',
      'malformed',
      'stream-error',
      'reset',
    ]);
  });

  it('answers count_tokens, model listing and probes, 404s the rest, and records everything', async () => {
    fake = await startFakeAnthropic();
    const count = (await (await post('/v1/messages/count_tokens', messages())).json()) as { input_tokens: number };
    expect(count.input_tokens).toBeGreaterThan(0);
    const models = (await (await fetch(`${fake.url}/v1/models`)).json()) as { data: { id: string }[] };
    expect(models.data.length).toBeGreaterThan(0);
    expect((await fetch(`${fake.url}/api/hello`, { method: 'HEAD' })).status).toBe(200);
    const missing = await fetch(`${fake.url}/api/oauth/profile`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    expect(fake.requests.map((r) => [r.route, r.response.status])).toEqual([
      ['count_tokens', 200],
      ['models', 200],
      ['probe', 200],
      ['unknown', 404],
    ]);
  });

  it('says so when the script runs out, and waitFor sees past and future requests', async () => {
    fake = await startFakeAnthropic({ script: [turn([{ type: 'text', text: 'only' }])] });
    await post('/v1/messages', messages());
    await expect(fake.waitFor((r) => r.step === 0)).resolves.toMatchObject({ seq: 1 });
    const later = fake.waitFor((r) => r.step === -1, 2_000);
    const res = (await (await post('/v1/messages', messages())).json()) as { content: { text: string }[] };
    expect(res.content[0]?.text).toMatch(/no more turns/);
    await expect(later).resolves.toMatchObject({ seq: 2 });
    expect(fake.exhaustedCount()).toBe(1);
    await expect(fake.waitFor((r) => r.seq === 99, 50)).rejects.toThrow(/no matching request within 50 ms/);
  });
  it('accounts prompt-cache reads and writes per breakpoint prefix, per model', async () => {
    fake = await startFakeAnthropic({ script: [say('a'), say('b'), say('c'), say('d')], minCacheTokens: 10 });
    const system = [{ type: 'text', text: 'Stable prefix. '.repeat(20), cache_control: { type: 'ephemeral' } }];
    const usage = async (body: Record<string, unknown>) =>
      ((await (await post('/v1/messages', messages(body))).json()) as { usage: Record<string, number> }).usage;
    const first = await usage({ system, messages: [{ role: 'user', content: 'one' }] });
    expect(first.cache_read_input_tokens).toBe(0);
    expect(first.cache_creation_input_tokens).toBeGreaterThan(0);
    const second = await usage({ system, messages: [{ role: 'user', content: 'two' }] });
    expect(second.cache_read_input_tokens).toBe(first.cache_creation_input_tokens);
    expect(second.cache_creation_input_tokens).toBe(0);
    expect(second.input_tokens).toBeLessThan(first.cache_creation_input_tokens!);
    // Another model has its own cache; a changed prefix misses.
    expect((await usage({ model: 'claude-other', system })).cache_read_input_tokens).toBe(0);
    const changed = [{ ...system[0], text: `${system[0]!.text}!` }];
    expect((await usage({ system: changed })).cache_read_input_tokens).toBe(0);
  });
});
