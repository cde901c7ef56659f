// Test helper: runs the built plugin hook (resources/claude-plugin/hooks/paige-hook.mjs) the way Claude Code does, as a
// child process with the hook JSON on stdin, and reports its exit code, output and wall time.
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const PLUGIN_DIR = path.resolve(__dirname, '../../resources/claude-plugin');
const HOOK_SCRIPT = path.join(PLUGIN_DIR, 'hooks', 'paige-hook.mjs');

export interface HookRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** stdout parsed as JSON, or null when the hook printed nothing. */
  json: Record<string, unknown> | null;
}

/** `input` is sent as JSON; a string is sent as it is (malformed or huge input). */
export function runHookProcess(
  event: string,
  input: Record<string, unknown> | string,
  env: Record<string, string | undefined>,
): Promise<HookRun> {
  // Serialised before the clock starts: a 100 MiB input takes a while to build, which is not the hook's time.
  const payload = typeof input === 'string' ? input : JSON.stringify(input);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [HOOK_SCRIPT, event], {
      // Only what Claude Code would pass: never this test process's own PAIGE_* variables.
      env: { PATH: process.env.PATH, CLAUDE_PLUGIN_ROOT: PLUGIN_DIR, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      const trimmed = stdout.trim();
      resolve({ code, stdout, stderr, ms, json: trimmed === '' ? null : (JSON.parse(trimmed) as HookRun['json']) });
    });
    // A hook that answers before reading everything closes its stdin; that is its right, not a test failure.
    child.stdin.on('error', () => undefined);
    child.stdin.end(payload);
  });
}

/** A localhost port nobody listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** A server that accepts connections and never answers: Paige hung or far too slow. */
export async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return {
    port: (srv.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        srv.close(() => r());
      }),
  };
}

export function preToolUse(
  toolName: string,
  toolInput: Record<string, unknown>,
  cwd = '/tmp',
): Record<string, unknown> {
  return {
    session_id: 'claude-session-1',
    transcript_path: '/tmp/transcript.jsonl',
    cwd,
    hook_event_name: 'PreToolUse',
    tool_name: toolName,
    tool_input: toolInput,
  };
}
