// The coaching pipeline from Claude Code's own plan text (docs/coaching.md): the file selector picks files to read,
// the memory service (when one is present) is asked for related memories, the Coach agent turns it all into phases,
// and the plan is stored in one transaction with phase 1 active. Progress goes out as `planning:progress`; a failure
// stores nothing and reaches the caller as a PaigeError a model can act on.
import fs from 'node:fs/promises';
import type { EventChannel, EventPayload } from '../../shared/ipc/contract';
import type { Plan } from '../../shared/domain/session';
import type { TreeNode } from '../../shared/domain/workspace';
import { PaigeError } from '../../shared/ipc/errors';
import type { LlmClient } from '../llm/client';
import { coachAgent, type CoachInput, type CoachOutput } from '../llm/agents/coach';
import { fileSelectorAgent } from '../llm/agents/file-selector';
import { memoryFilterAgent, type MemoryFilterInput } from '../llm/agents/memory-filter';
import { DREYFUS_STAGES, runAgent, type DreyfusStage } from '../llm/agents/kit';
import type { Logger } from '../logging/logger';
import type { PlanStore } from '../sessions/plan-store';

/** Files larger than this are not read as excerpts (generated or vendored code says little about conventions). */
const MAX_EXCERPT_FILE_BYTES = 256 * 1024;
/** Memories asked of the memory service. */
const MEMORY_QUERY_LIMIT = 10;

/** What the pipeline needs of a memory service; the memory module provides one when present. */
interface MemorySearch {
  query(q: { text: string; limit: number; project?: string }): Promise<{ results: MemoryCandidate[] }>;
}
type MemoryCandidate = MemoryFilterInput['candidates'][number];

interface PipelineDeps {
  plans: PlanStore;
  /** The model client, or undefined when no model layer is present (→ LLM_DISABLED). */
  client(): LlmClient | undefined;
  /** The project's file tree and a confined path resolver. */
  workspace(): { tree(): Promise<{ root: TreeNode }>; resolve(path: string): { abs: string; rel: string } };
  memory(): MemorySearch | undefined;
  dreyfus(): { skill_area: string; stage: string; confidence: number }[];
  fullPlan(sessionId: number): Plan | null;
  /** Whether the session is still the active one (a forced pick or an end may close it while the Coach thinks). */
  isActive(sessionId: number): boolean;
  emit<C extends EventChannel>(channel: C, payload: EventPayload<C>): void;
  record(type: 'coaching_pipeline_run' | 'phase_started', data: unknown): void;
  logger: Logger;
}

/** One run: from Claude Code's plan text (`mcp`) or from a GitHub issue alone (`ui`). */
interface PipelineRequest {
  session: { id: number; projectDir: string };
  source: 'ui' | 'mcp';
  planText: string | null;
  issue: { number: number | null; title: string; body: string; labels: string[] };
  issueUrl?: string | null;
}

type PipelineStep = 'fetching' | 'exploring' | 'remembering' | 'planning' | 'writing_hints' | 'done';

function filePaths(node: TreeNode, out: string[] = []): string[] {
  if (node.type === 'file') out.push(node.path);
  for (const c of node.children ?? []) filePaths(c, out);
  return out;
}

function isStage(s: string): s is DreyfusStage {
  return (DREYFUS_STAGES as readonly string[]).includes(s);
}

export class CoachingPipeline {
  /** Sessions with a pipeline in flight; a second run for the same session is BUSY. */
  private readonly running = new Set<number>();

  constructor(private readonly deps: PipelineDeps) {}

