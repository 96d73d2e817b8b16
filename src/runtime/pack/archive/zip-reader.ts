import { crc32 } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { PackError } from '../errors';
import { createBlake3Stream } from '../hash';
import { resolveLimits, type PackLimits } from '../limits';
import { checkEntryPath, collisionKey } from './entry-path';
import { checkLocalHeader } from './local-header';

/** Where an archive comes from: a file (read with random access, never loaded whole) or bytes. */
export type ArchiveSource = { path: string } | { bytes: Uint8Array };

export interface ArchiveEntry {
  path: string;
  /** Uncompressed size, as measured while reading (equal to the declared size, or reading fails). */
  size: number;
  compressedSize: number;
  method: 'stored' | 'deflate';
  /** Lowercase hex BLAKE3 of the uncompressed bytes; null when the entry was listed but not read. */
  blake3: string | null;
}

export interface ArchiveContents {
  /** Regular-file entries in archive order (directories are skipped). */
  entries: ArchiveEntry[];
  /** The bytes of the entries the caller asked to keep. */
  retained: Map<string, Uint8Array>;
  /** Things that do not stop reading but that a user should know. */
  warnings: string[];
}

export interface ReadArchiveOptions {
  limits?: Partial<PackLimits>;
  /** Entries whose bytes the caller needs (manifest, SBOM, signatures, previews). */
  retain?: (path: string) => boolean;
  /** When false, entries that are not retained are listed and checked but not read. Default true. */
  hashAll?: boolean;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const MADE_BY_UNIX = 3;

/**
 * Reads a `.gtpack` (ZIP) with upstream's rules plus defence in depth: path safety, no duplicates,
 * regular files only, local headers that agree with the central directory, declared sizes bounded
 * before any byte is inflated, measured sizes and CRC-32 checked while streaming, and the total
 * bounded. Memory holds only the retained entries.
 */
export async function readArchive(source: ArchiveSource, options: ReadArchiveOptions = {}): Promise<ArchiveContents> {
  const limits = resolveLimits(options.limits);
  const retain = options.retain ?? (() => false);
  const hashAll = options.hashAll ?? true;
  const zip = await openZip(source);
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw new PackError('too_many_entries', `gtpack archive has ${zip.entryCount} entries; at most ${limits.maxEntries} are allowed`);
    }
    const contents: ArchiveContents = { entries: [], retained: new Map(), warnings: [] };
    const seen = new Set<string>();
    const seenFolded = new Map<string, string>();
    let total = 0;
    for (let entry = await nextEntry(zip); entry; entry = await nextEntry(zip)) {
      const name = entryName(entry);
      await checkLocalHeader(zip, entry, name);
      if (name.endsWith('/') && entry.uncompressedSize === 0) {
        checkEntryPath(name.slice(0, -1));
        continue;
      }
      const path = checkEntryPath(name);
      checkRegularFile(entry, path);
      if (seen.has(path)) throw new PackError('duplicate_entry', `duplicate entry detected: ${path}`, path);
      seen.add(path);
      const folded = collisionKey(path);
      const twin = seenFolded.get(folded);
      if (twin !== undefined) contents.warnings.push(`entries ${twin} and ${path} differ only by case or Unicode normalisation`);
      seenFolded.set(folded, path);

      const method = compressionMethod(entry, path);
      if (entry.uncompressedSize > limits.maxEntryBytes) {
        throw new PackError('entry_too_large', `entry ${path} exceeds maximum allowed size of ${limits.maxEntryBytes} bytes`, path);
      }
      total += entry.uncompressedSize;
      if (total > limits.maxTotalBytes) {
        throw new PackError('archive_too_large', `gtpack archive exceeds maximum allowed size (${limits.maxTotalBytes} bytes)`, path);
      }
      if (entry.compressedSize > 0 && entry.uncompressedSize / entry.compressedSize > limits.warnCompressionRatio) {
        const ratio = Math.round(entry.uncompressedSize / entry.compressedSize);
        contents.warnings.push(`entry ${path} has a suspicious compression ratio of ${ratio}:1`);
      }

      const keep = retain(path);
      const record: ArchiveEntry = { path, size: entry.uncompressedSize, compressedSize: entry.compressedSize, method, blake3: null };
      if (keep || hashAll) {
        const { digest, bytes } = await readEntryData(zip, entry, path, keep);
        record.blake3 = digest;
        if (bytes) contents.retained.set(path, bytes);
      }
      contents.entries.push(record);
    }
    return contents;
  } finally {
    zip.close();
  }
}

