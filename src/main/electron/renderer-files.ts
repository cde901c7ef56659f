// Maps `app://paige/...` requests to files of the built renderer. Pure Node (no 'electron') so it is unit-testable.
import fs from 'node:fs/promises';
import path from 'node:path';
import { rendererCsp } from '../bridge/static-files';

/** The renderer's CSP. The Electron renderer talks over IPC, so connect-src needs no bridge socket. */
export const RENDERER_CSP = rendererCsp();

export const APP_SCHEME = 'app';
export const APP_HOST = 'paige';

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

function isInside(dir: string, file: string): boolean {
  return file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

/**
 * The file under `rendererDir` that `requestUrl` names, or null when it names nothing we serve
 * (another scheme or host, encoded separators or NUL, anything escaping the directory).
 */
export function rendererPathFor(rendererDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host.toLowerCase() !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  // Decoded separators and NUL would let a single URL segment smuggle in `..` or truncate the path.
  if (pathname.includes('\0') || pathname.includes('\\') || /(^|\/)\.\.(\/|$)/.test(pathname)) return null;
  const relative = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, relative);
  return isInside(root, file) ? file : null;
}

export interface RendererFile {
  status: 200 | 404;
  /** ArrayBuffer-backed so it is a valid fetch `BodyInit` for protocol.handle. */
  body: Uint8Array<ArrayBuffer> | string;
  headers: Record<string, string>;
}

const COMMON_HEADERS = { 'Content-Security-Policy': RENDERER_CSP, 'X-Content-Type-Options': 'nosniff' };

function notFound(): RendererFile {
  return {
    status: 404,
    body: 'Not found',
    headers: { ...COMMON_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' },
  };
}

/** Reads the requested renderer file; symlinks pointing outside the directory count as missing. */
export async function loadRendererFile(rendererDir: string, requestUrl: string): Promise<RendererFile> {
  const file = rendererPathFor(rendererDir, requestUrl);
  if (file === null) return notFound();
  try {
    const [realRoot, realFile] = await Promise.all([fs.realpath(rendererDir), fs.realpath(file)]);
    if (!isInside(realRoot, realFile)) return notFound();
    const stat = await fs.stat(realFile);
    if (!stat.isFile()) return notFound();
    const body = await fs.readFile(realFile);
    return { status: 200, body, headers: { ...COMMON_HEADERS, 'Content-Type': mimeTypeFor(realFile) } };
  } catch {
    return notFound();
  }
}
