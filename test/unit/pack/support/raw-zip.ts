import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A ZIP writer for test fixtures that no well-behaved library would produce: unsafe names, lying
 * sizes, symlink modes, duplicates. Only what hostile-archive tests need.
 */
export interface RawEntry {
  name: string;
  data: Uint8Array;
  deflate?: boolean;
  /** Overrides the uncompressed size written in both headers. */
  declaredSize?: number;
  /** Unix mode (type and permission bits); default a regular 0644 file. */
  mode?: number;
  crc?: number;
  /** Values written in the local file header only, where it should agree with the central directory. */
  local?: { name?: string; method?: number; compressedSize?: number; size?: number; crc?: number; flags?: number };
}

export function rawZip(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const stored = entry.deflate ? deflateRawSync(entry.data) : Buffer.from(entry.data);
    const size = entry.declaredSize ?? entry.data.length;
    const crc = entry.crc ?? crc32(entry.data);
    const method = entry.deflate ? 8 : 0;
    const localName = entry.local?.name === undefined ? name : Buffer.from(entry.local.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(entry.local?.flags ?? 0x800, 6);
    local.writeUInt16LE(entry.local?.method ?? method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(entry.local?.crc ?? crc, 14);
    local.writeUInt32LE(entry.local?.compressedSize ?? stored.length, 18);
    local.writeUInt32LE(entry.local?.size ?? size, 22);
    local.writeUInt16LE(localName.length, 26);
    locals.push(local, localName, stored);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(stored.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((entry.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + localName.length + stored.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
