// The built renderer as served to a window (Electron's app:// protocol) or a browser (the bridge): one file resolver
// that refuses anything outside the renderer directory (symlinks included), one MIME table and one CSP.
import fs from 'node:fs/promises';
import path from 'node:path';
import { isInside } from '../fs/path-guard';

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

export function mimeTypeFor(file: string): string {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The renderer's Content-Security-Policy: scripts, styles, fonts and workers from the app itself only, no plugins, no
 * framing; `connectSrc` adds the bridge's own WebSocket origin in the browser.
 */
export function rendererCsp(connectSrc: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https://img.youtube.com https://avatars.githubusercontent.com",
    "font-src 'self'",
    ["connect-src 'self'", ...connectSrc].join(' '),
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Maps a URL path (still percent-encoded, query allowed) to the real path of a regular file inside `rendererDir`, or
 * null: undecodable input, NUL, backslashes or `..` segments after decoding, a target outside the directory, or a
 * symlink whose target leaves it.
 */
export async function resolveRendererAsset(rendererDir: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return null;
  }
  // Decoded separators and NUL would let a single URL segment smuggle in `..` or truncate the path.
  if (decoded.includes('\0') || decoded.includes('\\') || /(^|\/)\.\.(\/|$)/.test(decoded)) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, relative);
  if (!isInside(root, file) || file === root) return null;
  try {
    const [realRoot, realFile] = await Promise.all([fs.realpath(root), fs.realpath(file)]);
    if (!isInside(realRoot, realFile) || realFile === realRoot) return null;
    return (await fs.stat(realFile)).isFile() ? realFile : null;
  } catch {
    return null;
  }
}
