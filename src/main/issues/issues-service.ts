// The learner's issues (docs/issues.md). One refresh runs two flows under one request id:
// - in progress: the active session's issue, issues whose plan has phases left, and the learner's open pull requests
//   → one `dashboard:in_progress` event;
// - issues: the open issues from `gh`, minus those in progress, scored, the best 15 assessed by the Issue Suitability
//   agent (3 at a time, cached for an hour) and streamed one per `dashboard:issues` event as each assessment ends, the
//   last with `done: true`. gh failures become one `dashboard:issues_error`.
import { randomUUID } from 'node:crypto';
import type { InProgressItem, IssueLabel, ScoredIssue } from '../../shared/domain/issues';
import type { EventChannel, EventPayload } from '../../shared/ipc/contract';
import { PaigeError } from '../../shared/ipc/errors';
import type { PaigeDatabase } from '../db/database';
import type { PlanStore } from '../sessions/plan-store';
import type { LlmClient } from '../llm/client';
import { runAgent } from '../llm/agents/kit';
import { issueSuitabilityAgent, type IssueSuitabilityOutput } from '../llm/agents/issue-suitability';
import type { Logger } from '../logging/logger';
import type { GhClient, GhIssue, GhPr } from './gh';
import { excerpt } from '../../shared/text/excerpt';
import { scoreIssue } from './scoring';

/** Ranked issues sent per refresh. */
const TOP_ISSUES = 15;
/** Issue Suitability calls in flight at once, over all refreshes. @visibleForTesting */
export const ASSESS_CONCURRENCY = 3;
/** How long an assessment of one issue version (repo, number, updatedAt) is reused. */
const ASSESS_TTL_MS = 60 * 60 * 1000;
/** Without an assessment the summary is the start of the body. */
const FALLBACK_SUMMARY_CHARS = 250;
/** The login is asked once; a change of account shows after a restart. */
const LOGIN_TTL_MS = 10 * 60 * 1000;

interface IssuesServiceDeps {
  gh: GhClient;
  db: PaigeDatabase;
  /** Which issues have an unfinished plan (the sessions module owns what that means). */
  plans: Pick<PlanStore, 'unfinishedIssueSessions'>;
  projectDir: () => string | null;
  llm: () => LlmClient | undefined;
  /** The model layer's state (capability `llm`); `no_key` without the model layer. */
  llmState: () => 'ready' | 'no_key' | 'invalid_key';
  dreyfus: () => { skill_area: string; stage: string; confidence: number }[];
  emit: <E extends EventChannel>(channel: E, payload: EventPayload<E>) => void;
  logger: Logger;
  now?: () => number;
}

interface LocalIssue {
  number: number;
  title: string;
  url: string | null;
  startedAt: string;
  lastActivityAt: string;
  sessionState: 'active' | 'unfinished_plan';
}

/** `owner/name` from an issue or pull request URL on github.com (or a GitHub Enterprise host). */
function repoOf(url: string | null): string | null {
  const m = url === null ? null : /^https?:\/\/[^/]+\/([^/]+\/[^/]+)\/(?:issues|pull)\/\d+/.exec(url);
  return m ? m[1]! : null;
}

function avatarOf(login: string): { login: string; avatarUrl: string } {
  return { login, avatarUrl: `https://github.com/${encodeURIComponent(login)}.png?size=64` };
}

/** A FIFO limit on concurrent tasks. */
class Limiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

export class IssuesService {
  private readonly limiter = new Limiter(ASSESS_CONCURRENCY);
  /** Assessments (or the call in flight) by `repo#number@updatedAt`. */
  private readonly assessments = new Map<string, { expires: number; value: Promise<IssueSuitabilityOutput> }>();
  private loginCache: { cwd: string; login: string; expires: number } | null = null;
  private readonly now: () => number;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly deps: IssuesServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Starts both flows for the open project; their events follow with the returned id. */
  refresh(): { requestId: string } {
    const projectDir = this.deps.projectDir();
    if (projectDir === null) throw new PaigeError('INVALID_STATE', 'Open a project to see its issues.');
    const requestId = randomUUID();
    const run = this.run(requestId, projectDir)
      .catch((err: unknown) => this.deps.logger.error('issues refresh failed', { err, requestId }))
      .finally(() => this.pending.delete(run));
    this.pending.add(run);
    return { requestId };
  }

