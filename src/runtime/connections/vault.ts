import { StudioError } from '../../shared/api';
import { readJsonFile, SerialQueue, writeJsonFile } from './json-file';

/**
 * Seals secrets for storage at rest. The desktop app uses the OS key store (Electron `safeStorage`);
 * the CLI and tests use `KeyFileCipher`. Both are plain byte transforms, so one vault serves both.
 */
export interface SecretCipher {
  encrypt(plain: string): Promise<Uint8Array>;
  decrypt(sealed: Uint8Array): Promise<string>;
}

/** Named secrets of the back end. Values never leave it; the UI only learns whether one exists. */
export interface SecretVault {
  get(key: string): Promise<string | undefined>;
  has(key: string): Promise<boolean>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

interface VaultFile {
  version: 1;
  /** key -> base64 of the sealed value */
  secrets: Record<string, string>;
}

const MAX_VAULT_BYTES = 16 * 1024 * 1024;

/** A vault kept in one JSON file (mode 0600) whose values are sealed by a `SecretCipher`. */
export class EncryptedFileVault implements SecretVault {
  private sealed: Map<string, string> | null = null;
  private readonly queue = new SerialQueue();

  constructor(
    private readonly file: string,
    private readonly cipher: SecretCipher,
  ) {}

  get(key: string): Promise<string | undefined> {
    return this.queue.run(async () => {
      const sealed = (await this.load()).get(key);
      if (sealed === undefined) return undefined;
      try {
        return await this.cipher.decrypt(Buffer.from(sealed, 'base64'));
      } catch (error) {
        throw new StudioError('io_error', `the stored secret "${key}" cannot be decrypted: ${messageOf(error)}`);
      }
    });
  }

  has(key: string): Promise<boolean> {
    return this.queue.run(async () => (await this.load()).has(key));
  }

  set(key: string, value: string): Promise<void> {
    return this.queue.run(async () => {
      const secrets = await this.load();
      secrets.set(key, Buffer.from(await this.cipher.encrypt(value)).toString('base64'));
      await this.save(secrets);
    });
  }

  delete(key: string): Promise<void> {
    return this.queue.run(async () => {
      const secrets = await this.load();
      if (secrets.delete(key)) await this.save(secrets);
    });
  }

  private async load(): Promise<Map<string, string>> {
    if (!this.sealed) {
      const parsed = await readJsonFile(this.file, MAX_VAULT_BYTES, 'the secret store');
      this.sealed = new Map(parsed === undefined ? [] : Object.entries(checkVaultFile(parsed, this.file).secrets));
    }
    return this.sealed;
  }

  private async save(secrets: Map<string, string>): Promise<void> {
    const body: VaultFile = { version: 1, secrets: Object.fromEntries(secrets) };
    await writeJsonFile(this.file, body);
  }
}

function checkVaultFile(parsed: unknown, file: string): VaultFile {
  const candidate = parsed as Partial<VaultFile> | null;
  const secrets = candidate?.secrets;
  const valid =
    candidate?.version === 1 &&
    typeof secrets === 'object' &&
    secrets !== null &&
    Object.values(secrets).every((value) => typeof value === 'string');
  if (!valid) throw new StudioError('io_error', `the secret store ${file} is not a version 1 secret store`);
  return candidate as VaultFile;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
