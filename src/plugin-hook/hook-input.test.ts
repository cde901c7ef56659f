// The built PreToolUse hook fed inputs of any size and shape, as Claude Code would feed it: 3, 20 and 100 MiB Write,
// Edit and Bash calls with Paige up and down are all denied within the hook's 5 s timeout, and input that is not JSON
// denies a tool call while the lifecycle events just exit 0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCore, type TestCore } from '../main/testing/harness';
import { MAX_INPUT_BYTES, UNREADABLE_INPUT_REASON, WRITE_DENY_REASON } from './hooks';
import { closedPort, preToolUse, runHookProcess, type HookRun } from './hook-process';

/** The PreToolUse timeout in resources/claude-plugin/hooks/hooks.json: Claude Code gives up on the hook after it. */
const HOOK_TIMEOUT_MS = 5_000;
const MiB = 1024 * 1024;
const SIZES_MIB = [3, 20, 100];

interface Case {
  tool: string;
  what: string;
  input: (bytes: number) => Record<string, unknown>;
}

const CASES: Case[] = [
  { tool: 'Write', what: 'content', input: (n) => ({ file_path: '/tmp/p/src/a.ts', content: 'x'.repeat(n) }) },
  {
    tool: 'Edit',
    what: 'new_string',
    input: (n) => ({ file_path: '/tmp/p/src/a.ts', old_string: 'a = 1', new_string: 'y'.repeat(n) }),
  },
  { tool: 'Bash', what: 'command', input: (n) => ({ command: `rm -rf ~ # ${'z'.repeat(n)}` }) },
  {
    tool: 'Bash',
    what: 'description',
    input: (n) => ({ command: 'rm -rf ~', description: 'd'.repeat(n) }),
  },
];

function decisionOf(r: HookRun): { permissionDecision: string; permissionDecisionReason: string } | undefined {
  return r.json?.hookSpecificOutput as { permissionDecision: string; permissionDecisionReason: string } | undefined;
}

/** Every size × case, in both safety modes; returns the wall times so the suite can print them. */
function bigInputSuite(label: string, env: () => Record<string, string>): void {
  const times: string[] = [];
  afterAll(() => {
    // Measured numbers for BENCHMARKS.md; not an assertion.
    process.stdout.write(`hook wall time, ${label}:\n${times.join('\n')}\n`);
  });
  for (const mib of SIZES_MIB) {
    for (const c of CASES) {
      for (const mode of ['read_only', 'standard'] as const) {
        it(`${mib} MiB ${c.tool} (${c.what}), ${mode}: denied within ${HOOK_TIMEOUT_MS} ms`, async () => {
          const r = await runHookProcess('pre-tool-use', preToolUse(c.tool, c.input(mib * MiB)), {
            ...env(),
            PAIGE_SAFETY_MODE: mode,
          });
          times.push(`  ${mib} MiB ${c.tool} (${c.what}) ${mode}: ${Math.round(r.ms)} ms`);
          expect(r.code).toBe(0);
          expect(r.ms).toBeLessThan(HOOK_TIMEOUT_MS);
          const d = decisionOf(r);
          expect(d?.permissionDecision, r.stderr).toBe('deny');
          if (mib * MiB > MAX_INPUT_BYTES) {
            expect(d?.permissionDecisionReason).toMatch(
              /too large for Paige to check \(\d+ MiB; the limit is 64 MiB\)/,
            );
          } else if (c.tool !== 'Bash') {
            expect(d?.permissionDecisionReason).toBe(WRITE_DENY_REASON);
          } else {
            expect(d?.permissionDecisionReason).toContain('destructive_fs.rm_root');
          }
        });
      }
    }
  }
}

describe('hook input of any size, Paige down (no listener)', () => {
  let port = 0;
  beforeAll(async () => {
    port = await closedPort();
  });
  bigInputSuite('Paige down', () => ({
    PAIGE_MCP_URL: `http://127.0.0.1:${port}/mcp`,
    PAIGE_MCP_TOKEN: 'token',
    PAIGE_HOOK_TIMEOUT_MS: '300',
  }));
});

describe('hook input of any size, Paige up', () => {
  let t: TestCore;
  let env: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestCore();
    expect(await t.core.get('mcp').whenReady()).toBe(true);
    const c = t.core.get('mcp').connection();
    if (!c) throw new Error('mcp not listening');
    env = { PAIGE_MCP_URL: c.url, PAIGE_MCP_TOKEN: c.token, PAIGE_PROJECT_DIR: t.projectDir };
  });
  afterAll(async () => {
    await t.core.shutdown('test');
  });
  bigInputSuite('Paige up', () => env);
});

describe('hook input that is not a JSON object', () => {
  const env = (): Record<string, string> => ({});
  const BAD = ['{"tool_name": "Bash", "tool_input": {"command": "rm -rf ~"', 'not json at all', '[1, 2', '{'];

  it.each(BAD)('denies a PreToolUse call whose input is %j', async (raw) => {
    const r = await runHookProcess('pre-tool-use', raw, env());
    expect(r.code).toBe(0);
    expect(decisionOf(r)).toMatchObject({
      permissionDecision: 'deny',
      permissionDecisionReason: UNREADABLE_INPUT_REASON,
    });
  });

  it('denies a PreToolUse call with valid JSON that is not an object, or no input at all', async () => {
    for (const raw of ['[]', '"Bash"', '42', 'null', '']) {
      const r = await runHookProcess('pre-tool-use', raw, env());
      expect(r.code).toBe(0);
      expect(decisionOf(r)?.permissionDecision, raw).toBe('deny');
    }
  });

  it.each(['session-start', 'session-end'])('%s exits 0 without output on input that is not JSON', async (event) => {
    for (const raw of BAD) {
      const r = await runHookProcess(event, raw, { PAIGE_MCP_URL: 'http://127.0.0.1:9/mcp', PAIGE_MCP_TOKEN: 't' });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('');
    }
  });
});
