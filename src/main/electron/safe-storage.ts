// Electron's safeStorage behind the model layer's SafeStorageAdapter, so only this folder imports Electron.
import { safeStorage } from 'electron';
import type { SafeStorageAdapter } from '../llm/secret-store';

export function electronSafeStorage(): SafeStorageAdapter {
  return {
    isEncryptionAvailable: () => safeStorage.isEncryptionAvailable(),
    selectedBackend: () => (process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined),
    encryptString: (plain) => safeStorage.encryptString(plain),
    decryptString: (cipher) => safeStorage.decryptString(cipher),
  };
}
