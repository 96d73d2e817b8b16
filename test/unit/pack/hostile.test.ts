import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../../src/runtime/keys/ed25519';
import { readArchive } from '../../../src/runtime/pack/archive/zip-reader';
import { assemblePack } from '../../../src/runtime/pack/assemble';
import { PackError, type PackErrorCode } from '../../../src/runtime/pack/errors';
import { openPack } from '../../../src/runtime/pack/open';
import { verifyOpenedPack } from '../../../src/runtime/pack/verify';
import { runCliCaptured } from '../../support/cli';
import { rawZip, type RawEntry } from './support/raw-zip';
import { sampleManifest, sampleManifestBytes } from './support/fixtures';

const text = (value: string) => new TextEncoder().encode(value);
const manifestEntry: RawEntry = { name: 'manifest.cbor', data: sampleManifestBytes() };

async function failure(bytes: Uint8Array, limits = {}): Promise<PackError> {
  try {
    await openPack({ bytes }, { limits });
  } catch (error) {
    if (error instanceof PackError) return error;
    throw error;
  }
  throw new Error('the archive was accepted');
}

async function expectRejected(entries: RawEntry[], code: PackErrorCode, message: RegExp, limits = {}) {
  const error = await failure(rawZip(entries), limits);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
}

describe('hostile archives each give their typed error', () => {
  it.each([
    ['zip-slip', '../../etc/passwd'],
    ['zip-slip inside', 'assets/../../evil'],
    ['absolute path', '/etc/passwd'],
    ['drive letter', 'C:/Windows/evil.dll'],
    ['backslashes', 'assets\\..\\evil'],
    ['empty segment', 'assets//card.json'],
    ['dot segment', './manifest.cbor'],
    ['NUL byte', 'assets/a\u0000b'],
  ])('%s is an unsafe path', async (_name, name) => {
    await expectRejected([manifestEntry, { name, data: text('x') }], 'unsafe_path', /archive entry contains unsafe path/);
  });

  it('a symlink entry is refused', async () => {
    await expectRejected([manifestEntry, { name: 'assets/link', data: text('/etc/passwd'), mode: 0o120777 }], 'not_regular_file', /only regular files/);
  });

  it('duplicate entries are refused, naming the path', async () => {
    await expectRejected([manifestEntry, { name: 'assets/a.json', data: text('1') }, { name: 'assets/a.json', data: text('2') }], 'duplicate_entry', /duplicate entry detected: assets\/a\.json/);
  });

  it('a zip bomb declaring a huge size is refused before inflating', async () => {
    const bomb = new Uint8Array(4 * 1024 * 1024);
    await expectRejected([manifestEntry, { name: 'assets/bomb.bin', data: bomb, deflate: true }], 'entry_too_large', /exceeds maximum allowed size of 65536 bytes/, { maxEntryBytes: 64 * 1024 });
  });

  it('a zip bomb lying about its size is stopped at the declared size', async () => {
    const bomb = new Uint8Array(8 * 1024 * 1024);
    await expectRejected([manifestEntry, { name: 'assets/bomb.bin', data: bomb, deflate: true, declaredSize: 1000 }], 'size_mismatch', /assets\/bomb\.bin/);
  });

  it('a highly compressed entry within the limits is read with a warning', async () => {
    const contents = await readArchive({ bytes: rawZip([manifestEntry, { name: 'assets/zeros.bin', data: new Uint8Array(1024 * 1024), deflate: true }]) });
    expect(contents.warnings.join('\n')).toMatch(/assets\/zeros\.bin has a suspicious compression ratio/);
  });

  it('the total uncompressed size is bounded', async () => {
    const chunk = new Uint8Array(40 * 1024);
    await expectRejected(
      [manifestEntry, { name: 'assets/a', data: chunk }, { name: 'assets/b', data: chunk }],
      'archive_too_large',
      /gtpack archive exceeds maximum allowed size \(65536 bytes\)/,
      { maxTotalBytes: 64 * 1024 },
    );
  });

  it('an oversize stored entry is refused', async () => {
    await expectRejected([manifestEntry, { name: 'assets/big', data: new Uint8Array(70 * 1024) }], 'entry_too_large', /entry assets\/big exceeds/, { maxEntryBytes: 64 * 1024 });
  });

  it('too many entries are refused from the directory count alone', async () => {
    const entries = Array.from({ length: 20 }, (_, i) => ({ name: `assets/${i}`, data: text('x') }));
    await expectRejected([manifestEntry, ...entries], 'too_many_entries', /21 entries; at most 10/, { maxEntries: 10 });
  });

  it('a truncated archive is corrupt', async () => {
    const whole = rawZip([manifestEntry, { name: 'assets/a.json', data: text('{"a":1}') }]);
    const error = await failure(whole.subarray(0, whole.length - 30));
    expect(error.code).toBe('corrupt_archive');
  });

  it('a changed byte in a stored entry fails its CRC', async () => {
    const whole = Buffer.from(rawZip([manifestEntry, { name: 'assets/a.json', data: text('{"value":1}') }]));
    whole[whole.indexOf('{"value":1}') + 9] = 0x32;
    const error = await failure(whole);
    expect(error).toMatchObject({ code: 'corrupt_archive', path: 'assets/a.json' });
  });

  it('a garbage manifest is a typed manifest error', async () => {
    await expectRejected([{ name: 'manifest.cbor', data: text('this is not cbor at all') }], 'manifest_invalid', /manifest\.cbor is not valid CBOR/);
  });

  it('a manifest with the wrong shape names the field', async () => {
    const bad = new Uint8Array([0xa1, 0x6e, ...text('schema_version'), 0x01]);
    await expectRejected([{ name: 'manifest.cbor', data: bad }], 'manifest_invalid', /manifest\.cbor: schema_version must be a text string/);
  });

  it('an archive without a manifest says so', async () => {
    await expectRejected([{ name: 'assets/a.json', data: text('{}') }], 'manifest_missing', /manifest\.cbor missing from archive/);
  });

  it('not a zip at all is corrupt', async () => {
    const error = await failure(text('PK but not really a zip file'));
    expect(error.code).toBe('corrupt_archive');
  });
});

