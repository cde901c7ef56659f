// Banners of the model layer: why AI features are off (no key, or a key the API rejected) and what to do, kept live
// from `app:capabilities`; and a spend-limit warning (`llm:budget_warning`), shown once per period and level.
import { useCallback, useState } from 'react';
import type { EventPayload, InvokeOutput } from '../../../shared/ipc/contract';
import { useRemote } from '../hooks/use-remote';
import { useConnectionState, usePaige, usePaigeEvent } from '../state/paige-context';

type LlmState = InvokeOutput<'llm:usage'>['state'];
type BudgetWarning = EventPayload<'llm:budget_warning'>;

function usd(n: number): string {
  return `$${n < 1 ? n.toFixed(4) : n.toFixed(2)}`;
}

function KeyBanner({ state, storable }: { state: LlmState; storable: boolean }) {
  if (state === 'ready') return null;
  const where = storable
    ? 'Add a key in Home → Settings → AI, or start Paige with ANTHROPIC_API_KEY set.'
    : 'Start Paige with the ANTHROPIC_API_KEY environment variable set (this Paige cannot store a key).';
  return (
    <div className="banner banner-warn" role="alert" data-testid="llm-banner" data-state={state}>
      {state === 'no_key' ? (
        <span>AI features are off: Paige has no Anthropic API key.</span>
      ) : (
        <span>AI features are off: the Anthropic API rejected the API key as invalid.</span>
      )}
      <span className="banner-detail">
        {state === 'no_key'
          ? where
          : 'Replace the key in Home → Settings → AI (or fix ANTHROPIC_API_KEY and restart), then press Test key.'}
      </span>
    </div>
  );
}

function BudgetBanner({ warning, onDismiss }: { warning: BudgetWarning; onDismiss: () => void }) {
  const period = warning.period === 'daily' ? 'daily' : 'monthly';
  return (
    <div
      className={`banner ${warning.state === 'exceeded' ? 'banner-error' : 'banner-warn'}`}
      role="alert"
      data-testid="llm-budget-warning"
      data-state={warning.state}
      data-period={warning.period}
    >
      <span>
        {warning.state === 'exceeded'
          ? `The ${period} AI spend limit of ${usd(warning.limitUsd)} is reached: AI features pause until it resets.`
          : `AI spend is at ${usd(warning.spentUsd)} of the ${period} limit of ${usd(warning.limitUsd)}.`}
      </span>
      <span className="banner-detail">Raise or clear the limit in Home → Settings → AI.</span>
      <button type="button" className="button-icon" aria-label="Dismiss spend warning" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}

export function ModelLayerBanners() {
  const { client } = usePaige().connection;
  const connection = useConnectionState();
  const loadUsage = useCallback(() => client.invoke('llm:usage'), [client]);
  // Without the model layer `llm:usage` fails and nothing shows.
  const usage = useRemote(loadUsage, connection.generation, connection.generation > 0);
  // The latest `app:capabilities` state, valid for the connection it arrived on (a reconnect reloads usage).
  const [live, setLive] = useState<{ generation: number; state: LlmState } | null>(null);
  const [warning, setWarning] = useState<BudgetWarning | null>(null);
  const [seen, setSeen] = useState<ReadonlySet<string>>(new Set());

  usePaigeEvent('app:capabilities', (caps) => {
    setLive({ generation: connection.generation, state: caps.llm });
    // The key's source may have changed with it; refresh what the advice depends on.
    usage.reload();
  });
  usePaigeEvent('llm:budget_warning', (w) => {
    const id = `${w.period}:${w.state}`;
    if (seen.has(id)) return;
    setSeen(new Set([...seen, id]));
    setWarning(w);
  });

  const state = (live?.generation === connection.generation ? live.state : null) ?? usage.data?.state ?? null;
  return (
    <>
      {state && usage.data ? <KeyBanner state={state} storable={usage.data.apiKey.storable} /> : null}
      {warning ? <BudgetBanner warning={warning} onDismiss={() => setWarning(null)} /> : null}
    </>
  );
}
