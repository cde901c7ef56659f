// File operations that cannot be raced out of the project (docs/workspace.md, "Race-free file operations"): every
// operation checks what it actually opened, not the name it was given, so swapping a folder for a symlink mid-call fails.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { PaigeError } from '../../shared/ipc/errors';
import { isInside, pathOutside, type GuardOptions } from './path-guard';

const C = fs.constants;
/** 0 where the platform has no such flag (Windows): the fd check below still runs. */
const O_NOFOLLOW = C.O_NOFOLLOW ?? 0;
const O_DIRECTORY = C.O_DIRECTORY ?? 0;
/** A FIFO or device must not block the open; regular files ignore the flag. */
const O_NONBLOCK = C.O_NONBLOCK ?? 0;

/** Linux names an open descriptor's current path under /proc; that path is the truth about what was opened. */
const HOST_HAS_PROC_FD = process.platform === 'linux' && fs.existsSync('/proc/self/fd');

function notFound(rel: string): PaigeError {
  return new PaigeError('NOT_FOUND', `File not found: ${rel}`, { path: rel });
}

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException).code;
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // Already closed or never valid: nothing to release.
  }
}

/**
 * A directory pinned by an open descriptor and proven to be inside the project. On Linux, `entry(name)` goes through
 * `/proc/self/fd/N/name`, which the kernel resolves from the pinned directory itself (an `openat` by path), so
 * renaming or swapping any folder above it afterwards changes nothing.
 */
export interface VerifiedDir {
  readonly real: string;
  entry(name: string): string;
  /** fsync the directory where the platform allows it (after a rename or create). */
  sync(): void;
  close(): void;
}

interface ConfinedFsOptions extends GuardOptions {
  /** Use /proc/self/fd (Linux); tests pass false to exercise the portable fallback. */
  procFd?: boolean;
}

export class ConfinedFs {
  private readonly procFd: boolean;

  constructor(
    private readonly root: string,
    private readonly opts: ConfinedFsOptions = {},
  ) {
    this.procFd = opts.procFd ?? HOST_HAS_PROC_FD;
  }

  /**
   * Opens a file for reading (symlinks inside the project are followed) and proves the opened descriptor is inside the
   * project before anything is read. Returns null when the file does not exist. The caller owns the descriptor.
   */
  openRead(abs: string, rel: string): { fd: number; stat: fs.Stats } | null {
    let fd: number;
    try {
      fd = fs.openSync(abs, C.O_RDONLY | O_NONBLOCK);
    } catch (err) {
      const code = errno(err);
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      if (code === 'EISDIR') throw new PaigeError('INVALID_PATH', `Not a file: ${rel}`, { path: rel });
      throw err;
    }
    try {
      this.verifyFd(fd, abs, rel);
      return { fd, stat: fs.fstatSync(fd) };
    } catch (err) {
      closeQuietly(fd);
      throw err;
    }
  }

  /** Reads a whole regular file through openRead; null when missing. */
  readFile(abs: string, rel: string): { bytes: Buffer; stat: fs.Stats } | null {
    const opened = this.openRead(abs, rel);
    if (!opened) return null;
    try {
      if (!opened.stat.isFile()) throw new PaigeError('INVALID_PATH', `Not a file: ${rel}`, { path: rel });
      return { bytes: fs.readFileSync(opened.fd), stat: opened.stat };
    } finally {
      closeQuietly(opened.fd);
    }
  }

  /**
   * Opens the directory `dirAbs` (inside the project by the lexical gate) and proves it. With `create`, missing
   * folders are made one at a time, each inside the one proven before it. Returns null when missing and not creating.
   */
  openDir(dirAbs: string, rel: string, create: boolean): VerifiedDir | null {
    const direct = this.tryOpenDir(dirAbs, rel);
    if (direct !== 'missing') return direct;
    if (!create) return null;
    const segments = path
      .relative(this.root, dirAbs)
      .split(path.sep)
      .filter((s) => s !== '');
    let dir = this.tryOpenDir(this.root, rel);
    if (dir === 'missing') throw notFound(rel);
    for (const seg of segments) {
      if (seg === '..' || seg === '.') {
        dir.close();
        throw pathOutside(rel);
      }
      const next = dir.entry(seg);
      try {
        fs.mkdirSync(next, { mode: 0o755 });
      } catch (err) {
        if (errno(err) !== 'EEXIST') {
          dir.close();
          throw err;
        }
      }
      const child = this.tryOpenDir(next, rel);
      dir.close();
      if (child === 'missing') throw notFound(rel);
      dir = child;
    }
    return dir;
  }

