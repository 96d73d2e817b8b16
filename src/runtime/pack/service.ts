import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StudioError, type StudioErrorCode } from '../../shared/api/define';
import type { Handlers } from '../../shared/api/define';
import type { PackEntryContent, packMethods } from '../../shared/api/pack';
import type { EventBus } from '../events';
import { writeFileAtomic } from '../fs/atomic';
import { parsePublicKeyPem, publicKeyToPem } from '../keys/ed25519';
import { KeyError } from '../keys/errors';
import { KeyRing } from '../keys/key-ring';
import { PassphraseFileVault, type KeyVault } from '../keys/key-vault';
import { TrustStore } from '../keys/trust-store';
import { readArchive } from './archive/zip-reader';
import type { PackSigner } from './assemble';
import { buildPack } from './builder/build';
import { PackError, type PackErrorCode } from './errors';
import { describePack } from './inspect';
import type { PackLimits } from './limits';
import { mediaTypeFor } from './media-types';
import { openPack } from './open';
import { decodeSbomCbor, decodeSbomJson } from './sbom';
import { signPackArchive } from './sign';
import { verifyOpenedPack } from './verify';

export interface PackServiceDeps {
  events: EventBus;
  keys: KeyRing;
  trust: TrustStore;
  /** The open project's folder, for `buildPack` without an explicit project. */
  projectRoot: () => Promise<string>;
  limits?: Partial<PackLimits>;
}

/**
 * The pack domain with its key files in the studio's config folder: the key index, the vault folder
 * (the desktop app passes a `SafeStorageKeyVault` over it; otherwise passphrase-encrypted files) and
 * the trust store.
 */
export function createStudioPackHandlers(options: {
  configDir: string;
  events: EventBus;
  projectRoot: () => Promise<string>;
  vault?: (vaultDir: string) => KeyVault;
}): Handlers<typeof packMethods> {
  const vaultDir = path.join(options.configDir, 'signing-keys');
  const vault = options.vault ? options.vault(vaultDir) : new PassphraseFileVault(vaultDir);
  return createPackHandlers({
    events: options.events,
    keys: new KeyRing(path.join(options.configDir, 'signing-keys.json'), vault),
    trust: studioTrustStore(options.configDir),
    projectRoot: options.projectRoot,
  });
}

/** The keys the user trusts in the studio (the Pack workspace's "trust this signer"). */
export function studioTrustStore(configDir: string): TrustStore {
  return new TrustStore(path.join(configDir, 'trusted-keys.json'));
}

/** Text previews are for cards, JSON and YAML; anything larger is shown as a size only. */
const MAX_PREVIEW_BYTES = 4 * 1024 * 1024;

