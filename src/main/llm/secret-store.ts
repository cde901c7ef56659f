// Where a user-entered API key is kept: OS-keychain-backed encryption (Electron safeStorage) in {dataDir}/secrets.bin,
// or nowhere — a store that cannot encrypt refuses, and the key has to come from ANTHROPIC_API_KEY instead.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PaigeError } from '../../shared/ipc/errors';

export interface SecretStore {
  /** Why keys cannot be stored here, or null when they can. */
  unavailableReason(): string | null;
  get(): string | undefined;
  /** Throws SECURE_STORAGE_UNAVAILABLE when the store cannot encrypt. */
  set(apiKey: string): void;
  /** True when a stored key was removed. */
  clear(): boolean;
}

/** The slice of Electron's safeStorage the store needs; built in src/main/electron/ so nothing else imports Electron. */
export interface SafeStorageAdapter {
  isEncryptionAvailable(): boolean;
  /** Linux only: the backend Chromium selected (`basic_text` means no keychain, so no real protection). */
  selectedBackend(): string | undefined;
  encryptString(plain: string): Buffer;
  decryptString(cipher: Buffer): string;
}

const ENV_ROUTE = 'Set the ANTHROPIC_API_KEY environment variable before starting Paige instead.';

/** Headless (`paige serve`, CLI): there is no OS keychain-backed store, so storing is refused. */
export class HeadlessSecretStore implements SecretStore {
  unavailableReason(): string {
    return `This Paige runs without a desktop keychain, so it cannot store an API key securely. ${ENV_ROUTE}`;
  }
  get(): undefined {
    return undefined;
  }
  set(_apiKey: string): never {
    throw new PaigeError('SECURE_STORAGE_UNAVAILABLE', this.unavailableReason(), { env: 'ANTHROPIC_API_KEY' });
  }
  clear(): boolean {
    return false;
  }
}

const SecretsFileSchema = z.object({ anthropicApiKey: z.string().min(1).optional() });

/** Owner read/write only: the file holds ciphertext, but nobody else needs to read it. */
const SECRETS_FILE_MODE = 0o600;

export class SafeStorageSecretStore implements SecretStore {
  readonly file: string;
  /** The decrypted key, read once: decrypting may reach the OS keychain, which is slow and may prompt the user. */
  private cached: { key: string | undefined } | undefined;

  constructor(
    private readonly adapter: SafeStorageAdapter,
    dataDir: string,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {
    this.file = path.join(dataDir, 'secrets.bin');
  }

  unavailableReason(): string | null {
    if (!this.adapter.isEncryptionAvailable()) {
      return `The OS keychain is not available, so Paige cannot store an API key securely. ${ENV_ROUTE}`;
    }
    if (this.platform === 'linux' && this.adapter.selectedBackend() === 'basic_text') {
      return `No keyring (GNOME Keyring or KWallet) is running, so Paige cannot store an API key securely. ${ENV_ROUTE}`;
    }
    return null;
  }

  get(): string | undefined {
    this.cached ??= { key: this.read() };
    return this.cached.key;
  }

  private read(): string | undefined {
    if (this.unavailableReason() !== null) return undefined;
    let cipher: Buffer;
    try {
      cipher = fs.readFileSync(this.file);
    } catch {
      return undefined;
    }
    try {
      const parsed = SecretsFileSchema.safeParse(JSON.parse(this.adapter.decryptString(cipher)));
      return parsed.success ? parsed.data.anthropicApiKey : undefined;
    } catch {
      // Encrypted under another OS user or keychain: unreadable, treated as absent.
      return undefined;
    }
  }

  set(apiKey: string): void {
    const reason = this.unavailableReason();
    if (reason !== null) throw new PaigeError('SECURE_STORAGE_UNAVAILABLE', reason, { env: 'ANTHROPIC_API_KEY' });
    const cipher = this.adapter.encryptString(JSON.stringify({ anthropicApiKey: apiKey }));
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, cipher, { mode: SECRETS_FILE_MODE });
    fs.chmodSync(tmp, SECRETS_FILE_MODE);
    fs.renameSync(tmp, this.file);
    this.cached = { key: apiKey };
  }

  clear(): boolean {
    this.cached = { key: undefined };
    try {
      fs.unlinkSync(this.file);
      return true;
    } catch {
      return false;
    }
  }
}
