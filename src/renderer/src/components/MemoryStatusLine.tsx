// The live state of memory under its settings: which backend answers (the Chroma index or full-text search), the
// embedder and collection, how many memories wait to be indexed, and why Chroma is not in use when it is not.
import { useCallback } from 'react';
import type { InvokeOutput } from '../../../shared/ipc/contract';
import { useRemote } from '../hooks/use-remote';
import { useConnectionState, usePaige, usePaigeEvent } from '../state/paige-context';

type Status = InvokeOutput<'memory:status'>;

function describe(s: Status): string {
  if (s.backend === 'chroma') {
    const where = s.chroma === 'url' ? 'Chroma server' : 'embedded Chroma';
    const pending = s.pending > 0 ? `, ${s.pending} waiting to be indexed` : '';
    return `Memory search: ${where} (${s.embedder}, ${s.collection})${pending}`;
  }
  return `Memory search: full-text (SQLite)${s.reason ? ` — ${s.reason}` : ''}`;
}

export function MemoryStatusLine() {
  const { client } = usePaige().connection;
  const connection = useConnectionState();
  const load = useCallback(() => client.invoke('memory:status'), [client]);
  const status = useRemote(load, connection.generation, connection.generation > 0);
  usePaigeEvent('app:capabilities', status.reload);
  usePaigeEvent('settings:changed', status.reload);
  if (!status.data) return null;
  return (
    <p className="muted" data-testid="memory-status" data-backend={status.data.backend}>
      {describe(status.data)}
    </p>
  );
}
