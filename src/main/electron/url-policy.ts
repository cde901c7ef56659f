// Which URLs the window may navigate to and which may leave for the system browser. Pure, no 'electron'.
import { isDevMode } from '../dev-mode';
import { APP_ORIGIN, originOf } from '../ipc/sender-guard';

/** Navigation inside the window is allowed only to the origins the renderer is served from. */
export function isAllowedNavigation(url: string, allowedOrigins: readonly string[]): boolean {
  const origin = originOf(url);
  return origin !== null && allowedOrigins.some((o) => o.toLowerCase() === origin);
}

/** The normalized URL when it is http(s) (the only schemes handed to the OS), else null. */
export function externalHttpUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  return parsed.href;
}

/** Hosts electron-vite's dev server may run on; anything else in ELECTRON_RENDERER_URL is ignored. */
const DEV_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The dev-server URL to load instead of app://paige, or null. Only with the explicit development flag
 * (`PAIGE_DEV=1`): an unpackaged build run by a learner must not load whatever ELECTRON_RENDERER_URL names.
 */
function devRendererUrl(env: Env): string | null {
  const raw = env['ELECTRON_RENDERER_URL'];
  if (!isDevMode(env) || raw === undefined || raw === '') return null;
  const url = externalHttpUrl(raw);
  if (url === null || !DEV_HOSTS.has(new URL(url).hostname)) return null;
  return url;
}

export interface WindowPolicy {
  /** What the window loads instead of app://paige (development only). */
  devUrl: string | null;
  /** Origins every web contents may navigate within, and the IPC sender allowlist. */
  allowedOrigins: readonly string[];
  /** Whether DevTools may open (development only). */
  devTools: boolean;
}

/** The window's development allowances, all refused unless `PAIGE_DEV=1`. */
export function windowPolicy(env: Env): WindowPolicy {
  const devUrl = devRendererUrl(env);
  const devOrigin = devUrl === null ? null : originOf(devUrl);
  return {
    devUrl,
    allowedOrigins: devOrigin === null ? [APP_ORIGIN] : [APP_ORIGIN, devOrigin],
    devTools: isDevMode(env),
  };
}
