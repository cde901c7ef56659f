// Which Anthropic API key the model layer uses (ANTHROPIC_API_KEY wins over a stored key) and whether it works:
// the `llm` capability is ready, no_key, or invalid_key after the API rejected it with 401/403.
import type { SecretStore } from './secret-store';

export type LlmState = 'ready' | 'no_key' | 'invalid_key';
type KeySource = 'env' | 'store' | 'none';

interface ApiKeyServiceDeps {
  env: Readonly<Record<string, string | undefined>>;
  store: SecretStore;
  /** Called whenever the capability changes (a key set, cleared, rejected or accepted again). */
  onDidChangeState?: (state: LlmState) => void;
}

export class ApiKeyService {
  /** The key the API rejected; a different key clears the flag. */
  private rejectedKey: string | undefined;

  /** Reads nothing: the stored key is first read when a call or a capability check needs it. */
  constructor(private readonly deps: ApiKeyServiceDeps) {}

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

  /** False where no OS keychain-backed store exists: the key can only come from ANTHROPIC_API_KEY. */
  get storable(): boolean {
    return this.deps.store.unavailableReason() === null;
  }

  /** What Settings shows: never the key itself. */
  view(): { present: boolean; source: KeySource; storable: boolean; storeUnavailableReason: string | null } {
    const { key, source } = this.resolve();
    const reason = this.deps.store.unavailableReason();
    return { present: key !== undefined, source, storable: reason === null, storeUnavailableReason: reason };
  }

  set(apiKey: string): void {
    this.tracking(() => this.deps.store.set(apiKey));
  }

  clear(): boolean {
    return this.tracking(() => this.deps.store.clear());
  }

  /** The API answered 401/403 for this key. */
  markRejected(key: string): void {
    this.tracking(() => (this.rejectedKey = key));
  }

  /** The API accepted this key (a later success after a rejection, e.g. a key fixed on the account side). */
  markAccepted(key: string): void {
    if (this.rejectedKey !== key) return;
    this.tracking(() => (this.rejectedKey = undefined));
  }

  private tracking<T>(change: () => T): T {
    const before = this.state;
    const out = change();
    const after = this.state;
    if (after !== before) this.deps.onDidChangeState?.(after);
    return out;
  }
}
