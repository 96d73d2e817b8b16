import { z } from 'zod';
import type { CompiledFlow, FlowKind, JsonValue } from '../flow/compiled';
import { SEMVER } from '../semver';
import { method } from './define';

/** Which archive layout a `.gtpack` has (upstream's classification by top-level names). */
export type PackLayout = 'canonical' | 'legacy';

/** Scheme B (`embedded`, inside manifest.cbor) or scheme A (`envelope`, signatures/pack.sig + chain.pem). */
export type SignatureScheme = 'embedded' | 'envelope';

/**
 * - `valid`: verifies with a key the user gave or trusts.
 * - `untrusted`: verifies, but with a key that is neither given nor trusted (e.g. the pack's own certificate).
 * - `dev_certificate`: verifies with upstream's self-signed development certificate.
 * - `invalid`: does not verify (wrong key, changed bytes, malformed signature).
 * - `unknown_key`: cannot be checked, no candidate key (embedded signatures carry only a key id).
 * - `unsupported`: an algorithm other than Ed25519.
 */
export type SignatureStatus = 'valid' | 'untrusted' | 'dev_certificate' | 'invalid' | 'unknown_key' | 'unsupported';

/** The words for a signature's status, the same in the export dialog, the Pack workspace and `pack inspect`. */
export const SIGNATURE_STATUS_TEXT: Record<SignatureStatus, string> = {
  valid: 'valid, trusted signer',
  untrusted: 'valid, untrusted signer',
  dev_certificate: 'valid, dev certificate',
  invalid: 'invalid',
  unknown_key: 'unknown key',
  unsupported: 'unsupported algorithm',
};

export interface SignatureReport {
  scheme: SignatureScheme;
  key_id: string | null;
  /** BLAKE3 hex of the 32-byte public key that verified the signature (or that the certificate names). */
  fingerprint: string | null;
  status: SignatureStatus;
  /** Why the status is not `valid`, in words a user can act on. */
  message: string | null;
  /** Subject of the signing certificate (envelope only). */
  subject: string | null;
}

export type SbomEntryStatus = 'ok' | 'hash_mismatch' | 'size_mismatch' | 'unlisted' | 'exempt' | 'unchecked';

export interface PackEntryReport {
  path: string;
  size: number;
  compressed_size: number;
  method: 'stored' | 'deflate';
  /** As the SBOM lists it; null for files the SBOM does not list. */
  media_type: string | null;
  blake3: string | null;
  sbom_status: SbomEntryStatus;
}

export interface PackComponentReport {
  id: string;
  version: string;
  world: string | null;
  supports: FlowKind[];
  operations: string[];
  capabilities: JsonValue;
  /** The component's wasm inside the archive, when there is one. */
  wasm_path: string | null;
  size: number | null;
  blake3: string | null;
}

export interface PackFlowReport {
  id: string;
  kind: string;
  tags: string[];
  entrypoints: string[];
  /** The compiled flow, for drawing it read-only; null for legacy packs. */
  flow: CompiledFlow | null;
}

/** Everything `pack inspect --json` prints and the pack inspector shows. */
export interface PackInspection {
  layout: PackLayout;
  /** The manifest model: greentic-types `pack-v1`, or the legacy `PackBuilder` manifest. */
  model: 'pack-v1' | 'legacy';
  pack_id: string;
  version: string;
  name: string | null;
  kind: string | null;
  publisher: string | null;
  flows: string[];
  components: string[];
  flow_details: PackFlowReport[];
  component_details: PackComponentReport[];
  entries: PackEntryReport[];
  sbom: { ok: boolean; file: string | null; problems: string[] };
  signatures: SignatureReport[];
  warnings: string[];
}

export interface PackVerification {
  /** True when the archive is intact and at least one signature is valid for an accepted key. */
  ok: boolean;
  /** Every byte matches the SBOM and nothing is unlisted. */
  intact: boolean;
  problems: string[];
  signatures: SignatureReport[];
}

