import { describe, expect, it } from 'vitest';
import { PaigeClient, type Transport } from '../../../../shared/ipc/client';
import type { Envelope } from '../../../../shared/ipc/envelope';
import { ExplainStore, MAX_EXPLANATIONS } from './explain-store';

const RESULT = {
  title: 'A loop',
  explanation: 'It counts.',
  keyConcepts: ['iteration'],
  analogy: null,
  relatedFiles: null,
  phaseConnection: null,
};

/** A transport answering `user:explain` when the test says so, with a value or an error envelope. */
function fakeBackend() {
  const pending: ((e: Envelope<unknown>) => void)[] = [];
  const requests: unknown[] = [];
  const transport: Transport = {
    kind: 'bridge',
    invoke(channel, payload): Promise<Envelope<unknown>> {
      if (channel !== 'user:explain') return Promise.resolve({ ok: true, value: null });
      requests.push(payload);
      return new Promise((resolve) => pending.push(resolve));
    },
    onEvent: () => () => undefined,
  };
  return { client: new PaigeClient(transport), pending, requests };
}

function request(startLine: number) {
  return { path: 'src/a.ts', range: { startLine, endLine: startLine + 1 }, text: 'for (;;) {}' };
}

describe('ExplainStore', () => {
  it('adds a running entry first and open, then fills in the result', async () => {
    const b = fakeBackend();
    const store = new ExplainStore(b.client);
    const done = store.explain(request(3));
    expect(store.getState()).toMatchObject({ requests: 1, openId: 1, entries: [{ id: 1, status: 'running' }] });
    expect(b.requests).toEqual([request(3)]);
    b.pending[0]!({ ok: true, value: RESULT });
    await done;
    expect(store.getState().entries[0]).toMatchObject({ status: 'done', result: RESULT, startLine: 3, endLine: 4 });
  });

  it('the newest request comes first and opens; an error is kept in its entry', async () => {
    const b = fakeBackend();
    const store = new ExplainStore(b.client);
    const first = store.explain(request(1));
    const second = store.explain(request(9));
    expect(store.getState().entries.map((e) => e.id)).toEqual([2, 1]);
    expect(store.getState().openId).toBe(2);
    b.pending[1]!({ ok: false, error: { code: 'LLM_DISABLED', message: 'No API key', retryable: false, cid: 'c1' } });
    b.pending[0]!({ ok: true, value: RESULT });
    await Promise.all([first, second]);
    expect(store.getState().entries).toMatchObject([
      { id: 2, status: 'error', error: { code: 'LLM_DISABLED' } },
      { id: 1, status: 'done' },
    ]);
    store.toggle(1);
    expect(store.getState().openId).toBe(1);
    store.toggle(1);
    expect(store.getState().openId).toBeNull();
    const retried = store.retry(2);
    expect(store.getState().entries).toMatchObject([{ id: 3, status: 'running', startLine: 9 }, { id: 1 }]);
    expect(b.requests[2]).toEqual(request(9));
    b.pending[2]!({ ok: true, value: RESULT });
    await retried;
    expect(store.getState().entries[0]).toMatchObject({ id: 3, status: 'done' });
    store.remove(3);
    expect(store.getState().entries.map((e) => e.id)).toEqual([1]);
  });

  it('keeps the newest entries only', () => {
    const b = fakeBackend();
    const store = new ExplainStore(b.client);
    for (let i = 1; i <= MAX_EXPLANATIONS + 2; i++) void store.explain(request(i));
    const ids = store.getState().entries.map((e) => e.id);
    expect(ids).toHaveLength(MAX_EXPLANATIONS);
    expect(ids[0]).toBe(MAX_EXPLANATIONS + 2);
  });
});
