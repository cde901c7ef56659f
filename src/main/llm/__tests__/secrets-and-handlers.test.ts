// The API key path: stores that refuse or encrypt, env precedence, the key IPC handlers, and the spend query.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fail, say } from '../../../../e2e/fake-anthropic/script';
import { PaigeError } from '../../../shared/ipc/errors';
import { invokeChannels } from '../../../shared/ipc/contract';
import { ExplainService } from '../explain-service';
import { createLlmHandlers } from '../handlers';
import { HeadlessSecretStore, SafeStorageSecretStore, type SafeStorageAdapter } from '../secret-store';
import { harness, type Harness } from '../testing/harness';

let h: Harness | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'paige-secrets-'));
  dirs.push(d);
  return d;
}

/** A stand-in for the OS keychain: reversible, and visibly not plaintext. */
function fakeSafeStorage(opts: { available?: boolean; backend?: string } = {}): SafeStorageAdapter {
  return {
    isEncryptionAvailable: () => opts.available ?? true,
    selectedBackend: () => opts.backend ?? 'gnome_libsecret',
    encryptString: (plain) => Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)),
    decryptString: (cipher) => Buffer.from(cipher.map((b) => b ^ 0x5a)).toString('utf8'),
  };
}

const KEY = 'sk-ant-stored-key-abcdefgh';

describe('secret stores', () => {
  it('headless refuses with SECURE_STORAGE_UNAVAILABLE and points to ANTHROPIC_API_KEY', () => {
    const s = new HeadlessSecretStore();
    let err: unknown;
    try {
      s.set(KEY);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PaigeError);
    expect((err as PaigeError).code).toBe('SECURE_STORAGE_UNAVAILABLE');
    expect((err as PaigeError).message).toMatch(/ANTHROPIC_API_KEY/);
    expect(s.get()).toBeUndefined();
  });

  it('safeStorage: ciphertext in secrets.bin with mode 0600, read back, cleared', () => {
    const dir = tmpDir();
    const s = new SafeStorageSecretStore(fakeSafeStorage(), dir, 'linux');
    s.set(KEY);
    const file = path.join(dir, 'secrets.bin');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file).toString('utf8')).not.toContain(KEY);
    expect(new SafeStorageSecretStore(fakeSafeStorage(), dir, 'linux').get()).toBe(KEY);
    expect(s.clear()).toBe(true);
    expect(s.get()).toBeUndefined();
    expect(s.clear()).toBe(false);
  });

  it('safeStorage refuses when encryption is unavailable or Linux fell back to basic_text', () => {
    const dir = tmpDir();
    for (const adapter of [fakeSafeStorage({ available: false }), fakeSafeStorage({ backend: 'basic_text' })]) {
      const s = new SafeStorageSecretStore(adapter, dir, 'linux');
      expect(s.unavailableReason()).toMatch(/ANTHROPIC_API_KEY/);
      expect(() => s.set(KEY)).toThrow(expect.objectContaining({ code: 'SECURE_STORAGE_UNAVAILABLE' }) as Error);
      expect(fs.existsSync(path.join(dir, 'secrets.bin'))).toBe(false);
    }
    // basic_text is a Linux-only notion.
    expect(
      new SafeStorageSecretStore(fakeSafeStorage({ backend: 'basic_text' }), dir, 'darwin').unavailableReason(),
    ).toBeNull();
  });
});

function handlersFor(hh: Harness) {
  const explain = new ExplainService({
    client: hh.client,
    source: { read: () => Promise.resolve({ binary: false, text: '' }) },
    activePhase: () => null,
    assessments: () => [],
    sessionId: () => null,
  });
  return createLlmHandlers({ client: hh.client, keys: hh.keys, budget: hh.budget, ledger: hh.ledger, explain });
}

const ctx = { cid: 'c1', transport: 'electron' as const, clientId: 'w1' };

describe('API key handlers', () => {
  it('set → the stored key is used for calls and capabilities flip no_key → ready; clear → no_key', async () => {
    const store = new SafeStorageSecretStore(fakeSafeStorage(), tmpDir(), 'linux');
    h = await harness({ key: undefined, store, fake: { script: [say('hi')] } });
    const handlers = handlersFor(h);
    expect(h.keys.state).toBe('no_key');
    const input = invokeChannels['settings:set_api_key'].input.parse({ apiKey: `  ${KEY} ` });
    expect(await handlers['settings:set_api_key'](input, ctx)).toEqual({ stored: true });
    expect(h.states).toEqual(['ready']);
    await h.client.callModel({ callType: 't', alias: 'haiku', system: 's', user: 'u' });
    expect(h.fake.mainRequests()[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    const usage = await handlers['llm:usage'](undefined, ctx);
    expect(usage.apiKey).toEqual({ present: true, source: 'store', storable: true, storeUnavailableReason: null });
    expect(JSON.stringify(usage)).not.toContain(KEY);
    expect(await handlers['settings:clear_api_key'](undefined, ctx)).toEqual({ cleared: true });
    expect(h.keys.state).toBe('no_key');
    expect(h.states).toEqual(['ready', 'no_key']);
  });

  it('headless set_api_key refuses with SECURE_STORAGE_UNAVAILABLE; the env key still works', async () => {
    h = await harness({ fake: { script: [say('ok')] } });
    const handlers = handlersFor(h);
    await expect(
      Promise.resolve().then(() => handlers['settings:set_api_key']({ apiKey: KEY }, ctx)),
    ).rejects.toMatchObject({
      code: 'SECURE_STORAGE_UNAVAILABLE',
    });
    expect((await handlers['llm:usage'](undefined, ctx)).apiKey).toMatchObject({
      present: true,
      source: 'env',
      storable: false,
    });
  });

  it('ANTHROPIC_API_KEY wins over a stored key', async () => {
    const store = new SafeStorageSecretStore(fakeSafeStorage(), tmpDir(), 'linux');
    store.set(KEY);
    h = await harness({ store });
    expect(h.keys.resolve().source).toBe('env');
  });

  it('test_api_key makes one minimal haiku request; a 401 reports the error and flips to invalid_key', async () => {
    h = await harness({ fake: { script: [say('OK'), fail(401)] } });
    const handlers = handlersFor(h);
    expect(await handlers['settings:test_api_key'](undefined, ctx)).toEqual({
      ok: true,
      model: 'claude-haiku-4-5-20251001',
    });
    const req = h.fake.mainRequests()[0]!.body!;
    expect(req.max_tokens).toBe(1);
    expect(req.model).toBe('claude-haiku-4-5-20251001');
    const bad = await handlers['settings:test_api_key'](undefined, ctx);
    expect(bad.ok).toBe(false);
    expect(bad.error).toMatch(/^LLM_AUTH/);
    expect(h.keys.state).toBe('invalid_key');
    expect(h.fake.mainRequests()).toHaveLength(2);
  });

  it('llm:usage reports spend against limits and per call type', async () => {
    h = await harness({ llm: { budgetDailyUsd: 5, budgetMonthlyUsd: null }, fake: { script: [say('a')] } });
    await h.client.callModel({ callType: 'explain_this', alias: 'sonnet', system: 's', user: 'u' });
    const usage = invokeChannels['llm:usage'].output.parse(await handlersFor(h)['llm:usage'](undefined, ctx));
    expect(usage.daily).toMatchObject({ period: 'daily', limitUsd: 5, state: 'ok' });
    expect(usage.daily.spentUsd).toBeGreaterThan(0);
    expect(usage.monthly.limitUsd).toBeNull();
    expect(usage.byCallType).toEqual([expect.objectContaining({ callType: 'explain_this', calls: 1 })]);
  });
});
