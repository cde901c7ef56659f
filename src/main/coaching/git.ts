// git through execFile (no shell) in the project, with a timeout. A missing `git` is GIT_UNAVAILABLE, any other
// failure GIT_FAILED with git's own message.
import { execFile } from 'node:child_process';
import { PaigeError } from '../../shared/ipc/errors';

const GIT_TIMEOUT_MS = 30_000;

export type Git = (args: readonly string[]) => Promise<string>;

/** A git runner bound to one working directory. */
export function gitIn(cwd: string, env: NodeJS.ProcessEnv): Git {
  return (args) =>
    new Promise((resolve, reject) => {
      execFile(
        'git',
        [...args],
        { cwd, env, timeout: GIT_TIMEOUT_MS, maxBuffer: 4 * 1024 * 1024 },
        (err, stdout, stderr) => {
          if (!err) return resolve(String(stdout));
          if (err.code === 'ENOENT') {
            return reject(new PaigeError('GIT_UNAVAILABLE', '`git` is not installed or not on PATH.'));
          }
          const text = String(stderr).trim() || err.message;
          reject(new PaigeError('GIT_FAILED', `git ${args[0] ?? ''} failed: ${text.slice(0, 500)}`));
        },
      );
    });
}
