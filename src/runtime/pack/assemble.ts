import { writeZip, type ZipInput } from './archive/zip-writer';
import { blake3Hex } from './hash';
import { encodePackManifest } from './manifest';
import type { PackManifest } from './manifest/model';
import { encodeSbomCbor, type SbomEntry } from './sbom';
import { createSigningCertificate } from './signing/certificate';
import { signingTime } from './signing/signing-time';
import { CHAIN_PEM_PATH, PACK_SIG_PATH, createEnvelope, encodeEnvelope, envelopeDigest } from './signing/scheme-a';
import { DEFAULT_KEY_ID, signManifest } from './signing/scheme-b';

/** A file that goes into a pack, with the media type its SBOM entry records. */
export interface PackFile extends ZipInput {
  mediaType: string;
}

/** Everything needed to sign: the key, the embedded signature's key id, and the signing time (default: `signingTime()`). */
export interface PackSigner {
  seed: Uint8Array;
  publicKey: Uint8Array;
  keyId?: string;
  signedAt?: Date;
}

/**
 * Writes the final archive: `manifest.cbor` (signed with scheme B when a signer is given) first, the
 * files in the given order, `sbom.cbor` over the final bytes, then the scheme-A envelope over the
 * manifest and SBOM, so that a change to any byte of any file breaks a signature.
 */
export async function assemblePack(manifest: PackManifest, files: PackFile[], signer?: PackSigner): Promise<Uint8Array> {
  const finalManifest = signer ? signManifest(manifest, signer.seed, signer.keyId ?? DEFAULT_KEY_ID) : manifest;
  const manifestFile: PackFile = { path: 'manifest.cbor', bytes: encodePackManifest(finalManifest), mediaType: 'application/cbor' };
  const ordered = [manifestFile, ...files];
  const sbomEntries: SbomEntry[] = [];
  for (const file of ordered) sbomEntries.push({ path: file.path, size: file.bytes.length, hash_blake3: await blake3Hex(file.bytes), media_type: file.mediaType });
  const sbomBytes = encodeSbomCbor(sbomEntries);
  const entries: ZipInput[] = [...ordered, { path: 'sbom.cbor', bytes: sbomBytes }];
  if (signer) {
    const signedAt = signer.signedAt ?? signingTime();
    const digest = await envelopeDigest(manifestFile.bytes, sbomBytes, sbomEntries);
    const envelope = createEnvelope(digest, signer.seed, signer.publicKey, signedAt);
    const chain = await createSigningCertificate(signer.seed, signer.publicKey, finalManifest.publisher, signedAt);
    entries.push({ path: CHAIN_PEM_PATH, bytes: new TextEncoder().encode(chain) }, { path: PACK_SIG_PATH, bytes: encodeEnvelope(envelope) });
  }
  return writeZip(entries);
}
