// Entry of the plugin's hook script (`node paige-hook.mjs <event>`, SPEC §17): reads the hook JSON from stdin, prints
// a decision or context as JSON on stdout, and always exits 0, within a hard limit per event.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validateCommand } from '../shared/safety/validator';
import { runHook, type HookEvent } from './hooks';
import { callTool, drainMcpLite, reportToolDenied } from './mcp-lite';

/** Claude Code writes the whole hook input at once; a stdin that stays open must not hold the hook. */
const STDIN_TIMEOUT_MS = 300;
/**
 * Hard limits from process start, past which the hook exits 0 with no output. Session-end must end within 1 s (SPEC
 * §17); the others only guard against a bug, well inside Claude Code's 5 s hook timeouts, and above the budgets their
 * own fallbacks (persona, local validation) use.
 */
const HARD_LIMIT_MS: Record<HookEvent, number> = {
  'session-start': 2_500,
  'session-end': 950,
  'pre-tool-use': 3_000,
};

function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return Promise.resolve('');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const done = (): void => {
      clearTimeout(timer);
      process.stdin.pause();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const timer = setTimeout(done, STDIN_TIMEOUT_MS);
    process.stdin.on('data', (c: Buffer) => {
      chunks.push(c);
      // A complete JSON document is all there is to read, even if stdin stays open.
      try {
        JSON.parse(Buffer.concat(chunks).toString('utf8'));
        done();
      } catch {
        // Not complete yet.
      }
    });
    process.stdin.on('end', done);
    process.stdin.on('error', done);
  });
}

function warn(message: string): void {
  process.stderr.write(`paige-hook: ${message}\n`);
}

function readPersona(): string {
  const root = process.env.CLAUDE_PLUGIN_ROOT;
  const file = root ? `${root}/persona.md` : fileURLToPath(new URL('../persona.md', import.meta.url));
  return fs.readFileSync(file, 'utf8');
}

async function main(): Promise<void> {
  const event = process.argv[2] ?? '';
  const limit = (HARD_LIMIT_MS as Record<string, number | undefined>)[event] ?? HARD_LIMIT_MS['session-end'];
  // Fail open: past the limit (counted from process start) the hook exits 0 with no output, so Claude Code carries on
  // as without Paige.
  setTimeout(
    () => {
      warn(`${event} gave up after ${limit} ms`);
      process.exit(0);
    },
    Math.max(0, limit - performance.now()),
  ).unref();

  const raw = await readStdin();
  let input: unknown = {};
  try {
    input = raw.trim() === '' ? {} : JSON.parse(raw);
  } catch {
    warn('the hook input is not JSON; no decision');
  }
  const out = await runHook(event, input, process.env, {
    callTool,
    reportToolDenied,
    validateCommand,
    readPersona,
    warn,
  });
  if (out !== null)
    await new Promise<void>((resolve) => process.stdout.write(`${JSON.stringify(out)}\n`, () => resolve()));
  // Closing the hook's MCP session comes after the answer, so it never delays a decision.
  await drainMcpLite();
  process.exit(0);
}

main().catch((err: unknown) => {
  warn(`internal error: ${(err as Error).message}; no decision`);
  process.exit(0);
});
