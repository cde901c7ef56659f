// A real MCP SDK client over HTTP to a running Paige, for specs that play Claude Code's part: connect with the URL
// and bearer token the backend wrote to runtime.json, and call tools that must succeed.
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from '@playwright/test';

/** Settings for specs whose fake model should not be asked by the observer (it is not under test there). */
export const OBSERVER_OFF = { 'settings.json': JSON.stringify({ observer: { enabled: false } }) };

/** A client connected to the MCP endpoint at `url` with the bearer `token`. */
export async function connectMcp(url: string, token: string): Promise<Client> {
  const client = new Client({ name: 'paige-e2e', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }),
  );
  return client;
}

/** Waits until the backend has written its MCP endpoint and token to runtime.json (both projects do), then connects. */
export async function mcpClient(dataDir: string): Promise<Client> {
  const file = path.join(dataDir, 'runtime.json');
  let info: { mcpUrl?: string; mcpToken?: string } = {};
  await expect
    .poll(() => {
      try {
        info = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof info;
      } catch {
        return false;
      }
      return typeof info.mcpUrl === 'string' && typeof info.mcpToken === 'string';
    })
    .toBe(true);
  return connectMcp(info.mcpUrl ?? '', info.mcpToken ?? '');
}

/** Calls a tool that must succeed (the failure shows its content) and returns its structured result. */
export async function callToolOk(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const r = (await client.callTool({ name, arguments: args })) as CallToolResult;
  expect(r.isError ?? false, JSON.stringify(r.content)).toBe(false);
  return r.structuredContent ?? {};
}

/** One tool call that must succeed, on a client of its own that is closed again (e.g. Claude Code starting a session). */
export async function callToolOnce(
  dataDir: string,
  name: string,
  args: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const client = await mcpClient(dataDir);
  try {
    return await callToolOk(client, name, args);
  } finally {
    await client.close();
  }
}
