// Turning anything thrown by an invoke into what the UI shows (pure).
import { isPaigeError } from '../../../shared/ipc/errors';

export interface ErrorInfo {
  readonly code: string;
  readonly message: string;
  readonly cid?: string | undefined;
}

export function toErrorInfo(err: unknown): ErrorInfo {
  if (isPaigeError(err)) return { code: err.code, message: err.message, cid: err.cid };
  if (err instanceof Error) return { code: 'INTERNAL', message: err.message };
  return { code: 'INTERNAL', message: String(err) };
}
