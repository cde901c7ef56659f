// `paige serve` announces a reachable MCP endpoint: the ready line's mcpUrl, and the token in runtime.json (0600).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serve } from '../cli/serve';
import { tempDir } from '../testing/harness';
import { connectClient } from './testing';

describe('paige serve and MCP', () => {
  it('puts the MCP URL in the ready line and the token in runtime.json', async () => {
    const dataDir = tempDir('paige-data-');
    const lines: string[] = [];
    const running = await serve(
      {
        command: 'serve',
        project: tempDir('paige-proj-'),
        dataDir,
        noTerminal: true,
        open: false,
        resetDb: false,
        logLevel: 'warn',
      },
      {
        stdout: (l) => lines.push(l),
        stderr: () => undefined,
        exit: () => undefined,
        env: { PATH: process.env.PATH },
        appVersion: '0.0.0-test',
        rendererDir: null,
      },
    );
    if (!running) throw new Error('serve did not start');
    try {
      const ready = JSON.parse(lines[0] ?? '{}') as { mcpUrl: string | null };
      expect(ready.mcpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      const file = path.join(dataDir, 'runtime.json');
      const runtime = JSON.parse(fs.readFileSync(file, 'utf8')) as {
        mcpUrl: string;
        mcpToken: string;
        mcpPort: number;
      };
      expect(runtime.mcpUrl).toBe(ready.mcpUrl);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const client = await connectClient(runtime.mcpUrl, runtime.mcpToken);
      expect((await client.listTools()).tools.length).toBeGreaterThan(0);
      await client.close();
    } finally {
      expect(await running.stop('test')).toBe(0);
    }
  });
});
