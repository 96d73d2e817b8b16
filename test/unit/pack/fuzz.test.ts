import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../../src/runtime/keys/ed25519';
import { assemblePack } from '../../../src/runtime/pack/assemble';
import { decodeCbor } from '../../../src/runtime/pack/cbor/decode';
import { PackError } from '../../../src/runtime/pack/errors';
import { openPack } from '../../../src/runtime/pack/open';
import { verifyOpenedPack } from '../../../src/runtime/pack/verify';
import { conformancePath, hasConformance } from '../../support/conformance';
import { seededRandom } from '../../support/random';
import { sampleManifest } from './support/fixtures';

const random = seededRandom;

function mutate(source: Uint8Array, next: () => number): Uint8Array {
  const bytes = Uint8Array.from(source);
  const pick = (n: number) => Math.floor(next() * n);
  switch (pick(5)) {
    case 0: {
      for (let i = 0, n = 1 + pick(8); i < n; i += 1) bytes[pick(bytes.length)] = pick(256);
      return bytes;
    }
    case 1:
      return bytes.subarray(0, pick(bytes.length));
    case 2: {
      // Aim at the central directory and end record, where sizes, offsets and names live.
      const tail = Math.max(0, bytes.length - 600);
      for (let i = 0, n = 1 + pick(4); i < n; i += 1) bytes[tail + pick(bytes.length - tail)] = [0, 0xff, 0x7f, 0x80][pick(4)] as number;
      return bytes;
    }
    case 3: {
      const at = pick(bytes.length);
      const insert = Uint8Array.from({ length: 1 + pick(16) }, () => pick(256));
      return Uint8Array.from([...bytes.subarray(0, at), ...insert, ...bytes.subarray(at)]);
    }
    default: {
      const from = pick(bytes.length);
      const to = pick(bytes.length);
      bytes.copyWithin(to, from, from + 1 + pick(64));
      return bytes;
    }
  }
}

const limits = { maxTotalBytes: 4 * 1024 * 1024, maxEntryBytes: 2 * 1024 * 1024, maxEntries: 500 };

async function seeds(): Promise<Array<[string, Uint8Array]>> {
  const signer = generateKeyPair();
  const files = [{ path: 'assets/card.json', bytes: new TextEncoder().encode('{"type":"AdaptiveCard"}'), mediaType: 'application/octet-stream' }];
  const list: Array<[string, Uint8Array]> = [['built signed pack', await assemblePack(sampleManifest(), files, signer)]];
  if (hasConformance) {
    for (const name of ['canonical-msg-event-app', 'legacy-signed-demo']) list.push([name, readFileSync(conformancePath(`packs/archives/${name}.gtpack`))]);
  }
  return list;
}

describe('fuzz: mutated archives never crash or hang the reader', () => {
  it('3000 mutations (fixed seed) end in a result or a PackError', async () => {
    const next = random(0x6a7e5eed);
    const corpus = await seeds();
    const outcomes = { accepted: 0, rejected: 0 };
    for (let i = 0; i < 3000; i += 1) {
      const [name, source] = corpus[i % corpus.length] as [string, Uint8Array];
      const mutated = mutate(source, next);
      try {
        await verifyOpenedPack(await openPack({ bytes: mutated }, { limits }), { anySigner: true });
        outcomes.accepted += 1;
      } catch (error) {
        if (!(error instanceof PackError)) throw new Error(`case ${i} (${name}) threw ${String(error)}`);
        expect(error.message.length).toBeGreaterThan(0);
        outcomes.rejected += 1;
      }
    }
    expect(outcomes.rejected).toBeGreaterThan(1000);
  }, 120_000);

  it('2000 mutated manifests decode or fail with a PackError', () => {
    const next = random(0xc0ffee);
    const manifest = hasConformance ? readFileSync(conformancePath('vectors/msg-event-app.manifest.signed-rfc8032-test1.cbor')) : new Uint8Array([0xa0]);
    for (let i = 0; i < 2000; i += 1) {
      try {
        decodeCbor(mutate(manifest, next));
      } catch (error) {
        if (!(error instanceof PackError)) throw new Error(`case ${i} threw ${String(error)}`);
      }
    }
  });
});
