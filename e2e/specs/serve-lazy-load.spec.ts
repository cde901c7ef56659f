// The built `paige serve` announces ready without having loaded the Anthropic SDK, the MCP SDK or `ws` (they load on
// first use or shortly after the line, docs/reliability.md), and what it loads later works from the bundle: an MCP
// client and a bridge client are served right after the ready line. Needs no browser: runs once, in `browser`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { expect, test } from '@playwright/test';
import { PaigeClient } from '../../src/shared/ipc/client';
import { NodeBridgeTransport } from '../../src/main/testing/bridge-client';
import { startPaigeServe } from '../support/paige-serve';

test.beforeEach(() => {
  test.skip(test.info().project.name !== 'browser', 'runs once, in the browser project');
});

/** Preloaded into `paige serve`: notes which of these packages were required before the first JSON line on stdout. */
const RECORDER = `
const Module = require('node:module');
const watched = ['@anthropic-ai/sdk', '@modelcontextprotocol/sdk', 'ws'];
const loaded = new Set();
const load = Module._load;
Module._load = function (request, ...rest) {
  for (const w of watched) if (request === w || request.startsWith(w + '/')) loaded.add(w);
  return load.call(this, request, ...rest);
};
const write = process.stdout.write.bind(process.stdout);
let reported = false;
process.stdout.write = (chunk, ...rest) => {
  if (!reported && String(chunk).startsWith('{')) {
    reported = true;
    process.stderr.write('LOADED BEFORE READY ' + JSON.stringify([...loaded]) + '\\n');
  }
  return write(chunk, ...rest);
};
`;

test('paige serve is ready before loading the model, MCP and WebSocket libraries, and serves both right after', async () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'paige-lazy-')));
  const recorder = path.join(dir, 'recorder.cjs');
  fs.writeFileSync(recorder, RECORDER);
  const serve = await startPaigeServe({ env: { NODE_OPTIONS: `--require ${recorder}` } });
  try {
    expect(serve.stderr()).toContain('LOADED BEFORE READY []');

    const mcp = new Client({ name: 'paige-lazy-e2e', version: '1.0.0' });
    await mcp.connect(
      new StreamableHTTPClientTransport(new URL(serve.mcpUrl), {
        requestInit: { headers: { Authorization: `Bearer ${serve.mcpToken}` } },
      }),
    );
    expect((await mcp.listTools()).tools.length).toBeGreaterThan(0);
    const open = await mcp.callTool({ name: 'paige_get_open_files', arguments: {} });
    expect(open.structuredContent).toEqual({ files: [] });
    await mcp.close();

    const url = new URL(serve.bridgeUrl);
    const transport = await NodeBridgeTransport.connect({
      url: `ws://127.0.0.1:${url.port}/bridge`,
      token: url.hash.replace('#token=', ''),
    });
    const bridge = new PaigeClient(transport);
    const hello = await bridge.invoke('connection:hello', {
      clientVersion: 'e2e',
      platform: 'linux',
      windowSize: { width: 1, height: 1 },
      transport: 'bridge',
    });
    expect(hello.projectDir).toBe(serve.projectDir);
    await transport.close();
  } finally {
    await serve.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
