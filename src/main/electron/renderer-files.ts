// Maps `app://paige/...` requests to files of the built renderer through the shared renderer-assets resolver. Pure
// Node (no 'electron') so it is unit-testable.
import fs from 'node:fs/promises';
import path from 'node:path';
import { mimeTypeFor, rendererCsp, resolveRendererAsset } from '../renderer-assets/renderer-assets';

/** The Electron renderer talks over IPC, so connect-src needs no bridge socket. @visibleForTesting */
export const RENDERER_CSP = rendererCsp();

export const APP_SCHEME = 'app';
export const APP_HOST = 'paige';

/** The percent-encoded path an `app://paige/...` URL names, or null for another scheme or host. */
function appUrlPath(requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host.toLowerCase() !== APP_HOST) return null;
  return url.pathname;
}

interface RendererFile {
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

/** Reads the requested renderer file; anything outside the directory, symlinks included, is missing. */
export async function loadRendererFile(rendererDir: string, requestUrl: string): Promise<RendererFile> {
  const urlPath = appUrlPath(requestUrl);
  const file = urlPath === null ? null : await resolveRendererAsset(rendererDir, urlPath);
  if (file === null) return notFound();
  try {
    const body = await fs.readFile(file);
    return { status: 200, body, headers: { ...COMMON_HEADERS, 'Content-Type': mimeTypeFor(path.basename(file)) } };
  } catch {
    return notFound();
  }
}
