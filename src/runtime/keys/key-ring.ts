import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { SigningKeyInfo } from '../../shared/api/pack';
import { writeFileAtomic } from '../fs/atomic';
import { fingerprintOf, generateKeyPair, parsePrivateKeyPem, privateKeyToPem, publicKeyOf, publicKeyToPem, type Ed25519KeyPair } from './ed25519';
import { KeyError } from './errors';
import type { KeyVault } from './key-vault';

const indexFile = z.object({
  version: z.literal(1),
  keys: z.array(z.object({ id: z.string(), label: z.string(), fingerprint: z.string(), public_key_pem: z.string(), created_at: z.string() })),
});

/**
 * The user's signing keys: public facts in an index file, private halves sealed in a `KeyVault`.
 * Everything it returns is safe to show in the UI.
 */
export class KeyRing {
  constructor(
    private readonly indexPath: string,
    readonly vault: KeyVault,
  ) {}

  async list(): Promise<SigningKeyInfo[]> {
    let text: string;
    try {
      text = await fs.readFile(this.indexPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const parsed = indexFile.safeParse(JSON.parse(text));
    if (!parsed.success) throw new KeyError(`the key index ${path.basename(this.indexPath)} is damaged`);
    return parsed.data.keys;
  }

  async get(id: string): Promise<SigningKeyInfo> {
    const key = (await this.list()).find((candidate) => candidate.id === id);
    if (!key) throw new KeyError(`no signing key "${id}"`, 'key_not_found');
    return key;
  }

  async create(label: string, passphrase?: string): Promise<SigningKeyInfo> {
    return this.add(generateKeyPair(), label, passphrase);
  }

  async importPem(privateKeyPem: string, label: string, passphrase?: string, filePassphrase?: string): Promise<SigningKeyInfo> {
    return this.add(parsePrivateKeyPem(privateKeyPem, filePassphrase), label, passphrase);
  }

  /** The key pair, unsealed for one signing operation; stays in the back end. */
  async unseal(id: string, passphrase?: string): Promise<Ed25519KeyPair> {
    await this.get(id);
    const seed = await this.vault.load(id, passphrase);
    return { seed, publicKey: publicKeyOf(seed) };
  }

  async exportPrivatePem(id: string, passphrase?: string): Promise<string> {
    const { seed } = await this.unseal(id, passphrase);
    return privateKeyToPem(seed, passphrase);
  }

  async remove(id: string): Promise<boolean> {
    const keys = await this.list();
    const kept = keys.filter((key) => key.id !== id);
    if (kept.length === keys.length) return false;
    await this.vault.remove(id);
    await this.save(kept);
    return true;
  }

  private async add(pair: Ed25519KeyPair, label: string, passphrase?: string): Promise<SigningKeyInfo> {
    const fingerprint = fingerprintOf(pair.publicKey);
    const keys = await this.list();
    const existing = keys.find((key) => key.fingerprint === fingerprint);
    if (existing) return existing;
    const info: SigningKeyInfo = {
      id: `key-${fingerprint.slice(0, 16)}-${randomBytes(2).toString('hex')}`,
      label,
      fingerprint,
      public_key_pem: publicKeyToPem(pair.publicKey),
      created_at: new Date().toISOString(),
    };
    await this.vault.store(info.id, pair.seed, passphrase);
    await this.save([...keys, info]);
    return info;
  }

  private async save(keys: SigningKeyInfo[]): Promise<void> {
    await fs.mkdir(path.dirname(this.indexPath), { recursive: true });
    await writeFileAtomic(this.indexPath, JSON.stringify({ version: 1, keys }, null, 2) + '\n');
  }
}
