// Paige down: with nothing at PAIGE_MCP_URL each hook exits 0 within 1 s, Claude Code still answers,
// Write is denied and Bash is checked by the validator bundled with the plugin.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server';
import { callTools, say, type Reply } from '../fake-anthropic/script';
import type { MessagesRequest, RequestBlock } from '../fake-anthropic/wire';
import { prepareClaudeHome, runClaudePrint, type ClaudeHome } from '../support/claude-cli';
import {
  PLUGIN_DIR,
  WRITE_DENY_REASON,
  closedPortUrl,
  hashTree,
  hookDenied,
  hookTimings,
  measure,
  pluginEnv,
  runHook,
  type HookRun,
  realClaudeSpec,
} from '../support/paige-plugin';
import { validateCommand } from '../../src/shared/safety/validator';

/** A hook never holds Claude Code up for long when the app is unreachable. */
const HOOK_LIMIT_MS = 1_000;
const PERSONA = fs.readFileSync(path.join(PLUGIN_DIR, 'persona.md'), 'utf8').trim();

const defer = realClaudeSpec();

function makeProject(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'paige-down-proj-')));
  defer(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'src', 'a.ts'), 'export const a = 1;\n');
  return dir;
}

/** The env Paige would give the terminal, pointing at a port where nothing listens. */
async function downEnv(projectDir: string): Promise<Record<string, string>> {
  return pluginEnv({ mcpUrl: await closedPortUrl(), mcpToken: 'paige-is-not-running', projectDir });
}

function expectQuickExit(name: string, run: HookRun): void {
  measure(`${name} hook, Paige down`, run.durationMs);
  expect(run.exitCode, `${name} stderr: ${run.stderr}`).toBe(0);
  expect(run.durationMs, name).toBeLessThan(HOOK_LIMIT_MS);
}

function decisionOf(run: HookRun): unknown {
  return run.stdout.trim() === '' ? null : (JSON.parse(run.stdout) as unknown);
}

test('each hook exits 0 within 1 s when nothing listens at PAIGE_MCP_URL, deciding locally', async () => {
  const projectDir = makeProject();
  const env = await downEnv(projectDir);
  const base = { session_id: 'down-session', cwd: projectDir, transcript_path: path.join(projectDir, 't.jsonl') };

  const start = await runHook('session-start', { ...base, source: 'startup' }, env);
  expectQuickExit('session-start', start);
  // The fallback persona instead of the app's.
  expect(decisionOf(start)).toEqual({
    hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: PERSONA },
  });

  const end = await runHook('session-end', { ...base, reason: 'prompt_input_exit' }, env);
  expectQuickExit('session-end', end);
  expect(end.stdout.trim()).toBe('');

  const write = await runHook(
    'pre-tool-use',
    { ...base, tool_name: 'Write', tool_input: { file_path: path.join(projectDir, 'src', 'a.ts'), content: 'x' } },
    env,
  );
  expectQuickExit('pre-tool-use Write', write);
  expect(decisionOf(write)).toEqual({
    hookSpecificOutput: {
      hookEventName: 'PreToolUse',
      permissionDecision: 'deny',
      permissionDecisionReason: WRITE_DENY_REASON,
    },
  });

  const echo = 'echo x > src/a.ts';
  const denied = await runHook('pre-tool-use', { ...base, tool_name: 'Bash', tool_input: { command: echo } }, env);
  expectQuickExit('pre-tool-use Bash (write)', denied);
  expect(decisionOf(denied)).toEqual({
    hookSpecificOutput: {
      hookEventName: 'PreToolUse',
      permissionDecision: 'deny',
      permissionDecisionReason: validateCommand(echo, { mode: 'read_only' }).reason,
    },
  });

  const ls = await runHook('pre-tool-use', { ...base, tool_name: 'Bash', tool_input: { command: 'ls src' } }, env);
  expectQuickExit('pre-tool-use Bash (safe)', ls);
  expect(decisionOf(ls)).toBeNull();
});

