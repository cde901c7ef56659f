import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLaunchFlags } from './launch-flags';

describe('parseLaunchFlags', () => {
  it('reads both flag spellings and resolves paths against cwd', () => {
    const argv = ['/opt/electron', '/repo', '--project', 'demo', '--data-dir=/data', '--log-level', 'debug'];
    expect(parseLaunchFlags(argv, '/home/u')).toEqual({
      projectDir: path.resolve('/home/u', 'demo'),
      dataDir: '/data',
      logLevel: 'debug',
    });
  });

  it('ignores Chromium switches and flags without a value', () => {
    expect(parseLaunchFlags(['--no-sandbox', '--project', '--inspect=9229', '--log-level='], '/')).toEqual({});
  });
});
