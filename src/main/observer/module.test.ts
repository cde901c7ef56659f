// The observer inside the real app core: real SQLite, the real terminal host on node-pty running a shell-based fake
// prompt, and the fake Anthropic API. A learner off the phase's expected files gets a nudge typed into the prompt;
// a typing burst, mute and the shell fallback behave as docs/observer.md says.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { say } from '../../../e2e/fake-anthropic/script';
import { startFakeAnthropic, type FakeAnthropic } from '../../../e2e/fake-anthropic/server';
import { textOf } from '../../../e2e/fake-anthropic/wire';
import type { EventChannel, InvokeChannel } from '../../shared/ipc/contract';
import { startTestCore, tempDir, stopAll, type TestCore } from '../testing/harness';

let t: TestCore | undefined;
let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await stopAll({ t, fake });
  t = fake = undefined;
});

const meta = { transport: 'bridge' as const, clientId: 'observer-test' };

async function call(channel: InvokeChannel, input: unknown): Promise<unknown> {
  const env = await t!.core.router.dispatch(channel, input as never, meta);
  if (!env.ok) throw new Error(`${channel}: ${env.error.code} ${env.error.message}`);
  return env.value;
}

const VERDICT = {
  should_nudge: true,
  confidence: 0.85,
  signal: 'wrong_file',
  reasoning: 'Phase 1 expects src/api/routes.ts; the learner keeps opening unrelated files.',
  suggested_context: {
    current_file: 'src/db/pool.ts',
    expected_file: 'src/api/routes.ts',
    time_in_file: 3,
    phase_description: 'Register GET /health in src/api/routes.ts',
  },
};

/** A prompt that echoes each line it reads, like a REPL waiting at its prompt. */
function fakePrompt(): string {
  const dir = tempDir('paige-fake-prompt-');
  const file = path.join(dir, 'fake-claude.sh');
  fs.writeFileSync(
    file,
    '#!/bin/sh\nprintf "> "\nwhile IFS= read -r line; do\n  printf "GOT: %s\\n> " "$line"\ndone\n',
  );
  fs.chmodSync(file, 0o755);
  return file;
}

async function boot(
  terminalCommand: string,
  script = [say(JSON.stringify(VERDICT))],
  extraEnv: Record<string, string> = {},
) {
  fake = await startFakeAnthropic({ script });
  t = await startTestCore({
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ANTHROPIC_API_KEY: 'sk-ant-observer-test-1234',
      ANTHROPIC_BASE_URL: fake.url,
      PAIGE_TERMINAL_COMMAND: terminalCommand,
      ...extraEnv,
    },
  });
  const events: { channel: EventChannel; payload: unknown }[] = [];
  let screen = '';
  t.core.events.subscribe((channel, payload) => {
    if (channel === 'terminal:data') screen += (payload as { data: string }).data;
    else events.push({ channel, payload });
  });
  for (const f of ['src/api/routes.ts', 'src/utils/format.ts', 'src/db/pool.ts', 'README.md']) {
    fs.mkdirSync(path.dirname(path.join(t.projectDir, f)), { recursive: true });
    fs.writeFileSync(path.join(t.projectDir, f), `// ${f}\nexport {};\n`);
  }
  const attach = (await call('terminal:attach', { cols: 100, rows: 30 })) as { fallback: boolean };
  startSessionWithPlan();
  return { events, screen: () => screen, fallback: attach.fallback };
}

function startSessionWithPlan(): void {
  const core = t!.core;
  const session = core.find('sessions')!.start({ projectDir: t!.projectDir, hintLevel: 'medium' });
  const db = core.db;
  const ts = new Date().toISOString();
  const plan = db.run(
    db.qb.insertInto('plans').values({
      session_id: session.id,
      title: 'Health route',
      summary: 'Add GET /health',
      total_phases: 1,
      plan_text: null,
      memory_connection: null,
      estimated_difficulty: 'beginner',
      source: 'mcp',
      carried_from_plan_id: null,
      created_at: ts,
    }),
  );
  db.run(
    db.qb.insertInto('phases').values({
      plan_id: Number(plan.lastInsertRowid),
      number: 1,
      title: 'Add the health route',
      description: 'Register GET /health in src/api/routes.ts and return the version.',
      hint_level: 'low',
      expected_files: JSON.stringify(['src/api/routes.ts']),
      status: 'active',
      started_at: ts,
      completed_at: null,
    }),
  );
  core.events.emit('session:started', { session, issueContext: null, plan: null, hintLevel: 'medium' });
}

/** Resolves when `check` passes after an event, or fails after `ms` with what was seen. */
function until<T>(check: () => T | undefined, ms = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const tryNow = (): boolean => {
      const v = check();
      if (v === undefined) return false;
      sub.dispose();
      clearTimeout(timer);
      resolve(v);
      return true;
    };
    const sub = t!.core.events.subscribe(() => void tryNow());
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error('timed out waiting'));
    }, ms);
    tryNow();
  });
}

function actions(type: string): Record<string, unknown>[] {
  t!.core.find('actionLog')!.flushAll();
  return t!.core.db
    .all(t!.core.db.qb.selectFrom('action_log').select(['action_type', 'data']).where('action_type', '=', type))
    .map((r) => JSON.parse(String(r.data)) as Record<string, unknown>);
}