export interface PackEntryContent {
  path: string;
  media_type: string | null;
  size: number;
  /** UTF-8 text when the entry is text (JSON, YAML, ...), else null. */
  text: string | null;
  /** Base64 of the bytes when the entry is binary (images), else null. */
  base64: string | null;
}

export interface PackBuildResult {
  path: string;
  pack_id: string;
  version: string;
  entries: number;
  bytes: number;
  signed: boolean;
  warnings: string[];
}

/** What the UI may know of a signing key: never the private half. */
export interface SigningKeyInfo {
  id: string;
  label: string;
  fingerprint: string;
  public_key_pem: string;
  created_at: string;
}

export interface TrustedKeyInfo {
  fingerprint: string;
  label: string;
  public_key_pem: string;
  added_at: string;
}

export interface KeyVaultStatus {
  /** `os` (the OS key store), `passphrase` (encrypted PKCS#8 files), or `unavailable`. */
  backend: 'os' | 'passphrase' | 'unavailable';
  /** True when new keys need a passphrase to be stored. */
  passphrase_required: boolean;
  /** Why the OS key store is not used, when it is not. */
  reason: string | null;
}

/** A pack the user opened lately in the pack inspector. */
export interface RecentPack {
  path: string;
  /** `<pack_id> <version>` as the pack said when it was opened. */
  name: string;
  /** ISO 8601 time of the last opening. */
  openedAt: string;
}

/** Bytes of a pack the browser holds (web mode drag and drop), sent in chunks into a file the back end owns. */
export interface PackUpload {
  upload: string;
  received: number;
  /** The finished file, once every byte has arrived; null before. */
  path: string | null;
}

/** The largest pack that can be uploaded: the reader's total limit. */
export const PACK_UPLOAD_MAX_BYTES = 64 * 1024 * 1024;
/** The largest chunk of one `uploadPack` call (before base64), well inside every transport's message bound. */
export const PACK_UPLOAD_CHUNK_BYTES = 4 * 1024 * 1024;

export interface UnpackedProject {
  root: string;
  /** The flow files written, project-relative. */
  flows: string[];
  /** Every file written, project-relative. */
  files: string[];
  /** What could not be carried over exactly, in words a user can act on. */
  warnings: string[];
}

export interface PackVersionInfo {
  /** The project folder whose `pack.yaml` was read. */
  root: string;
  pack_id: string;
  version: string;
}

export interface PackVersionChange {
  pack_id: string;
  previous: string;
  version: string;
}

const filePath = z.string().min(1).max(4096);
const keyId = z.string().min(1).max(128);
const label = z.string().min(1).max(200);
const passphrase = z.string().min(8).max(1024);
const pem = z.string().min(1).max(16 * 1024);
const fingerprintHex = z.string().regex(/^[0-9a-f]{64}$/);

