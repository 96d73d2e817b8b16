import { bytesToHex } from '@noble/hashes/utils.js';
import { blake3Bytes } from '../hash';
import { fingerprintOf, signEd25519, verifyEd25519 } from '../../keys/ed25519';
import { PackError } from '../errors';
import type { SbomEntry } from '../sbom';

export const PACK_SIG_PATH = 'signatures/pack.sig';
export const CHAIN_PEM_PATH = 'signatures/chain.pem';

/** `signatures/pack.sig`, field order as upstream's `SignatureEnvelope`. */
export interface SignatureEnvelope {
  alg: string;
  sig: string;
  digest: string;
  signed_at_utc: string;
  key_fingerprint?: string;
}

/**
 * The digest scheme A signs: BLAKE3 over the manifest bytes, the SBOM file bytes, then each SBOM
 * entry (sorted by path) as `path \n hash`, with no separators between records.
 */
export function envelopeDigest(manifest: Uint8Array, sbomFile: Uint8Array, sbomFiles: SbomEntry[]): Promise<Uint8Array> {
  const encoder = new TextEncoder();
  const sorted = [...sbomFiles].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  return blake3Bytes(manifest, sbomFile, ...sorted.map((file) => encoder.encode(`${file.path}\n${file.hash_blake3}`)));
}

export function createEnvelope(digest: Uint8Array, seed: Uint8Array, publicKey: Uint8Array, signedAt: Date): SignatureEnvelope {
  return {
    alg: 'ed25519',
    sig: Buffer.from(signEd25519(digest, seed)).toString('base64url'),
    digest: bytesToHex(digest),
    signed_at_utc: signedAt.toISOString(),
    key_fingerprint: fingerprintOf(publicKey),
  };
}

/** serde_json's pretty printer: two-space indent, no trailing newline. */
export function encodeEnvelope(envelope: SignatureEnvelope): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(envelope, null, 2));
}

export function parseEnvelope(bytes: Uint8Array): SignatureEnvelope {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new PackError('signature_invalid', `${PACK_SIG_PATH} is not valid JSON: ${(error as Error).message}`, PACK_SIG_PATH);
  }
  const record = value as Record<string, unknown> | null;
  const text = (key: string) => (record && typeof record === 'object' && typeof record[key] === 'string' ? (record[key] as string) : null);
  const alg = text('alg');
  const sig = text('sig');
  const digest = text('digest');
  if (alg === null || sig === null || digest === null) {
    throw new PackError('signature_invalid', `${PACK_SIG_PATH} must hold alg, sig and digest strings`, PACK_SIG_PATH);
  }
  const envelope: SignatureEnvelope = { alg, sig, digest, signed_at_utc: text('signed_at_utc') ?? '' };
  const fingerprint = text('key_fingerprint');
  if (fingerprint !== null) envelope.key_fingerprint = fingerprint;
  return envelope;
}

/** Checks an envelope against the recomputed digest and the chain's key; throws upstream's error texts. */
export function verifyEnvelope(envelope: SignatureEnvelope, digest: Uint8Array, publicKey: Uint8Array): void {
  if (envelope.alg !== 'ed25519') throw new PackError('signature_invalid', `unsupported signature algorithm: ${envelope.alg}`, PACK_SIG_PATH);
  if (!/^[A-Za-z0-9_-]*$/.test(envelope.sig)) throw new PackError('signature_invalid', 'invalid signature encoding', PACK_SIG_PATH);
  const signature = new Uint8Array(Buffer.from(envelope.sig, 'base64url'));
  if (signature.length !== 64) throw new PackError('signature_invalid', 'signature must be 64 bytes', PACK_SIG_PATH);
  if (envelope.digest.toLowerCase() !== bytesToHex(digest)) throw new PackError('signature_invalid', 'signature digest mismatch', PACK_SIG_PATH);
  if (!verifyEd25519(signature, digest, publicKey)) {
    throw new PackError('signature_invalid', 'signature verification failed: the signature does not match the signing certificate', PACK_SIG_PATH);
  }
}
