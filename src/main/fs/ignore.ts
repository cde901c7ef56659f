// Names the tree and the watcher leave out (docs/workspace.md).

const EXCLUDED_NAMES: readonly string[] = [
  'node_modules',
  '.git',
  'dist',
  'build',
  'coverage',
  '.next',
  '.cache',
  '.turbo',
  '.venv',
  'venv',
  '__pycache__',
  'target',
  '.idea',
  '.DS_Store',
];

/** Watcher-only noise: logs, sockets, pid files and SQLite files churn without meaning anything to the learner. */
const WATCH_NOISE = /(\.log|\.sock|\.pid|\.sqlite3?|\.db|\.db-wal|\.db-shm|\.db-journal|-wal|-shm)$/i;
/** Hidden temp files, such as the ones atomic saves rename into place. */
const HIDDEN_TEMP = /^\..*\.tmp$/;

export function makeTreeFilter(extra: readonly string[] = []): (name: string) => boolean {
  const names = new Set([...EXCLUDED_NAMES, ...extra]);
  return (name) => names.has(name);
}

export function makeWatchFilter(extra: readonly string[] = []): (name: string) => boolean {
  const excluded = makeTreeFilter(extra);
  return (name) => excluded(name) || WATCH_NOISE.test(name) || HIDDEN_TEMP.test(name);
}
