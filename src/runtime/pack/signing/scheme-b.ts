import { fingerprintOf, signEd25519, verifyEd25519 } from '../../keys/ed25519';
import { encodePackManifest, encodeUnsignedPackManifest } from '../manifest';
import type { PackManifest } from '../manifest/model';

/** `greentic-pack sign`'s default key id. */
export const DEFAULT_KEY_ID = 'default';

/**
 * Scheme B: an Ed25519 signature over the manifest re-encoded with an empty signature list, appended
 * to `signatures.signatures` as standard padded base64. Earlier signatures stay valid because the
 * signed bytes never include signatures.
 */
export function signManifest(manifest: PackManifest, seed: Uint8Array, keyId = DEFAULT_KEY_ID): PackManifest {
  const signature = signEd25519(encodeUnsignedPackManifest(manifest), seed);
  return {
    ...manifest,
    signatures: [...manifest.signatures, { key_id: keyId, algorithm: 'ed25519', signature: Buffer.from(signature).toString('base64') }],
  };
}

export function signManifestBytes(manifest: PackManifest, seed: Uint8Array, keyId = DEFAULT_KEY_ID): Uint8Array {
  return encodePackManifest(signManifest(manifest, seed, keyId));
}

export type EmbeddedSignatureProblem = 'unsupported_algorithm' | 'malformed_signature' | 'no_matching_key' | 'invalid';

/** One embedded signature checked against candidate public keys. */
export interface EmbeddedSignatureCheck {
  index: number;
  keyId: string;
  algorithm: string;
  /** The candidate key that verified it, when one did. */
  publicKey: Uint8Array | null;
  fingerprint: string | null;
  problem: EmbeddedSignatureProblem | null;
  /** Upstream's wording for the problem. */
  message: string | null;
}

/**
 * Checks every embedded signature against each candidate key, like `greentic-pack verify` (which
 * ignores `key_id` and stops at the first success); here every signature gets its own verdict.
 */
export function checkEmbeddedSignatures(manifest: PackManifest, candidates: Uint8Array[]): EmbeddedSignatureCheck[] {
  const message = encodeUnsignedPackManifest(manifest);
  return manifest.signatures.map((entry, index) => {
    const algorithm = typeof entry.algorithm === 'string' ? entry.algorithm : entry.algorithm.other;
    const base = { index, keyId: entry.key_id, algorithm, publicKey: null, fingerprint: null };
    if (algorithm !== 'ed25519') return { ...base, problem: 'unsupported_algorithm', message: `unsupported algorithm ${algorithm}` };
    const signature = decodeBase64(entry.signature);
    if (signature?.length !== 64) return { ...base, problem: 'malformed_signature', message: 'invalid signature bytes' };
    const key = candidates.find((candidate) => verifyEd25519(signature, message, candidate));
    if (key) return { ...base, publicKey: key, fingerprint: fingerprintOf(key), problem: null, message: null };
    const problem = candidates.length === 0 ? 'no_matching_key' : 'invalid';
    return { ...base, problem, message: 'signature verification failed' };
  });
}

/** Standard base64 (with or without padding); null when the text is not base64 at all. */
function decodeBase64(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  return new Uint8Array(Buffer.from(text, 'base64'));
}

