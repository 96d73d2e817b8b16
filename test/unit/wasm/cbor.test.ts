import { encode } from 'cbor-x';
import { describe, expect, it } from 'vitest';
import { decodeCbor, encodeCbor } from '../../../src/runtime/components/wasm/cbor';

describe('CBOR between the runner and components', () => {
  it('writes integers beyond 32 bits as CBOR integers, without touching the payload it was given', () => {
    const payload = { small: 7, wide: 2 ** 40, list: [-(2 ** 35), 1.5] };
    const bytes = encodeCbor(payload);
    expect(Buffer.from(bytes).includes(Buffer.from([0x1b, 0, 0, 1, 0, 0, 0, 0, 0]))).toBe(true);
    expect(Buffer.from(bytes).includes(Buffer.from([0x3b, 0, 0, 0, 7, 0xff, 0xff, 0xff, 0xff]))).toBe(true);
    expect(decodeCbor(bytes)).toEqual(payload);
    expect(payload).toEqual({ small: 7, wide: 2 ** 40, list: [-(2 ** 35), 1.5] });
  });

  it('reads plain documents as they are and maps what JSON lacks onto JSON', () => {
    expect(decodeCbor(encode({ text: 'héllo', n: [1, null, true] }))).toEqual({ text: 'héllo', n: [1, null, true] });
    const odd = new Map<unknown, unknown>([
      [1, Uint8Array.of(1, 2)],
      ['big', 2n ** 64n - 1n],
      ['exact', 2n ** 40n],
      ['nan', NaN],
      ['when', new Date(Date.UTC(2026, 0, 2))],
    ]);
    expect(decodeCbor(encode(odd))).toEqual({ 1: [1, 2], big: '18446744073709551615', exact: 2 ** 40, nan: null, when: '2026-01-02T00:00:00.000Z' });
  });
});
