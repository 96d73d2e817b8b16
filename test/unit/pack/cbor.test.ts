import { describe, expect, it } from 'vitest';
import { decodeCbor } from '../../../src/runtime/pack/cbor/decode';
import { encodeCanonicalCbor, encodeCbor } from '../../../src/runtime/pack/cbor/encode';
import { CborFloat } from '../../../src/runtime/pack/cbor/value';
import { PackError } from '../../../src/runtime/pack/errors';
import { decodePackManifest, encodePackManifest } from '../../../src/runtime/pack/manifest';
import { sampleManifest } from './support/fixtures';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));

describe('CBOR writer (ciborium-compatible)', () => {
  it.each([
    [0, '00'],
    [23, '17'],
    [24, '1818'],
    [65535, '19ffff'],
    [65536, '1a00010000'],
    [2 ** 32, '1b0000000100000000'],
    [-1, '20'],
    [-1000, '3903e7'],
    [0.5, 'f93800'],
    [1.5, 'f93e00'],
    [65504, '19ffe0'],
    [0.1, 'fb3fb999999999999a'],
    [3.4028234663852886e38, 'fa7f7fffff'],
    [-0.25, 'f9b400'],
  ])('writes %s in the shortest form', (value, expected) => {
    expect(hex(encodeCbor(value))).toBe(expected);
  });

  it('writes u64 values beyond 2^53 from bigints', () => {
    expect(hex(encodeCbor(18446744073709551615n))).toBe('1bffffffffffffffff');
  });

  it('keeps map order as given; canonical sorts length-first then bytewise', () => {
    const value = new Map([
      ['path', 1],
      ['size', 2],
      ['hash_blake3', 3],
      ['media_type', 4],
    ]);
    expect(hex(encodeCbor(value)).startsWith('a46470617468')).toBe(true);
    const canonical = decodeCbor(encodeCanonicalCbor(value)) as Map<string, unknown>;
    expect([...canonical.keys()]).toEqual(['path', 'size', 'media_type', 'hash_blake3']);
  });
});

describe('strict CBOR decoder', () => {
  const rejects = (input: string, message: RegExp) => {
    expect(() => decodeCbor(fromHex(input))).toThrow(PackError);
    expect(() => decodeCbor(fromHex(input))).toThrow(message);
  };

  it('refuses tags other than self-describe, which it ignores', () => {
    rejects('c11a5e0be100', /CBOR tag 1 is not allowed/);
    rejects('d81c01', /CBOR tag 28 is not allowed/);
    expect(decodeCbor(fromHex('d9d9f7a0'))).toEqual(new Map());
  });

  it('refuses lengths beyond the input, truncation, trailing bytes and duplicate keys', () => {
    rejects('9bffffffffffffffff', /exceeds the remaining/);
    rejects('5a00010000', /exceeds the remaining/);
    rejects('a2616101', /unexpected end of data/);
    rejects('0000', /trailing bytes/);
    rejects('a2616101616102', /duplicate map key "a"/);
    rejects('a10102', /map keys must be text strings/);
    rejects('62c328', /not valid UTF-8/);
    rejects('f7', /simple value 23 is not allowed/);
  });

  it('bounds nesting depth', () => {
    rejects('81'.repeat(300) + '00', /nesting deeper than 256/);
  });

  it('reads indefinite-length items and half floats', () => {
    expect(decodeCbor(fromHex('9f0102ff'))).toEqual([1, 2]);
    expect(decodeCbor(fromHex('bf616101ff'))).toEqual(new Map([['a', 1]]));
    expect(decodeCbor(fromHex('7f61616162ff'))).toBe('ab');
    expect(decodeCbor(fromHex('f93e00'))).toBe(1.5);
  });

  it('tells a float without a fraction from an integer when asked, and writes it back as a float', () => {
    expect(decodeCbor(fromHex('f93c00'))).toBe(1);
    const kept = decodeCbor(fromHex('82f93c0001'), { keepFloats: true });
    expect(kept).toEqual([new CborFloat(1), 1]);
    expect(hex(encodeCbor(kept))).toBe('82f93c0001');
    expect(hex(encodeCanonicalCbor(new Map([['b', new CborFloat(0.1)], ['a', new CborFloat(65504)]])))).toBe('a26161f97bff6162fb3fb999999999999a');
  });

  it('keeps a hostile "__proto__" key as data', () => {
    const manifest = sampleManifest();
    const node = manifest.flows[0]?.flow.nodes[0];
    if (!node) throw new Error('fixture');
    node.input.mapping = JSON.parse('{"__proto__": {"polluted": true}}');
    const decoded = decodePackManifest(encodePackManifest(manifest));
    const mapping = decoded.flows[0]?.flow.nodes[0]?.input.mapping as Record<string, unknown>;
    expect(Object.hasOwn(mapping, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('manifest model', () => {
  it('round-trips a built manifest with floats, routing variants and symbol tables', () => {
    const manifest = sampleManifest();
    const node = manifest.flows[0]?.flow.nodes[0];
    if (!node) throw new Error('fixture');
    node.routing = { branch: { on_status: { ok: 'hello' }, default: null } };
    const bytes = encodePackManifest(manifest);
    expect(decodePackManifest(bytes)).toEqual(manifest);
    expect(Buffer.from(bytes).includes(Buffer.from('Branch'))).toBe(true);
    expect(Buffer.from(bytes).includes(Buffer.from('f93800', 'hex'))).toBe(true);
  });

  it('a route to an unknown node is an encode error, not a corrupt manifest', () => {
    const manifest = sampleManifest();
    const node = manifest.flows[0]?.flow.nodes[0];
    if (!node) throw new Error('fixture');
    node.routing = { next: { node_id: 'nowhere' } };
    expect(() => encodePackManifest(manifest)).toThrow(/"nowhere" is not in symbols.node_ids/);
  });

  it('an out-of-range symbol index names the field', () => {
    const bytes = Buffer.from(encodePackManifest(sampleManifest()));
    // pack_id is the first u32 reference (index 0); point it past the table.
    const at = bytes.indexOf(Buffer.from('677061636b5f696400', 'hex')) + 8;
    bytes[at] = 0x07;
    expect(() => decodePackManifest(bytes)).toThrow(/manifest.cbor: pack_id must be an index into symbols.pack_ids \(found 7\)/);
  });
});
