import { StudioError, type NatsAuthMode, type NatsProfileInput, type NatsProfileSummary } from '../../shared/api';
import { readJsonFile, SerialQueue, writeJsonFile } from './json-file';
import { parseCredentials, publicKeyOfSeed } from './nats-credentials';
import type { NatsAuth, ResolvedNatsProfile } from './nats-profile';
import type { SecretVault } from './vault';

/** What the profiles file keeps per profile: everything but the secrets, which live in the vault. */
interface StoredProfile {
  name: string;
  servers: string[];
  auth: { mode: NatsAuthMode; user?: string; publicKey?: string };
  tls: { enabled: boolean; ca?: string; cert?: string };
}

interface ProfilesFile {
  version: 1;
  profiles: StoredProfile[];
}

const MAX_PROFILES_BYTES = 4 * 1024 * 1024;

/** The vault field holding the secret of each auth mode. */
const SECRET_FIELD: Record<NatsAuthMode, keyof SecretInputs | null> = {
  none: null,
  userpass: 'password',
  token: 'token',
  nkey: 'seed',
  creds: 'creds',
};

interface SecretInputs {
  password?: string;
  token?: string;
  seed?: string;
  creds?: string;
}

const secretKey = (profile: string, field: string) => `nats-profile/${profile}/${field}`;
const TLS_KEY_FIELD = 'tls-key';

/**
 * Named NATS connection profiles: the public part in a JSON file, the secrets (password, token, NKEY
 * seed, credentials, TLS client key) in a `SecretVault`.
 */
export class NatsProfileStore {
  private readonly queue = new SerialQueue();

  constructor(
    private readonly file: string,
    private readonly vault: SecretVault,
  ) {}

  async list(): Promise<NatsProfileSummary[]> {
    const profiles = await this.read();
    return Promise.all(profiles.map((profile) => this.summarize(profile)));
  }

  save(input: NatsProfileInput): Promise<NatsProfileSummary> {
    return this.queue.run(async () => {
      const profiles = await this.read();
      const previous = profiles.find((p) => p.name === input.name);
      const stored = await this.storeSecrets(input, previous);
      const next = [...profiles.filter((p) => p.name !== input.name), stored].sort((a, b) => a.name.localeCompare(b.name));
      await this.write(next);
      return this.summarize(stored);
    });
  }

  remove(name: string): Promise<boolean> {
    return this.queue.run(async () => {
      const profiles = await this.read();
      if (!profiles.some((p) => p.name === name)) return false;
      await this.write(profiles.filter((p) => p.name !== name));
      for (const field of [...Object.values(SECRET_FIELD), TLS_KEY_FIELD]) {
        if (field) await this.vault.delete(secretKey(name, field));
      }
      return true;
    });
  }

  /** The profile with its secrets, for opening a connection in the back end. */
  async resolve(name: string): Promise<ResolvedNatsProfile> {
    const profile = (await this.read()).find((p) => p.name === name);
    if (!profile) throw new StudioError('not_found', `there is no NATS profile named "${name}"`);
    const secret = async (field: string) => {
      const value = await this.vault.get(secretKey(name, field));
      if (value === undefined) throw new StudioError('not_found', `the ${field} of NATS profile "${name}" is missing from the secret store`);
      return value;
    };
    const auth: NatsAuth = await (async (): Promise<NatsAuth> => {
      switch (profile.auth.mode) {
        case 'none':
          return { mode: 'none' };
        case 'userpass':
          return { mode: 'userpass', user: profile.auth.user ?? '', password: await secret('password') };
        case 'token':
          return { mode: 'token', token: await secret('token') };
        case 'nkey':
          return { mode: 'nkey', seed: await secret('seed') };
        case 'creds':
          return { mode: 'creds', creds: await secret('creds') };
      }
    })();
    const tlsKey = profile.tls.enabled ? await this.vault.get(secretKey(name, TLS_KEY_FIELD)) : undefined;
    const tls = profile.tls.enabled
      ? { ...(profile.tls.ca ? { ca: profile.tls.ca } : {}), ...(profile.tls.cert ? { cert: profile.tls.cert } : {}), ...(tlsKey ? { key: tlsKey } : {}) }
      : null;
    return { name, servers: profile.servers, auth, tls };
  }