export const packMethods = {
  /** Read any `.gtpack` through the bounded reader: summary, entries, SBOM and signature status. */
  inspectPack: method<PackInspection>()(z.object({ path: filePath }).strict()),
  /** One entry's content for previews (cards, JSON, images), bounded by the reader's limits. */
  readPackEntry: method<PackEntryContent>()(z.object({ path: filePath, entry: z.string().min(1).max(4096) }).strict()),
  /** Build the open project (or `project`) into `out`; progress events use task `pack.build`. */
  buildPack: method<PackBuildResult>()(
    z
      .object({
        out: filePath,
        project: filePath.optional(),
        /** Sign with this stored key (both schemes). */
        signingKeyId: keyId.optional(),
        /** The embedded signature's key id; default "default" as upstream. */
        keyLabel: z.string().min(1).max(200).optional(),
        passphrase: passphrase.optional(),
      })
      .strict(),
  ),
  signPack: method<PackVerification>()(
    z.object({ path: filePath, signingKeyId: keyId, keyLabel: z.string().min(1).max(200).optional(), passphrase: passphrase.optional() }).strict(),
  ),
  verifyPack: method<PackVerification>()(
    z.object({ path: filePath, publicKeysPem: z.array(pem).max(64).optional(), anySigner: z.boolean().optional() }).strict(),
  ),
  keyVaultStatus: method<KeyVaultStatus>()(z.object({}).strict()),
  listSigningKeys: method<SigningKeyInfo[]>()(z.object({}).strict()),
  createSigningKey: method<SigningKeyInfo>()(z.object({ label, passphrase: passphrase.optional() }).strict()),
  /** Import a PKCS#8 PEM private key from a file the user picked; the back end reads it. */
  importSigningKey: method<SigningKeyInfo>()(
    z.object({ file: filePath, label, passphrase: passphrase.optional(), filePassphrase: z.string().max(1024).optional() }).strict(),
  ),
  /** Write the public key (SPKI PEM), or with `includePrivate` the PKCS#8 private key, to a file. */
  exportSigningKey: method<{ file: string }>()(
    z.object({ id: keyId, file: filePath, includePrivate: z.boolean().optional(), passphrase: passphrase.optional() }).strict(),
  ),
  deleteSigningKey: method<{ deleted: boolean }>()(z.object({ id: keyId }).strict()),
  listTrustedKeys: method<TrustedKeyInfo[]>()(z.object({}).strict()),
  trustKey: method<TrustedKeyInfo>()(z.object({ publicKeyPem: pem, label }).strict()),
  untrustKey: method<{ removed: boolean }>()(z.object({ fingerprint: z.string().regex(/^[0-9a-f]{64}$/) }).strict()),
};

/** What the pack inspector and the export dialog need beyond the pack domain itself. */
export const packWorkspaceMethods = {
  /** `inspectPack` for a pack the user opened, which then heads the recent packs. */
  openPackFile: method<PackInspection>()(z.object({ path: filePath }).strict()),
  recentPacks: method<RecentPack[]>()(z.object({}).strict()),
  /** One chunk of a pack's bytes, in order from offset 0; the first call starts an upload (no `upload`). */
  uploadPack: method<PackUpload>()(
    z
      .object({
        upload: z.string().regex(/^[0-9a-f]{32}$/).optional(),
        name: z.string().min(1).max(255),
        total: z.number().int().min(1).max(PACK_UPLOAD_MAX_BYTES),
        offset: z.number().int().min(0).max(PACK_UPLOAD_MAX_BYTES),
        data: z.base64().max(Math.ceil(PACK_UPLOAD_CHUNK_BYTES / 3) * 4),
      })
      .strict(),
  ),
  /** Trust the key of a pack's signing certificate (`signatures/chain.pem`), named by its fingerprint. */
  trustPackSigner: method<TrustedKeyInfo>()(z.object({ path: filePath, fingerprint: fingerprintHex, label }).strict()),
  /** Write a pack's flows, assets, components and a reconstructed `pack.yaml` into a new, empty folder. */
  unpackPackToProject: method<UnpackedProject>()(z.object({ path: filePath, folder: filePath }).strict()),
  /** `pack_id` and `version` of the open project's (or `project`'s) `pack.yaml`. */
  readPackVersion: method<PackVersionInfo>()(z.object({ project: filePath.optional() }).strict()),
  /** Rewrite the version in `pack.yaml`, keeping its comments and key order: to `version`, or bumped by `bump`. */
  setPackVersion: method<PackVersionChange>()(
    z
      .object({ project: filePath.optional(), version: z.string().max(256).regex(SEMVER, 'must be a semantic version such as 1.2.3').optional(), bump: z.enum(['patch', 'minor', 'major']).optional() })
      .strict()
      .refine((params) => (params.version === undefined) !== (params.bump === undefined), 'give either version or bump'),
  ),
};
