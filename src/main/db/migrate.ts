// Numbered migrations against PRAGMA user_version, each in its own transaction, with an audit row (docs/data.md).
import type BetterSqlite3 from 'better-sqlite3';
import { PaigeError } from '../../shared/ipc/errors';
import { migration0010Initial } from './migrations/0010-initial';

export interface Migration {
  version: number;
  name: string;
  up(db: BetterSqlite3.Database): void;
}

/** In order; versions step by 10 so a fix can slot in between. */
const MIGRATIONS: readonly Migration[] = [migration0010Initial];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

export function readUserVersion(db: BetterSqlite3.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function assertNotTooNew(version: number, file: string): void {
  if (version > LATEST_SCHEMA_VERSION) {
    throw new PaigeError(
      'DB_TOO_NEW',
      `The database ${file} was written by a newer Paige (schema ${version}; this version knows up to ${LATEST_SCHEMA_VERSION}). Update Paige, or start with another --data-dir.`,
      { schemaVersion: version, supported: LATEST_SCHEMA_VERSION },
    );
  }
}

/** Applies pending migrations; returns the versions applied. */
export function migrate(db: BetterSqlite3.Database, now: () => string): number[] {
  const applied: number[] = [];
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  const current = readUserVersion(db);
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.up(db);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        now(),
      );
      // user_version cannot be bound as a parameter; the value is an integer from our own list.
      db.pragma(`user_version = ${Math.trunc(m.version)}`);
    })();
    applied.push(m.version);
  }
  return applied;
}
