// Error codes shared by every transport (IPC envelope, bridge, MCP, CLI --json); see docs/ipc.md.
import { z } from 'zod';

const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNKNOWN_CHANNEL',
  'NOT_SUPPORTED',
  'NOT_FOUND',
  'INVALID_PATH',
  'PATH_OUTSIDE_PROJECT',
  'PERMISSION_DENIED',
  'BINARY_FILE',
  'FILE_TOO_LARGE',
  'CONFLICT',
  'PROJECT_NOT_FOUND',
  'NO_ACTIVE_SESSION',
  'ACTIVE_SESSION_EXISTS',
  'NO_PLAN',
  'INVALID_TRANSITION',
  'INVALID_STATE',
  'BUSY',
  'QUEUE_FULL',
  'LLM_DISABLED',
  'LLM_AUTH',
  'LLM_REFUSAL',
  'LLM_MAX_TOKENS',
  'LLM_CONTENT_FILTER',
  'LLM_RATE_LIMITED',
  'LLM_SERVER',
  'LLM_NETWORK',
  'LLM_INVALID_OUTPUT',
  'LLM_BAD_REQUEST',
  'LLM_BUDGET_EXCEEDED',
  'GH_UNAVAILABLE',
  'GH_AUTH',
  'GH_NO_REPO',
  'GIT_UNAVAILABLE',
  'GIT_FAILED',
  'GIT_CONFLICT',
  'SECURE_STORAGE_UNAVAILABLE',
  'SETTINGS_INVALID',
  'UNAUTHORIZED',
  'FORBIDDEN_SENDER',
  'SHUTTING_DOWN',
  'ALREADY_RUNNING',
  'DB_TOO_NEW',
  'TIMEOUT',
  'CANCELLED',
  'INTERNAL',
] as const;

export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'BUSY',
  'TIMEOUT',
  'LLM_RATE_LIMITED',
  'LLM_SERVER',
  'LLM_NETWORK',
  'SHUTTING_DOWN',
]);

function isRetryable(code: ErrorCode): boolean {
  return RETRYABLE.has(code);
}

export const ErrorShapeSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  retryable: z.boolean(),
  details: z.record(z.string(), z.unknown()).optional(),
  cid: z.string(),
});
export type ErrorShape = z.infer<typeof ErrorShapeSchema>;

/** An expected failure carried as data across every boundary. Bugs throw plain Errors instead. */
export class PaigeError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly retryable: boolean;
  cid: string | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, cid?: string) {
    super(message);
    this.name = 'PaigeError';
    this.code = code;
    this.details = details;
    this.retryable = isRetryable(code);
    this.cid = cid;
  }

  toShape(cid: string): ErrorShape {
    const shape: ErrorShape = {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      cid: this.cid ?? cid,
    };
    if (this.details) shape.details = this.details;
    return shape;
  }

  static fromShape(shape: ErrorShape): PaigeError {
    return new PaigeError(shape.code, shape.message, shape.details, shape.cid);
  }
}

export function isPaigeError(err: unknown): err is PaigeError {
  return err instanceof PaigeError;
}
