// Builds the model layer against the fake Anthropic server and an in-memory database, the way the app wires it.
import {
  startFakeAnthropic,
  type FakeAnthropic,
  type FakeAnthropicOptions,
} from '../../../../e2e/fake-anthropic/server';
import { PaigeDatabase } from '../../db/database';
import { Logger } from '../../logging/logger';
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/settings/schema';
import { ApiKeyService, type LlmState } from '../api-key';
import { BudgetGuard, type BudgetWarning } from '../budget';
import { LlmClient } from '../client';
import { ApiCallLedger } from '../ledger';
import { HeadlessSecretStore, type SecretStore } from '../secret-store';

export interface Harness {
  fake: FakeAnthropic;
  db: PaigeDatabase;
  llm: Settings['llm'];
  env: Record<string, string | undefined>;
  keys: ApiKeyService;
  ledger: ApiCallLedger;
  budget: BudgetGuard;
  client: LlmClient;
  logLines: Record<string, unknown>[];
  states: LlmState[];
  warnings: BudgetWarning[];
  rows(): {
    model: string;
    call_type: string;
    attempt: number;
    status: string;
    error_code: string | null;
    latency_ms: number;
    input_tokens: number;
    output_tokens: number;
    cache_read_tokens: number;
    cache_write_tokens: number;
    cost_estimate: number;
    input_hash: string | null;
  }[];
  close(): Promise<void>;
}

const TEST_KEY = 'sk-ant-test-0123456789abcdef';

export async function harness(
  opts: {
    fake?: FakeAnthropicOptions;
    llm?: Partial<Settings['llm']>;
    key?: string | undefined;
    store?: SecretStore;
    streamIdleMs?: number;
  } = {},
): Promise<Harness> {
  const fake = await startFakeAnthropic(opts.fake);
  const db = PaigeDatabase.open(':memory:');
  const llm: Settings['llm'] = { ...DEFAULT_SETTINGS.llm, baseUrl: fake.url, ...opts.llm };
  const env: Record<string, string | undefined> = { ANTHROPIC_API_KEY: 'key' in opts ? opts.key : TEST_KEY };
  const logLines: Record<string, unknown>[] = [];
  const logger = new Logger([{ write: (l) => void logLines.push(JSON.parse(l) as Record<string, unknown>) }], 'debug');
  const states: LlmState[] = [];
  const warnings: BudgetWarning[] = [];
  const keys = new ApiKeyService({
    env,
    store: opts.store ?? new HeadlessSecretStore(),
    onDidChangeState: (s) => void states.push(s),
  });
  const ledger = new ApiCallLedger(db);
  const budget = new BudgetGuard({
    ledger,
    limits: () => ({ dailyUsd: llm.budgetDailyUsd, monthlyUsd: llm.budgetMonthlyUsd }),
    onWarning: (w) => void warnings.push(w),
  });
  const client = new LlmClient({
    settings: () => llm,
    keys,
    ledger,
    budget,
    logger,
    random: () => 0,
    ...(opts.streamIdleMs !== undefined ? { streamIdleMs: opts.streamIdleMs } : {}),
  });
  return {
    fake,
    db,
    llm,
    env,
    keys,
    ledger,
    budget,
    client,
    logLines,
    states,
    warnings,
    rows: () => {
      ledger.flush();
      return db.sqlite.prepare('SELECT * FROM api_call_log ORDER BY id').all() as ReturnType<Harness['rows']>;
    },
    close: async () => {
      ledger.dispose();
      await fake.close();
      db.close();
    },
  };
}
