import type { PackLayout } from '../../shared/api/pack';
import { readArchive, type ArchiveContents, type ArchiveSource } from './archive/zip-reader';
import { PackError } from './errors';
import type { PackLimits } from './limits';
import { decodeManifest } from './manifest';
import type { DecodedManifest } from './manifest/model';
import { checkSbom, decodeSbomCbor, decodeSbomJson, type Sbom, type SbomCheck } from './sbom';
import { CHAIN_PEM_PATH, PACK_SIG_PATH } from './signing/scheme-a';

export const MANIFEST_PATH = 'manifest.cbor';

/** A pack read through the bounded reader, with its manifest decoded and its SBOM checked. */
export interface OpenedPack {
  layout: PackLayout;
  decoded: DecodedManifest;
  contents: ArchiveContents;
  manifestBytes: Uint8Array;
  /** The SBOM as stored, with the file it came from; null when a canonical pack has none. */
  sbom: { file: 'sbom.cbor' | 'sbom.json'; bytes: Uint8Array; value: Sbom } | null;
  sbomCheck: SbomCheck;
  warnings: string[];
}

const METADATA_FILES = new Set([MANIFEST_PATH, 'sbom.cbor', 'sbom.json', PACK_SIG_PATH, CHAIN_PEM_PATH]);

export interface OpenPackOptions {
  limits?: Partial<PackLimits>;
  /** Extra entries whose bytes the caller needs. */
  retain?: (path: string) => boolean;
}

/** Opens any `.gtpack` (canonical or legacy) as upstream's `open_pack` does, and never trusts it. */
export async function openPack(source: ArchiveSource, options: OpenPackOptions = {}): Promise<OpenedPack> {
  const contents = await readArchive(source, {
    ...(options.limits ? { limits: options.limits } : {}),
    retain: (path) => METADATA_FILES.has(path) || (options.retain?.(path) ?? false),
  });
  const manifestBytes = contents.retained.get(MANIFEST_PATH);
  if (!manifestBytes) throw new PackError('manifest_missing', 'manifest.cbor missing from archive', MANIFEST_PATH);
  const decoded = decodeManifest(manifestBytes);
  const warnings = [...contents.warnings];
  if (decoded.model === 'pack-v1' && decoded.manifest.schema_version !== 'pack-v1') {
    warnings.push(`unexpected manifest schema_version "${decoded.manifest.schema_version}" (expected pack-v1)`);
  }
  const sbom = readSbomFile(contents);
  if (!sbom && decoded.model === 'legacy') throw new PackError('sbom_missing', 'sbom.cbor missing from archive', 'sbom.cbor');
  let sbomCheck: SbomCheck;
  if (sbom) {
    sbomCheck = checkSbom(sbom.value, contents.entries, sbom.file);
  } else {
    warnings.push('sbom.cbor missing; synthesized inventory for validation');
    sbomCheck = { ok: true, problems: [], status: new Map(contents.entries.map((entry) => [entry.path, 'unchecked'])) };
  }
  return { layout: decoded.model === 'legacy' ? 'legacy' : 'canonical', decoded, contents, manifestBytes, sbom, sbomCheck, warnings };
}

function readSbomFile(contents: ArchiveContents): OpenedPack['sbom'] {
  const cbor = contents.retained.get('sbom.cbor');
  if (cbor) return { file: 'sbom.cbor', bytes: cbor, value: decodeSbomCbor(cbor) };
  const json = contents.retained.get('sbom.json');
  if (json) return { file: 'sbom.json', bytes: json, value: decodeSbomJson(json) };
  return null;
}
