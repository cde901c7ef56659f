// Host/Origin checks shared by the local HTTP servers: DNS-rebinding protection and a browser-origin allowlist.
import { timingSafeEqual } from 'node:crypto';

/** Host must name the loopback address or localhost with our port (DNS-rebinding protection). */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

export function bridgeOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

/** An absent Origin (non-browser client) passes; a present one must be allowed. */
export function isAllowedOrigin(origin: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  return allowed.includes(origin);
}

export function tokensEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  if (a.length !== b.length) {
    // Compare against itself so the time taken does not reveal the length mismatch early.
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}
