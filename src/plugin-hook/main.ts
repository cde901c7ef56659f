// Entry of the plugin's hook script (`node paige-hook.mjs <event>`): streams the hook JSON from stdin, prints a decision
// or context as JSON on stdout, and always exits 0, within a hard limit per event.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validateCommand } from '../shared/safety/validator';
import {
  decision,
  hookFailedReason,
  MAX_INPUT_BYTES,
  runHook,
  tooBigReason,
  UNREADABLE_INPUT_REASON,
  type HookEvent,
  type HookOutput,
} from './hooks';
import { callTool, drainMcpLite, reportToolDenied } from './mcp-lite';

/** Claude Code writes the whole input and closes stdin; a stdin that stays open this long after its last byte is done. */
const STDIN_IDLE_MS = 500;
/** How long to wait for the first byte; a writer that sends nothing leaves the input empty. */
const STDIN_FIRST_BYTE_MS = 1_000;
/** Up to this size a chunk ending in `}` is tried as the complete document, so an open stdin is not waited on. */
const EARLY_PARSE_MAX_BYTES = 1024 * 1024;
/**
 * Hard limits from process start. Session-end must end within 1 s; the others guard against a bug or a huge input,
 * inside Claude Code's 5 s hook timeouts. Past the limit a PreToolUse call is denied; the other events exit quietly.
 */
const HARD_LIMIT_MS: Record<HookEvent, number> = {
  'session-start': 2_500,
  'session-end': 950,
  'pre-tool-use': 4_000,
};

type StdinRead = { kind: 'text'; text: string } | { kind: 'too_big'; bytes: number };

/** Reads stdin to its end (or until it goes idle), keeping at most MAX_INPUT_BYTES; the rest is drained unread. */
function readStdin(): Promise<StdinRead> {
  if (process.stdin.isTTY) return Promise.resolve({ kind: 'text', text: '' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let settled = false;
    const done = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      process.stdin.pause();
      if (bytes > MAX_INPUT_BYTES) resolve({ kind: 'too_big', bytes });
      else resolve({ kind: 'text', text: Buffer.concat(chunks, bytes).toString('utf8') });
    };
    let idle = setTimeout(done, STDIN_FIRST_BYTE_MS);
    process.stdin.on('data', (c: Buffer) => {
      clearTimeout(idle);
      idle = setTimeout(done, STDIN_IDLE_MS);
      bytes += c.length;
      // Over the cap: keep counting (and draining, so the writer is never blocked) but hold nothing more.
      if (bytes > MAX_INPUT_BYTES) {
        chunks.length = 0;
        return;
      }
      chunks.push(c);
      if (bytes <= EARLY_PARSE_MAX_BYTES && c[c.length - 1] === 0x7d) {
        try {
          JSON.parse(Buffer.concat(chunks, bytes).toString('utf8'));
          done();
        } catch {
          // Not complete yet.
        }
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

function print(out: HookOutput): Promise<void> {
  return new Promise<void>((resolve) => process.stdout.write(`${JSON.stringify(out)}\n`, () => resolve()));
}

/** What the hook decides for input it could not parse: a PreToolUse call is denied, other events go on without it. */
async function unreadable(event: string, reason: string): Promise<never> {
  if (event === 'pre-tool-use') await print(decision('deny', reason));
  process.exit(0);
}

async function main(): Promise<void> {
  const event = process.argv[2] ?? '';
  const limit = (HARD_LIMIT_MS as Record<string, number | undefined>)[event] ?? HARD_LIMIT_MS['session-end'];
  // Past the limit (counted from process start) a tool call is denied; the lifecycle hooks exit 0 with no output, so
  // Claude Code carries on as without Paige.
  setTimeout(
    () => {
      warn(`${event} gave up after ${limit} ms`);
      if (event === 'pre-tool-use') {
        process.stdout.write(`${JSON.stringify(decision('deny', hookFailedReason(`no answer within ${limit} ms`)))}\n`);
      }
      process.exit(0);
    },
    Math.max(0, limit - performance.now()),
  ).unref();

  const read = await readStdin();
  if (read.kind === 'too_big') {
    warn(`the hook input is ${read.bytes} bytes, over the ${MAX_INPUT_BYTES}-byte limit`);
    return unreadable(event, tooBigReason(read.bytes));
  }
  let input: unknown = {};
  try {
    input = read.text.trim() === '' ? {} : JSON.parse(read.text);
  } catch {
    warn('the hook input is not JSON');
    return unreadable(event, UNREADABLE_INPUT_REASON);
  }
  if (event === 'pre-tool-use' && (typeof input !== 'object' || input === null || Array.isArray(input))) {
    return unreadable(event, UNREADABLE_INPUT_REASON);
  }
  const out = await runHook(event, input, process.env, {
    callTool,
    reportToolDenied,
    validateCommand,
    readPersona,
    warn,
  });
  if (out !== null) await print(out);
  // Closing the hook's MCP session comes after the answer, so it never delays a decision.
  await drainMcpLite();
  process.exit(0);
}

main().catch(async (err: unknown) => {
  warn(`internal error: ${(err as Error).message}`);
  if (process.argv[2] === 'pre-tool-use') await print(decision('deny', hookFailedReason((err as Error).message)));
  process.exit(0);
});
