import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { KeyVaultStatus } from '../../shared/api/pack';
import { writeFileAtomic } from '../fs/atomic';
import { parsePrivateKeyPem, privateKeyToPem } from './ed25519';
import { KeyError } from './errors';

/**
 * Where private signing keys live, sealed. The desktop app seals with the OS key store (Electron
 * `safeStorage`, src/main/key-vault.ts); the CLI and tests use passphrase-encrypted PKCS#8 files.
 * Callers hand in and get back only the 32-byte seed; nothing here ever leaves the back end.
 */
export interface KeyVault {
  status(): KeyVaultStatus;
  store(id: string, seed: Uint8Array, passphrase?: string): Promise<void>;
  load(id: string, passphrase?: string): Promise<Uint8Array>;
  remove(id: string): Promise<boolean>;
}

const ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The file of one key in a vault folder; ids are checked so a file name can never escape it. */
export function vaultFile(dir: string, id: string, extension: string): string {
  if (!ID.test(id) || id.startsWith('.')) throw new KeyError(`invalid key id "${id}"`);
  return path.join(dir, `${id}${extension}`);
}

/** Private keys as encrypted PKCS#8 PEM files (PBES2: PBKDF2 and AES-256-CBC), one per key. */
export class PassphraseFileVault implements KeyVault {
  constructor(private readonly dir: string) {}

  status(): KeyVaultStatus {
    return { backend: 'passphrase', passphrase_required: true, reason: 'keys are stored as passphrase-encrypted PKCS#8 files' };
  }

  async store(id: string, seed: Uint8Array, passphrase?: string): Promise<void> {
    if (!passphrase) throw new KeyError('a passphrase is required to store a private key in this vault', 'passphrase_required');
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(vaultFile(this.dir, id, '.pem'), privateKeyToPem(seed, passphrase), 0o600);
  }

  async load(id: string, passphrase?: string): Promise<Uint8Array> {
    if (!passphrase) throw new KeyError(`key "${id}" is encrypted; its passphrase is required`, 'passphrase_required');
    let pem: string;
    try {
      pem = await fs.readFile(vaultFile(this.dir, id, '.pem'), 'utf8');
    } catch {
      throw new KeyError(`no private key "${id}" in the vault`, 'key_not_found');
    }
    return parsePrivateKeyPem(pem, passphrase).seed;
  }

  async remove(id: string): Promise<boolean> {
    try {
      await fs.rm(vaultFile(this.dir, id, '.pem'));
      return true;
    } catch {
      return false;
    }
  }
}
