// The Anthropic Messages API wire format as the fake speaks it: the request shapes it reads, the message and error
// bodies it writes, and the SSE event sequence of a streamed message (the same order and fields as the real API).
import crypto from 'node:crypto';

/** `content_filter` is not sent by today's models; the fake can send it to exercise a client's content-filter path. */
export type StopReason =
  | 'end_turn'
  | 'tool_use'
  | 'max_tokens'
  | 'stop_sequence'
  | 'refusal'
  | 'pause_turn'
  | 'model_context_window_exceeded'
  | 'content_filter';

export interface TextBlock {
  type: 'text';
  text: string;
}

export interface ToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
}

export interface ThinkingBlock {
  type: 'thinking';
  thinking: string;
  signature: string;
}

export type ResponseBlock = TextBlock | ToolUseBlock | ThinkingBlock;

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export interface ApiMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: ResponseBlock[];
  stop_reason: StopReason;
  stop_sequence: string | null;
  usage: Usage;
}

/** One block of a request message's content, loosely typed: the CLI sends block types the fake never needs to read. */
export interface RequestBlock {
  type: string;
  text?: string;
  id?: string;
  name?: string;
  input?: unknown;
  tool_use_id?: string;
  content?: string | RequestBlock[];
  is_error?: boolean;
  [key: string]: unknown;
}

export interface RequestMessage {
  role: string;
  content: string | RequestBlock[];
}

export interface RequestTool {
  name: string;
  description?: string;
  input_schema?: unknown;
  defer_loading?: boolean;
  [key: string]: unknown;
}

/** A POST /v1/messages body; only the fields the fake reads are typed. */
export interface MessagesRequest {
  model: string;
  messages: RequestMessage[];
  system?: string | RequestBlock[];
  tools?: RequestTool[];
  tool_choice?: unknown;
  max_tokens?: number;
  stream?: boolean;
  metadata?: unknown;
  [key: string]: unknown;
}

export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error';

export function errorBody(type: ApiErrorType, message: string): string {
  return JSON.stringify({ type: 'error', error: { type, message }, request_id: requestId() });
}

export function errorTypeFor(status: number): ApiErrorType {
  if (status === 400) return 'invalid_request_error';
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 529) return 'overloaded_error';
  return 'api_error';
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Ids shaped like the real ones (`msg_01` + 22 base62 characters). */
export function newId(prefix: 'msg' | 'toolu' | 'req'): string {
  const bytes = crypto.randomBytes(22);
  let s = '';
  for (const b of bytes) s += BASE62[b % 62];
  return `${prefix}_01${s}`;
}

export function requestId(): string {
  return newId('req');
}

/** A rough token count (4 characters a token), enough for usage fields and count_tokens. */
export function estimateTokens(value: unknown): number {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? '');
  return Math.max(1, Math.ceil(text.length / 4));
}

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

export function encodeSse(e: SseEvent): string {
  return `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
}

/** Splits a string into pieces of at most `size` characters (at least one piece, possibly empty). */
export function chunks(text: string, size: number): string[] {
  if (text.length === 0) return [''];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/**
 * The events of one streamed message, in the real API's order: message_start, ping, then per block
 * content_block_start / *_delta… / content_block_stop, then message_delta (stop_reason, output usage), message_stop.
 * Tool inputs stream as input_json_delta pieces of the serialized input, starting from `input: {}`.
 */
export function streamEvents(message: ApiMessage, chunkSize: number): SseEvent[] {
  const ev = (type: string, data: Record<string, unknown> = {}): SseEvent => ({ event: type, data: { type, ...data } });
  const events: SseEvent[] = [
    ev('message_start', {
      message: {
        ...message,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...message.usage, output_tokens: 1 },
      },
    }),
    ev('ping'),
  ];
  message.content.forEach((block, index) => {
    if (block.type === 'text') {
      events.push(ev('content_block_start', { index, content_block: { type: 'text', text: '' } }));
      for (const piece of chunks(block.text, chunkSize)) {
        events.push(ev('content_block_delta', { index, delta: { type: 'text_delta', text: piece } }));
      }
    } else if (block.type === 'tool_use') {
      events.push(
        ev('content_block_start', {
          index,
          content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
        }),
      );
      for (const piece of chunks(JSON.stringify(block.input), chunkSize)) {
        events.push(ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } }));
      }
    } else {
      events.push(ev('content_block_start', { index, content_block: { type: 'thinking', thinking: '' } }));
      for (const piece of chunks(block.thinking, chunkSize)) {
        events.push(ev('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: piece } }));
      }
      events.push(ev('content_block_delta', { index, delta: { type: 'signature_delta', signature: block.signature } }));
    }
    events.push(ev('content_block_stop', { index }));
  });
  events.push(
    ev('message_delta', {
      delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence },
      usage: { output_tokens: message.usage.output_tokens },
    }),
    ev('message_stop'),
  );
  return events;
}

/** All text of a request message or block list, for matching side requests by their prompt. */
export function textOf(content: string | RequestBlock[] | undefined): string {
  if (content === undefined) return '';
  if (typeof content === 'string') return content;
  return content.map((b) => (typeof b.text === 'string' ? b.text : '')).join('\n');
}

/** The serialized request prefix ending at each `cache_control` breakpoint, in the API's order: tools, system, messages. */
export function cachePrefixes(request: MessagesRequest): string[] {
  const pieces: { json: string; breakpoint: boolean }[] = [];
  const add = (v: unknown): void => {
    const b = v as { cache_control?: unknown } | null;
    pieces.push({ json: JSON.stringify(v), breakpoint: !!b && typeof b === 'object' && !!b.cache_control });
  };
  for (const t of request.tools ?? []) add(t);
  if (typeof request.system === 'string') add({ type: 'text', text: request.system });
  else for (const b of request.system ?? []) add(b);
  for (const m of request.messages) {
    if (typeof m.content === 'string') add({ role: m.role, type: 'text', text: m.content });
    else for (const b of m.content) add({ role: m.role, ...b });
  }
  const out: string[] = [];
  let acc = '';
  for (const p of pieces) {
    acc += p.json;
    if (p.breakpoint) out.push(acc);
  }
  return out;
}

/** Below this many tokens a prefix is not cached (the API's minimum cacheable prompt for Sonnet is 1 024). */
export const MIN_CACHEABLE_TOKENS = 1024;

/**
 * The API's prompt-cache accounting: the longest breakpoint prefix that an earlier request (same model) already wrote
 * is read from the cache; the rest up to the last breakpoint is written; what follows it is plain input.
 */
export class PromptCache {
  private readonly entries = new Set<string>();

  constructor(private readonly minTokens = MIN_CACHEABLE_TOKENS) {}

  account(
    request: MessagesRequest,
  ): Pick<Usage, 'input_tokens' | 'cache_read_input_tokens' | 'cache_creation_input_tokens'> {
    const total = estimateTokens({ s: request.system, m: request.messages, t: request.tools });
    const prefixes = cachePrefixes(request).filter((p) => estimateTokens(p) >= this.minTokens);
    let read = 0;
    for (const p of prefixes) {
      if (this.entries.has(`${request.model}\n${p}`)) read = Math.max(read, estimateTokens(p));
    }
    const last = prefixes[prefixes.length - 1];
    const cached = last === undefined ? 0 : Math.min(total, Math.max(read, estimateTokens(last)));
    for (const p of prefixes) this.entries.add(`${request.model}\n${p}`);
    const creation = Math.max(0, cached - read);
    return {
      input_tokens: Math.max(1, total - read - creation),
      cache_read_input_tokens: read,
      cache_creation_input_tokens: creation,
    };
  }
}
