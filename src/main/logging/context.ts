// Correlation context: every invoke and MCP request runs inside one, so logs and events carry its cid (docs/data.md).
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

interface CorrelationContext {
  cid: string;
  sessionId?: number;
  mcpSessionId?: string;
  ptyId?: string;
}

const storage = new AsyncLocalStorage<CorrelationContext>();

export function currentContext(): CorrelationContext | undefined {
  return storage.getStore();
}

export function currentCid(): string | undefined {
  return storage.getStore()?.cid;
}

export function newCid(): string {
  return randomUUID();
}

export function runWithContext<T>(ctx: CorrelationContext, fn: () => T): T {
  return storage.run(ctx, fn);
}
