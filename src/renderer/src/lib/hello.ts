// The `connection:hello` request (pure).
import type { InvokeInputArg } from '../../../shared/ipc/contract';

/** Renderer version reported in `connection:hello`. */
const CLIENT_VERSION = '0.1.0';

export function buildHelloInput(
  transport: 'electron' | 'bridge',
  platform: string,
  width: number,
  height: number,
): InvokeInputArg<'connection:hello'> {
  const size = (n: number): number => (Number.isFinite(n) ? Math.max(0, Math.round(n)) : 0);
  return {
    clientVersion: CLIENT_VERSION,
    platform: platform.slice(0, 64) || 'unknown',
    windowSize: { width: size(width), height: size(height) },
    transport,
  };
}
