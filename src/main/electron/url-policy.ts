// Which URLs the window may navigate to and which may leave for the system browser. Pure, no 'electron'.
import { originOf } from '../ipc/sender-guard';

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

/** The dev-server URL to load instead of app://paige, or null (packaged builds never honour it). */
export function devRendererUrl(env: Record<string, string | undefined>, isPackaged: boolean): string | null {
  const raw = env['ELECTRON_RENDERER_URL'];
  if (isPackaged || raw === undefined || raw === '') return null;
  const url = externalHttpUrl(raw);
  if (url === null || !DEV_HOSTS.has(new URL(url).hostname)) return null;
  return url;
}
