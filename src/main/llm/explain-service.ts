// Explain This: a selection → the Explain agent, pitched at the learner's stage and tied to the active phase.
// A binary file is refused with BINARY_FILE before any model call.
import { PaigeError } from '../../shared/ipc/errors';
import type { Explanation, ExplainRequest } from '../../shared/domain/llm';
import type { LlmClient } from './client';
import { explainAgent, toExplanation, type ActivePhase } from './agents/explain';
import { runAgent, stageFor, type SkillAssessment } from './agents/kit';

export interface ExplainSource {
  /** Whether the file is binary, and its current text (editor buffer or disk) when it is text. Throws for bad paths. */
  read(path: string): Promise<{ binary: boolean; text?: string | undefined }>;
}

export interface ExplainServiceDeps {
  client: LlmClient;
  source: ExplainSource;
  activePhase: () => ActivePhase | null;
  assessments: () => readonly SkillAssessment[];
  sessionId: () => number | null;
  /** Action-log hook: `user_explain_request` before the call, `explain_completed` after it (ok or not). */
  record?: (type: 'user_explain_request' | 'explain_completed', data: Record<string, unknown>) => void;
}

/** Topic used to find the learner's stage when the renderer does not name the language. */
function topicOf(req: ExplainRequest): string {
  if (req.language) return req.language;
  const dot = req.path.lastIndexOf('.');
  return dot >= 0 ? req.path.slice(dot + 1) : req.path;
}

export class ExplainService {
  constructor(private readonly deps: ExplainServiceDeps) {}

  async explain(req: ExplainRequest, signal?: AbortSignal): Promise<Explanation> {
    const file = await this.deps.source.read(req.path);
    if (file.binary) {
      throw new PaigeError('BINARY_FILE', `${req.path} is a binary file; Explain works on text only.`, {
        path: req.path,
      });
    }
    const phase = this.deps.activePhase();
    const stage = stageFor(topicOf(req), this.deps.assessments());
    const sessionId = this.deps.sessionId();
    const base = { path: req.path, startLine: req.range.startLine, endLine: req.range.endLine };
    this.deps.record?.('user_explain_request', { ...base, chars: req.text.length, stage });
    const started = performance.now();
    try {
      const r = await runAgent(
        this.deps.client,
        explainAgent,
        {
          path: req.path,
          language: req.language ?? null,
          selectedText: req.text,
          range: req.range,
          fileText: file.text,
          surroundingContext: req.surroundingContext,
          phase,
          stage,
        },
        { sessionId, ...(signal ? { signal } : {}) },
      );
      const out = toExplanation(r.value, phase);
      this.deps.record?.('explain_completed', {
        ...base,
        ok: true,
        title: out.title,
        durationMs: Math.round(performance.now() - started),
      });
      return out;
    } catch (err) {
      const code = err instanceof PaigeError ? err.code : 'INTERNAL';
      this.deps.record?.('explain_completed', {
        ...base,
        ok: false,
        code,
        durationMs: Math.round(performance.now() - started),
      });
      throw err;
    }
  }
}
