import { decodeCbor } from '../cbor/decode';
import { isCborMap } from '../cbor/value';
import { PackError } from '../errors';
import { decodeLegacyManifest } from './legacy';
import type { DecodedManifest } from './model';
import { decodePackV1 } from './pack-v1-decode';

/**
 * Decodes `manifest.cbor` as upstream's reader does: the legacy struct when the document has a
 * `meta` block, else the greentic-types `pack-v1` model. Tag 55799 is accepted and ignored.
 */
export function decodeManifest(bytes: Uint8Array): DecodedManifest {
  let root;
  try {
    root = decodeCbor(bytes);
  } catch (error) {
    if (error instanceof PackError) throw new PackError('manifest_invalid', `manifest.cbor is not valid CBOR: ${error.message}`, 'manifest.cbor');
    throw error;
  }
  if (!isCborMap(root)) throw new PackError('manifest_invalid', 'manifest.cbor must hold a CBOR map', 'manifest.cbor');
  if (root.has('meta')) return { model: 'legacy', manifest: decodeLegacyManifest(root) };
  return { model: 'pack-v1', manifest: decodePackV1(root) };
}

/** Decodes a manifest that must be the greentic-types model (signing, building). */
export function decodePackManifest(bytes: Uint8Array) {
  const decoded = decodeManifest(bytes);
  if (decoded.model !== 'pack-v1') {
    throw new PackError('manifest_invalid', 'manifest.cbor is a legacy manifest; only pack-v1 manifests can be signed this way', 'manifest.cbor');
  }
  return decoded.manifest;
}

export { encodePackManifest, encodeUnsignedPackManifest } from './pack-v1-encode';
export type * from './model';
