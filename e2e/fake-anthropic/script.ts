// What a test scripts the fake to answer: model turns (text and/or tool calls), faults (HTTP errors, malformed bodies,
// mid-stream errors, dropped connections), or a function of the request that returns either, e.g. to read a tool_result.
import type { ApiErrorType, MessagesRequest, RequestBlock, StopReason } from './wire';

export interface ToolCallSpec {
  name: string;
  input?: Record<string, unknown>;
  /** Defaults to a fresh `toolu_01…` id. */
  id?: string;
}

export type BlockSpec =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; name: string; input?: Record<string, unknown>; id?: string }
  | { type: 'thinking'; thinking: string };

export interface TurnSpec {
  kind: 'turn';
  content: BlockSpec[];
  /** Defaults to `tool_use` when the turn calls a tool, else `end_turn`. */
  stopReason?: StopReason;
  /** Wait before sending the response headers (a slow model). */
  delayMs?: number;
  /** Wait between SSE events (a slow stream). */
  eventDelayMs?: number;
  /** A stream that stalls: after this many SSE events, wait `stallMs` before sending the rest. */
  stallAfterEvents?: number;
  stallMs?: number;
}

export type Fault =
  /** An HTTP error with the API's error body; `retryAfterS` sets the retry-after header (429, 529, 5xx). */
  | { kind: 'status'; status: number; type?: ApiErrorType; message?: string; retryAfterS?: number; delayMs?: number }
  /** 200 with a body that is not what the client expects: truncated JSON, or SSE that breaks off mid-event. */
  | { kind: 'malformed'; body?: string }
  /** A streamed response that starts normally and then sends an `error` event (what the API does on overload). */
  | { kind: 'stream-error'; afterBlocks: number; type: ApiErrorType; message?: string; turn: TurnSpec }
  /** The socket is destroyed without a response. */
  | { kind: 'reset' };

export interface ScriptContext {
  /** 0-based index of this main request among all main requests so far. */
  mainIndex: number;
  /** Main requests recorded before this one. */
  previous: MessagesRequest[];
}

export type Reply = TurnSpec | Fault;
export type Step = Reply | ((request: MessagesRequest, ctx: ScriptContext) => Reply | Promise<Reply>);

export function turn(content: BlockSpec[], opts: Omit<TurnSpec, 'kind' | 'content'> = {}): TurnSpec {
  return { kind: 'turn', content, ...opts };
}

export function say(text: string, opts: Omit<TurnSpec, 'kind' | 'content'> = {}): TurnSpec {
  return turn([{ type: 'text', text }], opts);
}

/** One turn calling one or more tools, optionally after some text (Claude usually says something first). */
export function callTools(calls: ToolCallSpec[], text?: string): TurnSpec {
  const blocks: BlockSpec[] = text === undefined ? [] : [{ type: 'text', text }];
  for (const c of calls) blocks.push({ type: 'tool_use', name: c.name, input: c.input ?? {}, id: c.id });
  return turn(blocks);
}

export function callTool(name: string, input: Record<string, unknown> = {}, text?: string): TurnSpec {
  return callTools([{ name, input }], text);
}

/**
 * Claude Code 2.1.x defers MCP tools: their names are listed in a system message and the model must call
 * `ToolSearch` with `select:<names>` before it may call them. This is that discovery turn.
 */
export function loadDeferredTools(names: string[]): TurnSpec {
  return callTool('ToolSearch', { query: `select:${names.join(',')}`, max_results: Math.max(5, names.length) });
}

export function fail(
  status: number,
  opts: { type?: ApiErrorType; message?: string; retryAfterS?: number; delayMs?: number } = {},
): Fault {
  return { kind: 'status', status, ...opts };
}

export function malformed(body?: string): Fault {
  return { kind: 'malformed', body };
}

export function streamError(t: TurnSpec, afterBlocks = 0, type: ApiErrorType = 'overloaded_error'): Fault {
  return { kind: 'stream-error', afterBlocks, type, turn: t };
}

export function reset(): Fault {
  return { kind: 'reset' };
}

/** The tool_result blocks of the request's last user message (what the client sends back after a tool call). */
export function toolResults(request: MessagesRequest): RequestBlock[] {
  const last = [...request.messages].reverse().find((m) => m.role === 'user');
  if (!last || typeof last.content === 'string') return [];
  return last.content.filter((b) => b.type === 'tool_result');
}

/** The text of a tool_result block (string content or the text blocks of its content list). */
export function toolResultText(block: RequestBlock): string {
  const c = block.content;
  if (typeof c === 'string') return c;
  if (!Array.isArray(c)) return '';
  return c.map((b) => (typeof b.text === 'string' ? b.text : '')).join('\n');
}

/** Every tool_use block the assistant sent earlier in the conversation (to find an id or name by index). */
export function toolUses(request: MessagesRequest): RequestBlock[] {
  const out: RequestBlock[] = [];
  for (const m of request.messages) {
    if (m.role !== 'assistant' || typeof m.content === 'string') continue;
    for (const b of m.content) if (b.type === 'tool_use') out.push(b);
  }
  return out;
}
