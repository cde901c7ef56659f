// A data dir with a realistic history for the CLI tests and bench: sessions (one active), a plan with phases, tasks,
// hints and progress, actions through the real writer (so the search index is filled), model calls, a wrap-up
// error, a gap with a kata, memories and a coach chat. Secrets are planted where a careless export would leak them.
import fs from 'node:fs';
import path from 'node:path';
import { PaigeDatabase } from '../../db/database';
import { ActionLogWriter } from '../../activity/action-log-writer';
import { Logger } from '../../logging/logger';

export const PLANTED_API_KEY = 'sk-ant-api03-PLANTEDKEYdoNotLeak0123456789abcdef';
export const PLANTED_GH_TOKEN = 'ghp_PLANTEDtokenDoNotLeak0123456789ab';

export interface Seeded {
  dataDir: string;
  projectDir: string;
  /** Completed session with everything in it. */
  richSessionId: number;
  activeSessionId: number;
  sessionIds: number[];
}

const T0 = Date.parse('2026-11-01T09:00:00.000Z');
const iso = (offsetMs: number): string => new Date(T0 + offsetMs).toISOString();
const MINUTE = 60_000;

const ACTION_WORDS = ['refactor', 'parser', 'tokenizer', 'render', 'cache', 'router', 'schema', 'migration', 'reducer'];

interface SeedOptions {
  /** Extra file_save actions spread over the sessions (benchmarks use 100 000). */
  actions?: number;
  /** The active session's last activity is now, so a starting server keeps it active instead of recovering it. */
  activeRecent?: boolean;
}

