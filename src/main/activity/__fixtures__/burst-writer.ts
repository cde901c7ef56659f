// Child process for the kill -9 test: streams actions into a real database and reports progress on stdout
// (pipes are synchronous on Linux, so each line is out before the next chunk starts).
import { PaigeDatabase } from '../../db/database';
import { Logger } from '../../logging/logger';
import { ActionLogWriter } from '../action-log-writer';

const CHUNK = Number(process.env.BURST_CHUNK ?? 50);
const file = process.argv[2];
if (!file) throw new Error('usage: burst-writer <db file>');

const db = PaigeDatabase.open(file);
const ts = new Date().toISOString();
const session = db.sqlite
  .prepare(
    "INSERT INTO sessions (project_dir, status, hint_level, started_at, last_activity_at) VALUES ('/p', 'active', 'medium', ?, ?)",
  )
  .run(ts, ts);
let flushed = 0;
const writer = new ActionLogWriter(db, new Logger([], 'silent'), {
  onFlushed: (n) => {
    flushed += n;
    process.stdout.write(`flushed ${flushed}\n`);
  },
});
let seq = 0;
const step = (): void => {
  for (let i = 0; i < CHUNK; i++) {
    writer.enqueue({
      sessionId: Number(session.lastInsertRowid),
      actionType: 'file_open',
      data: { path: `f${seq}.ts`, seq, source: 'ui' },
      correlationId: null,
      createdAt: new Date().toISOString(),
    });
    seq++;
  }
  process.stdout.write(`enqueued ${seq} pending ${writer.pending}\n`);
  setImmediate(step);
};
step();
