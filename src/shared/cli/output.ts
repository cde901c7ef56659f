// The `--json` documents of the `paige` read commands and doctor: one schema per command, shared by the CLI and its
// tests so a script can rely on the shape. Failures print the common error shape (ErrorShapeSchema) instead.
import { z } from 'zod';
import { SearchPageSchema } from '../domain/workspace';

const SessionStatusSchema = z.enum(['active', 'wrapping_up', 'completed', 'completed_with_errors']);

/** @visibleForTesting */
export const StatusOutputSchema = z.object({
  appVersion: z.string(),
  dataDir: z.string(),
  running: z.object({
    /** A live process owns runtime.json. */
    running: z.boolean(),
    pid: z.number().int().nullable(),
    appVersion: z.string().nullable(),
    bridgeUrl: z.string().nullable(),
    mcpUrl: z.string().nullable(),
    /** What `/healthz` answered: ok, unreachable, or null when there is no bridge to ask (desktop app, not running). */
    health: z.enum(['ok', 'unreachable']).nullable(),
    uptimeS: z.number().nullable(),
  }),
  database: z
    .object({
      path: z.string(),
      sizeBytes: z.number().int().nonnegative(),
      schemaVersion: z.number().int(),
    })
    .nullable(),
  activeSession: z
    .object({
      id: z.number().int(),
      projectDir: z.string(),
      issueNumber: z.number().int().nullable(),
      issueTitle: z.string().nullable(),
      startedAt: z.string(),
    })
    .nullable(),
  counts: z.object({
    sessions: z.number().int().nonnegative(),
    actions: z.number().int().nonnegative(),
    memories: z.number().int().nonnegative(),
  }),
  memory: z.object({
    configuredMode: z.enum(['auto', 'embedded', 'url', 'fts']),
    /**
     * The backend the running app answers memory queries from: `chroma` when its Chroma server answers (the embedded
     * one or memory.chromaUrl), else `fts`; `fts` too when no instance runs (`paige search` is full-text).
     */
    effective: z.enum(['chroma', 'fts']),
    /** The Chroma server in use, when `effective` is `chroma`. */
    chromaUrl: z.string().nullable(),
  }),
  llm: z.object({
    configured: z.boolean(),
    apiKeySource: z.enum(['env', 'secret_store', 'none']),
    baseUrl: z.string().nullable(),
  }),
});
export type StatusOutput = z.infer<typeof StatusOutputSchema>;

const SessionRowSchema = z.object({
  id: z.number().int(),
  projectDir: z.string(),
  issueNumber: z.number().int().nullable(),
  issueTitle: z.string().nullable(),
  status: SessionStatusSchema,
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  durationMs: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
});
export type SessionRow = z.infer<typeof SessionRowSchema>;

/** @visibleForTesting */
export const SessionsListOutputSchema = z.object({
  sessions: z.array(SessionRowSchema),
  nextCursor: z.string().nullable(),
});
export type SessionsListOutput = z.infer<typeof SessionsListOutputSchema>;

/** @visibleForTesting */
export const SearchOutputSchema = SearchPageSchema.extend({ query: z.string() });
export type SearchOutput = z.infer<typeof SearchOutputSchema>;

const Row = z.looseObject({ id: z.union([z.number(), z.string()]) });

/** @visibleForTesting */
export const ExportDocumentSchema = z.object({
  formatVersion: z.literal(1),
  exportedAt: z.string(),
  appVersion: z.string(),
  session: z.looseObject({ id: z.number().int(), projectDir: z.string(), status: SessionStatusSchema }),
  plans: z.array(
    Row.extend({
      phases: z.array(Row.extend({ tasks: z.array(Row), hints: z.array(Row), progressEvents: z.array(Row) })),
    }),
  ),
  actions: z.array(Row.extend({ actionType: z.string(), createdAt: z.string() })),
  apiCalls: z.array(Row),
  wrapUpErrors: z.array(Row),
  knowledgeGaps: z.array(Row.extend({ katas: z.array(Row) })),
  memories: z.array(Row),
  chatSessions: z.array(Row.extend({ messages: z.array(Row) })),
  totals: z.object({
    durationMs: z.number().int().nonnegative(),
    costUsd: z.number().nonnegative(),
    apiCalls: z.number().int().nonnegative(),
  }),
});
export type ExportDocument = z.infer<typeof ExportDocumentSchema>;

const DoctorCheckSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(['pass', 'warn', 'fail']),
  detail: z.string(),
  /** One line on what to do; absent when the check passed. */
  fix: z.string().optional(),
});
export type DoctorCheck = z.infer<typeof DoctorCheckSchema>;

/** @visibleForTesting */
export const DoctorOutputSchema = z.object({
  checks: z.array(DoctorCheckSchema),
  summary: z.object({
    pass: z.number().int().nonnegative(),
    warn: z.number().int().nonnegative(),
    fail: z.number().int().nonnegative(),
  }),
});
export type DoctorOutput = z.infer<typeof DoctorOutputSchema>;

/** `paige export --out FILE --json` prints where the document went instead of the document. @visibleForTesting */
export const ExportWrittenSchema = z.object({
  sessionId: z.number().int(),
  out: z.string(),
  bytes: z.number().int().nonnegative(),
});
export type ExportWritten = z.infer<typeof ExportWrittenSchema>;
