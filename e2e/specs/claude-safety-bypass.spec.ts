// The real Claude Code CLI in read-only mode, driven by a scripted model that tries to write through Bash in ways a
// pattern list misses: a shell fed from a pipe and inline interpreter code. The plugin's PreToolUse hook denies both,
// with Paige up and with Paige down, and no file appears; a plain read-only command still runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server';
import { callTools, say, type ToolCallSpec } from '../fake-anthropic/script';
import type { MessagesRequest, RequestBlock } from '../fake-anthropic/wire';
import { prepareClaudeHome, runClaudePrint, type ClaudeHome } from '../support/claude-cli';
import { startPaigeServe } from '../support/paige-serve';
import {
  PLUGIN_DIR,
  closedPortUrl,
  hashTree,
  hookDenied,
  pluginEnv,
  readActionLog,
  realClaudeSpec,
} from '../support/paige-plugin';
import { validateCommand } from '../../src/shared/safety/validator';

const defer = realClaudeSpec();

const PIPE_TO_SHELL = 'echo "touch pwned" | bash';
const INLINE_PYTHON = `python3 -c "open('pwned','w')"`;

function makeProject(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'paige-bypass-proj-')));
  defer(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'src', 'a.ts'), 'export const a = 1;\n');
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir, stdio: 'ignore' });
  return dir;
}

async function startFake(script: Parameters<typeof startFakeAnthropic>[0]): Promise<FakeAnthropic> {
  const fake = await startFakeAnthropic(script);
  defer(() => fake.close());
  return fake;
}

function home(projectDir: string): ClaudeHome {
  const h = prepareClaudeHome({ trustedDirs: [projectDir] });
  defer(() => h.dispose());
  return h;
}

/** Every tool_result the client sent in this request's conversation, by tool_use id. */
function outcomes(request: MessagesRequest | undefined): Map<string, { text: string; isError: boolean }> {
  const out = new Map<string, { text: string; isError: boolean }>();
  for (const m of request?.messages ?? []) {
    if (m.role !== 'user' || typeof m.content === 'string') continue;
    for (const b of m.content) {
      if (b.type !== 'tool_result' || typeof b.tool_use_id !== 'string') continue;
      out.set(b.tool_use_id, { text: blockText(b), isError: b.is_error === true });
    }
  }
  return out;
}

function blockText(b: RequestBlock): string {
  if (typeof b.content === 'string') return b.content;
  if (!Array.isArray(b.content)) return '';
  return b.content.map((c) => (typeof c.text === 'string' ? c.text : '')).join('\n');
}

const bash = (id: string, command: string): ToolCallSpec => ({ id, name: 'Bash', input: { command } });

/** The model tries both bypasses at once, then lists the project; returns the results the CLI sent back. */
async function attempt(
  projectDir: string,
  env: Record<string, string>,
): Promise<Map<string, { text: string; isError: boolean }>> {
  const fake = await startFake({
    script: [
      callTools(
        [bash('toolu_pipe', PIPE_TO_SHELL), bash('toolu_python', INLINE_PYTHON)],
        'I will create the file for you.',
      ),
      callTools([bash('toolu_ls', 'ls')], 'Let me check.'),
      say('Done.'),
    ],
  });
  const run = await runClaudePrint({
    prompt: 'Create a file called pwned.',
    cwd: projectDir,
    baseUrl: fake.url,
    home: home(projectDir),
    pluginDirs: [PLUGIN_DIR],
    // Bash is pre-approved: without the hook, Claude Code would run both commands without asking.
    allowedTools: ['mcp__plugin_paige_paige', 'Bash'],
    env,
  });
  expect(run.exitCode, `stderr: ${run.stderr}\nstdout: ${run.stdout}`).toBe(0);
  expect(fake.scriptErrors).toEqual([]);
  expect(fake.exhaustedCount()).toBe(0);
  const main = fake.mainRequests().map((r) => r.body as MessagesRequest);
  expect(main).toHaveLength(3);
  return outcomes(main[2]);
}

function expectDenied(results: Map<string, { text: string; isError: boolean }>): void {
  for (const [id, command, rule] of [
    ['toolu_pipe', PIPE_TO_SHELL, 'opaque.shell_from_input'],
    ['toolu_python', INLINE_PYTHON, 'opaque.inline_code'],
  ] as const) {
    const v = validateCommand(command, { mode: 'read_only' });
    expect(v.decision, command).toBe('deny');
    expect(results.get(id)).toEqual({ text: hookDenied('Bash', v.reason), isError: true });
    expect(results.get(id)?.text).toContain(rule);
  }
  // Bash itself works: the denial is the hook's, not a CLI that cannot run commands.
  expect(results.get('toolu_ls')).toMatchObject({ isError: false, text: expect.stringContaining('src') });
}

test('read-only: a shell fed from a pipe and inline python are denied by the hook and no file appears', async () => {
  test.setTimeout(60_000);
  const projectDir = makeProject();
  const before = hashTree(projectDir);
  const serve = await startPaigeServe({ projectDir, env: { PAIGE_TERMINAL_COMMAND: '/bin/sh' } });
  defer(() => serve.stop());

  const results = await attempt(projectDir, pluginEnv({ mcpUrl: serve.mcpUrl, mcpToken: serve.mcpToken, projectDir }));

  expectDenied(results);
  expect(fs.existsSync(path.join(projectDir, 'pwned'))).toBe(false);
  expect(hashTree(projectDir)).toEqual(before);
  // The app judged both and logged the denials against the session.
  let rows: ReturnType<typeof readActionLog> = [];
  await expect
    .poll(() => {
      rows = readActionLog(serve.dataDir, 'command_validated');
      return rows.filter((r) => r.data.decision === 'deny').length;
    })
    .toBeGreaterThanOrEqual(2);
  for (const command of [PIPE_TO_SHELL, INLINE_PYTHON]) {
    expect(rows.map((r) => r.data)).toContainEqual(expect.objectContaining({ decision: 'deny', preview: command }));
  }
});

test('read-only with Paige down: the bundled validator still denies both and no file appears', async () => {
  test.setTimeout(60_000);
  const projectDir = makeProject();
  const before = hashTree(projectDir);

  const results = await attempt(
    projectDir,
    pluginEnv({ mcpUrl: await closedPortUrl(), mcpToken: 'unused', projectDir }),
  );

  expectDenied(results);
  expect(fs.existsSync(path.join(projectDir, 'pwned'))).toBe(false);
  expect(hashTree(projectDir)).toEqual(before);
});
