import { describe, expect, it } from 'vitest';
import { IpcRouter, type HandlerMap } from './router';
import { InvokeMetrics } from '../health/invoke-metrics';
import { Logger, MemorySink } from '../logging/logger';
import { PaigeError } from '../../shared/ipc/errors';
import { currentCid } from '../logging/context';

function router(overrides: Partial<HandlerMap>, validateOutput = true) {
  const sink = new MemorySink();
  const handlers = new Proxy(overrides as HandlerMap, {
    get: (target, key: string) =>
      (target as Record<string, unknown>)[key] ??
      (() => {
        throw new Error(`no handler ${key}`);
      }),
  });
  return { r: new IpcRouter(handlers, new Logger([sink], 'debug'), new InvokeMetrics(), validateOutput), sink };
}

const meta = { transport: 'bridge' as const, clientId: 'c1' };

describe('IpcRouter', () => {
  it('answers an unknown channel with UNKNOWN_CHANNEL', async () => {
    const { r } = router({});
    const env = await r.dispatch('x:y', {}, meta);
    expect(env).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL', retryable: false } });
  });

  it('rejects invalid input with VALIDATION_FAILED and zod issues, without calling the handler', async () => {
    let called = false;
    const { r } = router({ 'project:open': () => ((called = true), { projectDir: '/', cloned: false }) });
    const env = await r.dispatch('project:open', { path: '' }, meta);
    expect(env.ok).toBe(false);
    expect(!env.ok && env.error.code).toBe('VALIDATION_FAILED');
    expect(!env.ok && Array.isArray(env.error.details?.issues)).toBe(true);
    expect(called).toBe(false);
  });

  it('answers Electron-only channels on the bridge with NOT_SUPPORTED', async () => {
    const { r } = router({ 'project:pick_folder': () => ({ path: '/x' }) });
    expect(await r.dispatch('project:pick_folder', undefined, meta)).toMatchObject({
      ok: false,
      error: { code: 'NOT_SUPPORTED' },
    });
    expect(await r.dispatch('project:pick_folder', undefined, { ...meta, transport: 'electron' })).toEqual({
      ok: true,
      value: { path: '/x' },
    });
  });

  it('passes PaigeErrors through as data and hides unexpected errors behind INTERNAL', async () => {
    const { r, sink } = router({
      'project:open': () => {
        throw new PaigeError('PROJECT_NOT_FOUND', 'Project folder not found: /x');
      },
      'project:recent': () => {
        throw new Error('secret internals');
      },
    });
    expect(await r.dispatch('project:open', { path: '/x' }, meta)).toMatchObject({
      ok: false,
      error: { code: 'PROJECT_NOT_FOUND', message: 'Project folder not found: /x' },
    });
    const env = await r.dispatch('project:recent', undefined, meta);
    expect(!env.ok && env.error.code).toBe('INTERNAL');
    expect(!env.ok && env.error.message).not.toContain('secret internals');
    expect(sink.lines.join('')).toContain('secret internals');
  });

  it('runs handlers in a correlation context, using a client cid when well-formed', async () => {
    const { r } = router({ 'project:recent': () => ({ projects: [], cid: currentCid() }) as never }, false);
    const env = await r.dispatch('project:recent', undefined, { ...meta, cid: 'client-cid-1' });
    expect(env).toMatchObject({ ok: true, value: { cid: 'client-cid-1' } });
    const env2 = await r.dispatch('project:recent', undefined, { ...meta, cid: 'bad cid with spaces' });
    expect(env2.ok && (env2.value as { cid: string }).cid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses handler output that breaks the contract', async () => {
    const { r } = router({ 'project:recent': () => ({ projects: 'nope' }) as never });
    expect(await r.dispatch('project:recent', undefined, meta)).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
  });

  it('answers SHUTTING_DOWN (retryable) after stopAccepting', async () => {
    const { r } = router({ 'project:recent': () => ({ projects: [] }) });
    r.stopAccepting();
    expect(await r.dispatch('project:recent', undefined, meta)).toMatchObject({
      ok: false,
      error: { code: 'SHUTTING_DOWN', retryable: true },
    });
  });
});
