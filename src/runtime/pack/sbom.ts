import { decodeCbor } from './cbor/decode';
import { encodeCanonicalCbor } from './cbor/encode';
import { isCborMap, type CborValue } from './cbor/value';
import { PackError } from './errors';
import type { ArchiveEntry } from './archive/zip-reader';

export const SBOM_FORMAT = 'greentic-sbom-v1';

/** One file of the pack's bill of materials (`SbomEntry`). */
export interface SbomEntry {
  path: string;
  size: number;
  hash_blake3: string;
  media_type: string;
}

export interface Sbom {
  format: string;
  files: SbomEntry[];
}

/** Files the SBOM never lists: itself and the legacy signature envelope. */
export const SBOM_EXEMPT = new Set(['sbom.cbor', 'sbom.json', 'signatures/pack.sig', 'signatures/chain.pem']);

export function decodeSbomCbor(bytes: Uint8Array): Sbom {
  let value: CborValue;
  try {
    value = decodeCbor(bytes);
  } catch (error) {
    throw new PackError('sbom_invalid', `sbom.cbor is not valid CBOR: ${(error as Error).message}`, 'sbom.cbor');
  }
  return readSbom(value, 'sbom.cbor');
}

export function decodeSbomJson(bytes: Uint8Array): Sbom {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new PackError('sbom_invalid', `sbom.json is not valid JSON: ${(error as Error).message}`, 'sbom.json');
  }
  return readSbom(value, 'sbom.json');
}

function readSbom(value: unknown, file: string): Sbom {
  const get = (record: unknown, key: string): unknown =>
    isCborMap(record) ? record.get(key) : record !== null && typeof record === 'object' && Object.hasOwn(record, key) ? (record as Record<string, unknown>)[key] : undefined;
  const fail = (what: string) => new PackError('sbom_invalid', `${file}: ${what}`, file);
  const format = get(value, 'format');
  if (format !== SBOM_FORMAT) throw fail(`format must be "${SBOM_FORMAT}"`);
  const files = get(value, 'files');
  if (!Array.isArray(files)) throw fail('files must be an array');
  return {
    format,
    files: files.map((item: unknown, i) => {
      const path = get(item, 'path');
      const size = get(item, 'size');
      const hash = get(item, 'hash_blake3');
      const mediaType = get(item, 'media_type');
      if (typeof path !== 'string') throw fail(`files[${i}].path must be a string`);
      if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw fail(`files[${i}].size must be a non-negative integer`);
      if (typeof hash !== 'string') throw fail(`files[${i}].hash_blake3 must be a string`);
      if (typeof mediaType !== 'string') throw fail(`files[${i}].media_type must be a string`);
      return { path, size, hash_blake3: hash, media_type: mediaType };
    }),
  };
}

/** `sbom.cbor` as packc writes it: canonical CBOR, files sorted by path. */
export function encodeSbomCbor(files: SbomEntry[]): Uint8Array {
  const sorted = [...files].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  return encodeCanonicalCbor({
    format: SBOM_FORMAT,
    files: sorted.map((file) => ({ path: file.path, size: file.size, hash_blake3: file.hash_blake3, media_type: file.media_type })),
  });
}

export type SbomEntryStatus = 'ok' | 'hash_mismatch' | 'size_mismatch' | 'unlisted' | 'exempt' | 'unchecked';

export interface SbomCheck {
  ok: boolean;
  /** One sentence per problem, in upstream's wording, naming the file. */
  problems: string[];
  status: Map<string, SbomEntryStatus>;
}

/** Compares the SBOM with the archive's real bytes, as upstream's reader does, and names every mismatch. */
export function checkSbom(sbom: Sbom, entries: ArchiveEntry[], sbomFile: string): SbomCheck {
  const problems: string[] = [];
  const status = new Map<string, SbomEntryStatus>();
  const byPath = new Map(entries.map((entry) => [entry.path, entry]));
  const listed = new Set<string>();
  for (const file of sbom.files) {
    listed.add(file.path);
    const entry = byPath.get(file.path);
    if (!entry) {
      problems.push(`sbom references missing file ${file.path}`);
      continue;
    }
    if (entry.blake3 === null) {
      status.set(file.path, 'unchecked');
      continue;
    }
    if (entry.blake3 !== file.hash_blake3.toLowerCase()) {
      problems.push(`hash mismatch for ${file.path}: expected ${file.hash_blake3}, found ${entry.blake3}`);
      status.set(file.path, 'hash_mismatch');
    } else if (entry.size !== file.size) {
      problems.push(`size mismatch for ${file.path}: expected ${file.size}, found ${entry.size}`);
      status.set(file.path, 'size_mismatch');
    } else {
      status.set(file.path, 'ok');
    }
  }
  for (const entry of entries) {
    if (SBOM_EXEMPT.has(entry.path)) status.set(entry.path, 'exempt');
    else if (!listed.has(entry.path)) {
      problems.push(`file \`${entry.path}\` missing from ${sbomFile}`);
      status.set(entry.path, 'unlisted');
    }
  }
  return { ok: problems.length === 0, problems, status };
}
