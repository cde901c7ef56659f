// Kysely table types for every table (snake_case, as stored; docs/data.md). JSON columns are text; parse with zod.
import type { Generated } from 'kysely';

type Ts = string;
type Json = string;

export interface SessionsTable {
  id: Generated<number>;
  project_dir: string;
  issue_number: number | null;
  issue_title: string | null;
  issue_url: string | null;
  status: 'active' | 'wrapping_up' | 'completed' | 'completed_with_errors';
  hint_level: 'off' | 'low' | 'medium' | 'high';
  started_at: Ts;
  ended_at: Ts | null;
  last_activity_at: Ts;
  total_duration_ms: number | null;
  end_reason: 'claude_exit' | 'user' | 'orphan_recovered' | 'forced' | 'shutdown' | null;
  branch_name: string | null;
  stash_name: string | null;
  claude_session_id: string | null;
  resumed_from_session_id: number | null;
}

interface PlansTable {
  id: Generated<number>;
  session_id: number;
  title: string;
  summary: string;
  total_phases: number;
  plan_text: string | null;
  memory_connection: string | null;
  estimated_difficulty: 'beginner' | 'intermediate' | 'advanced' | null;
  source: 'ui' | 'mcp' | 'resume';
  carried_from_plan_id: number | null;
  is_active: Generated<number>;
  created_at: Ts;
}

interface PhasesTable {
  id: Generated<number>;
  plan_id: number;
  number: number;
  title: string;
  description: string;
  hint: Generated<string>;
  hint_level: 'off' | 'low' | 'medium' | 'high';
  expected_files: Generated<Json>;
  status: 'pending' | 'active' | 'complete';
  started_at: Ts | null;
  completed_at: Ts | null;
}

interface PhaseTasksTable {
  id: Generated<number>;
  phase_id: number;
  number: number;
  title: string;
  description: string;
  target_files: Generated<Json>;
  hint_low: string;
  hint_medium: string;
  hint_high: string;
  completed_at: Ts | null;
}

interface PhaseHintsTable {
  id: Generated<number>;
  phase_id: number;
  type: 'file' | 'line';
  path: string;
  line_start: number | null;
  line_end: number | null;
  style: 'suggested' | 'warning' | 'error';
  hover_text: string | null;
  required_level: 'low' | 'medium' | 'high';
}

interface ProgressEventsTable {
  id: Generated<number>;
  phase_id: number;
  event_type: 'hint_used' | 'hint_escalated' | 'review_requested' | 'review_passed' | 'review_failed';
  data: Json | null;
  created_at: Ts;
}

type Stage = 'Novice' | 'Advanced Beginner' | 'Competent' | 'Proficient' | 'Expert';

interface DreyfusAssessmentsTable {
  id: Generated<number>;
  skill_area: string;
  stage: Stage;
  confidence: number;
  evidence: string;
  assessed_at: Ts;
}

interface DreyfusHistoryTable {
  id: Generated<number>;
  skill_area: string;
  stage: Stage;
  confidence: number;
  session_id: number | null;
  assessed_at: Ts;
}

interface KnowledgeGapsTable {
  id: Generated<number>;
  session_id: number | null;
  topic: string;
  severity: 'low' | 'medium' | 'high';
  evidence: string;
  related_concepts: Generated<Json>;
  frequency: Generated<number>;
  addressed: Generated<number>;
  identified_at: Ts;
  last_encountered_at: Ts;
  addressed_at: Ts | null;
}

interface KataSpecsTable {
  id: Generated<number>;
  gap_id: number;
  title: string;
  description: string;
  scaffolding_code: string;
  instructor_notes: string;
  language: Generated<string>;
  difficulty: 'easy' | 'medium' | 'hard';
  estimated_minutes: number;
  constraints: Generated<Json>;
  test_code: string | null;
  user_attempts: Generated<Json>;
  created_at: Ts;
}

interface ActionLogTable {
  id: Generated<number>;
  session_id: number;
  action_type: string;
  data: Json | null;
  correlation_id: string | null;
  created_at: Ts;
}

interface ActionCountsDailyTable {
  day: string;
  action_type: string;
  count: Generated<number>;
}