  private async storeSecrets(input: NatsProfileInput, previous: StoredProfile | undefined): Promise<StoredProfile> {
    const mode = input.auth.mode;
    const field = SECRET_FIELD[mode];
    const given = field ? (input.auth as SecretInputs)[field] : undefined;
    const keepsSecret = previous?.auth.mode === mode && field !== null && (await this.vault.has(secretKey(input.name, field)));
    if (field && given === undefined && !keepsSecret) {
      throw new StudioError('bad_request', `NATS profile "${input.name}" needs a ${field} for ${mode} authentication`);
    }

    let publicKey = mode === previous?.auth.mode ? previous.auth.publicKey : undefined;
    if (given !== undefined && mode === 'nkey') publicKey = publicKeyOfSeed(given);
    if (given !== undefined && mode === 'creds') publicKey = parseCredentials(given).publicKey;

    const tlsInput = input.tls ?? { enabled: false };
    const tls = {
      enabled: tlsInput.enabled,
      ...pick('ca', tlsInput.ca, previous?.tls.ca),
      ...pick('cert', tlsInput.cert, previous?.tls.cert),
    };
    const tlsKey = secretKey(input.name, TLS_KEY_FIELD);
    const hasKey = tlsInput.key === undefined ? await this.vault.has(tlsKey) : tlsInput.key !== null;
    if (tls.enabled && hasKey !== Boolean(tls.cert)) {
      throw new StudioError('bad_request', `NATS profile "${input.name}": a TLS client certificate and its key go together`);
    }

    // Everything is checked; only now does the vault change.
    if (field && given !== undefined) await this.vault.set(secretKey(input.name, field), mode === 'nkey' ? given.trim() : given);
    for (const other of Object.values(SECRET_FIELD)) {
      if (other && other !== field) await this.vault.delete(secretKey(input.name, other));
    }
    if (tlsInput.key === null) await this.vault.delete(tlsKey);
    else if (tlsInput.key !== undefined) await this.vault.set(tlsKey, tlsInput.key);

    return {
      name: input.name,
      servers: input.servers,
      auth: { mode, ...(input.auth.mode === 'userpass' ? { user: input.auth.user } : {}), ...(publicKey ? { publicKey } : {}) },
      tls,
    };
  }

  private async summarize(profile: StoredProfile): Promise<NatsProfileSummary> {
    const field = SECRET_FIELD[profile.auth.mode];
    return {
      name: profile.name,
      servers: profile.servers,
      auth: {
        mode: profile.auth.mode,
        ...(profile.auth.user !== undefined ? { user: profile.auth.user } : {}),
        hasSecret: field === null ? false : await this.vault.has(secretKey(profile.name, field)),
        ...(profile.auth.publicKey ? { publicKey: profile.auth.publicKey } : {}),
      },
      tls: {
        enabled: profile.tls.enabled,
        hasCa: Boolean(profile.tls.ca),
        hasClientCert: Boolean(profile.tls.cert),
        hasClientKey: await this.vault.has(secretKey(profile.name, TLS_KEY_FIELD)),
      },
    };
  }

  private async read(): Promise<StoredProfile[]> {
    const parsed = (await readJsonFile(this.file, MAX_PROFILES_BYTES, 'the NATS profiles file')) as Partial<ProfilesFile> | null | undefined;
    if (parsed === undefined) return [];
    if (parsed?.version !== 1 || !Array.isArray(parsed.profiles)) {
      throw new StudioError('io_error', `the NATS profiles file ${this.file} is not a version 1 profiles file`);
    }
    return parsed.profiles;
  }

  private async write(profiles: StoredProfile[]): Promise<void> {
    const body: ProfilesFile = { version: 1, profiles };
    await writeJsonFile(this.file, body);
  }
}

/** `value` replaces, `null` removes, `undefined` keeps `previous`. */
function pick<K extends string>(key: K, value: string | null | undefined, previous: string | undefined): Partial<Record<K, string>> {
  const chosen = value === undefined ? previous : value;
  return chosen ? ({ [key]: chosen } as Record<K, string>) : {};
}