test('claude -p starts and answers with Paige down; Write is denied and Bash is checked by the bundled validator', async () => {
  test.setTimeout(60_000);
  const projectDir = makeProject();
  const before = hashTree(projectDir);
  const file = path.join(projectDir, 'src', 'a.ts');
  const echo = 'echo x > src/a.ts';
  const fake: FakeAnthropic = await startFakeAnthropic({
    script: [
      callTools(
        [
          { id: 'toolu_read', name: 'Read', input: { file_path: file } },
          { id: 'toolu_ls', name: 'Bash', input: { command: 'ls src' } },
        ],
        'Let me look.',
      ),
      callTools(
        [
          { id: 'toolu_write', name: 'Write', input: { file_path: file, content: 'export const a = 2;\n' } },
          { id: 'toolu_echo', name: 'Bash', input: { command: echo } },
        ],
        'I will fix it.',
      ),
      say('Paige is away, but I am still coaching.'),
    ] satisfies Reply[],
  });
  defer(() => fake.close());
  const home: ClaudeHome = prepareClaudeHome({ trustedDirs: [projectDir] });
  defer(() => home.dispose());
  const debugFile = path.join(home.home, 'debug.log');

  const run = await runClaudePrint({
    prompt: 'Help me with src/a.ts.',
    cwd: projectDir,
    baseUrl: fake.url,
    home,
    pluginDirs: [PLUGIN_DIR],
    allowedTools: ['mcp__plugin_paige_paige'],
    env: await downEnv(projectDir),
    debugFile,
  });
  measure('claude -p run with Paige down (4 tool calls)', run.durationMs);

  expect(run.exitCode, `stderr: ${run.stderr}\nstdout: ${run.stdout}`).toBe(0);
  expect(fake.scriptErrors).toEqual([]);
  expect(fake.exhaustedCount()).toBe(0);
  expect(run.result?.result).toBe('Paige is away, but I am still coaching.');
  const main = fake.mainRequests().map((r) => r.body as MessagesRequest);
  expect(main).toHaveLength(3);
  // SessionStart injected the plugin's fallback persona.
  expect(JSON.stringify(main[0]?.messages)).toContain(JSON.stringify(PERSONA.slice(0, 60)).slice(1, -1));

  const results = new Map<string, RequestBlock>();
  for (const m of main[2]?.messages ?? []) {
    if (typeof m.content === 'string') continue;
    for (const b of m.content) if (b.type === 'tool_result' && b.tool_use_id) results.set(b.tool_use_id, b);
  }
  const text = (id: string): string => {
    const c = results.get(id)?.content;
    return typeof c === 'string' ? c : (c ?? []).map((b) => b.text ?? '').join('\n');
  };
  expect(results.get('toolu_ls')?.is_error ?? false).toBe(false);
  expect(text('toolu_ls')).toContain('a.ts');
  expect(results.get('toolu_write')?.is_error).toBe(true);
  expect(text('toolu_write')).toBe(hookDenied('Write', WRITE_DENY_REASON));
  expect(results.get('toolu_echo')?.is_error).toBe(true);
  expect(text('toolu_echo')).toBe(hookDenied('Bash', validateCommand(echo, { mode: 'read_only' }).reason));
  expect(hashTree(projectDir)).toEqual(before);

  // What Claude Code itself waited for each hook (its debug log): all of them, each well under a second.
  const timings = hookTimings(fs.readFileSync(debugFile, 'utf8'));
  for (const t of timings) measure(`${t.hook} hook inside claude -p, Paige down`, t.ms);
  expect(timings.map((t) => t.hook).sort()).toEqual(
    ['PreToolUse:Bash', 'PreToolUse:Bash', 'PreToolUse:Write', 'SessionEnd:other', 'SessionStart:startup'].sort(),
  );
  for (const t of timings) {
    expect(t.status, t.hook).toBe(0);
    expect(t.ms, t.hook).toBeLessThan(HOOK_LIMIT_MS);
  }
});
