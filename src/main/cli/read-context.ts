// What the tool commands read, without writing anything: the data dir, the settings as the app would resolve them,
// runtime.json, and the database opened read-only (WAL lets this run beside a live app).
import fs from 'node:fs';
import path from 'node:path';
import { resolveDataDir } from '../config/data-dir';
import { PaigeDatabase } from '../db/database';
import { PaigeError } from '../../shared/ipc/errors';
import {
  DEFAULT_SETTINGS,
  SettingsFileSchema,
  SettingsSchema,
  mergeSettings,
  settingsFromEnv,
  type Settings,
} from '../../shared/settings/schema';

const DB_FILE = 'paige.db';
const RUNTIME_FILE = 'runtime.json';
export const SECRETS_FILE = 'secrets.bin';

interface ResolvedSettings {
  values: Settings;
  /** Why a layer was ignored (the app would quarantine an invalid file; a read command only reports it). */
  problems: string[];
}

/** Defaults → settings.json → environment, validated like the app does, but never moving or rewriting the file. */
export function readSettings(dataDir: string, env: Readonly<Record<string, string | undefined>>): ResolvedSettings {
  const problems: string[] = [];
  let file: Record<string, unknown> = {};
  try {
    const parsed = SettingsFileSchema.safeParse(
      JSON.parse(fs.readFileSync(path.join(dataDir, 'settings.json'), 'utf8')),
    );
    if (parsed.success) file = parsed.data as Record<string, unknown>;
    else
      problems.push(
        `settings.json is invalid (${parsed.error.issues.map((i) => i.message).join('; ')}); defaults used`,
      );
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') problems.push(`settings.json could not be read (${(err as Error).message}); defaults used`);
  }
  const envLayer = settingsFromEnv(env);
  for (const p of envLayer.problems) problems.push(`${p.source}: ${p.message} (ignored)`);
  const base = mergeSettings(DEFAULT_SETTINGS as unknown as Record<string, unknown>, file);
  const withEnv = SettingsSchema.safeParse(mergeSettings(base, envLayer.values));
  if (withEnv.success) return { values: withEnv.data, problems };
  problems.push('an environment override is invalid (ignored)');
  const fileOnly = SettingsSchema.safeParse(base);
  return { values: fileOnly.success ? fileOnly.data : DEFAULT_SETTINGS, problems };
}

export interface RuntimeInfo {
  pid: number | null;
  appVersion: string | null;
  bridgePort: number | null;
  mcpUrl: string | null;
  mcpPort: number | null;
}

/** runtime.json of the instance that owns this data dir, or null when there is none. Tokens are never returned. */
export function readRuntimeInfo(dataDir: string): RuntimeInfo | null {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(path.join(dataDir, RUNTIME_FILE), 'utf8'));
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const int = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);
  return {
    pid: int(r.pid),
    appVersion: typeof r.appVersion === 'string' ? r.appVersion : null,
    bridgePort: int(r.bridgePort),
    mcpUrl: typeof r.mcpUrl === 'string' ? r.mcpUrl : null,
    mcpPort: int(r.mcpPort),
  };
}

export function pidAlive(pid: number | null): boolean {
  if (pid === null || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface ReadContext {
  dataDir: string;
  env: Readonly<Record<string, string | undefined>>;
}

export function makeReadContext(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): ReadContext {
  return { dataDir: resolveDataDir(flag, env), env };
}

export function dbPath(ctx: ReadContext): string {
  return path.join(ctx.dataDir, DB_FILE);
}

function canWrite(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function hasPendingWal(file: string): boolean {
  try {
    return fs.statSync(`${file}-wal`).size > 0;
  } catch {
    return false;
  }
}

/**
 * The database read-only, or null when Paige has never run with this data dir. In a directory this user cannot
 * write to, SQLite cannot create the WAL index a reader needs; when no WAL is pending there, the file alone is the
 * whole state and an in-memory copy of it is read instead.
 */
export function openDatabase(ctx: ReadContext): PaigeDatabase | null {
  const file = dbPath(ctx);
  if (!fs.existsSync(file)) return null;
  try {
    return PaigeDatabase.openReadOnly(file);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const cannotIndex =
      typeof code === 'string' && (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN'));
    if (!cannotIndex || canWrite(ctx.dataDir) || hasPendingWal(file)) throw err;
    return PaigeDatabase.openSnapshot(file);
  }
}

/** Like openDatabase, for commands that cannot do anything without one. */
export function requireDatabase(ctx: ReadContext): PaigeDatabase {
  const db = openDatabase(ctx);
  if (!db) {
    throw new PaigeError(
      'NOT_FOUND',
      `No Paige database in ${ctx.dataDir}: start Paige once with this data dir, or pass --data-dir.`,
      { dataDir: ctx.dataDir },
    );
  }
  return db;
}
