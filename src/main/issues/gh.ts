// GitHub through the `gh` CLI: execFile (no shell), run in the project, 15 s timeout. Its output is parsed with the
// CLI's `--json` shapes; its failures become errors that say what to do: GH_UNAVAILABLE (not installed or not
// answering), GH_AUTH (not logged in), GH_NO_REPO (no GitHub remote, or not a git repository at all).
import { execFile, type ExecFileException } from 'node:child_process';
import { z } from 'zod';
import { PaigeError } from '../../shared/ipc/errors';

const GH_TIMEOUT_MS = 15_000;
const GH_MAX_OUTPUT = 16 * 1024 * 1024;

/** The fields `gh issue list` is asked for. */
const ISSUE_LIST_FIELDS = 'number,title,body,labels,assignees,author,comments,updatedAt,createdAt,url';
const PR_LIST_FIELDS = 'number,title,labels,author,updatedAt,createdAt,url,isDraft';

const GhLabelJson = z.object({ name: z.string(), color: z.string().nullish() });
const GhUserJson = z.object({ login: z.string() });

const GhIssueJson = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  body: z.string().nullable(),
  labels: z.array(GhLabelJson),
  assignees: z.array(GhUserJson),
  // A deleted account shows as null (GitHub's "ghost").
  author: GhUserJson.nullable(),
  comments: z.array(z.unknown()),
  updatedAt: z.string(),
  createdAt: z.string(),
  url: z.string(),
});

const GhPrJson = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  labels: z.array(GhLabelJson),
  author: GhUserJson.nullable(),
  updatedAt: z.string(),
  createdAt: z.string(),
  url: z.string(),
  isDraft: z.boolean(),
});

interface GhLabel {
  name: string;
  color: string | null;
}

export interface GhIssue {
  number: number;
  title: string;
  body: string;
  labels: GhLabel[];
  assignees: string[];
  author: string | null;
  commentCount: number;
  updatedAt: string;
  createdAt: string;
  url: string;
}

export interface GhPr {
  number: number;
  title: string;
  labels: GhLabel[];
  author: string | null;
  updatedAt: string;
  createdAt: string;
  url: string;
  isDraft: boolean;
}

/** What gh's stderr and exit say, as the error Paige shows. @visibleForTesting */
export function ghError(err: Pick<ExecFileException, 'code' | 'killed' | 'message'>, stderr: string): PaigeError {
  if (err.code === 'ENOENT') {
    return new PaigeError(
      'GH_UNAVAILABLE',
      'The GitHub CLI `gh` is not installed or not on PATH; install it from https://cli.github.com, then refresh.',
    );
  }
  // Checked before the login messages: gh's "none of the git remotes … point to a known GitHub host" also names
  // `gh auth login`, for hosts other than github.com.
  // Outside a git repository `git remote add` fails too: that folder needs `git init` first.
  if (/not a git repository/i.test(stderr)) {
    return new PaigeError(
      'GH_NO_REPO',
      'This folder is not a git repository: run `git init` in it and add a GitHub remote with `git remote add origin https://github.com/<owner>/<repo>.git` (or open a clone of the repository instead), then refresh.',
    );
  }
  if (/no git remotes|none of the git remotes|could not determine (base )?repo/i.test(stderr)) {
    return new PaigeError(
      'GH_NO_REPO',
      'This project has no GitHub remote. Add one with `git remote add origin https://github.com/<owner>/<repo>.git`, then refresh.',
    );
  }
  if (/auth login|not logged in|GH_TOKEN|authentication/i.test(stderr) || err.code === 4) {
    return new PaigeError(
      'GH_AUTH',
      'The GitHub CLI is not logged in. Run `gh auth login` in a terminal, then refresh.',
    );
  }
  if (err.killed) return new PaigeError('GH_UNAVAILABLE', 'The GitHub CLI did not answer within 15 s; try again.');
  return new PaigeError('GH_UNAVAILABLE', `gh failed: ${stderr.trim().slice(0, 500) || err.message}`);
}

/** Runs `gh` with these arguments in `cwd` and parses its stdout as JSON with `schema`. */
function runGhJson<T>(cwd: string, env: NodeJS.ProcessEnv, args: string[], schema: z.ZodType<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(
      'gh',
      args,
      { cwd, env, timeout: GH_TIMEOUT_MS, maxBuffer: GH_MAX_OUTPUT, windowsHide: true },
      (err, stdout, stderr) => {
        if (err) return reject(ghError(err, String(stderr)));
        let parsed: T;
        try {
          parsed = schema.parse(JSON.parse(String(stdout)));
        } catch {
          return reject(new PaigeError('GH_UNAVAILABLE', 'gh answered with output Paige could not read.'));
        }
        resolve(parsed);
      },
    );
  });
}

/** Runs `gh` in the project with the app's environment. */
export class GhClient {
  constructor(private readonly env: () => NodeJS.ProcessEnv) {}

  /** `gh issue list --state open --limit 100` with the fields the ranking needs. */
  async listOpenIssues(cwd: string): Promise<GhIssue[]> {
    const args = ['issue', 'list', '--state', 'open', '--limit', '100', '--json', ISSUE_LIST_FIELDS];
    const rows = await runGhJson(cwd, this.env(), args, z.array(GhIssueJson));
    return rows.map((r) => ({
      number: r.number,
      title: r.title,
      body: r.body ?? '',
      labels: r.labels.map((l) => ({ name: l.name, color: l.color ?? null })),
      assignees: r.assignees.map((a) => a.login),
      author: r.author?.login ?? null,
      commentCount: r.comments.length,
      updatedAt: r.updatedAt,
      createdAt: r.createdAt,
      url: r.url,
    }));
  }

  /** One issue: `gh issue view <n>`. */
  async viewIssue(
    cwd: string,
    issueNumber: number,
  ): Promise<{
    number: number;
    title: string;
    body: string;
    labels: string[];
    url: string;
  }> {
    const schema = GhIssueJson.pick({ number: true, title: true, body: true, labels: true, url: true });
    const args = ['issue', 'view', String(issueNumber), '--json', 'number,title,body,labels,url'];
    const j = await runGhJson(cwd, this.env(), args, schema);
    return { number: j.number, title: j.title, body: j.body ?? '', labels: j.labels.map((l) => l.name), url: j.url };
  }

  /** The learner's open pull requests: `gh pr list --author @me --state open`. */
  async listMyOpenPrs(cwd: string): Promise<GhPr[]> {
    const args = ['pr', 'list', '--author', '@me', '--state', 'open', '--json', PR_LIST_FIELDS];
    const rows = await runGhJson(cwd, this.env(), args, z.array(GhPrJson));
    return rows.map((r) => ({
      number: r.number,
      title: r.title,
      labels: r.labels.map((l) => ({ name: l.name, color: l.color ?? null })),
      author: r.author?.login ?? null,
      updatedAt: r.updatedAt,
      createdAt: r.createdAt,
      url: r.url,
      isDraft: r.isDraft,
    }));
  }

  /** The logged-in user's login: `gh api user`. */
  async login(cwd: string): Promise<string> {
    const user = await runGhJson(cwd, this.env(), ['api', 'user'], GhUserJson);
    return user.login;
  }
}
