// The list of backend errors (`app:error` events) shown in the error banner (pure; no DOM, no React).
import type { PaigeClient } from '../../../shared/ipc/client';
import { Emitter } from '../../../shared/lifecycle';

interface AppErrorInput {
  readonly code: string;
  readonly message: string;
  readonly cid?: string | undefined;
}

export interface AppErrorItem extends AppErrorInput {
  readonly id: number;
  readonly receivedAt: number;
}

/** @visibleForTesting */
export const MAX_APP_ERRORS = 50;

function errorKey(error: AppErrorInput): string {
  return `${error.code}\u0000${error.message}\u0000${error.cid ?? ''}`;
}

/**
 * Holds the errors to show. The backend replays sticky errors to every new subscriber (and so after every bridge
 * reconnect): an error identical to one on screen is dropped, and one with a correlation id that was already shown
 * (even if dismissed since) is not shown again.
 */
export class AppErrorStore {
  private items: readonly AppErrorItem[] = [];
  private readonly seenWithCid = new Set<string>();
  private readonly changed = new Emitter<void>();
  private nextId = 1;

  constructor(private readonly now: () => number = Date.now) {}

  getSnapshot = (): readonly AppErrorItem[] => this.items;

  subscribe = (listener: () => void): (() => void) => {
    const sub = this.changed.event(listener);
    return () => sub.dispose();
  };

  push(error: AppErrorInput): void {
    const key = errorKey(error);
    if (this.items.some((item) => errorKey(item) === key)) return;
    if (error.cid !== undefined) {
      if (this.seenWithCid.has(key)) return;
      this.seenWithCid.add(key);
    }
    const item: AppErrorItem = {
      id: this.nextId++,
      code: error.code,
      message: error.message,
      cid: error.cid,
      receivedAt: this.now(),
    };
    this.items = [...this.items, item].slice(-MAX_APP_ERRORS);
    this.emit();
  }

  dismiss(id: number): void {
    const next = this.items.filter((item) => item.id !== id);
    if (next.length === this.items.length) return;
    this.items = next;
    this.emit();
  }

  dismissAll(): void {
    if (this.items.length === 0) return;
    this.items = [];
    this.emit();
  }

  /** Subscribes to `app:error`; call before the transport connects so startup errors are not missed. */
  attach(client: PaigeClient): () => void {
    return client.on('app:error', (payload) => {
      this.push({ code: payload.code, message: payload.message, cid: payload.cid });
    });
  }

  private emit(): void {
    this.changed.fire();
  }
}
