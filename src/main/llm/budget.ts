// Daily and monthly spend limits (UTC day and month, off by default): a warning once at 80 %, background call types
// refused from 80 %, every call refused at 100 % with LLM_BUDGET_EXCEEDED.
import { PaigeError } from '../../shared/ipc/errors';
import type { ApiCallLedger } from './ledger';

type BudgetPeriod = 'daily' | 'monthly';

/** Spend share at which the UI warns and background features stop, so interactive ones keep the rest. */
const BUDGET_WARN_FRACTION = 0.8;

/** Call types nobody is waiting for: they stop at the warning threshold. */
const BACKGROUND_CALL_TYPES: ReadonlySet<string> = new Set(['triage_model', 'issue_suitability']);

interface BudgetLimits {
  dailyUsd: number | null;
  monthlyUsd: number | null;
}

interface PeriodStatus {
  period: BudgetPeriod;
  limitUsd: number | null;
  spentUsd: number;
  /** ISO start of the period (UTC). */
  since: string;
  state: 'ok' | 'warning' | 'exceeded';
}

interface BudgetStatus {
  daily: PeriodStatus;
  monthly: PeriodStatus;
}

export interface BudgetWarning {
  period: BudgetPeriod;
  limitUsd: number;
  spentUsd: number;
  state: 'warning' | 'exceeded';
}

interface BudgetGuardDeps {
  ledger: ApiCallLedger;
  limits: () => BudgetLimits;
  now?: () => Date;
  /** Called once per period and state when spend crosses 80 % and again at 100 %. */
  onWarning?: (w: BudgetWarning) => void;
}

export function periodStart(period: BudgetPeriod, now: Date): Date {
  return period === 'daily'
    ? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))
    : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

export class BudgetGuard {
  private readonly warned = new Set<string>();
  private readonly now: () => Date;

  constructor(private readonly deps: BudgetGuardDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  status(): BudgetStatus {
    const limits = this.deps.limits();
    const now = this.now();
    return {
      daily: this.periodStatus('daily', limits.dailyUsd, now),
      monthly: this.periodStatus('monthly', limits.monthlyUsd, now),
    };
  }

  /** Throws LLM_BUDGET_EXCEEDED when this call type may not run now; no request is sent then. */
  check(callType: string): void {
    const s = this.status();
    const background = BACKGROUND_CALL_TYPES.has(callType);
    for (const p of [s.daily, s.monthly]) {
      if (p.limitUsd === null) continue;
      if (p.state === 'exceeded' || (background && p.state === 'warning')) {
        const which = p.period === 'daily' ? 'daily' : 'monthly';
        const setting = p.period === 'daily' ? 'llm.budgetDailyUsd' : 'llm.budgetMonthlyUsd';
        const reason =
          p.state === 'exceeded'
            ? `The ${which} AI spend limit of $${p.limitUsd.toFixed(2)} is reached ($${p.spentUsd.toFixed(2)} spent).`
            : `Background AI features are paused: ${which} spend is $${p.spentUsd.toFixed(2)} of the $${p.limitUsd.toFixed(2)} limit.`;
        throw new PaigeError(
          'LLM_BUDGET_EXCEEDED',
          `${reason} Raise or clear the ${which} limit in Settings → AI (${setting}), or wait until the ${which === 'daily' ? 'next UTC day' : 'next UTC month'}.`,
          { period: p.period, limitUsd: p.limitUsd, spentUsd: p.spentUsd, setting, callType },
        );
      }
    }
  }

  /** Re-reads spend after a call and reports a threshold crossing once per period. */
  afterCall(): void {
    const s = this.status();
    for (const p of [s.daily, s.monthly]) {
      if (p.limitUsd === null || p.state === 'ok') continue;
      const key = `${p.period}:${p.since}:${p.state}`;
      if (this.warned.has(key)) continue;
      this.warned.add(key);
      this.deps.onWarning?.({ period: p.period, limitUsd: p.limitUsd, spentUsd: p.spentUsd, state: p.state });
    }
  }

  private periodStatus(period: BudgetPeriod, limitUsd: number | null, now: Date): PeriodStatus {
    const since = periodStart(period, now);
    const spentUsd = this.deps.ledger.spendSince(since);
    let state: PeriodStatus['state'] = 'ok';
    if (limitUsd !== null) {
      if (spentUsd >= limitUsd) state = 'exceeded';
      else if (spentUsd >= limitUsd * BUDGET_WARN_FRACTION) state = 'warning';
    }
    return { period, limitUsd, spentUsd, since: since.toISOString(), state };
  }
}