describe('observer module', () => {
  it('files outside the phase → triage says wrong_file → the nudge is typed into the idle prompt', async () => {
    const s = await boot(fakePrompt());
    expect(s.fallback).toBe(false);
    await until(() => (s.screen().includes('> ') ? true : undefined));
    expect(await call('observer:get_status', undefined)).toMatchObject({ active: true, muted: false });
    await call('file:open', { path: 'src/utils/format.ts' });
    const line = await until(() => s.screen().match(/GOT: (\[PAIGE_OBSERVER\] \{.*\})/)?.[1]);
    const sent = JSON.parse(line.slice('[PAIGE_OBSERVER] '.length)) as Record<string, unknown>;
    expect(sent).toEqual({
      signal: 'wrong_file',
      confidence: 0.85,
      context: {
        current_file: 'src/db/pool.ts',
        expected_file: 'src/api/routes.ts',
        time_in_file: 3,
        phase: 1,
        phase_description: 'Register GET /health in src/api/routes.ts',
      },
    });
    const nudge = await until(() => s.events.find((e) => e.channel === 'observer:nudge')?.payload);
    expect(nudge).toMatchObject({ signal: 'wrong_file', delivery: 'pty' });
    // What triage saw: the phase and its expected files, the file just opened.
    const user = JSON.parse(textOf(fake!.mainRequests()[0]!.body!.messages[0]!.content)) as Record<string, unknown>;
    expect(user).toMatchObject({
      trigger: 'file_open',
      current_phase: { number: 1, expected_files: ['src/api/routes.ts'] },
      active_file: { path: 'src/utils/format.ts' },
      hint_level: 'medium',
    });
    expect(fake!.mainRequests()[0]!.body!.model).toBe('claude-haiku-4-5-20251001');
    expect(actions('nudge_sent')).toEqual([expect.objectContaining({ signal: 'wrong_file', delivery: 'pty' })]);
    // Within the cooldown the next file opens no request.
    await call('file:open', { path: 'src/db/pool.ts' });
    expect(actions('nudge_suppressed')).toEqual([{ reason: 'cooldown' }]);
    expect(fake!.mainRequests()).toHaveLength(1);
  });

  it('during a typing burst no triage request reaches the model; muting stops triage', async () => {
    // Edits trigger every 20th update here, so the burst itself is what the test is about.
    const s = await boot(fakePrompt(), [], { PAIGE_OBSERVER_BUFFER_TRIGGER: '20' });
    for (let i = 0; i < 20; i++) {
      await call('buffer:update', {
        path: 'src/api/routes.ts',
        content: `// src/api/routes.ts\nexport {};\n${'x'.repeat(i)}`,
        cursorPosition: { line: 3, column: i + 1 },
        selections: [],
      });
    }
    await until(() => s.events.find((e) => e.channel === 'observer:status' && (e.payload as { flow: boolean }).flow));
    await call('file:open', { path: 'src/utils/format.ts' });
    expect(actions('nudge_suppressed')).toEqual([{ reason: 'flow_state' }, { reason: 'flow_state' }]);
    expect(fake!.requests).toHaveLength(0);

    expect(await call('observer:mute', { muted: true })).toMatchObject({ active: true, muted: true });
    await call('file:open', { path: 'src/db/pool.ts' });
    await call('file:open', { path: 'README.md' });
    expect(fake!.requests).toHaveLength(0);
    expect(actions('observer_muted')).toEqual([{ muted: true }]);
  });

  it('with the shell fallback the nudge is a sidebar message instead', async () => {
    const s = await boot('no-such-claude-for-paige-tests');
    expect(s.fallback).toBe(true);
    await call('file:open', { path: 'src/utils/format.ts' });
    const msg = await until(
      () => s.events.find((e) => e.channel === 'coaching:message')?.payload as Record<string, unknown> | undefined,
    );
    expect(msg).toMatchObject({
      message: 'The current phase points at src/api/routes.ts — worth a look?',
      type: 'hint',
      source: 'observer',
    });
    expect(s.events.find((e) => e.channel === 'observer:nudge')?.payload).toMatchObject({ delivery: 'ui' });
    expect(s.screen()).not.toContain('[PAIGE_OBSERVER]');
    expect(await until(() => actions('nudge_sent')[0])).toMatchObject({ delivery: 'ui', signal: 'wrong_file' });
  });

  it('the flag and every observer setting are reported; observer.enabled and a session end stop it', async () => {
    await boot(fakePrompt(), []);
    expect(t!.core.featureFlags().observer).toBe(true);
    const view = (await call('settings:get', undefined)) as { activeKeys: string[] };
    expect(view.activeKeys.filter((k) => k.startsWith('observer.')).sort()).toEqual(
      [
        'observer.confidence',
        'observer.cooldownMs',
        'observer.enabled',
        'observer.explainTrigger',
        'observer.bufferTrigger',
        'observer.flowThreshold',
        'observer.flowWindowMs',
        'observer.idleCheckMs',
        'observer.idleMs',
        'observer.nudgeDelivery',
      ].sort(),
    );
    await call('settings:update', { patch: { observer: { enabled: false } } });
    expect(await call('observer:get_status', undefined)).toMatchObject({ active: false });
    await call('settings:update', { patch: { observer: { enabled: true } } });
    expect(await call('observer:get_status', undefined)).toMatchObject({ active: true });
    const id = t!.core.find('sessions')!.getActive()!.id;
    t!.core.events.emit('session:ended', { sessionId: id, status: 'wrapping_up', reason: 'user' });
    expect(await call('observer:get_status', undefined)).toEqual({
      active: false,
      muted: false,
      flow: false,
      lastEvaluation: null,
    });
  });
});
