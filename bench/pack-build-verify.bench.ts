/**
 * Build + sign and verify of a pack with 60 MB of assets, against the floor measured in the same
 * run: reading the same files, BLAKE3-hashing their bytes and writing them to one file, which any
 * pack build must do at least. Goals: build + sign within 1.5x of the floor, verify within 1.2x.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../src/runtime/fs/atomic';
import { generateKeyPair } from '../src/runtime/keys/ed25519';
import { buildPack } from '../src/runtime/pack/builder/build';
import { blake3Hex } from '../src/runtime/pack/hash';
import { openPack } from '../src/runtime/pack/open';
import { verifyOpenedPack } from '../src/runtime/pack/verify';
import { medianMs, printFigure } from './report';

const MB = 1024 * 1024;
const ASSETS = 6;
const ASSET_BYTES = 10 * MB;
const limits = { maxTotalBytes: 128 * MB, maxEntryBytes: 16 * MB };

const work = mkdtempSync(path.join(tmpdir(), 'pack-bench-'));
const root = path.join(work, 'project');
try {
  mkdirSync(root);
  writeFileSync(path.join(root, 'pack.yaml'), 'pack_id: bench.pack\nversion: 1.0.0\nkind: application\npublisher: Bench\n');
  mkdirSync(path.join(root, 'assets'));
  const files = Array.from({ length: ASSETS }, (_, i) => path.join(root, 'assets', `blob-${i}.bin`));
  files.forEach((file) => writeFileSync(file, randomBytes(ASSET_BYTES)));
  const totalMb = (ASSETS * ASSET_BYTES) / MB;
  const signer = generateKeyPair();
  const out = path.join(work, 'bench.gtpack');
  const floorOut = path.join(work, 'floor.bin');

  const floorMs = await medianMs(async () => {
    const contents: Uint8Array[] = [];
    for (const file of files) {
      const bytes = await readFile(file);
      await blake3Hex(bytes);
      contents.push(bytes);
    }
    await writeFileAtomic(floorOut, Buffer.concat(contents));
  }, 5, 1);
  const buildMs = await medianMs(async () => writeFileAtomic(out, (await buildPack(root, { signer, limits })).bytes), 5, 1);
  const verifyMs = await medianMs(async () => {
    const result = await verifyOpenedPack(await openPack({ path: out }, { limits }), { givenKeys: [signer.publicKey] });
    if (!result.ok) throw new Error(`the benchmark pack does not verify: ${result.problems.join('; ')}`);
  }, 5, 1);
  const hashMs = await medianMs(async () => {
    for (const file of files) await blake3Hex(await readFile(file));
  }, 5, 1);

  const rate = (ms: number) => totalMb / (ms / 1000);
  printFigure({ name: `read + BLAKE3 of ${totalMb} MB`, value: rate(hashMs), unit: 'MB/s' });
  printFigure({ name: `floor: read + BLAKE3 + write, ${totalMb} MB`, value: floorMs, unit: 'ms' });
  printFigure({ name: `pack build + sign, ${totalMb} MB`, value: buildMs, unit: 'ms' });
  printFigure({ name: `pack verify, ${totalMb} MB`, value: verifyMs, unit: 'ms' });
  printFigure({ name: 'pack build + sign / floor', value: buildMs / floorMs, unit: 'x', goal: { max: 1.5 } });
  printFigure({ name: 'pack verify / floor', value: verifyMs / floorMs, unit: 'x', goal: { max: 1.2 } });
} finally {
  rmSync(work, { recursive: true, force: true });
}
