// Reconnect backoff for the bridge: 1, 2, 4, 8, 16, 30 s, then 30 s forever (pure).

const RECONNECT_BASE_MS = 1_000;
/** @visibleForTesting */
export const RECONNECT_MAX_MS = 30_000;

/**
 * Delay before reconnect attempt number `failures` (1-based: the delay after the first failure is 1 s).
 * Values below 1 are treated as 1.
 */
export function reconnectDelayMs(failures: number): number {
  const n = Math.max(1, Math.floor(failures));
  // Cap the exponent before exponentiating so large failure counts never overflow to Infinity.
  const exponent = Math.min(n - 1, 16);
  return Math.min(RECONNECT_BASE_MS * 2 ** exponent, RECONNECT_MAX_MS);
}