export function seedDataDir(dataDir: string, projectDir: string, opts: SeedOptions = {}): Seeded {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = PaigeDatabase.open(path.join(dataDir, 'paige.db'));
  const q = db.qb;
  const sessionIds: number[] = [];
  const addSession = (i: number, status: 'completed' | 'completed_with_errors' | 'active'): number => {
    const started = iso(i * 24 * 60 * MINUTE);
    const ended = status === 'active' ? null : iso(i * 24 * 60 * MINUTE + 42 * MINUTE);
    const res = db.run(
      q.insertInto('sessions').values({
        project_dir: projectDir,
        issue_number: 100 + i,
        issue_title: `Issue number ${100 + i}: make the parser handle nested quotes`,
        issue_url: `https://github.com/example/repo/issues/${100 + i}`,
        status,
        hint_level: 'low',
        started_at: started,
        ended_at: ended,
        last_activity_at:
          ended ?? (opts.activeRecent ? new Date().toISOString() : iso(i * 24 * 60 * MINUTE + 5 * MINUTE)),
        total_duration_ms: ended ? 42 * MINUTE : null,
        end_reason: ended ? 'user' : null,
        branch_name: null,
        stash_name: null,
        claude_session_id: null,
        resumed_from_session_id: null,
      }),
    );
    const id = Number(res.lastInsertRowid);
    sessionIds.push(id);
    return id;
  };
  for (let i = 0; i < 4; i++) addSession(i, i === 2 ? 'completed_with_errors' : 'completed');
  const richSessionId = sessionIds[1] as number;
  const activeSessionId = addSession(4, 'active');

  const plan = Number(
    db.run(
      q.insertInto('plans').values({
        session_id: richSessionId,
        title: 'Handle nested quotes',
        summary: 'Teach the tokenizer about escapes',
        total_phases: 2,
        plan_text: null,
        memory_connection: null,
        estimated_difficulty: 'intermediate',
        source: 'mcp',
        carried_from_plan_id: null,
        is_active: 1,
        created_at: iso(25 * 60 * MINUTE),
      } as never),
    ).lastInsertRowid,
  );
  for (let n = 1; n <= 2; n++) {
    const phase = Number(
      db.run(
        q.insertInto('phases').values({
          plan_id: plan,
          number: n,
          title: `Phase ${n}`,
          description: `Do part ${n}`,
          hint: '',
          hint_level: 'low',
          expected_files: JSON.stringify(['src/tokenizer.ts']),
          status: n === 1 ? 'complete' : 'active',
          started_at: iso(25 * 60 * MINUTE),
          completed_at: n === 1 ? iso(25 * 60 * MINUTE + 10 * MINUTE) : null,
        } as never),
      ).lastInsertRowid,
    );
    db.run(
      q.insertInto('phase_tasks').values({
        phase_id: phase,
        number: 1,
        title: 'Write the failing test',
        description: 'A quote inside a quote',
        target_files: JSON.stringify(['src/tokenizer.test.ts']),
        hint_low: 'Look at the escape branch',
        hint_medium: 'The backslash case',
        hint_high: 'Handle \\" before the closing quote',
        completed_at: null,
      } as never),
    );
    db.run(
      q.insertInto('phase_hints').values({
        phase_id: phase,
        type: 'line',
        path: 'src/tokenizer.ts',
        line_start: 10,
        line_end: 12,
        style: 'suggested',
        hover_text: 'Here',
        required_level: 'low',
      } as never),
    );
    db.run(
      q.insertInto('progress_events').values({
        phase_id: phase,
        event_type: 'hint_used',
        data: JSON.stringify({ level: 'low' }),
        created_at: iso(25 * 60 * MINUTE + n * MINUTE),
      } as never),
    );
  }

  for (let i = 0; i < 3; i++) {
    db.run(
      q.insertInto('api_call_log').values({
        session_id: richSessionId,
        call_type: 'coach_agent',
        model: 'claude-sonnet-4-5-20250929',
        input_hash: 'abcdef0123456789',
        attempt: 1,
        status: 'ok',
        error_code: null,
        latency_ms: 900,
        input_tokens: 1200,
        output_tokens: 300,
        cache_read_tokens: 0,
        cache_write_tokens: 0,
        cost_estimate: 0.0125,
        correlation_id: null,
        created_at: iso(25 * 60 * MINUTE + i * MINUTE),
      }),
    );
  }
  db.run(
    q.insertInto('session_wrap_up_errors').values({
      session_id: sessionIds[2] as number,
      agent_name: 'reflection',
      error_message: 'LLM_DISABLED',
      created_at: iso(49 * 60 * MINUTE),
      resolved_at: null,
    }),
  );
  const gap = Number(
    db.run(
      q.insertInto('knowledge_gaps').values({
        session_id: richSessionId,
        topic: 'String escaping',
        severity: 'medium',
        evidence: 'Missed the backslash case',
        related_concepts: JSON.stringify(['escape sequences']),
        frequency: 1,
        addressed: 0,
        identified_at: iso(26 * 60 * MINUTE),
        last_encountered_at: iso(26 * 60 * MINUTE),
        addressed_at: null,
      } as never),
    ).lastInsertRowid,
  );
  db.run(
    q.insertInto('kata_specs').values({
      gap_id: gap,
      title: 'Escape me',
      description: 'Tokenize escaped quotes',
      scaffolding_code: 'export function tokenize() {}',
      instructor_notes: 'Look for the lookbehind',
      language: 'typescript',
      difficulty: 'easy',
      estimated_minutes: 15,
      constraints: JSON.stringify([{ id: 'no-regex', description: 'No regular expressions', minLevel: 1 }]),
      test_code: null,
      user_attempts: '[]',
      created_at: iso(26 * 60 * MINUTE),
    } as never),
  );
  db.run(
    q.insertInto('memories').values({
      id: `mem_${richSessionId}_0`,
      session_id: richSessionId,
      project: projectDir,
      content: 'The learner handled the tokenizer escape branch after one hint',
      tags: 'tokenizer,escapes',
      importance: 'medium',
      created_at: iso(26 * 60 * MINUTE),
      embedder: null,
      indexed_at: null,
    }),
  );
  db.run(
    q.insertInto('chat_sessions').values({
      id: '0193a0f0-0000-7000-8000-000000000001',
      title: 'Why does the tokenizer break?',
      coaching_session_id: richSessionId,
      created_at: iso(25 * 60 * MINUTE),
      updated_at: iso(25 * 60 * MINUTE),
      last_seq: 2,
    }),
  );
  const messages: [string, 'user' | 'assistant', string, 'sent' | 'complete'][] = [
    [
      '0193a0f0-0000-7000-8000-000000000011',
      'user',
      `My key is ${PLANTED_API_KEY}, why does the tokenizer break on quotes?`,
      'sent',
    ],
    [
      '0193a0f0-0000-7000-8000-000000000012',
      'assistant',
      'Look at how the tokenizer treats a backslash before a quote.',
      'complete',
    ],
  ];
  messages.forEach(([id, role, content, status], i) =>
    db.run(
      q.insertInto('chat_messages').values({
        id,
        chat_session_id: '0193a0f0-0000-7000-8000-000000000001',
        turn_id: null,
        seq: i + 1,
        role,
        content,
        status,
        created_at: iso(25 * 60 * MINUTE + i * 1000),
      }),
    ),
  );

  const writer = new ActionLogWriter(db, new Logger([], 'silent'));
  const enqueue = (sessionId: number, actionType: string, data: unknown, at: string): void =>
    writer.enqueue({ sessionId, actionType, data, correlationId: null, createdAt: at });
  enqueue(richSessionId, 'file_open', { path: 'src/tokenizer.ts' }, iso(25 * 60 * MINUTE));
  enqueue(
    richSessionId,
    'command_run',
    { command: `curl -H "Authorization: Bearer ${PLANTED_GH_TOKEN}" api`, token: PLANTED_GH_TOKEN },
    iso(25 * 60 * MINUTE + 1000),
  );
  enqueue(
    richSessionId,
    'file_save',
    { path: 'src/tokenizer.ts', apiKey: PLANTED_API_KEY },
    iso(25 * 60 * MINUTE + 2000),
  );
  writer.flushAll();
  const extra = opts.actions ?? 0;
  for (let i = 0; i < extra; i++) {
    const word = ACTION_WORDS[i % ACTION_WORDS.length] as string;
    enqueue(
      sessionIds[i % sessionIds.length] as number,
      'file_save',
      { path: `src/${word}/${word}-${i % 977}.ts` },
      iso(i * 1000),
    );
    if (writer.pending >= 5_000) writer.flushAll();
  }
  writer.flushAll();
  writer.close();
  db.close();

  // Secrets where the app keeps settings and logs: an export must never carry them.
  fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ llm: { apiKey: PLANTED_API_KEY } }), {
    mode: 0o600,
  });
  fs.mkdirSync(path.join(dataDir, 'logs'), { recursive: true });
  fs.writeFileSync(
    path.join(dataDir, 'logs', 'paige-2026-11-01.log'),
    JSON.stringify({ msg: 'x', token: PLANTED_GH_TOKEN, key: PLANTED_API_KEY }) + '\n',
  );
  return { dataDir, projectDir, richSessionId, activeSessionId, sessionIds };
}
