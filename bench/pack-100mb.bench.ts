/**
 * Build + sign and verify of a 100 MB pack, against plain BLAKE3 hashing of the same bytes (the
 * unavoidable cost: every byte is hashed for the SBOM). Goal: each within 1.5x of that baseline.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
const ASSETS = 8;
const ASSET_BYTES = 12.5 * MB;
const limits = { maxTotalBytes: 128 * MB, maxEntryBytes: 16 * MB };

const work = mkdtempSync(path.join(tmpdir(), 'pack-bench-'));
const root = path.join(work, 'project');
try {
  mkdirSync(root);
  const assets = Array.from({ length: ASSETS }, () => randomBytes(ASSET_BYTES));
  writeFileSync(path.join(root, 'pack.yaml'), 'pack_id: bench.pack\nversion: 1.0.0\nkind: application\npublisher: Bench\n');
  mkdirSync(path.join(root, 'data'));
  assets.forEach((bytes, i) => writeFileSync(path.join(root, 'data', `blob-${i}.bin`), bytes));
  const totalMb = (ASSETS * ASSET_BYTES) / MB;
  const signer = generateKeyPair();
  const out = path.join(work, 'bench.gtpack');

  const hashMs = await medianMs(() => assets.forEach((bytes) => blake3Hex(bytes)), 3, 1);
  const buildMs = await medianMs(async () => writeFileAtomic(out, (await buildPack(root, { signer, limits })).bytes), 3, 1);
  const verifyMs = await medianMs(async () => {
    const result = await verifyOpenedPack(await openPack({ path: out }, { limits }), { givenKeys: [signer.publicKey] });
    if (!result.ok) throw new Error(`the benchmark pack does not verify: ${result.problems.join('; ')}`);
  }, 3, 1);

  const rate = (ms: number) => totalMb / (ms / 1000);
  printFigure({ name: `BLAKE3 of ${totalMb} MB (baseline)`, value: rate(hashMs), unit: 'MB/s' });
  printFigure({ name: `pack build + sign, ${totalMb} MB`, value: rate(buildMs), unit: 'MB/s' });
  printFigure({ name: `pack verify, ${totalMb} MB`, value: rate(verifyMs), unit: 'MB/s' });
  printFigure({ name: 'pack build + sign time / BLAKE3 time', value: buildMs / hashMs, unit: 'x', goal: { max: 1.5 } });
  printFigure({ name: 'pack verify time / BLAKE3 time', value: verifyMs / hashMs, unit: 'x', goal: { max: 1.5 } });
} finally {
  rmSync(work, { recursive: true, force: true });
}
