import { randomBytes } from 'node:crypto';
import { blake3 as nobleBlake3 } from '@noble/hashes/blake3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { blake3Bytes, blake3Hex, createBlake3Stream } from '../../../src/runtime/pack/hash';

describe('pack BLAKE3 (WASM)', () => {
  it('gives the digests of the reference implementation, whole, in parts, streamed and concurrently', async () => {
    expect(await blake3Hex(new Uint8Array(0))).toBe('af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262');
    const inputs = [1, 1023, 1024, 1025, 64 * 1024 + 3, 5 * 1024 * 1024].map((size) => randomBytes(size));
    const digests = await Promise.all(inputs.map((bytes) => blake3Hex(bytes)));
    expect(digests).toEqual(inputs.map((bytes) => bytesToHex(nobleBlake3(bytes))));
    const [a, b] = [inputs[2] as Uint8Array, inputs[4] as Uint8Array];
    expect(Buffer.from(await blake3Bytes(a, b)).toString('hex')).toBe(bytesToHex(nobleBlake3(Buffer.concat([a, b]))));
    const streams = await Promise.all(inputs.map(() => createBlake3Stream()));
    inputs.forEach((bytes, i) => {
      for (let at = 0; at < bytes.length; at += 7919) streams[i]?.update(bytes.subarray(at, at + 7919));
    });
    expect(streams.map((stream) => stream.hex())).toEqual(digests);
  });
});
