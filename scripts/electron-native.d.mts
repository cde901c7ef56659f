// Types for scripts/electron-native.mjs (imported by scripts/start.mjs and scripts/start.test.ts).
export function electronSqlitePath(root: string, electronVersion: string): string;
export function electronBuildEnv(
  baseEnv: Record<string, string | undefined>,
  electronVersion: string,
): Record<string, string | undefined>;
export function ensureElectronSqlite(opts: {
  root: string;
  electronVersion: string;
  log?: (message: string) => void;
  env?: Record<string, string | undefined>;
}): Promise<string>;
