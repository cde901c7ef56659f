// One running Paige per data dir (paige.lock with the pid) and a dirty marker that survives an unclean stop.
import fs from 'node:fs';
import path from 'node:path';
import { PaigeError } from '../../shared/ipc/errors';

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class InstanceLock {
  private readonly lockFile: string;
  private readonly dirtyFile: string;
  private held = false;
  /** True when the previous run left its dirty marker behind (crash, kill -9, power loss). */
  readonly previousRunUnclean: boolean;

  private constructor(dataDir: string) {
    this.lockFile = path.join(dataDir, 'paige.lock');
    this.dirtyFile = path.join(dataDir, 'paige.dirty');
    this.previousRunUnclean = fs.existsSync(this.dirtyFile);
  }

  static acquire(dataDir: string): InstanceLock {
    const lock = new InstanceLock(dataDir);
    lock.take();
    return lock;
  }

  private take(): void {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(this.lockFile, String(process.pid), { flag: 'wx', mode: 0o600 });
        this.held = true;
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const owner = Number(fs.readFileSync(this.lockFile, 'utf8').trim());
      if (owner !== process.pid && pidAlive(owner)) {
        throw new PaigeError('ALREADY_RUNNING', `Paige is already running (pid ${owner}) with this data directory.`, {
          pid: owner,
        });
      }
      // Stale lock from a run that died: take it over.
      fs.rmSync(this.lockFile, { force: true });
    }
    throw new PaigeError('ALREADY_RUNNING', 'Could not take the Paige lock file.');
  }

  markDirty(): void {
    fs.writeFileSync(this.dirtyFile, `${process.pid} ${new Date().toISOString()}\n`, { mode: 0o600 });
  }

  /** Clean shutdown: drop the dirty marker and the lock. */
  release(): void {
    fs.rmSync(this.dirtyFile, { force: true });
    if (this.held) fs.rmSync(this.lockFile, { force: true });
    this.held = false;
  }
}