function openZip(source: ArchiveSource): Promise<ZipFile> {
  const settings = { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false, strictFileNames: true };
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, zip?: ZipFile) => {
      if (error || !zip) reject(openError(error));
      else resolve(zip);
    };
    if ('path' in source) yauzl.open(source.path, settings, done);
    else yauzl.fromBuffer(Buffer.from(source.bytes.buffer, source.bytes.byteOffset, source.bytes.byteLength), settings, done);
  });
}

function openError(error: Error | null): PackError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
    return new PackError('io_error', `cannot open the archive: ${error?.message ?? code}`);
  }
  return new PackError('corrupt_archive', `not a readable ZIP archive: ${error?.message ?? 'unknown error'}`);
}

function nextEntry(zip: ZipFile): Promise<Entry | null> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    const onEntry = (entry: Entry) => {
      cleanup();
      resolve(entry);
    };
    const onEnd = () => {
      cleanup();
      resolve(null);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(new PackError('corrupt_archive', `corrupt ZIP central directory: ${error.message}`));
    };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

function entryName(entry: Entry): string {
  const raw = entry.fileNameRaw ?? (entry.fileName as unknown as Buffer);
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, true);
}

function checkRegularFile(entry: Entry, path: string): void {
  if (entry.versionMadeBy >> 8 !== MADE_BY_UNIX) return;
  const type = (entry.externalFileAttributes >>> 16) & S_IFMT;
  if (type === 0 || type === S_IFREG) return;
  if (type === S_IFDIR) throw new PackError('not_regular_file', `archive entry ${path} is not a regular file`, path);
  throw new PackError('not_regular_file', `unsupported file type for entry ${path}; only regular files are allowed`, path);
}

function compressionMethod(entry: Entry, path: string): ArchiveEntry['method'] {
  if (entry.isEncrypted()) throw new PackError('corrupt_archive', `entry ${path} is encrypted; encrypted packs are not supported`, path);
  if (entry.compressionMethod === 0) return 'stored';
  if (entry.compressionMethod === 8) return 'deflate';
  throw new PackError('corrupt_archive', `entry ${path} uses unsupported compression method ${entry.compressionMethod}`, path);
}

async function readEntryData(zip: ZipFile, entry: Entry, path: string, keep: boolean): Promise<{ digest: string; bytes: Uint8Array | null }> {
  const hasher = await createBlake3Stream();
  const chunks: Buffer[] = [];
  let size = 0;
  let crc = 0;
  try {
    const stream = await zip.openReadStreamPromise(entry);
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      // yauzl already stops at the declared size; this keeps the bound even if that ever changed.
      if (size > entry.uncompressedSize) throw new PackError('size_mismatch', `entry ${path} is larger than its declared ${entry.uncompressedSize} bytes`, path);
      hasher.update(chunk);
      crc = crc32(chunk, crc);
      if (keep) chunks.push(chunk);
    }
  } catch (error) {
    throw streamError(error, path);
  }
  if (size !== entry.uncompressedSize) {
    throw new PackError('size_mismatch', `entry ${path} has ${size} bytes but declares ${entry.uncompressedSize}`, path);
  }
  if (crc !== entry.crc32) throw new PackError('corrupt_archive', `entry ${path} is corrupt (CRC-32 mismatch)`, path);
  return { digest: hasher.hex(), bytes: keep ? Buffer.concat(chunks, size) : null };
}

function streamError(error: unknown, path: string): PackError {
  if (error instanceof PackError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/bytes in the stream/.test(message)) return new PackError('size_mismatch', `entry ${path}: real size differs from the declared size (${message})`, path);
  return new PackError('corrupt_archive', `entry ${path} cannot be read: ${message}`, path);
}