/** The pack and key domain of the contract (`packMethods`). Private keys never leave this object. */
export function createPackHandlers(deps: PackServiceDeps): Handlers<typeof packMethods> {
  const limits = deps.limits;
  const signerFor = async (keyId: string, label?: string, passphrase?: string): Promise<PackSigner> => {
    const pair = await deps.keys.unseal(keyId, passphrase);
    return { ...pair, ...(label ? { keyId: label } : {}) };
  };
  const verifyFile = async (file: string, givenPem: string[] = [], anySigner = false) => {
    const opened = await openPack({ path: file }, limits ? { limits } : {});
    const verification = await verifyOpenedPack(opened, {
      givenKeys: givenPem.map(parsePublicKeyPem),
      trustedKeys: [...(await deps.trust.publicKeys()), ...(await deps.keys.list()).map((key) => parsePublicKeyPem(key.public_key_pem))],
      anySigner,
    });
    return { opened, verification };
  };

  return guarded({
    async inspectPack({ path: file }) {
      const { opened, verification } = await verifyFile(file);
      return describePack(opened, verification);
    },
    async readPackEntry({ path: file, entry }): Promise<PackEntryContent> {
      const contents = await readArchive(
        { path: file },
        { ...(limits ? { limits } : {}), hashAll: false, retain: (name) => name === entry || name === 'sbom.cbor' || name === 'sbom.json' },
      );
      const bytes = contents.retained.get(entry);
      if (!bytes) throw new StudioError('not_found', `the pack has no entry ${entry}`);
      const sbomCbor = contents.retained.get('sbom.cbor');
      const sbomJson = contents.retained.get('sbom.json');
      const sbom = sbomCbor ? decodeSbomCbor(sbomCbor) : sbomJson ? decodeSbomJson(sbomJson) : null;
      const mediaType = sbom?.files.find((f) => f.path === entry)?.media_type ?? mediaTypeFor(entry);
      const text = bytes.length <= MAX_PREVIEW_BYTES ? asText(bytes) : null;
      return { path: entry, media_type: mediaType, size: bytes.length, text, base64: text === null && bytes.length <= MAX_PREVIEW_BYTES ? Buffer.from(bytes).toString('base64') : null };
    },
    async buildPack({ out, project, signingKeyId, keyLabel, passphrase }) {
      const root = project ?? (await deps.projectRoot());
      const signer = signingKeyId ? await signerFor(signingKeyId, keyLabel, passphrase) : undefined;
      const built = await buildPack(root, {
        ...(limits ? { limits } : {}),
        ...(signer ? { signer } : {}),
        onProgress: (done, total, label) => deps.events.emit('progress', { task: 'pack.build', done, total, label }),
      });
      await fs.mkdir(path.dirname(out), { recursive: true });
      await writeFileAtomic(out, built.bytes);
      return {
        path: out,
        pack_id: built.manifest.pack_id,
        version: built.manifest.version,
        entries: built.entries,
        bytes: built.bytes.length,
        signed: signer !== undefined,
        warnings: built.warnings,
      };
    },
    async signPack({ path: file, signingKeyId, keyLabel, passphrase }) {
      const signed = await signPackArchive({ path: file }, await signerFor(signingKeyId, keyLabel, passphrase), limits);
      await writeFileAtomic(file, signed);
      return (await verifyFile(file)).verification;
    },
    async verifyPack({ path: file, publicKeysPem, anySigner }) {
      return (await verifyFile(file, publicKeysPem, anySigner)).verification;
    },
    async keyVaultStatus() {
      return deps.keys.vault.status();
    },
    async listSigningKeys() {
      return deps.keys.list();
    },
    async createSigningKey({ label, passphrase }) {
      return deps.keys.create(label, passphrase);
    },
    async importSigningKey({ file, label, passphrase, filePassphrase }) {
      const stat = await fs.stat(file).catch(() => null);
      if (!stat?.isFile() || stat.size > 16 * 1024) throw new StudioError('bad_request', `${file} is not a private key file`);
      return deps.keys.importPem(await fs.readFile(file, 'utf8'), label, passphrase, filePassphrase);
    },
    async exportSigningKey({ id, file, includePrivate, passphrase }) {
      const key = await deps.keys.get(id);
      const pem = includePrivate ? await deps.keys.exportPrivatePem(id, passphrase) : publicKeyToPem(parsePublicKeyPem(key.public_key_pem));
      await writeFileAtomic(file, pem, includePrivate ? 0o600 : 0o644);
      return { file };
    },
    async deleteSigningKey({ id }) {
      return { deleted: await deps.keys.remove(id) };
    },
    async listTrustedKeys() {
      return deps.trust.list();
    },
    async trustKey({ publicKeyPem, label }) {
      return deps.trust.add(publicKeyPem, label);
    },
    async untrustKey({ fingerprint }) {
      return { removed: await deps.trust.remove(fingerprint) };
    },
  });
}

function asText(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

const PACK_ERROR_STATUS: Partial<Record<PackErrorCode, StudioErrorCode>> = {
  io_error: 'io_error',
  config_invalid: 'bad_request',
  flow_invalid: 'invalid_flow',
  component_missing: 'not_found',
};

const KEY_ERROR_STATUS: Record<KeyError['code'], StudioErrorCode> = {
  key_invalid: 'bad_request',
  key_not_found: 'not_found',
  passphrase_required: 'forbidden',
  vault_unavailable: 'unavailable',
};

/** Every failure leaves as a `StudioError` with a stable code and the original message. */
export function toStudioError(error: unknown): StudioError {
  if (error instanceof StudioError) return error;
  if (error instanceof PackError) return new StudioError(PACK_ERROR_STATUS[error.code] ?? 'invalid_pack', error.message, { code: error.code, path: error.path ?? null });
  if (error instanceof KeyError) return new StudioError(KEY_ERROR_STATUS[error.code], error.message, { code: error.code });
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return new StudioError('io_error', (error as Error).message);
  return StudioError.from(error);
}

/** Wraps every handler so that any failure leaves as a `StudioError` (see `toStudioError`). */
export function guarded<T extends Record<string, (params: never) => Promise<unknown>>>(handlers: T): T {
  const wrapped = {} as Record<string, unknown>;
  for (const [name, handler] of Object.entries(handlers)) {
    wrapped[name] = async (params: never) => {
      try {
        return await handler(params);
      } catch (error) {
        throw toStudioError(error);
      }
    };
  }
  return wrapped as T;
}
