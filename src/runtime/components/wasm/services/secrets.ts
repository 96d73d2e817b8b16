import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../../fs/atomic';

/**
 * The studio's development secrets, per tenant. Components read them through
 * greentic:secrets-store; the UI may set and clear them but only ever learns which keys are set.
 */
export interface SecretsStore {
  get(tenant: string, key: string): Promise<Uint8Array | null>;
  put(tenant: string, key: string, value: Uint8Array): Promise<void>;
  delete(tenant: string, key: string): Promise<boolean>;
  keys(tenant: string): Promise<string[]>;
}

/** Seals secret values at rest; the desktop app supplies one backed by the OS key store. */
export interface SecretsCipher {
  seal(plain: Uint8Array): Uint8Array;
  open(sealed: Uint8Array): Uint8Array;
}

const SECRET_KEY = /^(?!\/)[A-Za-z0-9._/-]+$/;
export const MAX_SECRET_BYTES = 64 * 1024;

/** Upstream's key rules (greentic-types SecretRequirement): charset, no leading `/`, no `..` segment. */
export function isValidSecretKey(key: string): boolean {
  return key.length <= 256 && SECRET_KEY.test(key) && !key.split('/').includes('..');
}

interface SecretsFile {
  version: 1;
  tenants: Record<string, Record<string, string>>;
}

/** Secrets in one JSON file (mode 0600), values sealed by the cipher when one is given. */
export class FileSecretsStore implements SecretsStore {
  private data: Promise<SecretsFile> | null = null;
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly cipher: SecretsCipher | null = null,
  ) {}

  async get(tenant: string, key: string): Promise<Uint8Array | null> {
    const encoded = (await this.load()).tenants[tenant]?.[key];
    if (encoded === undefined) return null;
    const bytes = Buffer.from(encoded, 'base64');
    return this.cipher ? this.cipher.open(bytes) : new Uint8Array(bytes);
  }

  async put(tenant: string, key: string, value: Uint8Array): Promise<void> {
    assertSecret(key, value);
    await this.update((data) => {
      const sealed = this.cipher ? this.cipher.seal(value) : value;
      (data.tenants[tenant] ??= {})[key] = Buffer.from(sealed).toString('base64');
      return true;
    });
  }

  async delete(tenant: string, key: string): Promise<boolean> {
    let removed = false;
    await this.update((data) => {
      const secrets = data.tenants[tenant];
      removed = secrets !== undefined && key in secrets;
      if (removed && secrets) delete secrets[key];
      return removed;
    });
    return removed;
  }

  async keys(tenant: string): Promise<string[]> {
    return Object.keys((await this.load()).tenants[tenant] ?? {}).sort();
  }

  private load(): Promise<SecretsFile> {
    this.data ??= fs.readFile(this.file, 'utf8').then(
      (text) => {
        const parsed = JSON.parse(text) as Partial<SecretsFile>;
        return { version: 1, tenants: parsed.tenants ?? {} };
      },
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return { version: 1, tenants: {} };
        throw error;
      },
    );
    return this.data;
  }

  private update(change: (data: SecretsFile) => boolean): Promise<void> {
    this.writes = this.writes.then(async () => {
      const data = await this.load();
      if (!change(data)) return;
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      await writeFileAtomic(this.file, `${JSON.stringify(data, null, 2)}\n`, 0o600);
    });
    return this.writes;
  }
}

/** Secrets held in memory only (tests, one-off CLI runs). */
export class MemorySecretsStore implements SecretsStore {
  private readonly tenants = new Map<string, Map<string, Uint8Array>>();

  async get(tenant: string, key: string): Promise<Uint8Array | null> {
    return this.tenants.get(tenant)?.get(key) ?? null;
  }

  async put(tenant: string, key: string, value: Uint8Array): Promise<void> {
    assertSecret(key, value);
    let secrets = this.tenants.get(tenant);
    if (!secrets) this.tenants.set(tenant, (secrets = new Map()));
    secrets.set(key, Uint8Array.from(value));
  }

  async delete(tenant: string, key: string): Promise<boolean> {
    return this.tenants.get(tenant)?.delete(key) ?? false;
  }

  async keys(tenant: string): Promise<string[]> {
    return [...(this.tenants.get(tenant)?.keys() ?? [])].sort();
  }
}

function assertSecret(key: string, value: Uint8Array): void {
  if (!isValidSecretKey(key)) throw new RangeError(`invalid secret key ${JSON.stringify(key)}`);
  if (value.length > MAX_SECRET_BYTES) throw new RangeError(`secret ${key} is larger than ${MAX_SECRET_BYTES} bytes`);
}
