// A local HTTP server that speaks the Anthropic Messages API (JSON and SSE) from a per-test script of turns, records
// every request, and routes the client's side requests (titles, topic checks, quota probes) away from the script.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  encodeSse,
  errorBody,
  errorTypeFor,
  estimateTokens,
  newId,
  PromptCache,
  requestId,
  streamEvents,
  textOf,
  type ApiMessage,
  type MessagesRequest,
  type ResponseBlock,
} from './wire';
import { say, type Fault, type Reply, type ScriptContext, type Step, type TurnSpec } from './script';

export type RequestKind = 'main' | 'side';

export type Route = 'messages' | 'count_tokens' | 'models' | 'probe' | 'unknown';

export interface RecordedRequest {
  /** 1-based arrival order over all requests. */
  seq: number;
  at: number;
  method: string;
  /** Path without the query string. */
  path: string;
  query: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  /** The parsed body of a messages or count_tokens request; undefined when it was not JSON. */
  body: MessagesRequest | undefined;
  route: Route;
  /** For messages: whether it was answered from the script (main) or by the side responder. */
  kind?: RequestKind;
  /** For main requests: the 0-based script step that answered it, or -1 when the script was exhausted. */
  step?: number;
  /** What was sent back: the status and, for faults, which kind. */
  response: {
    status: number;
    fault?: Fault['kind'];
    stream?: boolean;
    /** The client closed the connection before the response was complete (an aborted request or stream). */
    clientClosed?: boolean;
  };
}

export interface FakeAnthropicOptions {
  /** The scripted replies to main requests, consumed in order. More can be added with `enqueue`. */
  script?: Step[];
  /** Decides which messages requests the script answers. Default: `classifyRequest`. */
  classify?: (request: MessagesRequest, headers: http.IncomingHttpHeaders) => RequestKind;
  /** Answers side requests (may wait, e.g. on a test's gate). Default: `sideReply`. */
  sideResponder?: (request: MessagesRequest) => Reply | Promise<Reply>;
  /** Characters per text_delta / input_json_delta (small values exercise the client's reassembly). Default 24. */
  chunkSize?: number;
  /** Reply when a main request arrives after the script ran out. Default: an end_turn text naming the problem. */
  whenExhausted?: Reply;
  port?: number;
  /** Smallest prefix (in estimated tokens) the prompt cache keeps; default 1 024 like the real API. */
  minCacheTokens?: number;
}

export interface FakeAnthropic {
  /** Base URL for ANTHROPIC_BASE_URL / the SDK's baseURL (no trailing slash, no /v1). */
  url: string;
  port: number;
  /** Every request in arrival order. */
  requests: RecordedRequest[];
  /** The messages requests the script answered, in order. */
  mainRequests(): RecordedRequest[];
  sideRequests(): RecordedRequest[];
  /** Appends steps to the script. */
  enqueue(...steps: Step[]): void;
  /** Steps not yet consumed. */
  remaining(): number;
  /** Main requests that arrived after the script ran out. */
  exhaustedCount(): number;
  /** Errors thrown by script functions (each answered with a 500). */
  scriptErrors: Error[];
  /** Resolves with the first recorded request (past or future) that matches, or rejects after `timeoutMs`. */
  waitFor(match: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  close(): Promise<void>;
}

const DEFAULT_CHUNK = 24;
const DEFAULT_WAIT_MS = 10_000;

/**
 * Claude Code's main conversation always carries its tool list; its side calls (session titles, "is this a new
 * topic", summaries) are sent without tools. So a request from the CLI (user-agent `claude-cli/…`) with no tools is a
 * side request; everything else, including any other client such as the app's own SDK calls, is main.
 */
export function classifyRequest(request: MessagesRequest, headers: http.IncomingHttpHeaders = {}): RequestKind {
  const fromCli = (headers['user-agent'] ?? '').startsWith('claude-cli/');
  return fromCli && (request.tools ?? []).length === 0 ? 'side' : 'main';
}

/**
 * A harmless answer to a side request: a minimal value of the requested JSON schema when the request asks for
 * structured output (the CLI's title call sends `output_config.format` = `{title: string}`), else a short text.
 */
export function sideReply(request: MessagesRequest): Reply {
  const schema = structuredOutputSchema(request);
  if (schema !== undefined) return say(JSON.stringify(sampleOf(schema)));
  const prompt = `${textOf(request.system)}\n${request.messages.map((m) => textOf(m.content)).join('\n')}`;
  if (/\btitle\b/i.test(prompt) && /json/i.test(prompt)) return say('{"title": "Fake session"}');
  return say('ok');
}

function structuredOutputSchema(request: MessagesRequest): unknown {
  for (const key of ['output_config', 'output_format']) {
    const v = request[key];
    if (!v || typeof v !== 'object') continue;
    const format = key === 'output_config' ? (v as { format?: unknown }).format : v;
    if (format && typeof format === 'object' && 'schema' in format) return (format as { schema: unknown }).schema;
  }
  return undefined;
}

/** The smallest value that satisfies a plain JSON schema (objects, arrays, enums, primitives). */
export function sampleOf(schema: unknown): unknown {
  if (!schema || typeof schema !== 'object') return null;
  const s = schema as { type?: unknown; enum?: unknown[]; const?: unknown; properties?: Record<string, unknown> };
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s.properties ?? {})) out[k] = sampleOf(v);
    return out;
  }
  if (type === 'array') return [];
  if (type === 'string') return 'Fake session';
  if (type === 'number' || type === 'integer') return 0;
  if (type === 'boolean') return false;
  return null;
}