  /** Resolves once every refresh started so far has sent its last event (shutdown, tests), or after `maxMs`. */
  async idle(maxMs = Infinity): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout =
      maxMs === Infinity ? null : new Promise<void>((resolve) => (timer = setTimeout(resolve, maxMs).unref()));
    const all = (async () => {
      while (this.pending.size > 0) await Promise.all([...this.pending]);
    })();
    await (timeout ? Promise.race([all, timeout]) : all);
    clearTimeout(timer);
  }

  private async run(requestId: string, projectDir: string): Promise<void> {
    const { gh, emit } = this.deps;
    const local = this.localInProgress(projectDir);
    const [listed, prs, login] = await Promise.allSettled([
      gh.listOpenIssues(projectDir),
      gh.listMyOpenPrs(projectDir),
      this.login(projectDir),
    ]);
    const issues = listed.status === 'fulfilled' ? listed.value : null;

    // In progress first: the issue flow below leaves these out.
    if (prs.status === 'rejected' && issues !== null) {
      this.deps.logger.warn('gh pr list failed; in-progress shows no pull requests', { err: prs.reason });
    }
    emit('dashboard:in_progress', {
      requestId,
      items: this.inProgressItems(local, issues ?? [], prs.status === 'fulfilled' ? prs.value : []),
      done: true,
    });

    if (issues === null) {
      const err = listed.status === 'rejected' ? listed.reason : null;
      const code = err instanceof PaigeError && /^GH_/.test(err.code) ? err.code : 'GH_UNAVAILABLE';
      const message = err instanceof Error ? err.message : 'The GitHub CLI failed.';
      this.deps.logger.info('issues unavailable', { code, requestId });
      emit('dashboard:issues_error', {
        requestId,
        code: code as 'GH_UNAVAILABLE' | 'GH_AUTH' | 'GH_NO_REPO',
        message,
      });
      return;
    }
    this.cacheLabels(issues);

    const me = login.status === 'fulfilled' ? login.value : null;
    const exclude = new Set(local.map((l) => l.number));
    const now = this.now();
    const candidates = issues.filter((i) => !exclude.has(i.number));
    const openCount = candidates.length;
    const llm = this.deps.llmState();
    const ranked = candidates
      .map((issue) => ({ issue, score: scoreIssue(issue, me, now) }))
      .sort(
        (a, b) =>
          b.score - a.score ||
          Date.parse(b.issue.updatedAt) - Date.parse(a.issue.updatedAt) ||
          a.issue.number - b.issue.number,
      )
      .slice(0, TOP_ISSUES);
    if (ranked.length === 0) {
      emit('dashboard:issues', { requestId, issues: [], total: 0, openCount, llm, done: true });
      return;
    }

    const context = { dreyfus: this.deps.dreyfus(), gaps: this.unaddressedGaps() };
    let sent = 0;
    await Promise.all(
      ranked.map(async ({ issue, score }) => {
        const assessment = await this.assess(issue, context).catch((err: unknown) => {
          const code = err instanceof PaigeError ? err.code : 'INTERNAL';
          if (code !== 'LLM_DISABLED') this.deps.logger.warn('issue assessment failed', { err, issue: issue.number });
          return null;
        });
        sent++;
        emit('dashboard:issues', {
          requestId,
          issues: [this.scored(issue, score, assessment)],
          total: ranked.length,
          openCount,
          llm,
          done: sent === ranked.length,
        });
      }),
    );
  }

  private scored(issue: GhIssue, score: number, a: IssueSuitabilityOutput | null): ScoredIssue {
    return {
      number: issue.number,
      title: issue.title,
      body: issue.body,
      summary: a ? a.summary : excerpt(issue.body, FALLBACK_SUMMARY_CHARS),
      difficulty: a ? a.difficulty : null,
      suitability: a ? a.suitability : null,
      recommendedFocus: a ? a.recommended_focus : null,
      labels: issue.labels,
      author: avatarOf(issue.author ?? 'ghost'),
      assignees: issue.assignees.map(avatarOf),
      commentCount: issue.commentCount,
      updatedAt: issue.updatedAt,
      createdAt: issue.createdAt,
      htmlUrl: issue.url,
      score: Math.round(score * 100) / 100,
    };
  }

  /** The model's view of one issue version: from the cache, the call already in flight, or a new call. */
  private assess(
    issue: GhIssue,
    context: { dreyfus: { skill_area: string; stage: string; confidence: number }[]; gaps: string[] },
  ): Promise<IssueSuitabilityOutput> {
    const client = this.deps.llm();
    if (!client) return Promise.reject(new PaigeError('LLM_DISABLED', 'The model layer is not present.'));
    const key = `${repoOf(issue.url) ?? ''}#${issue.number}@${issue.updatedAt}`;
    const now = this.now();
    const hit = this.assessments.get(key);
    if (hit && hit.expires > now) return hit.value;
    const value = this.limiter
      .run(() =>
        runAgent(client, issueSuitabilityAgent, {
          issue: {
            number: issue.number,
            title: issue.title,
            body: issue.body,
            labels: issue.labels.map((l) => l.name),
          },
          ...context,
        }),
      )
      .then((r) => r.value);
    const entry = { expires: now + ASSESS_TTL_MS, value };
    this.assessments.set(key, entry);
    // A failure is not remembered: the next refresh asks again.
    value.catch(() => {
      if (this.assessments.get(key) === entry) this.assessments.delete(key);
    });
    this.pruneCache(now);
    return value;
  }

  private pruneCache(now: number): void {
    for (const [key, entry] of this.assessments) if (entry.expires <= now) this.assessments.delete(key);
  }

  private async login(cwd: string): Promise<string> {
    const c = this.loginCache;
    if (c && c.cwd === cwd && c.expires > this.now()) return c.login;
    const login = await this.deps.gh.login(cwd);
    this.loginCache = { cwd, login, expires: this.now() + LOGIN_TTL_MS };
    return login;
  }

  /** The active session's issue, then issues of this project whose active plan still has phases left. */
  private localInProgress(projectDir: string): LocalIssue[] {
    const { db } = this.deps;
    const active = db.get(
      db.qb
        .selectFrom('sessions')
        .select(['issue_number', 'issue_title', 'issue_url', 'started_at', 'last_activity_at'])
        .where('status', '=', 'active')
        .where('project_dir', '=', projectDir)
        .where('issue_number', 'is not', null),
    );
    const unfinished = this.deps.plans.unfinishedIssueSessions(projectDir);
    const out: LocalIssue[] = [];
    const add = (
      r: {
        issue_number: number | null;
        issue_title: string | null;
        issue_url: string | null;
        started_at: string;
        last_activity_at: string;
      },
      sessionState: LocalIssue['sessionState'],
    ) => {
      if (r.issue_number === null || out.some((o) => o.number === r.issue_number)) return;
      out.push({
        number: r.issue_number,
        title: r.issue_title ?? `Issue #${r.issue_number}`,
        url: r.issue_url,
        startedAt: r.started_at,
        lastActivityAt: r.last_activity_at,
        sessionState,
      });
    };
    if (active) add(active, 'active');
    for (const r of unfinished) add(r, 'unfinished_plan');
    return out;
  }

  private inProgressItems(local: LocalIssue[], issues: GhIssue[], prs: GhPr[]): InProgressItem[] {
    const byNumber = new Map(issues.map((i) => [i.number, i]));
    const items: InProgressItem[] = local.map((l) => {
      const gh = byNumber.get(l.number);
      const url = gh?.url ?? l.url;
      return {
        type: 'issue',
        number: l.number,
        title: gh?.title ?? l.title,
        labels: gh?.labels ?? this.cachedLabels(repoOf(url), l.number),
        author: gh?.author ? avatarOf(gh.author) : null,
        updatedAt: gh?.updatedAt ?? l.lastActivityAt,
        createdAt: gh?.createdAt ?? l.startedAt,
        htmlUrl: url,
        ...(gh ? { summary: excerpt(gh.body, FALLBACK_SUMMARY_CHARS) } : {}),
        sessionState: l.sessionState,
      };
    });
    for (const pr of prs) {
      items.push({
        type: 'pr',
        number: pr.number,
        title: pr.title,
        labels: pr.labels,
        author: pr.author ? avatarOf(pr.author) : null,
        updatedAt: pr.updatedAt,
        createdAt: pr.createdAt,
        htmlUrl: pr.url,
        prStatus: pr.isDraft ? 'draft' : 'open',
      });
    }
    return items;
  }

  /** Keeps `issue_labels` in step with the listed issues: their labels now, nothing they lost. */
  private cacheLabels(issues: GhIssue[]): void {
    const { db } = this.deps;
    db.transaction(() => {
      for (const issue of issues) {
        const repo = repoOf(issue.url);
        if (repo === null) continue;
        const names = issue.labels.map((l) => l.name);
        let del = db.qb.deleteFrom('issue_labels').where('repo', '=', repo).where('issue_number', '=', issue.number);
        if (names.length > 0) del = del.where('label_name', 'not in', names);
        db.run(del);
        for (const l of issue.labels) {
          db.run(
            db.qb
              .insertInto('issue_labels')
              .values({ repo, issue_number: issue.number, label_name: l.name, label_color: l.color })
              .onConflict((oc) =>
                oc.columns(['repo', 'issue_number', 'label_name']).doUpdateSet({ label_color: l.color }),
              ),
          );
        }
      }
    });
  }

  private cachedLabels(repo: string | null, issueNumber: number): IssueLabel[] {
    if (repo === null) return [];
    const { db } = this.deps;
    return db
      .all(
        db.qb
          .selectFrom('issue_labels')
          .select(['label_name', 'label_color'])
          .where('repo', '=', repo)
          .where('issue_number', '=', issueNumber)
          .orderBy('id'),
      )
      .map((r) => ({ name: r.label_name, color: r.label_color }));
  }

  private unaddressedGaps(): string[] {
    const { db } = this.deps;
    return db
      .all(
        db.qb
          .selectFrom('knowledge_gaps')
          .select('topic')
          .where('addressed', '=', 0)
          .orderBy('frequency', 'desc')
          .orderBy('id')
          .limit(20),
      )
      .map((r) => r.topic);
  }
}