  async run(req: PipelineRequest): Promise<Plan> {
    const sessionId = req.session.id;
    if (this.running.has(sessionId)) {
      throw new PaigeError('BUSY', 'A coaching pipeline is already running for this session; wait for its result.');
    }
    this.running.add(sessionId);
    const t0 = performance.now();
    // The steps as `planning:phase_update` (fetching/exploring/planning/writing_hints with a percentage) and a
    // `planning:progress` line each; recalling memories is part of exploring for the learner.
    const progress = (step: PipelineStep, percent: number, message: string, file?: string) => {
      if (step !== 'done') {
        const phase = step === 'remembering' ? 'exploring' : step;
        this.deps.emit('planning:phase_update', { sessionId, phase, progress: percent });
      }
      this.deps.emit('planning:progress', { sessionId, message, ...(file ? { filePath: file } : {}) });
    };
    try {
      const client = this.deps.client();
      if (!client) {
        throw new PaigeError(
          'LLM_DISABLED',
          'Paige has no model layer in this build; plan with the developer directly.',
        );
      }
      const issue = req.issue;
      progress('exploring', 25, 'Reading the repository');
      const repo = await this.explore(client, sessionId, issue, req.planText, (file) =>
        progress('exploring', 25, `Reading ${file}`, file),
      );
      progress('remembering', 40, 'Looking for related memories');
      const candidates = await this.memories(`${issue.title}\n${issue.body}`, req.session.projectDir);
      const memories = await this.filterMemories(client, sessionId, issue, req.planText, candidates);
      progress('planning', 50, 'Writing the plan');
      const input: CoachInput = {
        issue,
        plan_text: req.planText,
        repo,
        dreyfus: this.deps
          .dreyfus()
          .flatMap((d) =>
            isStage(d.stage) ? [{ skill_area: d.skill_area, stage: d.stage, confidence: d.confidence }] : [],
          ),
        relevant_memories: memories,
      };
      const out = (await runAgent(client, coachAgent, input, { sessionId })).value;
      // Checked right before the synchronous store, so nothing can end the session in between: a plan is never
      // written to a session that ended while the model was answering.
      if (!this.deps.isActive(sessionId)) {
        throw new PaigeError('CANCELLED', 'The session ended before its plan was ready; nothing was stored.');
      }
      progress('writing_hints', 85, 'Storing the phases and hints');
      const plan = this.store(sessionId, req, out);
      progress('done', 100, `Plan ready: ${plan.title}`);
      this.deps.emit('planning:complete', {
        sessionId,
        plan,
        fileHints: plan.phases.flatMap((p) =>
          p.hints.filter((h) => h.type === 'file').map((h) => ({ path: h.path, style: h.style, phase: p.number })),
        ),
        issueContext: {
          number: issue.number,
          title: issue.title,
          body: issue.body,
          labels: issue.labels,
          url: req.issueUrl ?? null,
        },
      });
      this.deps.record('coaching_pipeline_run', {
        source: req.source,
        ok: true,
        planId: plan.id,
        phases: plan.totalPhases,
        memoriesUsed: memories.length,
        durationMs: Math.round(performance.now() - t0),
      });
      return plan;
    } catch (err) {
      const code = err instanceof PaigeError ? err.code : 'INTERNAL';
      const message = err instanceof PaigeError ? err.message : 'The coaching pipeline failed.';
      // Nothing was stored: the same run can be tried again (after a key is added, when the model answers again).
      this.deps.emit('planning:error', { sessionId, code, message, retryable: code !== 'CANCELLED' });
      this.deps.record('coaching_pipeline_run', {
        source: req.source,
        ok: false,
        code,
        durationMs: Math.round(performance.now() - t0),
      });
      throw err;
    } finally {
      this.running.delete(sessionId);
    }
  }