  /** Writes `data` to a temp file inside `dir` and renames it over `name` within that directory. */
  writeAtomic(dir: VerifiedDir, name: string, data: string, mode: number): void {
    const tmp = `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    this.writeNew(dir, tmp, data, mode);
    try {
      fs.renameSync(dir.entry(tmp), dir.entry(name));
    } catch (err) {
      fs.rmSync(dir.entry(tmp), { force: true });
      throw err;
    }
    dir.sync();
  }

  /** Creates `name` inside `dir`; fails with EEXIST if anything (a symlink included) already has that name. */
  writeNew(dir: VerifiedDir, name: string, data: string, mode: number): void {
    const fd = fs.openSync(dir.entry(name), C.O_WRONLY | C.O_CREAT | C.O_EXCL | O_NOFOLLOW, mode);
    try {
      fs.writeSync(fd, Buffer.from(data, 'utf8'));
      if (process.platform !== 'win32') fs.fchmodSync(fd, mode);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }

  private tryOpenDir(dirAbs: string, rel: string): VerifiedDir | 'missing' {
    if (process.platform === 'win32') return this.windowsDir(dirAbs, rel);
    let fd: number;
    try {
      fd = fs.openSync(dirAbs, C.O_RDONLY | O_DIRECTORY);
    } catch (err) {
      const code = errno(err);
      if (code === 'ENOENT') return 'missing';
      if (code === 'ENOTDIR')
        throw new PaigeError('INVALID_PATH', `A parent of ${rel} is not a folder.`, { path: rel });
      throw err;
    }
    let real: string;
    try {
      real = this.verifyFd(fd, dirAbs, rel);
    } catch (err) {
      closeQuietly(fd);
      throw err;
    }
    const procBase = `/proc/self/fd/${fd}`;
    const useProc = this.procFd;
    return {
      real,
      entry: (name) => (useProc ? `${procBase}/${name}` : path.join(real, name)),
      sync: () => {
        try {
          fs.fsyncSync(fd);
        } catch {
          // Directory fsync is not supported everywhere; the rename already happened.
        }
      },
      close: () => closeQuietly(fd),
    };
  }

  /** Windows cannot open a directory as a descriptor from Node: the realpath check is all there is. */
  private windowsDir(dirAbs: string, rel: string): VerifiedDir | 'missing' {
    let real: string;
    try {
      real = fs.realpathSync.native(dirAbs);
    } catch (err) {
      if (errno(err) === 'ENOENT') return 'missing';
      throw err;
    }
    if (!isInside(this.root, real, this.opts)) throw pathOutside(rel);
    return { real, entry: (name) => path.join(real, name), sync: () => undefined, close: () => undefined };
  }

  /** Proves the open descriptor `fd` is inside the project; returns its real path. */
  private verifyFd(fd: number, opened: string, rel: string): string {
    if (this.procFd) {
      const real = fs.readlinkSync(`/proc/self/fd/${fd}`);
      if (!isInside(this.root, real, this.opts)) throw pathOutside(rel);
      return real;
    }
    // Portable fallback: the name's realpath must be inside and name the very inode we hold, and every folder on the
    // way must be a real folder (no symlink) just before and just after that comparison. What remains is a swap timed
    // into that comparison and undone before the second walk (docs/workspace.md).
    let real: string;
    try {
      real = fs.realpathSync.native(opened);
    } catch {
      throw pathOutside(rel);
    }
    if (!isInside(this.root, real, this.opts)) throw pathOutside(rel);
    const held = fs.fstatSync(fd);
    const folders: string[] = [];
    for (let d = path.dirname(real); isInside(this.root, d, this.opts) && d !== this.root; d = path.dirname(d)) {
      folders.push(d);
    }
    const walk = (): void => {
      for (const d of folders) {
        const st = fs.lstatSync(d, { throwIfNoEntry: false });
        if (!st?.isDirectory()) throw pathOutside(rel);
      }
    };
    walk();
    const named = fs.lstatSync(real, { throwIfNoEntry: false });
    walk();
    if (!named) throw pathOutside(rel);
    if (named.dev !== held.dev || named.ino !== held.ino) throw pathOutside(rel);
    return real;
  }
}
