// Where Paige keeps its state: PAIGE_DATA_DIR (legacy DATA_DIR) or --data-dir, default ~/.paige. A data folder that
// cannot be used stops start-up with one sentence saying what is wrong and what to do (docs/reliability.md).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function resolveDataDir(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  const raw = flag ?? env.PAIGE_DATA_DIR ?? env.DATA_DIR ?? path.join(os.homedir(), '.paige');
  const expanded = raw === '~' || raw.startsWith('~/') ? path.join(os.homedir(), raw.slice(1)) : raw;
  return path.resolve(expanded);
}

/** The data folder cannot be used. `paige serve` prints the message alone (no stack) and exits 2. */
export class DataDirError extends Error {
  override readonly name = 'DataDirError';
}

const CHOOSE_ANOTHER = 'or choose another folder with --data-dir or PAIGE_DATA_DIR';

/**
 * Turns a file-system or SQLite failure on the data folder into a DataDirError with what to do next; null when the
 * error is not one a person can fix there (a bug, which keeps its stack).
 */
export function dataDirProblem(err: unknown, dir: string): DataDirError | null {
  if (err instanceof DataDirError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const where = typeof (err as { path?: unknown }).path === 'string' ? (err as { path: string }).path : dir;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
    case 'SQLITE_READONLY':
    case 'SQLITE_CANTOPEN':
      return new DataDirError(
        `The data folder ${dir} is not writable (${String(code)} on ${where}). Make it writable for this user, ${CHOOSE_ANOTHER}.`,
      );
    case 'ENOSPC':
    case 'EDQUOT':
    case 'SQLITE_FULL':
      return new DataDirError(
        `The disk holding the data folder ${dir} is full (${String(code)}). Free some space, ${CHOOSE_ANOTHER}.`,
      );
    case 'ENOTDIR':
    case 'EEXIST':
      return new DataDirError(
        `The data folder ${dir} is not a folder (${String(code)} on ${where}). Move what has that name away, ${CHOOSE_ANOTHER}.`,
      );
    case 'EISDIR':
      return new DataDirError(
        `${where} in the data folder is a folder where Paige expects a file. Move it away, ${CHOOSE_ANOTHER}.`,
      );
    default:
      return null;
  }
}

/** Bytes written by the start-up probe: enough to need a fresh block, so a full disk fails here and not later. */
const PROBE_BYTES = 4_096;

/** Creates the data folder and proves it takes a write, or throws a DataDirError. */
export function ensureDataDir(dir: string): void {
  const probe = path.join(dir, `.write-probe-${process.pid}`);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!fs.statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    const fd = fs.openSync(probe, 'w', 0o600);
    try {
      fs.writeSync(fd, Buffer.alloc(PROBE_BYTES));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    throw dataDirProblem(err, dir) ?? err;
  } finally {
    fs.rmSync(probe, { force: true });
  }
}
