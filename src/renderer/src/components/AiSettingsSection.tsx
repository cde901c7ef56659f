// The AI section of Settings: the Anthropic API key (set, clear, test — the key itself never comes back from the
// backend, only whether one is present and where from), the model layer's own settings, and spend against budgets.
import { useCallback, useState, type ReactNode } from 'react';
import type { InvokeOutput } from '../../../shared/ipc/contract';
import { useRemote } from '../hooks/use-remote';
import { apiKeyPlaceholder, envOnlyKeyText } from '../lib/api-key-view';
import { toErrorInfo, type ErrorInfo } from '../lib/error-info';
import { useConnectionState, usePaige, usePaigeEvent } from '../state/paige-context';
import { ErrorText } from './ErrorText';

type Usage = InvokeOutput<'llm:usage'>;
type Period = Usage['daily'];
type TestResult = InvokeOutput<'settings:test_api_key'>;

const SOURCE_LABEL: Readonly<Record<Usage['apiKey']['source'], string>> = {
  env: 'from ANTHROPIC_API_KEY',
  store: 'stored in the OS keychain',
  none: 'not set',
};

const STATE_LABEL: Readonly<Record<Usage['state'], string>> = {
  ready: 'ready',
  no_key: 'off (no key)',
  invalid_key: 'off (key rejected)',
};

function usd(n: number): string {
  return `$${n < 1 ? n.toFixed(4) : n.toFixed(2)}`;
}

function PeriodLine({ label, p }: { label: string; p: Period }) {
  return (
    <li data-testid={`llm-spend-${p.period}`} data-state={p.state}>
      {label}: <strong>{usd(p.spentUsd)}</strong>
      {p.limitUsd !== null ? ` of ${usd(p.limitUsd)}` : ' (no limit)'}
      {p.state !== 'ok' ? (
        <span className={`badge ${p.state === 'exceeded' ? 'badge-error' : 'badge-warn'}`}>
          {p.state === 'exceeded' ? 'limit reached' : 'over 80 %'}
        </span>
      ) : null}
    </li>
  );
}

