// The hook decisions in-process with a recording MCP stand-in: which tool each hook calls with which arguments, and
// what it does with tool errors, timeouts, unreadable input and the environment (docs/safety.md).
import { describe, expect, it } from 'vitest';
import { validateCommand } from '../shared/safety/validator';
import {
  endpointFrom,
  hookFailedReason,
  MISSING_COMMAND_REASON,
  MISSING_TOOL_REASON,
  remainingOf,
  runHook,
  safetyModeFrom,
  validateBudgetFrom,
  WRITE_DENY_REASON,
  type HookDeps,
  type HookEnv,
} from './hooks';
import type { ToolCallResult } from './mcp-lite';

interface Recorded {
  calls: { name: string; args: Record<string, unknown>; timeoutMs: number }[];
  reports: { tool_name: string; target?: string }[];
  warnings: string[];
}

function deps(answer: (name: string) => ToolCallResult | Error): HookDeps & Recorded {
  const rec: Recorded = { calls: [], reports: [], warnings: [] };
  return {
    ...rec,
    callTool: (_endpoint, name, args, timeoutMs) => {
      rec.calls.push({ name, args, timeoutMs });
      const a = answer(name);
      return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
    },
    reportToolDenied: (_endpoint, report) => {
      rec.reports.push(report);
    },
    validateCommand,
    readPersona: () => 'FALLBACK PERSONA',
    warn: (m) => rec.warnings.push(m),
  };
}

const ok = (structuredContent: Record<string, unknown>): ToolCallResult => ({
  isError: false,
  structuredContent,
  text: JSON.stringify(structuredContent),
});

const bash = (command: string): Record<string, unknown> => ({ tool_name: 'Bash', tool_input: { command } });

const ENV: HookEnv = {
  PAIGE_MCP_URL: 'http://127.0.0.1:1/mcp',
  PAIGE_MCP_TOKEN: 't',
  PAIGE_PROJECT_DIR: '/proj',
  PAIGE_PTY_ID: 'pty-7',
};

describe('session-start', () => {
  it('starts the session for PAIGE_PROJECT_DIR with the Claude session id and joins persona and summary', async () => {
    const d = deps(() => ok({ persona: 'PERSONA', state_summary: 'Started session 3.' }));
    const out = await runHook('session-start', { session_id: 'c-1', cwd: '/elsewhere', source: 'startup' }, ENV, d);
    expect(d.calls).toEqual([
      {
        name: 'paige_start_session',
        args: { project_dir: '/proj', claude_session_id: 'c-1' },
        timeoutMs: expect.any(Number) as unknown,
      },
    ]);
    expect(d.calls[0]?.timeoutMs).toBeLessThanOrEqual(1_500);
    expect(out).toEqual({
      hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: 'PERSONA\n\nStarted session 3.' },
    });
  });

  it('uses the hook cwd when PAIGE_PROJECT_DIR is unset', async () => {
    const d = deps(() => ok({ persona: 'P', state_summary: '' }));
    await runHook('session-start', { cwd: '/from-claude' }, { ...ENV, PAIGE_PROJECT_DIR: undefined }, d);
    expect(d.calls[0]?.args).toEqual({ project_dir: '/from-claude' });
  });

  it('falls back to the persona file with the reason when Paige refuses the session', async () => {
    const d = deps(() => ({
      isError: true,
      structuredContent: { error: { code: 'ACTIVE_SESSION_EXISTS', message: 'Session 1 is active for /other.' } },
      text: '',
    }));
    const out = await runHook('session-start', { session_id: 'c-1' }, ENV, d);
    expect(out).toEqual({
      hookSpecificOutput: {
        hookEventName: 'SessionStart',
        additionalContext:
          'FALLBACK PERSONA\n\nPaige could not start a coaching session: Session 1 is active for /other.',
      },
    });
  });

  it('falls back to the persona file when Paige is unreachable, with a one-line warning', async () => {
    const d = deps(() => new Error('fetch failed'));
    const out = await runHook('session-start', {}, ENV, d);
    expect(out).toMatchObject({ hookSpecificOutput: { additionalContext: 'FALLBACK PERSONA' } });
    expect(d.warnings).toHaveLength(1);
  });
});

describe('session-end', () => {
  it('ends the session with the reason, transcript, Claude session id and pty id, within 800 ms', async () => {
    const d = deps(() => ok({ session_id: 3, status: 'wrapping_up' }));
    const out = await runHook(
      'session-end',
      { session_id: 'c-1', reason: 'prompt_input_exit', transcript_path: '/t.jsonl' },
      ENV,
      d,
    );
    expect(out).toBeNull();
    expect(d.calls[0]).toMatchObject({
      name: 'paige_end_session',
      args: { reason: 'prompt_input_exit', transcript_path: '/t.jsonl', claude_session_id: 'c-1', pty_id: 'pty-7' },
    });
    expect(d.calls[0]?.timeoutMs).toBeLessThanOrEqual(800);
  });
});

