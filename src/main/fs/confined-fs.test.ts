import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/harness';
import { ConfinedFs } from './confined-fs';

// Both ways of proving a descriptor: /proc/self/fd where the host has it, and the portable dev/ino check.
const modes = process.platform === 'linux' ? [true, false] : [false];

describe.each(modes)('ConfinedFs (procFd %s)', (procFd) => {
  function layout(): { proj: string; outside: string; cfs: ConfinedFs } {
    const base = tempDir('paige-cfs-');
    const proj = path.join(base, 'proj');
    const outside = path.join(base, 'outside');
    fs.mkdirSync(path.join(proj, 'src'), { recursive: true });
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(proj, 'src', 'a.txt'), 'inside');
    fs.writeFileSync(path.join(outside, 'a.txt'), 'outside');
    fs.symlinkSync(outside, path.join(proj, 'out'));
    fs.symlinkSync(path.join(proj, 'src'), path.join(proj, 'alias'));
    return { proj, outside, cfs: new ConfinedFs(proj, { procFd }) };
  }

  it('reads inside files, also through an inside symlink, and refuses a descriptor that landed outside', () => {
    const { proj, cfs } = layout();
    expect(cfs.readFile(path.join(proj, 'src', 'a.txt'), 'src/a.txt')?.bytes.toString()).toBe('inside');
    expect(cfs.readFile(path.join(proj, 'alias', 'a.txt'), 'alias/a.txt')?.bytes.toString()).toBe('inside');
    expect(() => cfs.readFile(path.join(proj, 'out', 'a.txt'), 'out/a.txt')).toThrow(
      expect.objectContaining({ code: 'PATH_OUTSIDE_PROJECT' }),
    );
    expect(cfs.readFile(path.join(proj, 'src', 'missing.txt'), 'src/missing.txt')).toBeNull();
  });

  it('creates missing folders one at a time inside the project and writes atomically within the proven folder', () => {
    const { proj, outside, cfs } = layout();
    const dir = cfs.openDir(path.join(proj, 'new', 'deep'), 'new/deep/f.txt', true);
    expect(dir).not.toBeNull();
    cfs.writeAtomic(dir!, 'f.txt', 'hello', 0o640);
    dir!.close();
    expect(fs.readFileSync(path.join(proj, 'new', 'deep', 'f.txt'), 'utf8')).toBe('hello');
    expect((fs.statSync(path.join(proj, 'new', 'deep', 'f.txt')).mode & 0o777).toString(8)).toBe('640');
    expect(fs.readdirSync(path.join(proj, 'new', 'deep'))).toEqual(['f.txt']);
    expect(() => cfs.openDir(path.join(proj, 'out', 'x'), 'out/x/f.txt', true)).toThrow(
      expect.objectContaining({ code: 'PATH_OUTSIDE_PROJECT' }),
    );
    expect(fs.readdirSync(outside)).toEqual(['a.txt']);
    expect(cfs.openDir(path.join(proj, 'nope'), 'nope/f.txt', false)).toBeNull();
  });
});
