// The model layer's error classes: one per failure a caller can act on, each carrying its IPC/MCP code, and the
// mapping from what the Anthropic SDK throws to them.
import { PaigeError, type ErrorCode } from '../../shared/ipc/errors';
import type { AnthropicSdk } from './anthropic-sdk';

interface ApiErrorInit {
  model: string;
  callType: string;
  statusCode?: number | undefined;
  /** Seconds from a `retry-after` header, when the response had one. */
  retryAfterS?: number | undefined;
  /** The API's `error.type` (e.g. `not_found_error`), when the response had one. */
  apiType?: string | undefined;
  cause?: unknown;
}

/** A failed model call. `retryable` follows the code: rate limits, server errors and network errors are retried. */
export class ApiError extends PaigeError {
  readonly statusCode: number | undefined;
  readonly model: string;
  readonly callType: string;
  readonly retryAfterS: number | undefined;
  readonly apiType: string | undefined;

  constructor(code: ErrorCode, message: string, init: ApiErrorInit) {
    super(code, message, {
      model: init.model,
      callType: init.callType,
      ...(init.statusCode !== undefined ? { statusCode: init.statusCode } : {}),
    });
    this.name = new.target.name;
    this.statusCode = init.statusCode;
    this.model = init.model;
    this.callType = init.callType;
    this.retryAfterS = init.retryAfterS;
    this.apiType = init.apiType;
    if (init.cause !== undefined) this.cause = init.cause;
  }
}

export class ApiRefusalError extends ApiError {
  constructor(message: string, init: ApiErrorInit) {
    super('LLM_REFUSAL', message, init);
  }
}
export class ApiMaxTokensError extends ApiError {
  constructor(message: string, init: ApiErrorInit) {
    super('LLM_MAX_TOKENS', message, init);
  }
}
export class ApiContentFilterError extends ApiError {
  constructor(message: string, init: ApiErrorInit) {
    super('LLM_CONTENT_FILTER', message, init);
  }
}
/** @visibleForTesting */
export class ApiRateLimitError extends ApiError {
  constructor(message: string, init: ApiErrorInit) {
    super('LLM_RATE_LIMITED', message, init);
  }
}
export class ApiServerError extends ApiError {
  constructor(message: string, init: ApiErrorInit) {
    super('LLM_SERVER', message, init);
  }
}
export class ApiNetworkError extends ApiError {
  constructor(message: string, init: ApiErrorInit) {
    super('LLM_NETWORK', message, init);
  }
}
export class ApiValidationError extends ApiError {
  constructor(message: string, init: ApiErrorInit) {
    super('LLM_INVALID_OUTPUT', message, init);
  }
}
export class ApiAuthError extends ApiError {
  constructor(message: string, init: ApiErrorInit) {
    super('LLM_AUTH', message, init);
  }
}
/** @visibleForTesting */
export class ApiBadRequestError extends ApiError {
  constructor(message: string, init: ApiErrorInit) {
    super('LLM_BAD_REQUEST', message, init);
  }
}

/** The longest `retry-after` honoured; a server asking for more is treated as asking for this. */
export const RETRY_AFTER_CAP_S = 30;

/** Reads `retry-after-ms` or `retry-after` (seconds or an HTTP date) into seconds. @visibleForTesting */
export function retryAfterSeconds(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') !== null && Number.isFinite(ms) && ms >= 0) return ms / 1000;
  const raw = headers.get('retry-after');
  if (raw === null) return undefined;
  const s = Number(raw);
  if (Number.isFinite(s) && s >= 0) return s;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

/** True for an abort the caller asked for (the SDK's, or ours raised while waiting between attempts). */
export function isAbort(sdk: AnthropicSdk | null, err: unknown): boolean {
  return (
    (sdk !== null && err instanceof sdk.APIUserAbortError) || (err instanceof PaigeError && err.code === 'CANCELLED')
  );
}

/** Maps whatever the SDK (or the network under it) threw to one of the classes above. */
export function toApiError(sdk: AnthropicSdk | null, err: unknown, model: string, callType: string): ApiError {
  if (err instanceof ApiError) return err;
  const base: ApiErrorInit = { model, callType, cause: err };
  if (sdk === null) return new ApiNetworkError(`The Anthropic API could not be called (${String(err)}).`, base);
  const { APIConnectionError, APIError: SdkApiError, AuthenticationError, PermissionDeniedError } = sdk;
  const { NotFoundError, RateLimitError } = sdk;
  if (err instanceof APIConnectionError) {
    return new ApiNetworkError(`Could not reach the Anthropic API (${err.message}).`, base);
  }
  if (err instanceof SdkApiError && typeof err.status === 'number') {
    const init: ApiErrorInit = {
      ...base,
      statusCode: err.status,
      retryAfterS: retryAfterSeconds(err.headers),
      apiType: err.type ?? undefined,
    };
    const detail = err.apiMessage ?? err.message;
    if (err instanceof AuthenticationError || err instanceof PermissionDeniedError) {
      return new ApiAuthError(
        `The Anthropic API rejected the API key (${err.status}): ${detail}. Set a valid key in Settings → AI or ANTHROPIC_API_KEY.`,
        init,
      );
    }
    if (err instanceof RateLimitError)
      return new ApiRateLimitError(`Rate limited by the Anthropic API: ${detail}`, init);
    if (err.status >= 500) return new ApiServerError(`The Anthropic API failed (${err.status}): ${detail}`, init);
    if (err instanceof NotFoundError) return new ApiBadRequestError(`Not found (${model}): ${detail}`, init);
    return new ApiBadRequestError(`The Anthropic API refused the request (${err.status}): ${detail}`, init);
  }
  if (err instanceof SdkApiError && err.type !== null) {
    // An `error` event inside a stream: no status, only the API's error type.
    const init: ApiErrorInit = { ...base, apiType: err.type };
    const detail = err.apiMessage ?? err.message;
    if (err.type === 'rate_limit_error') return new ApiRateLimitError(`Rate limited mid-stream: ${detail}`, init);
    if (err.type === 'overloaded_error' || err.type === 'api_error') {
      return new ApiServerError(`The Anthropic API failed mid-stream (${err.type}): ${detail}`, init);
    }
    return new ApiBadRequestError(`The Anthropic API ended the stream (${err.type}): ${detail}`, init);
  }
  // A body that is not JSON, a stream that broke off, a socket reset the SDK did not wrap: the transport failed.
  const message = err instanceof Error ? err.message : String(err);
  return new ApiNetworkError(`The Anthropic API response could not be read (${message}).`, base);
}

/** A 404 whose body names the model: the next model in the alias's list may exist. */
export function isModelNotFound(err: ApiError): boolean {
  return err.statusCode === 404 && err.apiType === 'not_found_error';
}
