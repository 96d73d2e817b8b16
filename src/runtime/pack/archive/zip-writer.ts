import yazl from 'yazl';

export interface ZipInput {
  path: string;
  bytes: Uint8Array;
}

/**
 * Midnight 1980-01-01 from local-time components: yazl writes the DOS date from local fields, so this
 * yields the same bytes in every time zone (upstream's `DateTime::default_for_write`).
 */
const ZIP_EPOCH = new Date(1980, 0, 1, 0, 0, 0);
const REGULAR_FILE_0644 = 0o100644;

/**
 * Writes a ZIP the way packc does: stored entries in the given order, fixed timestamps, mode 0644, no
 * directory entries and no extended-timestamp extra field. Same input, same bytes, on any machine.
 */
export function writeZip(entries: ZipInput[]): Promise<Uint8Array> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    zip.addBuffer(Buffer.from(entry.bytes.buffer, entry.bytes.byteOffset, entry.bytes.byteLength), entry.path, {
      compress: false,
      mtime: ZIP_EPOCH,
      mode: REGULAR_FILE_0644,
      forceDosTimestamp: true,
    });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.end();
  });
}
