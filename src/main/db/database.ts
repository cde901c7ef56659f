// The SQLite database: better-sqlite3 for synchronous execution, Kysely only to build typed queries (docs/data.md).
import fs from 'node:fs';
import Database from 'better-sqlite3';
import {
  DummyDriver,
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type Compilable,
  type CompiledQuery,
} from 'kysely';
import { PaigeError } from '../../shared/ipc/errors';
import type { DB } from './schema';
import { assertNotTooNew, migrate, readUserVersion } from './migrate';

interface OpenOptions {
  /** Path of an Electron-ABI better_sqlite3.node when running inside Electron. */
  nativeBinding?: string | undefined;
  now?: () => string;
  /**
   * false: leave checkpoints to SQLite at commit time (its default 1 000-page threshold), as a baseline for benchmarks.
   * Default true: checkpoint from a timer between transactions.
   */
  timedCheckpoints?: boolean;
}

/** Prepared statements kept per SQL text; queries are built from a small set of shapes. */
const STATEMENT_CACHE_LIMIT = 500;
/**
 * WAL checkpoints run from a timer between transactions, never inside a commit: SQLite's automatic checkpoint fsyncs
 * the database file from whichever commit crosses the threshold, which put 10–20 ms tails on action-log flushes.
 * A PASSIVE checkpoint never waits for readers; the automatic one stays as a backstop for a WAL that still grows.
 */
const CHECKPOINT_INTERVAL_MS = 1_000;
const WAL_AUTOCHECKPOINT_BACKSTOP_PAGES = 10_000;

export class PaigeDatabase {
  /** A query builder that never executes: `db.all(db.qb.selectFrom(...))` runs it synchronously. */
  readonly qb: Kysely<DB>;
  private readonly statements = new Map<string, Database.Statement>();
  private closed = false;
  private writesSinceCheckpoint = 0;
  private checkpointTimer: NodeJS.Timeout | undefined;

  private constructor(
    readonly sqlite: Database.Database,
    readonly file: string,
    private readonly timedCheckpoints: boolean,
  ) {
    this.qb = new Kysely<DB>({
      dialect: {
        createAdapter: () => new SqliteAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (db) => new SqliteIntrospector(db),
        createQueryCompiler: () => new SqliteQueryCompiler(),
      },
    });
  }

