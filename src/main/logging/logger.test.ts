import { describe, expect, it } from 'vitest';
import { Logger, MemorySink } from './logger';
import { runWithContext } from './context';

describe('Logger', () => {
  it('writes JSON lines with level, component and the correlation id of the current context', () => {
    const sink = new MemorySink();
    const log = new Logger([sink], 'info', { component: 'test' });
    runWithContext({ cid: 'cid-1', sessionId: 4 }, () => log.info('hello', { durationMs: 3 }));
    log.debug('hidden');
    const [rec] = sink.records();
    expect(sink.lines).toHaveLength(1);
    expect(rec).toMatchObject({
      level: 'info',
      msg: 'hello',
      component: 'test',
      cid: 'cid-1',
      sessionId: 4,
      durationMs: 3,
    });
    expect(typeof rec?.ts).toBe('string');
  });

  it('redacts secrets by key and by value, including inside errors', () => {
    const sink = new MemorySink();
    const log = new Logger([sink], 'trace');
    log.warn('calling with sk-ant-api03-abcdefghijklmnop', {
      apiKey: 'plain-value',
      headers: { Authorization: 'Bearer abc.def.ghi', accept: 'json' },
      url: 'http://127.0.0.1:5/#token=supersecrettokenvalue',
      gh: 'ghp_abcdefghijklmnopqrstuvwxyz012345',
      aws: 'AKIAABCDEFGHIJKLMNOP',
      pem: '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----',
      err: new Error('failed with token github_pat_ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
    });
    const line = sink.lines[0] ?? '';
    for (const secret of [
      'sk-ant-api03',
      'plain-value',
      'abc.def.ghi',
      'supersecrettokenvalue',
      'ghp_',
      'AKIAABCD',
      'MIIE',
      'github_pat_',
    ]) {
      expect(line).not.toContain(secret);
    }
    const rec = sink.records()[0] as Record<string, Record<string, unknown>>;
    expect(rec.headers).toEqual({ Authorization: '[REDACTED]', accept: 'json' });
    expect(String(rec.url)).toBe('http://127.0.0.1:5/#token=[REDACTED]');
  });

  it('silent writes nothing', () => {
    const sink = new MemorySink();
    new Logger([sink], 'silent').fatal('x');
    expect(sink.lines).toEqual([]);
  });
});
