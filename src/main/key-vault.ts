import { promises as fs } from 'node:fs';
import type { KeyVaultStatus } from '../shared/api/pack';
import { writeFileAtomic } from '../runtime/fs/atomic';
import { parsePrivateKeyPem, privateKeyToPem } from '../runtime/keys/ed25519';
import { KeyError } from '../runtime/keys/errors';
import { PassphraseFileVault, vaultFile, type KeyVault } from '../runtime/keys/key-vault';

/**
 * The part of Electron's `safeStorage` the vault uses. The main process passes `safeStorage` itself;
 * taking it as a parameter keeps this module loadable (and testable) without the Electron binary.
 */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

/**
 * Private keys sealed with the OS key store (Keychain, DPAPI, libsecret/kwallet). When the OS offers
 * only Chromium's plaintext fallback (`basic_text` on Linux without a keyring), sealing would protect
 * nothing, so keys are instead stored as passphrase-encrypted PKCS#8 and the status says why.
 */
export class SafeStorageKeyVault implements KeyVault {
  private readonly fallback: PassphraseFileVault;

  constructor(
    private readonly dir: string,
    private readonly storage: SafeStorageLike,
  ) {
    this.fallback = new PassphraseFileVault(dir);
  }

  status(): KeyVaultStatus {
    const reason = this.unavailableReason();
    if (reason === null) return { backend: 'os', passphrase_required: false, reason: null };
    return { backend: 'passphrase', passphrase_required: true, reason: `${reason}; private keys are encrypted with a passphrase instead` };
  }

  async store(id: string, seed: Uint8Array, passphrase?: string): Promise<void> {
    if (this.unavailableReason() !== null) return this.fallback.store(id, seed, passphrase);
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(vaultFile(this.dir, id, '.sealed'), this.storage.encryptString(privateKeyToPem(seed)), 0o600);
  }

  async load(id: string, passphrase?: string): Promise<Uint8Array> {
    let sealed: Buffer;
    try {
      sealed = await fs.readFile(vaultFile(this.dir, id, '.sealed'));
    } catch {
      return this.fallback.load(id, passphrase);
    }
    const reason = this.unavailableReason();
    if (reason !== null) throw new KeyError(`key "${id}" is sealed by the OS key store, which is not available now (${reason})`, 'vault_unavailable');
    return parsePrivateKeyPem(this.storage.decryptString(sealed)).seed;
  }

  async remove(id: string): Promise<boolean> {
    const sealed = await fs.rm(vaultFile(this.dir, id, '.sealed')).then(
      () => true,
      () => false,
    );
    return (await this.fallback.remove(id)) || sealed;
  }

  private unavailableReason(): string | null {
    if (!this.storage.isEncryptionAvailable()) return 'the OS key store is not available';
    if (this.storage.getSelectedStorageBackend?.() === 'basic_text') return 'the OS offers no key store (only a plaintext backend)';
    return null;
  }
}