  /** Tree paths, then the file selector's picks read from disk (missing, binary or huge files skipped). */
  private async explore(
    client: LlmClient,
    sessionId: number,
    issue: { title: string; body: string },
    planText: string | null,
    onFile: (path: string) => void,
  ): Promise<CoachInput['repo']> {
    const ws = this.deps.workspace();
    const tree_paths = filePaths((await ws.tree()).root);
    const known = new Set(tree_paths);
    const picked = (
      await runAgent(client, fileSelectorAgent, { issue, plan_text: planText, tree_paths }, { sessionId })
    ).value.files;
    const excerpts: { path: string; text: string }[] = [];
    for (const { path } of picked) {
      if (!known.has(path)) continue;
      onFile(path);
      try {
        const { abs } = ws.resolve(path);
        const stat = await fs.stat(abs);
        if (stat.size > MAX_EXCERPT_FILE_BYTES) continue;
        const text = await fs.readFile(abs, 'utf8');
        if (!text.includes('\0')) excerpts.push({ path, text });
      } catch (err) {
        this.deps.logger.debug('excerpt not read', { path, err });
      }
    }
    return { tree_paths, excerpts };
  }

  /** Whatever the memory service finds; none present or a failure → none (the plan does not need them). */
  private async memories(text: string, project: string): Promise<MemoryCandidate[]> {
    const memory = this.deps.memory();
    if (!memory) return [];
    try {
      return (await memory.query({ text, limit: MEMORY_QUERY_LIMIT, project })).results;
    } catch (err) {
      this.deps.logger.warn('memory query failed; planning without memories', { err });
      return [];
    }
  }

  /**
   * The memory filter keeps the candidates that bear on this issue, with how the Coach should use them. No
   * candidates → no call; a failure → none (with a warning), never a failed pipeline.
   */
  private async filterMemories(
    client: LlmClient,
    sessionId: number,
    issue: { title: string; body: string },
    planText: string | null,
    candidates: MemoryCandidate[],
  ): Promise<CoachInput['relevant_memories']> {
    if (candidates.length === 0) return [];
    try {
      const out = await runAgent(
        client,
        memoryFilterAgent,
        { issue_summary: `${issue.title}\n${issue.body}`, plan_text: planText, candidates },
        { sessionId },
      );
      return out.value.relevant_memories.map((m) => ({
        content: m.content,
        connection: m.connection,
        use_in_coaching: m.use_in_coaching,
      }));
    } catch (err) {
      this.deps.logger.warn('memory filter failed; planning without memories', {
        err,
        candidates: candidates.length,
      });
      return [];
    }
  }

  /** One transaction, then the events: the plan to every window and phase 1's hints to the explorer and editor. */
  private store(sessionId: number, req: PipelineRequest, out: CoachOutput): Plan {
    const phases = [...out.phases].sort((a, b) => a.number - b.number);
    const planId = this.deps.plans.storePlan(sessionId, {
      title: out.title,
      summary: out.summary,
      planText: req.planText,
      memoryConnection: out.memory_connection,
      estimatedDifficulty: out.estimated_difficulty,
      source: req.source,
      phases,
    });
    const plan = this.deps.fullPlan(sessionId);
    if (plan?.id !== planId) throw new PaigeError('INTERNAL', 'The stored plan could not be read back.');
    const first = plan.phases[0]!;
    this.deps.record('phase_started', { phaseId: first.id, phaseNumber: first.number, title: first.title });
    this.deps.emit('coaching:plan_ready', { sessionId, plan });
    const files = first.hints.filter((h) => h.type === 'file');
    for (const style of ['suggested', 'warning', 'error'] as const) {
      const paths = files.filter((h) => h.style === style).map((h) => h.path);
      if (paths.length > 0) this.deps.emit('explorer:hint_files', { paths, style, fromPlan: true });
    }
    const byPath = new Map<string, EventPayload<'editor:highlight_lines'>['ranges']>();
    for (const h of first.hints) {
      if (h.type !== 'line' || h.lineStart === null) continue;
      const ranges = byPath.get(h.path) ?? [];
      ranges.push({
        start: h.lineStart,
        end: h.lineEnd ?? h.lineStart,
        style: h.style === 'suggested' ? 'info' : h.style,
        ...(h.hoverText ? { hoverText: h.hoverText } : {}),
      });
      byPath.set(h.path, ranges);
    }
    for (const [path, ranges] of byPath) this.deps.emit('editor:highlight_lines', { path, ranges, fromPlan: true });
    return plan;
  }
}
