// GitHub through the `gh` CLI: execFile (no shell), run in the project, with a timeout. Its failures become errors
// that say what to do: GH_UNAVAILABLE (not installed), GH_AUTH (not logged in), GH_NO_REPO (no GitHub remote).
import { execFile, type ExecFileException } from 'node:child_process';
import { z } from 'zod';
import { PaigeError } from '../../shared/ipc/errors';

const GH_TIMEOUT_MS = 15_000;

const IssueJson = z.object({
  number: z.number().int(),
  title: z.string(),
  body: z.string().nullable(),
  labels: z.array(z.object({ name: z.string() })),
  url: z.string(),
});
type GhIssue = { number: number; title: string; body: string; labels: string[]; url: string };

function ghError(err: ExecFileException, stderr: string): PaigeError {
  if (err.code === 'ENOENT') {
    return new PaigeError(
      'GH_UNAVAILABLE',
      'The GitHub CLI `gh` is not installed or not on PATH; install it from https://cli.github.com.',
    );
  }
  if (/auth login|not logged in/i.test(stderr)) {
    return new PaigeError('GH_AUTH', 'The GitHub CLI is not logged in; run `gh auth login` in a terminal.');
  }
  if (/no git remotes|none of the git remotes|not a git repository/i.test(stderr)) {
    return new PaigeError(
      'GH_NO_REPO',
      'This project has no GitHub remote; add one with `git remote add origin <url>`.',
    );
  }
  if (err.killed) return new PaigeError('GH_UNAVAILABLE', 'The GitHub CLI did not answer within 15 s.');
  return new PaigeError('GH_UNAVAILABLE', `gh failed: ${stderr.trim().slice(0, 500) || err.message}`);
}

/** `gh issue view <n> --json …` in `cwd`. */
export function viewIssue(cwd: string, issueNumber: number, env: NodeJS.ProcessEnv): Promise<GhIssue> {
  return new Promise((resolve, reject) => {
    execFile(
      'gh',
      ['issue', 'view', String(issueNumber), '--json', 'number,title,body,labels,url'],
      { cwd, env, timeout: GH_TIMEOUT_MS, maxBuffer: 8 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) return reject(ghError(err, String(stderr)));
        try {
          const j = IssueJson.parse(JSON.parse(String(stdout)));
          resolve({
            number: j.number,
            title: j.title,
            body: j.body ?? '',
            labels: j.labels.map((l) => l.name),
            url: j.url,
          });
        } catch {
          reject(new PaigeError('GH_UNAVAILABLE', 'gh answered with output Paige could not read.'));
        }
      },
    );
  });
}

/** The logged-in GitHub user's login (`gh api user`), or null when `gh` cannot say. */
export function viewerLogin(cwd: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('gh', ['api', 'user', '--jq', '.login'], { cwd, env, timeout: GH_TIMEOUT_MS }, (err, stdout) => {
      const login = String(stdout).trim();
      resolve(!err && /^[A-Za-z0-9-]{1,39}$/.test(login) ? login : null);
    });
  });
}
