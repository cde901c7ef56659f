// Builds the model layer's services from what the app already has; the composition root holds one of these.
import type { Settings } from '../../shared/settings/schema';
import type { PaigeDatabase } from '../db/database';
import type { HandlerMap } from '../ipc/router';
import type { Logger } from '../logging/logger';
import { ApiKeyService, type LlmState } from './api-key';
import { BudgetGuard, type BudgetWarning } from './budget';
import { LlmClient } from './client';
import { ExplainService, type ExplainServiceDeps } from './explain-service';
import { createLlmHandlers, type LlmChannel } from './handlers';
import { ApiCallLedger } from './ledger';
import type { SecretStore } from './secret-store';

interface LlmLayerDeps {
  db: PaigeDatabase;
  /** The current `llm` settings, read on every call (base URL, models, pricing, mode, timeout, budgets). */
  settings: () => Settings['llm'];
  /** Process environment: ANTHROPIC_API_KEY wins over a stored key. */
  env: Readonly<Record<string, string | undefined>>;
  /** SafeStorageSecretStore in Electron, HeadlessSecretStore in `paige serve` and the CLI. */
  secretStore: SecretStore;
  logger: Logger;
  explain: Omit<ExplainServiceDeps, 'client'>;
  /** Push `capabilities.llm` (app:capabilities) when it changes. */
  onCapabilityChange?: (state: LlmState) => void;
  /** Push `llm:budget_warning`. */
  onBudgetWarning?: (w: BudgetWarning) => void;
}

export class LlmLayer {
  readonly keys: ApiKeyService;
  readonly ledger: ApiCallLedger;
  readonly budget: BudgetGuard;
  readonly client: LlmClient;
  readonly explain: ExplainService;

  /** Construction does no I/O (the stored key is read when first needed); nothing needs starting. */
  constructor(deps: LlmLayerDeps) {
    this.keys = new ApiKeyService({
      env: deps.env,
      store: deps.secretStore,
      ...(deps.onCapabilityChange ? { onDidChangeState: deps.onCapabilityChange } : {}),
    });
    this.ledger = new ApiCallLedger(deps.db);
    this.budget = new BudgetGuard({
      ledger: this.ledger,
      limits: () => {
        const s = deps.settings();
        return { dailyUsd: s.budgetDailyUsd, monthlyUsd: s.budgetMonthlyUsd };
      },
      ...(deps.onBudgetWarning ? { onWarning: deps.onBudgetWarning } : {}),
    });
    this.client = new LlmClient({
      settings: deps.settings,
      keys: this.keys,
      ledger: this.ledger,
      budget: this.budget,
      logger: deps.logger,
    });
    this.explain = new ExplainService({ ...deps.explain, client: this.client });
  }

  /** `capabilities.llm` for connection:hello, app:health and app:capabilities. */
  get capability(): LlmState {
    return this.keys.state;
  }

  handlers(): Pick<HandlerMap, LlmChannel> {
    return createLlmHandlers(this);
  }

  /** Writes queued api_call_log rows; call before the database closes. */
  dispose(): void {
    this.ledger.dispose();
  }
}