describe('pre-tool-use', () => {
  it('denies the write tools locally in read_only mode and reports the target file', async () => {
    const d = deps(() => new Error('must not be called'));
    const out = await runHook(
      'pre-tool-use',
      { tool_name: 'NotebookEdit', tool_input: { notebook_path: '/proj/n.ipynb' } },
      ENV,
      d,
    );
    expect(out).toEqual({
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: 'deny',
        permissionDecisionReason: WRITE_DENY_REASON,
      },
    });
    expect(d.calls).toEqual([]);
    expect(d.reports).toEqual([{ tool_name: 'NotebookEdit', target: '/proj/n.ipynb' }]);
  });

  it('validates Bash in the app with the hook mode, cwd and PAIGE_HOOK_TIMEOUT_MS, and returns its decision', async () => {
    const d = deps(() => ok({ decision: 'ask', reason: 'Ask first (high): x (history_rewrite.force_push).' }));
    const out = await runHook(
      'pre-tool-use',
      { tool_name: 'Bash', tool_input: { command: 'ls' }, cwd: '/proj' },
      { ...ENV, PAIGE_SAFETY_MODE: 'standard', PAIGE_HOOK_TIMEOUT_MS: '250' },
      d,
    );
    expect(d.calls).toEqual([
      { name: 'paige_validate_command', args: { command: 'ls', mode: 'standard', cwd: '/proj' }, timeoutMs: 250 },
    ]);
    // The stricter answer wins: the app's `ask` over the local validator's `allow` for `ls`.
    expect(out).toMatchObject({ hookSpecificOutput: { permissionDecision: 'ask' } });
  });

  it('decides locally when the app errors, and gives no decision for an allowed command', async () => {
    const d = deps(() => new Error('The operation was aborted due to timeout'));
    const denied = await runHook('pre-tool-use', { tool_name: 'Bash', tool_input: { command: 'mkdir x' } }, ENV, d);
    expect(denied).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny' } });
    const allowed = await runHook('pre-tool-use', { tool_name: 'Bash', tool_input: { command: 'ls' } }, ENV, d);
    expect(allowed).toBeNull();
  });

  it('gives no decision for other tools and unknown events', async () => {
    const d = deps(() => new Error('unused'));
    expect(await runHook('pre-tool-use', { tool_name: 'Read', tool_input: {} }, ENV, d)).toBeNull();
    expect(await runHook('user-prompt', {}, ENV, d)).toBeNull();
  });

  it('denies a call it cannot check: no tool name, or Bash without a command', async () => {
    const d = deps(() => new Error('unused'));
    const deny = (reason: string): unknown => ({
      hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason },
    });
    expect(await runHook('pre-tool-use', null, ENV, d)).toEqual(deny(MISSING_TOOL_REASON));
    expect(await runHook('pre-tool-use', { tool_input: { command: 'ls' } }, ENV, d)).toEqual(deny(MISSING_TOOL_REASON));
    expect(await runHook('pre-tool-use', { tool_name: 'Bash', tool_input: {} }, ENV, d)).toEqual(
      deny(MISSING_COMMAND_REASON),
    );
    expect(await runHook('pre-tool-use', { tool_name: 'Bash', tool_input: { command: 42 } }, ENV, d)).toEqual(
      deny(MISSING_COMMAND_REASON),
    );
    expect(d.calls).toEqual([]);
  });

  it('keeps the bundled rules when the app answers allow: the stricter decision wins', async () => {
    const d = deps(() => ok({ decision: 'allow', reason: 'Allowed: no risky pattern found.' }));
    const out = await runHook('pre-tool-use', bash('echo "touch pwned" | bash'), ENV, d);
    expect(d.calls.map((c) => c.name)).toEqual(['paige_validate_command']);
    expect(out?.hookSpecificOutput).toMatchObject({
      permissionDecision: 'deny',
      permissionDecisionReason: expect.stringContaining('opaque.shell_from_input') as unknown,
    });
  });

  it('does not send a command over the length limit to the app, and never allows it', async () => {
    const d = deps(() => ok({ decision: 'allow', reason: 'x' }));
    const long = `ls ${'a'.repeat(20_000)}`;
    const ro = await runHook('pre-tool-use', bash(long), ENV, d);
    expect(ro?.hookSpecificOutput).toMatchObject({ permissionDecision: 'deny' });
    const std = await runHook('pre-tool-use', bash(long), { ...ENV, PAIGE_SAFETY_MODE: 'standard' }, d);
    expect(std?.hookSpecificOutput).toMatchObject({ permissionDecision: 'ask' });
    const padded = await runHook(
      'pre-tool-use',
      bash(`rm -rf ~ # ${'x'.repeat(20_000)}`),
      { ...ENV, PAIGE_SAFETY_MODE: 'standard' },
      d,
    );
    expect(padded?.hookSpecificOutput).toMatchObject({ permissionDecision: 'deny' });
    expect(d.calls).toEqual([]);
  });

  it('denies when its own check throws, instead of letting the call through', async () => {
    const d = deps(() => new Error('unused'));
    d.validateCommand = () => {
      throw new Error('boom');
    };
    const out = await runHook('pre-tool-use', bash('ls'), { PAIGE_SAFETY_MODE: 'read_only' }, d);
    expect(out?.hookSpecificOutput).toMatchObject({
      permissionDecision: 'deny',
      permissionDecisionReason: hookFailedReason('boom'),
    });
  });
});

describe('environment', () => {
  it('reads the endpoint, the mode (default read_only) and the budget (default 300 ms, capped)', () => {
    expect(endpointFrom({ PAIGE_MCP_URL: 'u' })).toBeNull();
    expect(endpointFrom({ PAIGE_MCP_URL: 'u', PAIGE_MCP_TOKEN: 't' })).toEqual({ url: 'u', token: 't' });
    expect(safetyModeFrom({})).toBe('read_only');
    expect(safetyModeFrom({ PAIGE_SAFETY_MODE: 'nonsense' })).toBe('read_only');
    expect(safetyModeFrom({ PAIGE_SAFETY_MODE: 'standard' })).toBe('standard');
    expect(validateBudgetFrom({})).toBe(300);
    expect(validateBudgetFrom({ PAIGE_HOOK_TIMEOUT_MS: 'abc' })).toBe(300);
    expect(validateBudgetFrom({ PAIGE_HOOK_TIMEOUT_MS: '999999' })).toBe(2_000);
    expect(remainingOf(0)).toBe(100);
  });
});
