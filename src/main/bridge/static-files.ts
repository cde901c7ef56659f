// Streams a built renderer file to a browser with the bridge's CSP (its own WebSocket origin added to connect-src).
import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import { mimeTypeFor, rendererCsp } from '../renderer-assets/renderer-assets';

export function contentSecurityPolicy(port: number): string {
  return rendererCsp([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]);
}

/** `file` must come from resolveRendererAsset (real path, inside the renderer directory). */
export function sendStatic(res: ServerResponse, file: string, csp: string): void {
  res.writeHead(200, {
    'Content-Type': mimeTypeFor(file),
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'public, max-age=3600',
  });
  fs.createReadStream(file).pipe(res);
}