interface ApiCallLogTable {
  id: Generated<number>;
  session_id: number | null;
  call_type: string;
  model: string;
  input_hash: string | null;
  attempt: number;
  status: 'ok' | 'error';
  error_code: string | null;
  latency_ms: number;
  input_tokens: Generated<number>;
  output_tokens: Generated<number>;
  cache_read_tokens: Generated<number>;
  cache_write_tokens: Generated<number>;
  cost_estimate: Generated<number>;
  correlation_id: string | null;
  created_at: Ts;
}

interface SessionWrapUpErrorsTable {
  id: Generated<number>;
  session_id: number;
  agent_name: 'reflection' | 'knowledge_gap' | 'dreyfus';
  error_message: string;
  created_at: Ts;
  resolved_at: Ts | null;
}

interface HintLevelSpansTable {
  id: Generated<number>;
  session_id: number;
  level: number;
  started_at: Ts;
  ended_at: Ts | null;
}

interface IssueLabelsTable {
  id: Generated<number>;
  repo: string;
  issue_number: number;
  label_name: string;
  label_color: string | null;
}

interface ProjectsTable {
  id: Generated<number>;
  path: string;
  name: string;
  owner: string | null;
  repo: string | null;
  remote_url: string | null;
  last_opened_at: Ts;
}

interface LearningMaterialsTable {
  id: Generated<number>;
  session_id: number | null;
  phase_id: number | null;
  gap_id: number | null;
  catalog_id: string | null;
  type: 'youtube' | 'article';
  url: string;
  title: string;
  description: string;
  thumbnail_url: string | null;
  question: string;
  status: Generated<'pending' | 'completed' | 'dismissed'>;
  view_count: Generated<number>;
  source: 'catalog' | 'llm_catalog' | 'web_search';
  created_at: Ts;
  completed_at: Ts | null;
}

interface MemoriesTable {
  id: string;
  session_id: number;
  project: string;
  content: string;
  tags: Generated<string>;
  importance: 'low' | 'medium' | 'high';
  created_at: Ts;
  embedder: string | null;
  indexed_at: Ts | null;
}

interface ChatSessionsTable {
  id: string;
  title: string;
  coaching_session_id: number | null;
  created_at: Ts;
  updated_at: Ts;
  last_seq: Generated<number>;
}

interface ChatTurnsTable {
  id: string;
  chat_session_id: string;
  user_message_id: string;
  assistant_message_id: string | null;
  status: 'streaming' | 'completed' | 'interrupted' | 'failed';
  reason: 'end_turn' | 'max_tokens' | 'interrupted' | 'error' | 'shutdown' | null;
  model: string;
  input_tokens: Generated<number>;
  output_tokens: Generated<number>;
  started_at: Ts;
  completed_at: Ts | null;
}

interface ChatMessagesTable {
  id: string;
  chat_session_id: string;
  turn_id: string | null;
  seq: number;
  role: 'user' | 'assistant';
  content: string;
  status: 'queued' | 'sent' | 'cancelled' | 'streaming' | 'complete' | 'partial' | 'failed';
  created_at: Ts;
}

interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: Ts;
}

export interface DB {
  sessions: SessionsTable;
  plans: PlansTable;
  phases: PhasesTable;
  phase_tasks: PhaseTasksTable;
  phase_hints: PhaseHintsTable;
  progress_events: ProgressEventsTable;
  dreyfus_assessments: DreyfusAssessmentsTable;
  dreyfus_history: DreyfusHistoryTable;
  knowledge_gaps: KnowledgeGapsTable;
  kata_specs: KataSpecsTable;
  action_log: ActionLogTable;
  action_counts_daily: ActionCountsDailyTable;
  api_call_log: ApiCallLogTable;
  session_wrap_up_errors: SessionWrapUpErrorsTable;
  hint_level_spans: HintLevelSpansTable;
  issue_labels: IssueLabelsTable;
  projects: ProjectsTable;
  learning_materials: LearningMaterialsTable;
  memories: MemoriesTable;
  chat_sessions: ChatSessionsTable;
  chat_turns: ChatTurnsTable;
  chat_messages: ChatMessagesTable;
  schema_migrations: SchemaMigrationsTable;
}
