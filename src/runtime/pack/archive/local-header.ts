import type { Entry, LocalFileHeader, ZipFile } from 'yauzl';
import { PackError } from '../errors';

/** General-purpose flag bit 3: CRC-32 and sizes follow the data, and the local header may hold zeros. */
const DATA_DESCRIPTOR = 0x0008;
const ZIP64_EXTRA = 0x0001;
const ZIP64_MARK = 0xffffffff;

/**
 * Refuses an entry whose local file header disagrees with its central-directory entry (name,
 * compression method, CRC-32, sizes). Readers that trust only one of the two can be shown another
 * file than the one inspected, such as a local `../../x` behind a central `assets/ok.txt`.
 */
export async function checkLocalHeader(zip: ZipFile, entry: Entry, path: string): Promise<void> {
  let local: LocalFileHeader;
  try {
    local = await zip.readLocalFileHeaderPromise(entry, { minimal: false });
  } catch (error) {
    throw new PackError('corrupt_archive', `entry ${path}: unreadable local file header: ${error instanceof Error ? error.message : String(error)}`, path);
  }
  const disagree = (what: string, inLocal: string | number, inCentral: string | number) =>
    new PackError('corrupt_archive', `entry ${path}: the local file header's ${what} (${inLocal}) differs from the central directory's (${inCentral})`, path);

  const centralName = entry.fileNameRaw ?? (entry.fileName as unknown as Buffer);
  if (!local.fileName.equals(centralName)) throw disagree('name', JSON.stringify(local.fileName.toString('utf8')), JSON.stringify(centralName.toString('utf8')));
  if (local.compressionMethod !== entry.compressionMethod) throw disagree('compression method', local.compressionMethod, entry.compressionMethod);

  const deferred = (local.generalPurposeBitFlag & DATA_DESCRIPTOR) !== 0;
  const zip64 = zip64Sizes(local);
  const fields: Array<[string, number, number]> = [
    ['CRC-32', local.crc32, entry.crc32],
    ['compressed size', local.compressedSize === ZIP64_MARK ? (zip64?.compressed ?? ZIP64_MARK) : local.compressedSize, entry.compressedSize],
    ['uncompressed size', local.uncompressedSize === ZIP64_MARK ? (zip64?.uncompressed ?? ZIP64_MARK) : local.uncompressedSize, entry.uncompressedSize],
  ];
  for (const [what, inLocal, inCentral] of fields) {
    // With a data descriptor the local header may leave these at zero; any value it does give must agree.
    if (deferred && inLocal === 0) continue;
    if (inLocal !== inCentral) throw disagree(what, inLocal, inCentral);
  }
}

/** The sizes of a local header's ZIP64 extra field, which holds both of them (APPNOTE 4.5.3). */
function zip64Sizes(local: LocalFileHeader): { uncompressed: number; compressed: number } | null {
  const extra = local.extraField;
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const size = extra.readUInt16LE(at + 2);
    if (id === ZIP64_EXTRA && size >= 16 && at + 4 + 16 <= extra.length) {
      return { uncompressed: Number(extra.readBigUInt64LE(at + 4)), compressed: Number(extra.readBigUInt64LE(at + 12)) };
    }
    at += 4 + size;
  }
  return null;
}
