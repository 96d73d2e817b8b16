import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { TrustedKeyInfo } from '../../shared/api/pack';
import { writeFileAtomic } from '../fs/atomic';
import { fingerprintOf, parsePublicKeyPem, publicKeyToPem } from './ed25519';
import { KeyError } from './errors';

const storeFile = z.object({
  version: z.literal(1),
  keys: z.array(z.object({ fingerprint: z.string(), label: z.string(), public_key_pem: z.string(), added_at: z.string() })),
});

/**
 * The public keys whose signatures the user trusts, kept in one JSON file. Only public keys: the
 * file may be shared or checked in.
 */
export class TrustStore {
  constructor(private readonly file: string) {}

  async list(): Promise<TrustedKeyInfo[]> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const parsed = storeFile.safeParse(JSON.parse(text));
    if (!parsed.success) throw new KeyError(`the trust store ${path.basename(this.file)} is damaged: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return parsed.data.keys;
  }

  /** Adds a key (SPKI PEM); adding the same key again only updates its label. */
  async add(publicKeyPem: string, label: string): Promise<TrustedKeyInfo> {
    const publicKey = parsePublicKeyPem(publicKeyPem);
    const entry: TrustedKeyInfo = { fingerprint: fingerprintOf(publicKey), label, public_key_pem: publicKeyToPem(publicKey), added_at: new Date().toISOString() };
    const keys = (await this.list()).filter((key) => key.fingerprint !== entry.fingerprint);
    await this.save([...keys, entry]);
    return entry;
  }

  async remove(fingerprint: string): Promise<boolean> {
    const keys = await this.list();
    const kept = keys.filter((key) => key.fingerprint !== fingerprint);
    if (kept.length === keys.length) return false;
    await this.save(kept);
    return true;
  }

  async publicKeys(): Promise<Uint8Array[]> {
    return (await this.list()).map((key) => parsePublicKeyPem(key.public_key_pem));
  }

  private async save(keys: TrustedKeyInfo[]): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, JSON.stringify({ version: 1, keys }, null, 2) + '\n');
  }
}