  /**
   * Opens (creating if needed) and migrates the database. A file written by a newer app is refused with DB_TOO_NEW
   * before anything is written to it.
   */
  static open(file: string, opts: OpenOptions = {}): PaigeDatabase {
    const now = opts.now ?? (() => new Date().toISOString());
    const driverOpts: Database.Options = opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {};
    if (file !== ':memory:' && fs.existsSync(file)) {
      const probe = new Database(file, { ...driverOpts, readonly: true, fileMustExist: true });
      let version: number;
      try {
        version = readUserVersion(probe);
      } finally {
        probe.close();
      }
      assertNotTooNew(version, file);
    }
    const sqlite = new Database(file, driverOpts);
    try {
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = NORMAL');
      sqlite.pragma('foreign_keys = ON');
      sqlite.pragma('busy_timeout = 5000');
      sqlite.pragma('temp_store = MEMORY');
      if (opts.timedCheckpoints !== false) sqlite.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_BACKSTOP_PAGES}`);
      assertFts5(sqlite);
      migrate(sqlite, now);
    } catch (err) {
      sqlite.close();
      throw err;
    }
    return new PaigeDatabase(sqlite, file, opts.timedCheckpoints !== false);
  }

  /** Opens an existing database read-only (CLI read commands while the app runs). */
  static openReadOnly(file: string, opts: OpenOptions = {}): PaigeDatabase {
    const sqlite = new Database(file, {
      readonly: true,
      fileMustExist: true,
      ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    });
    try {
      // A reader can still meet a lock for a moment (WAL recovery after a crash); wait like the app does.
      sqlite.pragma('busy_timeout = 5000');
      sqlite.pragma('query_only = ON');
      assertNotTooNew(readUserVersion(sqlite), file);
    } catch (err) {
      sqlite.close();
      throw err;
    }
    return new PaigeDatabase(sqlite, file, false);
  }

  /**
   * Reads the database into memory and opens that copy read-only. For a data dir the reader cannot write to: SQLite
   * needs to create the WAL index (`-shm`) beside the file to read a WAL database, and there it cannot. No writer can
   * be active in such a directory either (it would need that index too), so the copy is the current state.
   */
  static openSnapshot(file: string): PaigeDatabase {
    const image = fs.readFileSync(file);
    // Header bytes 18 and 19 are the write and read format versions: 2 means WAL, 1 the rollback journal an in-memory
    // database can read.
    if (image.length >= 20) {
      image[18] = 1;
      image[19] = 1;
    }
    const sqlite = new Database(image, { readonly: true });
    try {
      sqlite.pragma('query_only = ON');
      assertNotTooNew(readUserVersion(sqlite), file);
    } catch (err) {
      sqlite.close();
      throw err;
    }
    return new PaigeDatabase(sqlite, file, false);
  }

  get schemaVersion(): number {
    return readUserVersion(this.sqlite);
  }

  all<R>(query: Compilable<R>): R[] {
    const c = query.compile();
    return this.prepare(c).all(...(c.parameters as unknown[])) as R[];
  }

  get<R>(query: Compilable<R>): R | undefined {
    const c = query.compile();
    return this.prepare(c).get(...(c.parameters as unknown[])) as R | undefined;
  }

  run(query: Compilable<unknown>): Database.RunResult {
    const c = query.compile();
    const res = this.prepare(c).run(...(c.parameters as unknown[]));
    this.noteWrite();
    return res;
  }

  /** Runs `fn` in one transaction. The body must be synchronous: do async work before or after. */
  transaction<T>(fn: () => T): T {
    const out = this.sqlite.transaction(fn)();
    this.noteWrite();
    return out;
  }

  /** Moves committed WAL frames into the main file without waiting for readers; returns frames checkpointed. */
  checkpoint(): number {
    this.writesSinceCheckpoint = 0;
    if (this.closed || this.sqlite.readonly || this.file === ':memory:') return 0;
    const rows = this.sqlite.pragma('wal_checkpoint(PASSIVE)') as { checkpointed: number }[];
    return rows[0]?.checkpointed ?? 0;
  }

  quickCheck(): string {
    const rows = this.sqlite.pragma('quick_check') as { quick_check: string }[];
    return rows.map((r) => r.quick_check).join('; ');
  }

  integrityCheck(): string {
    const rows = this.sqlite.pragma('integrity_check') as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).join('; ');
  }

  sizeBytes(): number {
    try {
      return fs.statSync(this.file).size;
    } catch {
      return 0;
    }
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Checkpoints the WAL into the main file and closes (shutdown step 8). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.checkpointTimer) clearInterval(this.checkpointTimer);
    this.checkpointTimer = undefined;
    this.statements.clear();
    try {
      if (!this.sqlite.readonly) this.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      this.sqlite.close();
    }
  }

  /** Starts the checkpoint timer on the first write; it stops itself after an interval without writes. */
  private noteWrite(): void {
    this.writesSinceCheckpoint++;
    if (this.checkpointTimer || !this.timedCheckpoints || this.sqlite.readonly || this.file === ':memory:') return;
    this.checkpointTimer = setInterval(() => {
      if (this.writesSinceCheckpoint === 0) {
        clearInterval(this.checkpointTimer);
        this.checkpointTimer = undefined;
        return;
      }
      try {
        this.checkpoint();
      } catch {
        // A busy or failing checkpoint is retried on the next tick; SQLite's backstop still bounds the WAL.
      }
    }, CHECKPOINT_INTERVAL_MS);
    this.checkpointTimer.unref();
  }

  private prepare(c: CompiledQuery): Database.Statement {
    if (this.closed) throw new PaigeError('SHUTTING_DOWN', 'The database is closed.');
    let stmt = this.statements.get(c.sql);
    if (!stmt) {
      stmt = this.sqlite.prepare(c.sql);
      if (this.statements.size >= STATEMENT_CACHE_LIMIT) this.statements.clear();
      this.statements.set(c.sql, stmt);
    }
    return stmt;
  }
}

function assertFts5(sqlite: Database.Database): void {
  try {
    sqlite.exec('CREATE VIRTUAL TABLE temp.paige_fts5_probe USING fts5(x); DROP TABLE temp.paige_fts5_probe;');
  } catch (err) {
    throw new Error(`SQLite was built without FTS5, which Paige requires: ${(err as Error).message}`);
  }
}
