// Finds the Electron binary without triggering its lazy download (requiring 'electron' from Node would download it).
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

export function electronBinary(): { path: string } | { reason: string } {
  const pkgDir = path.join(ROOT, 'node_modules', 'electron');
  let rel: string;
  try {
    rel = fs.readFileSync(path.join(pkgDir, 'path.txt'), 'utf8').trim();
  } catch {
    return {
      reason:
        'no Electron binary installed (node_modules/electron/path.txt missing; it downloads on first `npm start`)',
    };
  }
  const bin = path.join(pkgDir, 'dist', rel);
  if (!fs.existsSync(bin)) return { reason: `Electron binary missing at ${bin}` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'no display (DISPLAY/WAYLAND_DISPLAY unset)' };
  }
  return { path: bin };
}
