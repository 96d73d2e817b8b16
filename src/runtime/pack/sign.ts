import { readArchive, type ArchiveSource } from './archive/zip-reader';
import { assemblePack, type PackFile, type PackSigner } from './assemble';
import { PackError } from './errors';
import type { PackLimits } from './limits';
import { decodeManifest } from './manifest';
import { mediaTypeFor } from './media-types';
import { SBOM_EXEMPT, checkSbom, decodeSbomCbor } from './sbom';

/**
 * Signs an existing canonical pack: adds a scheme-B signature to its manifest (keeping earlier ones),
 * rewrites the SBOM over the new bytes and replaces the envelope. Files keep their order and content.
 */
export async function signPackArchive(source: ArchiveSource, signer: PackSigner, limits?: Partial<PackLimits>): Promise<Uint8Array> {
  const contents = await readArchive(source, { retain: () => true, ...(limits ? { limits } : {}) });
  const manifestBytes = contents.retained.get('manifest.cbor');
  if (!manifestBytes) throw new PackError('manifest_missing', 'manifest.cbor missing from archive', 'manifest.cbor');
  const decoded = decodeManifest(manifestBytes);
  if (decoded.model !== 'pack-v1') {
    throw new PackError('manifest_invalid', 'legacy packs cannot be re-signed; rebuild the pack from its source', 'manifest.cbor');
  }
  const sbomBytes = contents.retained.get('sbom.cbor');
  const sbom = sbomBytes ? decodeSbomCbor(sbomBytes) : null;
  if (sbom) {
    // Signing vouches for every file; a pack whose files no longer match its SBOM must not be laundered.
    const check = checkSbom(sbom, contents.entries, 'sbom.cbor');
    if (!check.ok) throw new PackError('sbom_invalid', `refusing to sign a pack that does not match its SBOM: ${check.problems.join('; ')}`, 'sbom.cbor');
  }
  const mediaTypes = new Map((sbom?.files ?? []).map((file) => [file.path, file.media_type]));
  const files: PackFile[] = contents.entries
    .filter((entry) => entry.path !== 'manifest.cbor' && !SBOM_EXEMPT.has(entry.path))
    .map((entry) => ({
      path: entry.path,
      bytes: contents.retained.get(entry.path) ?? new Uint8Array(),
      mediaType: mediaTypes.get(entry.path) ?? mediaTypeFor(entry.path),
    }));
  return assemblePack(decoded.manifest, files, signer);
}
