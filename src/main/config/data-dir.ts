// Where Paige keeps its state: PAIGE_DATA_DIR (legacy DATA_DIR) or --data-dir, default ~/.paige.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function resolveDataDir(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  const raw = flag ?? env.PAIGE_DATA_DIR ?? env.DATA_DIR ?? path.join(os.homedir(), '.paige');
  const expanded = raw === '~' || raw.startsWith('~/') ? path.join(os.homedir(), raw.slice(1)) : raw;
  return path.resolve(expanded);
}

export function ensureDataDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
}
