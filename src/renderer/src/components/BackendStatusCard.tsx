// Version, transport, connection state and `app:health` of the backend.
import type { Health, InvokeOutput } from '../../../shared/ipc/contract';
import type { Remote } from '../hooks/use-remote';
import { formatBytes, formatUptime } from '../lib/format';
import type { ConnectionState } from '../transport/connection-state';
import type { TransportKind } from '../transport/select';
import { ErrorText } from './ErrorText';

interface Props {
  readonly transportKind: TransportKind;
  readonly connection: ConnectionState;
  readonly hello: Remote<InvokeOutput<'connection:hello'>>;
  readonly health: Remote<Health>;
}

function connectionLabel(state: ConnectionState): string {
  switch (state.status) {
    case 'open':
      return 'connected';
    case 'connecting':
      return state.generation > 0 ? 'reconnecting' : 'connecting';
    case 'reconnecting':
      return `reconnecting (${state.failures} ${state.failures === 1 ? 'failure' : 'failures'})`;
    case 'closed':
      return `closed${state.closedReason ? ` (${state.closedReason.replace('_', ' ')})` : ''}`;
  }
}

export function BackendStatusCard({ transportKind, connection, hello, health }: Props) {
  const h = health.data;
  const caps = hello.data?.capabilities;
  return (
    <section className="card" data-testid="backend-status" aria-labelledby="backend-status-title">
      <header className="card-header">
        <h2 id="backend-status-title">Backend</h2>
        <button type="button" className="button-small" onClick={health.reload} disabled={connection.status !== 'open'}>
          Refresh
        </button>
      </header>
      <dl className="kv">
        <dt>Version</dt>
        <dd data-testid="app-version">{hello.data?.appVersion ?? h?.appVersion ?? '…'}</dd>
        <dt>Transport</dt>
        <dd data-testid="transport-kind">{transportKind}</dd>
        <dt>Connection</dt>
        <dd data-testid="connection-state" data-status={connection.status}>
          <span className={`status-dot status-${connection.status}`} aria-hidden="true" />
          {connectionLabel(connection)}
        </dd>
        <dt>Health</dt>
        <dd data-testid="health-status">{h ? h.status : '…'}</dd>
        <dt>Runtime</dt>
        <dd data-testid="health-runtime">{h ? h.runtime : '…'}</dd>
        <dt>Uptime</dt>
        <dd data-testid="health-uptime">{h ? formatUptime(h.uptimeS) : '…'}</dd>
        <dt>Database</dt>
        <dd data-testid="db-ok" data-ok={h ? String(h.db.ok) : undefined}>
          {h ? (h.db.ok ? `ok · ${formatBytes(h.db.sizeBytes)}` : 'error') : '…'}
        </dd>
        <dt>DB schema</dt>
        <dd data-testid="db-schema-version">{h ? h.db.schemaVersion : '…'}</dd>
        {caps && (
          <>
            <dt>Capabilities</dt>
            <dd>
              <ul className="chips" aria-label="Capabilities" data-testid="capabilities">
                <li className={caps.llm === 'ready' ? 'chip chip-ok' : 'chip chip-off'}>
                  llm: {caps.llm.replace('_', ' ')}
                </li>
                <li className={caps.memory === 'none' ? 'chip chip-off' : 'chip chip-ok'}>memory: {caps.memory}</li>
                {(['gh', 'git', 'claude', 'pty'] as const).map((name) => (
                  <li key={name} className={caps[name] ? 'chip chip-ok' : 'chip chip-off'}>
                    {name} {caps[name] ? '✓' : '✗'}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
      </dl>
      {hello.error && <ErrorText error={hello.error} testId="hello-error" />}
      {health.error && <ErrorText error={health.error} testId="health-error" />}
    </section>
  );
}