describe('tampered and foreign-signed packs fail verification, naming what changed', () => {
  const signer = generateKeyPair();
  const files = [
    { path: 'assets/cards/welcome.json', bytes: text('{"type":"AdaptiveCard"}'), mediaType: 'application/octet-stream' },
    { path: 'pack.lock.cbor', bytes: new Uint8Array([0xa0]), mediaType: 'application/octet-stream' },
  ];

  it('a signature by another key is not accepted', async () => {
    const other = generateKeyPair();
    const opened = await openPack({ bytes: await assemblePack(sampleManifest(), files, signer) });
    const result = await verifyOpenedPack(opened, { givenKeys: [other.publicKey] });
    expect(result.ok).toBe(false);
    expect(result.signatures.map((s) => s.status)).toEqual(['untrusted', 'untrusted']);
    expect(result.problems).toContain('no signature verifies with an accepted key');
  });

  it('a tampered asset (with a consistent CRC) is named by the SBOM check', async () => {
    const tampered = rawZip(await rewriteEntry(await assemblePack(sampleManifest(), files, signer), 'assets/cards/welcome.json', text('{"type":"Evil"}')));
    const result = await verifyOpenedPack(await openPack({ bytes: tampered }), { givenKeys: [signer.publicKey] });
    expect(result.ok).toBe(false);
    expect(result.intact).toBe(false);
    expect(result.problems.join('\n')).toMatch(/hash mismatch for assets\/cards\/welcome\.json/);
  });
});

/** Re-zips an archive with one entry's bytes replaced (new CRC), as an attacker with a zip tool would. */
async function rewriteEntry(bytes: Uint8Array, target: string, replacement: Uint8Array): Promise<RawEntry[]> {
  const contents = await readArchive({ bytes }, { retain: () => true });
  return contents.entries.map((entry) => ({ name: entry.path, data: entry.path === target ? replacement : (contents.retained.get(entry.path) as Uint8Array) }));
}


describe('a local file header that disagrees with the central directory is refused', () => {
  const ok: RawEntry = { name: 'assets/ok.txt', data: text('all fine') };

  it.each<[string, RawEntry, RegExp]>([
    ['another name (zip-slip hidden from the directory)', { ...ok, local: { name: '../../x' } }, /local file header's name \("\.\.\/\.\.\/x"\) differs from the central directory's \("assets\/ok\.txt"\)/],
    ['another uncompressed size', { ...ok, local: { size: 3 } }, /local file header's uncompressed size \(3\) differs from the central directory's \(8\)/],
    ['another compressed size', { ...ok, deflate: true, local: { compressedSize: 1 } }, /local file header's compressed size \(1\) differs/],
    ['another compression method', { ...ok, local: { method: 8 } }, /local file header's compression method \(8\) differs from the central directory's \(0\)/],
    ['another CRC-32', { ...ok, local: { crc: 1234 } }, /local file header's CRC-32 \(1234\) differs/],
  ])('%s', async (_name, entry, message) => {
    await expectRejected([manifestEntry, entry], 'corrupt_archive', message);
  });

  it('zero sizes and CRC-32 under a data descriptor flag agree with any directory entry', async () => {
    const deferred: RawEntry = { ...ok, local: { flags: 0x808, size: 0, compressedSize: 0, crc: 0 } };
    const contents = await readArchive({ bytes: rawZip([manifestEntry, deferred]) });
    expect(contents.entries.map((entry) => entry.path)).toEqual(['manifest.cbor', 'assets/ok.txt']);
  });

  it('pack inspect exits non-zero and says why', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pack-local-header-'));
    try {
      const pack = path.join(dir, 'lying.gtpack');
      await writeFile(pack, rawZip([manifestEntry, { ...ok, local: { name: '../../x' } }]));
      const result = await runCliCaptured('pack', 'inspect', pack);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/local file header's name \("\.\.\/\.\.\/x"\) differs/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
