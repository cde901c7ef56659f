// The model layer's IPC handlers: API key set/clear/test, Explain, and spend against budgets.
import type { HandlerMap } from '../ipc/router';
import type { ApiKeyService } from './api-key';
import type { BudgetGuard } from './budget';
import type { LlmClient } from './client';
import type { ExplainService } from './explain-service';
import type { ApiCallLedger } from './ledger';
import { periodStart } from './budget';

export type LlmChannel =
  'settings:set_api_key' | 'settings:clear_api_key' | 'settings:test_api_key' | 'user:explain' | 'llm:usage';

interface LlmHandlerDeps {
  client: LlmClient;
  keys: ApiKeyService;
  budget: BudgetGuard;
  ledger: ApiCallLedger;
  explain: ExplainService;
  now?: () => Date;
}

export function createLlmHandlers(deps: LlmHandlerDeps): Pick<HandlerMap, LlmChannel> {
  const now = deps.now ?? (() => new Date());
  return {
    'settings:set_api_key': ({ apiKey }) => {
      deps.keys.set(apiKey);
      return { stored: true };
    },
    'settings:clear_api_key': () => ({ cleared: deps.keys.clear() }),
    'settings:test_api_key': () => deps.client.testKey(),
    'user:explain': (input) => deps.explain.explain(input),
    'llm:usage': () => {
      const status = deps.budget.status();
      return {
        state: deps.keys.state,
        apiKey: deps.keys.view(),
        daily: status.daily,
        monthly: status.monthly,
        byCallType: deps.ledger.usageSince(periodStart('monthly', now())),
      };
    },
  };
}