export async function startFakeAnthropic(opts: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const script: Step[] = [...(opts.script ?? [])];
  let cursor = 0;
  let exhausted = 0;
  const requests: RecordedRequest[] = [];
  const scriptErrors: Error[] = [];
  const waiters: { match: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void }[] = [];
  const classify = opts.classify ?? classifyRequest;
  const sideResponder = opts.sideResponder ?? sideReply;
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK;
  const sockets = new Set<Socket>();
  const cache = new PromptCache(opts.minCacheTokens);

  const record = (r: RecordedRequest): void => {
    requests.push(r);
    for (const w of [...waiters]) {
      if (w.match(r)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(r);
      }
    }
  };

  const server = http.createServer((req, res) => {
    const chunksIn: Buffer[] = [];
    req.on('data', (c: Buffer) => chunksIn.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunksIn).toString('utf8');
      handle(req, res, rawBody).catch((err: unknown) => {
        scriptErrors.push(err instanceof Error ? err : new Error(String(err)));
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(errorBody('api_error', `fake-anthropic: ${String(err)}`));
      });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, rawBody: string): Promise<void> {
    const [pathname = '/', query = ''] = (req.url ?? '/').split('?', 2);
    const method = req.method ?? 'GET';
    const base = {
      seq: requests.length + 1,
      at: Date.now(),
      method,
      path: pathname,
      query,
      headers: req.headers,
      rawBody,
    };
    const body = parseBody(rawBody);

    if (method === 'POST' && pathname === '/v1/messages/count_tokens') {
      record({ ...base, body, route: 'count_tokens', response: { status: 200 } });
      sendJson(res, 200, { input_tokens: estimateTokens({ s: body?.system, m: body?.messages, t: body?.tools }) });
      return;
    }
    if (method === 'POST' && pathname === '/v1/messages') {
      if (!body || !Array.isArray(body.messages)) {
        record({ ...base, body, route: 'messages', response: { status: 400 } });
        sendError(res, 400, 'messages: field required');
        return;
      }
      const kind = classify(body, req.headers);
      let reply: Reply;
      let step: number | undefined;
      if (kind === 'side') {
        reply = await sideResponder(body);
      } else {
        const mainIndex = requests.filter((r) => r.kind === 'main').length;
        const previous = requests.filter((r) => r.kind === 'main' && r.body).map((r) => r.body as MessagesRequest);
        const next = script[cursor];
        if (next === undefined) {
          exhausted++;
          step = -1;
          reply = opts.whenExhausted ?? say('[fake-anthropic] the script has no more turns');
        } else {
          step = cursor++;
          const ctx: ScriptContext = { mainIndex, previous };
          reply = typeof next === 'function' ? await next(body, ctx) : next;
        }
      }
      const stream = body.stream === true;
      const status = reply.kind === 'status' ? reply.status : 200;
      const fault = reply.kind === 'turn' ? undefined : reply.kind;
      const rec: RecordedRequest = {
        ...base,
        body,
        route: 'messages',
        kind,
        step,
        response: { status, fault, stream },
      };
      res.once('close', () => {
        if (!res.writableFinished) rec.response.clientClosed = true;
      });
      record(rec);
      await respond(res, req, body, reply, stream);
      return;
    }
    if ((method === 'GET' || method === 'HEAD') && pathname.startsWith('/v1/models')) {
      record({ ...base, body: undefined, route: 'models', response: { status: 200 } });
      const id = pathname.slice('/v1/models/'.length);
      sendJson(res, 200, id ? modelInfo(id) : modelList());
      return;
    }
    if (method === 'HEAD' || (method === 'GET' && pathname === '/')) {
      // Claude Code probes `HEAD /api/hello` for connectivity before its first call.
      record({ ...base, body: undefined, route: 'probe', response: { status: 200 } });
      res.writeHead(200).end();
      return;
    }
    record({ ...base, body, route: 'unknown', response: { status: 404 } });
    sendError(res, 404, `fake-anthropic: no route for ${method} ${pathname}`);
  }

  async function respond(
    res: http.ServerResponse,
    req: http.IncomingMessage,
    request: MessagesRequest,
    reply: Reply,
    stream: boolean,
  ): Promise<void> {
    if (reply.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (reply.kind === 'status') {
      await sleep(reply.delayMs ?? 0);
      const headers: Record<string, string> = { 'content-type': 'application/json', 'request-id': requestId() };
      if (reply.retryAfterS !== undefined) headers['retry-after'] = String(reply.retryAfterS);
      // The SDK reads this header to decide whether to retry; the real API sets it on retryable errors.
      headers['x-should-retry'] = String([408, 409, 429].includes(reply.status) || reply.status >= 500);
      res.writeHead(reply.status, headers);
      res.end(errorBody(reply.type ?? errorTypeFor(reply.status), reply.message ?? `fake ${reply.status}`));
      return;
    }
    if (reply.kind === 'malformed') {
      if (stream) {
        res.writeHead(200, sseHeaders());
        res.end(reply.body ?? 'event: message_start\ndata: {"type":"message_start","message":{"id":');
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(reply.body ?? '{"id": "msg_broken", "type": "message", "content": [');
      }
      return;
    }
    const t = reply.kind === 'stream-error' ? reply.turn : reply;
    const message = buildMessage(request, t, cache);
    await sleep(t.delayMs ?? 0);
    if (!stream) {
      if (reply.kind === 'stream-error') {
        sendError(res, 529, reply.message ?? 'Overloaded', reply.type);
        return;
      }
      sendJson(res, 200, message);
      return;
    }
    res.writeHead(200, sseHeaders());
    const events = streamEvents(message, chunkSize);
    let blocksDone = 0;
    let sent = 0;
    for (const e of events) {
      if (res.destroyed) return;
      if (reply.kind === 'stream-error' && blocksDone >= reply.afterBlocks && e.event !== 'message_start') {
        const err = { type: 'error', error: { type: reply.type, message: reply.message ?? 'Overloaded' } };
        res.end(encodeSse({ event: 'error', data: err }));
        return;
      }
      res.write(encodeSse(e));
      sent++;
      if (e.event === 'content_block_stop') blocksDone++;
      if (t.eventDelayMs) await sleep(t.eventDelayMs);
      if (sent === t.stallAfterEvents) await sleep(t.stallMs ?? 0);
    }
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    mainRequests: () => requests.filter((r) => r.kind === 'main'),
    sideRequests: () => requests.filter((r) => r.kind === 'side'),
    enqueue: (...steps) => void script.push(...steps),
    remaining: () => script.length - cursor,
    exhaustedCount: () => exhausted,
    scriptErrors,
    waitFor(match, timeoutMs = DEFAULT_WAIT_MS) {
      const found = requests.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          resolve: (r: RecordedRequest) => {
            clearTimeout(timer);
            resolve(r);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          const seen = requests.map((r) => `${r.method} ${r.path}${r.kind ? ` (${r.kind})` : ''}`).join(', ');
          reject(new Error(`fake-anthropic: no matching request within ${timeoutMs} ms; seen: ${seen || 'none'}`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function buildMessage(request: MessagesRequest, t: TurnSpec, cache: PromptCache): ApiMessage {
  const content: ResponseBlock[] = t.content.map((b) => {
    if (b.type === 'text') return { type: 'text', text: b.text };
    if (b.type === 'thinking') return { type: 'thinking', thinking: b.thinking, signature: `sig_${newId('req')}` };
    return { type: 'tool_use', id: b.id ?? newId('toolu'), name: b.name, input: b.input ?? {} };
  });
  const callsTool = content.some((b) => b.type === 'tool_use');
  return {
    id: newId('msg'),
    type: 'message',
    role: 'assistant',
    model: request.model,
    content,
    stop_reason: t.stopReason ?? (callsTool ? 'tool_use' : 'end_turn'),
    stop_sequence: null,
    usage: { ...cache.account(request), output_tokens: estimateTokens(content) },
  };
}

function parseBody(raw: string): MessagesRequest | undefined {
  if (!raw) return undefined;
  try {
    const v: unknown = JSON.parse(raw);
    return v && typeof v === 'object' ? (v as MessagesRequest) : undefined;
  } catch {
    return undefined;
  }
}

function sseHeaders(): Record<string, string> {
  return { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': requestId() };
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': requestId() });
  res.end(JSON.stringify(value));
}

function sendError(res: http.ServerResponse, status: number, message: string, type = errorTypeFor(status)): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': requestId() });
  res.end(errorBody(type, message));
}

const MODELS = ['claude-opus-5-5', 'claude-sonnet-4-5', 'claude-haiku-4-5'];

function modelInfo(id: string): Record<string, unknown> {
  return { type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' };
}

function modelList(): Record<string, unknown> {
  return { data: MODELS.map(modelInfo), has_more: false, first_id: MODELS[0], last_id: MODELS[MODELS.length - 1] };
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}
