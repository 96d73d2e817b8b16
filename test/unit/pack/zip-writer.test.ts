import { randomBytes } from 'node:crypto';
import yazl from 'yazl';
import { describe, expect, it } from 'vitest';
import { writeZip, type ZipInput } from '../../../src/runtime/pack/archive/zip-writer';
import { readArchive } from '../../../src/runtime/pack/archive/zip-reader';

/** What the writer replaced: yazl with packc's settings, the bytes every earlier pack was built with. */
function yazlZip(entries: ZipInput[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    zip.addBuffer(Buffer.from(entry.bytes), entry.path, { compress: false, mtime: new Date(1980, 0, 1, 0, 0, 0), mode: 0o100644, forceDosTimestamp: true });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.end();
  });
}

describe('the pack ZIP writer', () => {
  it('writes the same bytes as the yazl layout packs were built with, and reads back', async () => {
    const entries: ZipInput[] = [
      { path: 'manifest.cbor', bytes: randomBytes(300) },
      { path: 'assets/empty.txt', bytes: new Uint8Array(0) },
      { path: 'assets/crème brûlée/説明.md', bytes: randomBytes(70_000) },
      { path: 'components/big.wasm', bytes: randomBytes(3 * 1024 * 1024 + 17) },
    ];
    const written = await writeZip(entries);
    expect(Buffer.from(written).equals(await yazlZip(entries))).toBe(true);
    const read = await readArchive({ bytes: written }, { retain: () => true });
    expect(read.entries.map((e) => [e.path, e.size, e.method])).toEqual(entries.map((e) => [e.path, e.bytes.length, 'stored']));
    expect(Buffer.from(read.retained.get('components/big.wasm') ?? []).equals(Buffer.from(entries[3]?.bytes ?? []))).toBe(true);
    expect(Buffer.from(await writeZip([])).equals(await yazlZip([]))).toBe(true);
  });
});