export function AiSettingsSection({ children, onKeyChanged }: { children: ReactNode; onKeyChanged: () => void }) {
  const { client } = usePaige().connection;
  const connection = useConnectionState();
  const connected = connection.status === 'open';
  const loadUsage = useCallback(() => client.invoke('llm:usage'), [client]);
  const usage = useRemote(loadUsage, connection.generation, connection.generation > 0);
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState<'set' | 'clear' | 'test' | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [test, setTest] = useState<TestResult | null>(null);

  const reload = usage.reload;
  usePaigeEvent('app:capabilities', reload);
  usePaigeEvent('llm:budget_warning', reload);
  usePaigeEvent('settings:changed', reload);

  async function run(kind: 'set' | 'clear' | 'test', action: () => Promise<string | null>): Promise<void> {
    setBusy(kind);
    setError(null);
    setNotice(null);
    if (kind !== 'test') setTest(null);
    try {
      setNotice(await action());
    } catch (err) {
      setError(toErrorInfo(err));
    } finally {
      setBusy(null);
      reload();
    }
  }

  const setKey = (): Promise<void> =>
    run('set', async () => {
      const apiKey = draft.trim();
      // The field is cleared either way: a refused key must not linger on screen.
      setDraft('');
      await client.invoke('settings:set_api_key', { apiKey });
      onKeyChanged();
      return 'API key stored.';
    });
  const clearKey = (): Promise<void> =>
    run('clear', async () => {
      const { cleared } = await client.invoke('settings:clear_api_key');
      onKeyChanged();
      return cleared ? 'Stored API key removed.' : 'No stored API key to remove.';
    });
  const testKey = (): Promise<void> =>
    run('test', async () => {
      setTest(await client.invoke('settings:test_api_key'));
      return null;
    });

  const u = usage.data;
  return (
    <fieldset className="settings-section settings-ai" data-testid="settings-ai">
      <legend>AI</legend>
      {u ? (
        <p className="ai-key-status" data-testid="ai-key-status" data-state={u.state} data-source={u.apiKey.source}>
          API key: <strong>{SOURCE_LABEL[u.apiKey.source]}</strong> · model layer {STATE_LABEL[u.state]}
        </p>
      ) : null}
      {u && !u.apiKey.storable ? (
        <div className="notice" data-testid="api-key-env-route">
          <p data-testid="api-key-origin">{envOnlyKeyText(u.apiKey)}</p>
          <p>
            {u.apiKey.storeUnavailableReason ?? 'This Paige cannot store an API key.'} For example:{' '}
            <code>ANTHROPIC_API_KEY=sk-ant-… paige serve</code>
          </p>
        </div>
      ) : null}
      <div className="ai-key-row">
        {u?.apiKey.storable ? (
          <>
            <label htmlFor="api-key-input">Anthropic API key</label>
            <input
              id="api-key-input"
              type="password"
              autoComplete="off"
              spellCheck={false}
              placeholder={apiKeyPlaceholder(u.apiKey)}
              value={draft}
              data-testid="api-key-input"
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={(e) => {
                // Enter stores the key; it must not submit the surrounding settings form.
                if (e.key !== 'Enter') return;
                e.preventDefault();
                if (draft.trim() !== '' && busy === null) void setKey();
              }}
            />
            <button
              type="button"
              data-testid="api-key-set"
              disabled={!connected || busy !== null || draft.trim() === ''}
              onClick={() => void setKey()}
            >
              {busy === 'set' ? 'Storing…' : 'Store key'}
            </button>
            <button
              type="button"
              data-testid="api-key-clear"
              disabled={!connected || busy !== null || u.apiKey.source !== 'store'}
              onClick={() => void clearKey()}
            >
              {busy === 'clear' ? 'Removing…' : 'Remove stored key'}
            </button>
          </>
        ) : null}
        {/* Without a store and without an env key there is nothing to test. */}
        {u?.apiKey.storable || u?.apiKey.present ? (
          <button
            type="button"
            data-testid="api-key-test"
            disabled={!connected || busy !== null || u?.apiKey.present !== true}
            onClick={() => void testKey()}
          >
            {busy === 'test' ? 'Testing…' : 'Test key'}
          </button>
        ) : null}
      </div>
      {busy === 'test' ? (
        <p className="muted" role="status" data-testid="api-key-testing">
          Sending a one-token request…
        </p>
      ) : null}
      {test ? (
        test.ok ? (
          <p className="ok-text" role="status" data-testid="api-key-test-result" data-ok="true">
            The key works{test.model ? ` (answered by ${test.model})` : ''}.
          </p>
        ) : (
          <p className="inline-error" role="alert" data-testid="api-key-test-result" data-ok="false">
            The key test failed: {test.error ?? 'unknown error'}
          </p>
        )
      ) : null}
      {notice ? (
        <p className="ok-text" role="status" data-testid="api-key-notice">
          {notice}
        </p>
      ) : null}
      {error ? <ErrorText error={error} testId="api-key-error" /> : null}
      <div className="settings-grid">{children}</div>
      {u ? (
        <div className="ai-spend" data-testid="llm-spend">
          <h3>Spend so far</h3>
          <ul>
            <PeriodLine label="Today (UTC)" p={u.daily} />
            <PeriodLine label="This month (UTC)" p={u.monthly} />
          </ul>
          {u.byCallType.length > 0 ? (
            <table className="ai-usage-table">
              <thead>
                <tr>
                  <th>This month</th>
                  <th>Calls</th>
                  <th>Input tok.</th>
                  <th>Cache read</th>
                  <th>Output tok.</th>
                  <th>Cost</th>
                </tr>
              </thead>
              <tbody>
                {u.byCallType.map((c) => (
                  <tr key={c.callType}>
                    <td>{c.callType}</td>
                    <td>
                      {c.calls}
                      {c.errors > 0 ? ` (${c.errors} failed)` : ''}
                    </td>
                    <td>{c.inputTokens}</td>
                    <td>{c.cacheReadTokens}</td>
                    <td>{c.outputTokens}</td>
                    <td>{usd(c.costUsd)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      ) : null}
      {usage.error ? <ErrorText error={usage.error} testId="llm-usage-error" /> : null}
    </fieldset>
  );
}
