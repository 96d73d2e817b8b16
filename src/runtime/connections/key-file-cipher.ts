import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../shared/api';
import { writeFileAtomic } from '../fs/atomic';
import type { SecretCipher } from './vault';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT_VERSION = 1;

/**
 * AES-256-GCM with a random key kept in a file readable by the owner only: the secret store of the
 * CLI and of tests, where no OS key store is at hand. The key file is created on first use.
 * Sealed layout: version (1 byte) | IV (12) | tag (16) | ciphertext.
 */
export class KeyFileCipher implements SecretCipher {
  private key: Promise<Buffer> | null = null;

  constructor(private readonly keyFile: string) {}

  async encrypt(plain: string): Promise<Uint8Array> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', await this.loadKey(), iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.of(FORMAT_VERSION), iv, cipher.getAuthTag(), body]);
  }

  async decrypt(sealed: Uint8Array): Promise<string> {
    const data = Buffer.from(sealed);
    if (data.length < 1 + IV_BYTES + TAG_BYTES || data[0] !== FORMAT_VERSION) {
      throw new Error('not a value sealed by this store');
    }
    const iv = data.subarray(1, 1 + IV_BYTES);
    const tag = data.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', await this.loadKey(), iv);
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(data.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('the key file does not match (or the value was altered)');
    }
  }

  private loadKey(): Promise<Buffer> {
    this.key ??= this.readOrCreateKey();
    return this.key;
  }

  private async readOrCreateKey(): Promise<Buffer> {
    try {
      const key = await fs.readFile(this.keyFile);
      if (key.length !== KEY_BYTES) throw new StudioError('io_error', `the key file ${this.keyFile} is not a ${KEY_BYTES}-byte key`);
      return key;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw StudioError.from(error);
    }
    const key = randomBytes(KEY_BYTES);
    await fs.mkdir(path.dirname(this.keyFile), { recursive: true });
    await writeFileAtomic(this.keyFile, key, 0o600);
    return key;
  }
}
