import type { SecretCipher } from '../runtime/connections/vault';
import type { SafeStorageLike } from './key-vault';

/**
 * Seals NATS secrets with the OS key store. Returns null where the OS offers only Chromium's plaintext
 * fallback (`basic_text`), so the caller keeps the back end's own key-file cipher instead of storing
 * secrets that merely look encrypted.
 */
export function safeStorageCipher(storage: SafeStorageLike): SecretCipher | null {
  if (!storage.isEncryptionAvailable()) return null;
  if (storage.getSelectedStorageBackend?.() === 'basic_text') return null;
  return {
    encrypt: async (plain) => storage.encryptString(plain),
    decrypt: async (sealed) => storage.decryptString(Buffer.from(sealed)),
  };
}
