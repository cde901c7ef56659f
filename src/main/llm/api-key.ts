// Which Anthropic API key the model layer uses (ANTHROPIC_API_KEY wins over a stored key) and whether it works:
// the `llm` capability is ready, no_key, or invalid_key after the API rejected it with 401/403.
import type { SecretStore } from './secret-store';

export type LlmState = 'ready' | 'no_key' | 'invalid_key';
export type KeySource = 'env' | 'store' | 'none';

export interface ApiKeyServiceDeps {
  env: Readonly<Record<string, string | undefined>>;
  store: SecretStore;
  /** Called whenever the capability changes (a key set, cleared, rejected or accepted again). */
  onDidChangeState?: (state: LlmState) => void;
}

export class ApiKeyService {
  /** The key the API rejected; a different key clears the flag. */
  private rejectedKey: string | undefined;
  private lastState: LlmState;

  constructor(private readonly deps: ApiKeyServiceDeps) {
    this.lastState = this.state;
  }

  resolve(): { key: string | undefined; source: KeySource } {
    const env = this.deps.env.ANTHROPIC_API_KEY;
    if (env !== undefined && env !== '') return { key: env, source: 'env' };
    const stored = this.deps.store.get();
    if (stored !== undefined && stored !== '') return { key: stored, source: 'store' };
    return { key: undefined, source: 'none' };
  }

  get key(): string | undefined {
    return this.resolve().key;
  }

  get state(): LlmState {
    const { key } = this.resolve();
    if (key === undefined) return 'no_key';
    return key === this.rejectedKey ? 'invalid_key' : 'ready';
  }

  /** What Settings shows: never the key itself. */
  view(): { present: boolean; source: KeySource; storable: boolean; storeUnavailableReason: string | null } {
    const { key, source } = this.resolve();
    const reason = this.deps.store.unavailableReason();
    return { present: key !== undefined, source, storable: reason === null, storeUnavailableReason: reason };
  }

  set(apiKey: string): void {
    this.deps.store.set(apiKey);
    this.changed();
  }

  clear(): boolean {
    const cleared = this.deps.store.clear();
    this.changed();
    return cleared;
  }

  /** The API answered 401/403 for this key. */
  markRejected(key: string): void {
    this.rejectedKey = key;
    this.changed();
  }

  /** The API accepted this key (a later success after a rejection, e.g. a key fixed on the account side). */
  markAccepted(key: string): void {
    if (this.rejectedKey !== key) return;
    this.rejectedKey = undefined;
    this.changed();
  }

  private changed(): void {
    const s = this.state;
    if (s === this.lastState) return;
    this.lastState = s;
    this.deps.onDidChangeState?.(s);
  }
}
