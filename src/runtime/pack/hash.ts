import { blake3 } from '@noble/hashes/blake3.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** Fed in slices of this size, noble's BLAKE3 runs faster than on one large buffer. */
const SLICE = 64 * 1024;

/** Lowercase hex BLAKE3, as SBOM entries and fingerprints record it. */
export function blake3Hex(bytes: Uint8Array): string {
  const hasher = blake3.create();
  for (let at = 0; at < bytes.length; at += SLICE) hasher.update(bytes.subarray(at, at + SLICE));
  return bytesToHex(hasher.digest());
}
