// The llm module inside the real app core (headless): capabilities, the key channels' refusal and env route, Explain
// over the router against the fake model, BINARY_FILE, and a 401 flipping the capability.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fail, say } from '../../../e2e/fake-anthropic/script';
import { startFakeAnthropic, type FakeAnthropic } from '../../../e2e/fake-anthropic/server';
import type { InvokeChannel } from '../../shared/ipc/contract';
import { paigeModules } from '../app-modules';
import { startTestCore, stopAll, type TestCore } from '../testing/harness';

let t: TestCore | undefined;
let fake: FakeAnthropic | undefined;
afterEach(async () => {
  await stopAll({ t, fake });
  t = fake = undefined;
});

const meta = { transport: 'bridge' as const, clientId: 't' };

async function call(channel: InvokeChannel, input: unknown) {
  return t!.core.router.dispatch(channel, input as never, meta);
}

async function hello() {
  const env = await call('connection:hello', {
    clientVersion: 't',
    platform: 'test',
    windowSize: { width: 1, height: 1 },
    transport: 'bridge',
  });
  if (!env.ok) throw new Error(env.error.message);
  return env.value as { capabilities: { llm: string } };
}

describe('llm module (headless)', () => {
  it('without a key: no_key, set_api_key refused with the env route, explain LLM_DISABLED', async () => {
    t = await startTestCore();
    expect((await hello()).capabilities.llm).toBe('no_key');
    const set = await call('settings:set_api_key', { apiKey: 'sk-ant-abcdefgh12345678' });
    expect(set.ok).toBe(false);
    if (!set.ok) {
      expect(set.error.code).toBe('SECURE_STORAGE_UNAVAILABLE');
      expect(set.error.message).toMatch(/ANTHROPIC_API_KEY/);
    }
    fs.writeFileSync(path.join(t.projectDir, 'a.ts'), 'const a = 1;\n');
    const ex = await call('user:explain', { path: 'a.ts', range: { startLine: 1, endLine: 1 }, text: 'const a' });
    expect(ex.ok ? null : ex.error.code).toBe('LLM_DISABLED');
    // Headless Settings cannot store a key, so the advice names only the environment variable.
    expect(ex.ok ? '' : ex.error.message).not.toContain('Settings');
    expect(ex.ok ? '' : ex.error.message).toContain('paige serve');
    const chat = await call('chat:session_create', { linkCoachingSession: false });
    const sent = await call('chat:send', {
      chatSessionId: chat.ok ? (chat.value as { id: string }).id : '',
      text: 'hi',
    });
    expect(sent.ok ? null : sent.error.code).toBe('LLM_DISABLED');
    expect(sent.ok ? '' : sent.error.message).not.toContain('Settings');
    const usage = await call('llm:usage', undefined);
    expect(usage.ok && usage.value).toMatchObject({
      state: 'no_key',
      apiKey: { present: false, source: 'none', storable: false },
    });
  });

  it('with ANTHROPIC_API_KEY: explain through the fake, BINARY_FILE without a call, a 401 flips to invalid_key', async () => {
    fake = await startFakeAnthropic({
      script: [
        say(
          JSON.stringify({
            title: 'A constant',
            explanation: 'Declares `a`.',
            key_concepts: ['const'],
            analogy: null,
            related_files: null,
            phase_connection: null,
          }),
        ),
        fail(401),
      ],
    });
    t = await startTestCore({
      env: { PATH: process.env.PATH, ANTHROPIC_API_KEY: 'sk-ant-env-key-12345678', ANTHROPIC_BASE_URL: fake.url },
    });
    expect((await hello()).capabilities.llm).toBe('ready');
    fs.writeFileSync(path.join(t.projectDir, 'a.ts'), 'const a = 1;\nexport { a };\n');
    fs.writeFileSync(path.join(t.projectDir, 'img.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    const ex = await call('user:explain', { path: 'a.ts', range: { startLine: 1, endLine: 1 }, text: 'const a = 1;' });
    expect(ex.ok && ex.value).toMatchObject({ title: 'A constant', keyConcepts: ['const'], phaseConnection: null });
    const sent = JSON.parse(
      String((fake.mainRequests()[0]!.body!.messages[0]!.content as { text: string }[])[0]!.text),
    );
    expect(sent.surrounding_context).toBe('const a = 1;\nexport { a };\n');

    const bin = await call('user:explain', { path: 'img.png', range: { startLine: 1, endLine: 1 }, text: 'PN' });
    expect(bin.ok ? null : bin.error.code).toBe('BINARY_FILE');
    expect(fake.mainRequests()).toHaveLength(1);

    const caps: string[] = [];
    t.core.events.subscribe((channel, payload) => {
      if (channel === 'app:capabilities') caps.push((payload as { llm: string }).llm);
    });
    const test = await call('settings:test_api_key', undefined);
    expect(test.ok && test.value).toMatchObject({ ok: false });
    expect((await hello()).capabilities.llm).toBe('invalid_key');
    expect(caps).toEqual(['invalid_key']);
    const health = await call('app:health', undefined);
    expect(health.ok && health.value).toMatchObject({ llm: { state: 'invalid_key' } });
    expect(t.logs.lines.join('\n')).not.toContain('sk-ant-env-key');
  });
});

describe('llm module (with a keychain-backed store)', () => {
  it('settings:get reports a stored key as present from the store, never the key itself', async () => {
    const KEY = 'sk-ant-stored-abcdefgh12345678';
    // A reversible stand-in for Electron's safeStorage.
    const safeStorage = {
      isEncryptionAvailable: () => true,
      selectedBackend: () => 'gnome_libsecret',
      encryptString: (plain: string) => Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)),
      decryptString: (cipher: Buffer) => Buffer.from(cipher.map((b) => b ^ 0x5a)).toString('utf8'),
    };
    t = await startTestCore({ modules: paigeModules({ llm: { safeStorage } }) });
    const before = await call('settings:get', undefined);
    expect(before.ok && before.value).toMatchObject({ apiKey: { present: false, source: 'none' } });
    expect((await call('settings:set_api_key', { apiKey: KEY })).ok).toBe(true);
    const after = await call('settings:get', undefined);
    expect(after.ok && after.value).toMatchObject({ apiKey: { present: true, source: 'store' } });
    expect(JSON.stringify(after)).not.toContain(KEY);
    expect((await call('settings:clear_api_key', undefined)).ok).toBe(true);
    const cleared = await call('settings:get', undefined);
    expect(cleared.ok && cleared.value).toMatchObject({ apiKey: { present: false, source: 'none' } });
  });
});
