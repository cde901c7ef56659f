// Starts the built headless backend (`out/main/cli.js serve`) without a browser, for tests that only need its MCP
// endpoint (e.g. the real Claude Code CLI): returns the ready line plus the MCP bearer token from runtime.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from './electron-binary';

export interface PaigeServe {
  child: ChildProcess;
  dataDir: string;
  projectDir: string;
  bridgeUrl: string;
  mcpUrl: string;
  mcpToken: string;
  /** What the server wrote to stderr so far (its JSON log lines). */
  stderr(): string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 20_000;

export async function startPaigeServe(
  opts: { projectDir?: string; env?: Record<string, string> } = {},
): Promise<PaigeServe> {
  const dataDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'paige-serve-data-')));
  const projectDir = opts.projectDir ?? fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'paige-serve-proj-')));
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'out/main/cli.js'), 'serve', '--project', projectDir, '--data-dir', dataDir],
    {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PAIGE_VALIDATE_OUTPUT: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = await new Promise<{ bridgeUrl: string; mcpUrl: string | null }>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`paige serve not ready within ${READY_TIMEOUT_MS} ms:\n${stderr}`));
    }, READY_TIMEOUT_MS);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      resolve(JSON.parse(line) as { bridgeUrl: string; mcpUrl: string | null });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`paige serve exited ${code} before ready:\n${stderr}`));
    });
  });
  const runtime = JSON.parse(fs.readFileSync(path.join(dataDir, 'runtime.json'), 'utf8')) as { mcpToken?: string };
  if (!ready.mcpUrl || !runtime.mcpToken) {
    child.kill('SIGKILL');
    throw new Error(`paige serve has no MCP endpoint (mcpUrl ${ready.mcpUrl}):\n${stderr}`);
  }
  return {
    child,
    dataDir,
    projectDir,
    bridgeUrl: ready.bridgeUrl,
    mcpUrl: ready.mcpUrl,
    mcpToken: runtime.mcpToken,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (!opts.projectDir) fs.rmSync(projectDir, { recursive: true, force: true });
    },
  };
}
