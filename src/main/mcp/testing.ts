// Test helpers for the MCP server: a real SDK client over HTTP, raw HTTP requests for the guard tests, event capture.
import http from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { EventChannel } from '../../shared/ipc/contract';
import type { EventHub } from '../ipc/event-hub';
import type { TestCore } from '../testing/harness';

export async function connectClient(
  url: string,
  token: string,
  extraHeaders: Record<string, string> = {},
): Promise<Client> {
  const client = new Client({ name: 'paige-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { Authorization: `Bearer ${token}`, ...extraHeaders } },
  });
  await client.connect(transport);
  return client;
}

/** A client on a test core's MCP server, once it listens. */
export async function mcpClientOf(t: TestCore): Promise<Client> {
  const c = (await t.core.get('mcp').whenReady()) ? t.core.get('mcp').connection() : null;
  if (!c) throw new Error('mcp not listening');
  return connectClient(c.url, c.token);
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request with full control over the headers (fetch will not send a foreign Host). */
export function rawRequest(
  port: number,
  opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'POST',
        path: opts.path ?? '/mcp',
        headers: {
          host: `127.0.0.1:${port}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...opts.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

export function initializeBody(id: number | string = 1): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  });
}

interface CapturedEvent {
  channel: EventChannel;
  payload: unknown;
}

export function captureEvents(events: EventHub): { list: CapturedEvent[]; of: (c: EventChannel) => unknown[] } {
  const list: CapturedEvent[] = [];
  events.subscribe((channel, payload) => list.push({ channel, payload }));
  return { list, of: (c) => list.filter((e) => e.channel === c).map((e) => e.payload) };
}
