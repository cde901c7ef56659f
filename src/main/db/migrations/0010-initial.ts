// The initial schema: every table, constraint, index and FTS5 table (docs/data.md), so later work only adds queries.
import type { Migration } from '../migrate';

const TS = `TEXT NOT NULL`;
const LEVEL = `('off','low','medium','high')`;

export const migration0010Initial: Migration = {
  version: 10,
  name: 'initial',
  up(db) {
    db.exec(`
CREATE TABLE sessions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  project_dir TEXT NOT NULL,
  issue_number INTEGER NULL,
  issue_title TEXT NULL,
  issue_url TEXT NULL,
  status TEXT NOT NULL CHECK (status IN ('active','wrapping_up','completed','completed_with_errors')),
  hint_level TEXT NOT NULL CHECK (hint_level IN ${LEVEL}),
  started_at ${TS},
  ended_at TEXT NULL,
  last_activity_at ${TS},
  total_duration_ms INTEGER NULL,
  end_reason TEXT NULL CHECK (end_reason IS NULL OR end_reason IN ('claude_exit','user','orphan_recovered','forced','shutdown')),
  branch_name TEXT NULL,
  stash_name TEXT NULL,
  claude_session_id TEXT NULL,
  resumed_from_session_id INTEGER NULL REFERENCES sessions(id),
  CHECK ((status = 'active') = (ended_at IS NULL))
);
CREATE INDEX idx_sessions_status ON sessions(status);
CREATE INDEX idx_sessions_issue_number ON sessions(issue_number);
CREATE INDEX idx_sessions_started_at ON sessions(started_at);
CREATE UNIQUE INDEX uq_sessions_one_active ON sessions(status) WHERE status = 'active';

CREATE TABLE plans (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  total_phases INTEGER NOT NULL CHECK (total_phases BETWEEN 1 AND 5),
  plan_text TEXT NULL,
  memory_connection TEXT NULL,
  estimated_difficulty TEXT NULL CHECK (estimated_difficulty IS NULL OR estimated_difficulty IN ('beginner','intermediate','advanced')),
  source TEXT NOT NULL CHECK (source IN ('ui','mcp','resume')),
  carried_from_plan_id INTEGER NULL REFERENCES plans(id),
  is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0,1)),
  created_at ${TS}
);
CREATE INDEX idx_plans_session_id ON plans(session_id);
CREATE UNIQUE INDEX uq_plans_one_active ON plans(session_id) WHERE is_active = 1;

CREATE TABLE phases (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  plan_id INTEGER NOT NULL REFERENCES plans(id),
  number INTEGER NOT NULL CHECK (number >= 1),
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  hint TEXT NOT NULL DEFAULT '',
  hint_level TEXT NOT NULL CHECK (hint_level IN ${LEVEL}),
  expected_files TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(expected_files)),
  status TEXT NOT NULL CHECK (status IN ('pending','active','complete')),
  started_at TEXT NULL,
  completed_at TEXT NULL,
  UNIQUE (plan_id, number),
  CHECK ((status = 'pending') = (started_at IS NULL)),
  CHECK ((status = 'complete') = (completed_at IS NOT NULL))
);
CREATE INDEX idx_phases_plan_id ON phases(plan_id);
CREATE UNIQUE INDEX uq_phases_one_active ON phases(plan_id) WHERE status = 'active';

CREATE TABLE phase_tasks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  phase_id INTEGER NOT NULL REFERENCES phases(id),
  number INTEGER NOT NULL CHECK (number >= 1),
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  target_files TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(target_files)),
  hint_low TEXT NOT NULL,
  hint_medium TEXT NOT NULL,
  hint_high TEXT NOT NULL,
  completed_at TEXT NULL,
  UNIQUE (phase_id, number)
);
CREATE INDEX idx_phase_tasks_phase_id ON phase_tasks(phase_id);

CREATE TABLE phase_hints (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  phase_id INTEGER NOT NULL REFERENCES phases(id),
  type TEXT NOT NULL CHECK (type IN ('file','line')),
  path TEXT NOT NULL,
  line_start INTEGER NULL,
  line_end INTEGER NULL,
  style TEXT NOT NULL CHECK (style IN ('suggested','warning','error')),
  hover_text TEXT NULL,
  required_level TEXT NOT NULL CHECK (required_level IN ('low','medium','high')),
  CHECK (
    (type = 'file' AND line_start IS NULL AND line_end IS NULL) OR
    (type = 'line' AND line_start IS NOT NULL AND line_start >= 1 AND line_end IS NOT NULL AND line_end >= line_start)
  )
);
CREATE INDEX idx_phase_hints_phase_id ON phase_hints(phase_id);

CREATE TABLE progress_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  phase_id INTEGER NOT NULL REFERENCES phases(id),
  event_type TEXT NOT NULL CHECK (event_type IN ('hint_used','hint_escalated','review_requested','review_passed','review_failed')),
  data TEXT NULL CHECK (data IS NULL OR json_valid(data)),
  created_at ${TS}
);
CREATE INDEX idx_progress_events_phase_created ON progress_events(phase_id, created_at);

CREATE TABLE dreyfus_assessments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  skill_area TEXT NOT NULL UNIQUE,
  stage TEXT NOT NULL CHECK (stage IN ('Novice','Advanced Beginner','Competent','Proficient','Expert')),
  confidence REAL NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
  evidence TEXT NOT NULL,
  assessed_at ${TS}
);

CREATE TABLE dreyfus_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  skill_area TEXT NOT NULL,
  stage TEXT NOT NULL CHECK (stage IN ('Novice','Advanced Beginner','Competent','Proficient','Expert')),
  confidence REAL NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
  session_id INTEGER NULL REFERENCES sessions(id),
  assessed_at ${TS}
);
CREATE INDEX idx_dreyfus_history_skill ON dreyfus_history(skill_area, assessed_at);
CREATE INDEX idx_dreyfus_history_session ON dreyfus_history(session_id);

CREATE TABLE knowledge_gaps (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id INTEGER NULL REFERENCES sessions(id),
  topic TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('low','medium','high')),
  evidence TEXT NOT NULL,
  related_concepts TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(related_concepts)),
  frequency INTEGER NOT NULL DEFAULT 1 CHECK (frequency >= 1),
  addressed INTEGER NOT NULL DEFAULT 0 CHECK (addressed IN (0,1)),
  identified_at ${TS},
  last_encountered_at ${TS},
  addressed_at TEXT NULL
);
CREATE INDEX idx_knowledge_gaps_session ON knowledge_gaps(session_id);
CREATE INDEX idx_knowledge_gaps_addressed_severity ON knowledge_gaps(addressed, severity);
CREATE UNIQUE INDEX uq_knowledge_gaps_topic ON knowledge_gaps(lower(topic));

CREATE TABLE kata_specs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  gap_id INTEGER NOT NULL REFERENCES knowledge_gaps(id),
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  scaffolding_code TEXT NOT NULL,
  instructor_notes TEXT NOT NULL,
  language TEXT NOT NULL DEFAULT 'typescript',
  difficulty TEXT NOT NULL CHECK (difficulty IN ('easy','medium','hard')),
  estimated_minutes INTEGER NOT NULL CHECK (estimated_minutes > 0),
  constraints TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(constraints)),
  test_code TEXT NULL,
  user_attempts TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(user_attempts)),
  created_at ${TS}
);
CREATE INDEX idx_kata_specs_gap ON kata_specs(gap_id);

CREATE TABLE action_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  action_type TEXT NOT NULL,
  data TEXT NULL CHECK (data IS NULL OR json_valid(data)),
  correlation_id TEXT NULL,
  created_at ${TS}
);
CREATE INDEX idx_action_log_session_created ON action_log(session_id, created_at);
CREATE INDEX idx_action_log_type_created ON action_log(action_type, created_at);
CREATE INDEX idx_action_log_created ON action_log(created_at);

CREATE TABLE action_counts_daily (
  day TEXT NOT NULL,
  action_type TEXT NOT NULL,
  count INTEGER NOT NULL DEFAULT 0 CHECK (count >= 0),
  PRIMARY KEY (day, action_type)
) WITHOUT ROWID;

CREATE TABLE api_call_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id INTEGER NULL REFERENCES sessions(id),
  call_type TEXT NOT NULL,
  model TEXT NOT NULL,
  input_hash TEXT NULL,
  attempt INTEGER NOT NULL CHECK (attempt >= 1),
  status TEXT NOT NULL CHECK (status IN ('ok','error')),
  error_code TEXT NULL,
  latency_ms INTEGER NOT NULL,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  cache_read_tokens INTEGER NOT NULL DEFAULT 0,
  cache_write_tokens INTEGER NOT NULL DEFAULT 0,
  cost_estimate REAL NOT NULL DEFAULT 0,
  correlation_id TEXT NULL,
  created_at ${TS}
);
CREATE INDEX idx_api_call_log_session ON api_call_log(session_id);
CREATE INDEX idx_api_call_log_created ON api_call_log(created_at);
CREATE INDEX idx_api_call_log_type_created ON api_call_log(call_type, created_at);

CREATE TABLE session_wrap_up_errors (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  agent_name TEXT NOT NULL CHECK (agent_name IN ('reflection','knowledge_gap','dreyfus')),
  error_message TEXT NOT NULL,
  created_at ${TS},
  resolved_at TEXT NULL
);
CREATE INDEX idx_wrap_up_errors_session ON session_wrap_up_errors(session_id);

CREATE TABLE hint_level_spans (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 3),
  started_at ${TS},
  ended_at TEXT NULL
);
CREATE INDEX idx_hint_level_spans_session ON hint_level_spans(session_id);
CREATE UNIQUE INDEX uq_hint_level_spans_one_open ON hint_level_spans(session_id) WHERE ended_at IS NULL;

CREATE TABLE issue_labels (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  repo TEXT NOT NULL,
  issue_number INTEGER NOT NULL,
  label_name TEXT NOT NULL,
  label_color TEXT NULL,
  UNIQUE (repo, issue_number, label_name)
);

CREATE TABLE projects (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  path TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  owner TEXT NULL,
  repo TEXT NULL,
  remote_url TEXT NULL,
  last_opened_at ${TS}
);
CREATE INDEX idx_projects_last_opened ON projects(last_opened_at);

CREATE TABLE learning_materials (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id INTEGER NULL REFERENCES sessions(id),
  phase_id INTEGER NULL REFERENCES phases(id),
  gap_id INTEGER NULL REFERENCES knowledge_gaps(id),
  catalog_id TEXT NULL,
  type TEXT NOT NULL CHECK (type IN ('youtube','article')),
  url TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  thumbnail_url TEXT NULL,
  question TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','completed','dismissed')),
  view_count INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL CHECK (source IN ('catalog','llm_catalog','web_search')),
  created_at ${TS},
  completed_at TEXT NULL
);
CREATE INDEX idx_learning_materials_status ON learning_materials(status);
CREATE INDEX idx_learning_materials_session ON learning_materials(session_id);

CREATE TABLE memories (
  id TEXT PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  project TEXT NOT NULL,
  content TEXT NOT NULL,
  tags TEXT NOT NULL DEFAULT '',
  importance TEXT NOT NULL CHECK (importance IN ('low','medium','high')),
  created_at ${TS},
  embedder TEXT NULL,
  indexed_at TEXT NULL
);
CREATE INDEX idx_memories_session ON memories(session_id);
CREATE INDEX idx_memories_project ON memories(project);

CREATE TABLE chat_sessions (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  coaching_session_id INTEGER NULL REFERENCES sessions(id),
  created_at ${TS},
  updated_at ${TS},
  last_seq INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX idx_chat_sessions_updated ON chat_sessions(updated_at);

CREATE TABLE chat_turns (
  id TEXT PRIMARY KEY,
  chat_session_id TEXT NOT NULL REFERENCES chat_sessions(id) ON DELETE CASCADE,
  user_message_id TEXT NOT NULL,
  assistant_message_id TEXT NULL,
  status TEXT NOT NULL CHECK (status IN ('streaming','completed','interrupted','failed')),
  reason TEXT NULL CHECK (reason IS NULL OR reason IN ('end_turn','max_tokens','interrupted','error','shutdown')),
  model TEXT NOT NULL,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  started_at ${TS},
  completed_at TEXT NULL
);
CREATE INDEX idx_chat_turns_session ON chat_turns(chat_session_id);

CREATE TABLE chat_messages (
  id TEXT PRIMARY KEY,
  chat_session_id TEXT NOT NULL REFERENCES chat_sessions(id) ON DELETE CASCADE,
  turn_id TEXT NULL,
  seq INTEGER NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('user','assistant')),
  content TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued','sent','cancelled','streaming','complete','partial','failed')),
  created_at ${TS},
  UNIQUE (chat_session_id, seq),
  CHECK (
    (role = 'user' AND status IN ('queued','sent','cancelled')) OR
    (role = 'assistant' AND status IN ('streaming','complete','partial','failed'))
  )
);

CREATE VIRTUAL TABLE action_log_fts USING fts5(
  text, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2'
);

CREATE VIRTUAL TABLE chat_messages_fts USING fts5(
  content, content='chat_messages', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER chat_messages_fts_ai AFTER INSERT ON chat_messages BEGIN
  INSERT INTO chat_messages_fts(rowid, content) VALUES (new.rowid, new.content);
END;
CREATE TRIGGER chat_messages_fts_ad AFTER DELETE ON chat_messages BEGIN
  INSERT INTO chat_messages_fts(chat_messages_fts, rowid, content) VALUES ('delete', old.rowid, old.content);
END;
CREATE TRIGGER chat_messages_fts_au AFTER UPDATE OF content ON chat_messages BEGIN
  INSERT INTO chat_messages_fts(chat_messages_fts, rowid, content) VALUES ('delete', old.rowid, old.content);
  INSERT INTO chat_messages_fts(rowid, content) VALUES (new.rowid, new.content);
END;

CREATE VIRTUAL TABLE memories_fts USING fts5(
  content, tags, content='memories', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER memories_fts_ai AFTER INSERT ON memories BEGIN
  INSERT INTO memories_fts(rowid, content, tags) VALUES (new.rowid, new.content, new.tags);
END;
CREATE TRIGGER memories_fts_ad AFTER DELETE ON memories BEGIN
  INSERT INTO memories_fts(memories_fts, rowid, content, tags) VALUES ('delete', old.rowid, old.content, old.tags);
END;
CREATE TRIGGER memories_fts_au AFTER UPDATE OF content, tags ON memories BEGIN
  INSERT INTO memories_fts(memories_fts, rowid, content, tags) VALUES ('delete', old.rowid, old.content, old.tags);
  INSERT INTO memories_fts(rowid, content, tags) VALUES (new.rowid, new.content, new.tags);
END;
`);
  },
};
