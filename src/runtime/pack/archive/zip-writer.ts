import { crc32 } from 'node:zlib';
import { PackError } from '../errors';

export interface ZipInput {
  path: string;
  bytes: Uint8Array;
}

/** 1980-01-01 00:00 in DOS date/time fields (upstream's `DateTime::default_for_write`): the same in every time zone. */
const DOS_DATE_1980_01_01 = (1 << 5) | 1;
const DOS_TIME_MIDNIGHT = 0;
/** Unix, ZIP specification 6.3. */
const VERSION_MADE_BY = (3 << 8) | 63;
const VERSION_NEEDED = 20;
const FILE_NAME_IS_UTF8 = 1 << 11;
const STORED = 0;
const REGULAR_FILE_0644 = 0o100644;
const LOCAL_HEADER_SIZE = 30;
const CENTRAL_HEADER_SIZE = 46;
const END_RECORD_SIZE = 22;
/** Past these, a ZIP needs its ZIP64 records; no pack comes near them. */
const MAX_ENTRIES = 0xfffe;
const MAX_OFFSET = 0xfffffffe;

/**
 * Writes a ZIP the way packc does: stored entries in the given order, fixed timestamps, mode 0644, no
 * directory entries and no extra fields. Same input, same bytes, on any machine and in any time zone.
 * The whole archive is laid out in one buffer with one copy of each file; CRC-32 is zlib's.
 */
export async function writeZip(entries: ZipInput[]): Promise<Uint8Array> {
  if (entries.length > MAX_ENTRIES) throw new PackError('archive_too_large', `a pack holds at most ${MAX_ENTRIES} files, not ${entries.length}`);
  const names = entries.map((entry) => Buffer.from(entry.path, 'utf8'));
  let localSize = 0;
  let centralSize = 0;
  entries.forEach((entry, i) => {
    localSize += LOCAL_HEADER_SIZE + (names[i] as Buffer).length + entry.bytes.length;
    centralSize += CENTRAL_HEADER_SIZE + (names[i] as Buffer).length;
  });
  if (localSize + centralSize > MAX_OFFSET) throw new PackError('archive_too_large', `a pack is at most ${MAX_OFFSET} bytes as a plain ZIP, not ${localSize + centralSize}`);

  const out = Buffer.allocUnsafe(localSize + centralSize + END_RECORD_SIZE);
  let at = 0;
  let central = localSize;
  entries.forEach((entry, i) => {
    const name = names[i] as Buffer;
    const crc = crc32(entry.bytes);
    const size = entry.bytes.length;
    const offset = at;
    at = writeLocalHeader(out, at, name, crc, size);
    out.set(entry.bytes, at);
    at += size;
    central = writeCentralHeader(out, central, name, crc, size, offset);
  });
  writeEndRecord(out, central, entries.length, centralSize, localSize);
  return out;
}

function writeLocalHeader(out: Buffer, at: number, name: Buffer, crc: number, size: number): number {
  out.writeUInt32LE(0x04034b50, at);
  writeEntryFields(out, at + 4, name, crc, size);
  name.copy(out, at + LOCAL_HEADER_SIZE);
  return at + LOCAL_HEADER_SIZE + name.length;
}

function writeCentralHeader(out: Buffer, at: number, name: Buffer, crc: number, size: number, localOffset: number): number {
  out.writeUInt32LE(0x02014b50, at);
  out.writeUInt16LE(VERSION_MADE_BY, at + 4);
  writeEntryFields(out, at + 6, name, crc, size);
  out.writeUInt16LE(0, at + 32); // comment length
  out.writeUInt16LE(0, at + 34); // disk number
  out.writeUInt16LE(0, at + 36); // internal attributes
  out.writeUInt32LE((REGULAR_FILE_0644 << 16) >>> 0, at + 38);
  out.writeUInt32LE(localOffset, at + 42);
  name.copy(out, at + CENTRAL_HEADER_SIZE);
  return at + CENTRAL_HEADER_SIZE + name.length;
}

/** The 26 bytes both headers share, from "version needed" to "extra field length". */
function writeEntryFields(out: Buffer, at: number, name: Buffer, crc: number, size: number): void {
  out.writeUInt16LE(VERSION_NEEDED, at);
  out.writeUInt16LE(FILE_NAME_IS_UTF8, at + 2);
  out.writeUInt16LE(STORED, at + 4);
  out.writeUInt16LE(DOS_TIME_MIDNIGHT, at + 6);
  out.writeUInt16LE(DOS_DATE_1980_01_01, at + 8);
  out.writeUInt32LE(crc, at + 10);
  out.writeUInt32LE(size, at + 14); // compressed
  out.writeUInt32LE(size, at + 18); // uncompressed
  out.writeUInt16LE(name.length, at + 22);
  out.writeUInt16LE(0, at + 24); // extra field length
}

function writeEndRecord(out: Buffer, at: number, count: number, centralSize: number, centralOffset: number): void {
  out.writeUInt32LE(0x06054b50, at);
  out.writeUInt16LE(0, at + 4);
  out.writeUInt16LE(0, at + 6);
  out.writeUInt16LE(count, at + 8);
  out.writeUInt16LE(count, at + 10);
  out.writeUInt32LE(centralSize, at + 12);
  out.writeUInt32LE(centralOffset, at + 16);
  out.writeUInt16LE(0, at + 20);
}
