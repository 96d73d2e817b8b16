import { PackError } from '../errors';
import { CborFloat, compareLengthFirst, isCborMap, type CborValue } from './value';

/**
 * Writes CBOR the way ciborium does for serde data: definite lengths, shortest integer heads, maps
 * in the order given, no tags, and floats in the shortest width that keeps the value (f16, f32 or
 * f64). The last point is why this is not cbor-x: it never writes f16, so a manifest holding `0.5`
 * would differ from upstream's bytes. A JS number with no fraction is written as an integer, a
 * CborFloat always as a float.
 */
export function encodeCbor(value: CborValue): Uint8Array {
  const writer = new Writer();
  writer.value(value);
  return writer.finish();
}

/**
 * greentic-types' canonical CBOR (`to_canonical_cbor_allow_floats`): every map sorted length-first
 * then bytewise. Used for component manifests, `sbom.cbor` and `pack.lock.cbor`.
 */
export function encodeCanonicalCbor(value: CborValue): Uint8Array {
  return encodeCbor(sortMapsDeep(value, compareLengthFirst));
}

/** A copy of `value` with the keys of every map (and plain object) in `compare` order. */
export function sortMapsDeep(value: CborValue, compare: (a: string, b: string) => number): CborValue {
  if (Array.isArray(value)) return value.map((item) => sortMapsDeep(item, compare));
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array || value instanceof CborFloat) return value;
  const entries = isCborMap(value) ? [...value] : Object.entries(value);
  entries.sort(([a], [b]) => compare(a, b));
  return new Map(entries.map(([key, item]) => [key, sortMapsDeep(item, compare)]));
}

const textEncoder = new TextEncoder();

class Writer {
  private buffer = new Uint8Array(1024);
  private view = new DataView(this.buffer.buffer);
  private length = 0;

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  value(value: CborValue): void {
    if (value === null) return this.byte(0xf6);
    switch (typeof value) {
      case 'boolean':
        return this.byte(value ? 0xf5 : 0xf4);
      case 'number':
        return Number.isInteger(value) && Number.isSafeInteger(value) ? this.integer(value) : this.float(value);
      case 'bigint':
        return this.bigint(value);
      case 'string': {
        const bytes = textEncoder.encode(value);
        this.head(3, bytes.length);
        return this.bytes(bytes);
      }
      case 'object':
        break;
      default:
        throw new PackError('cbor_invalid', `cannot encode a ${typeof value} as CBOR`);
    }
    if (value instanceof CborFloat) return this.float(value.value);
    if (value instanceof Uint8Array) {
      this.head(2, value.length);
      return this.bytes(value);
    }
    if (Array.isArray(value)) {
      this.head(4, value.length);
      for (const item of value) this.value(item);
      return;
    }
    const entries = isCborMap(value) ? [...value] : Object.entries(value);
    this.head(5, entries.length);
    for (const [key, item] of entries) {
      this.value(key);
      this.value(item);
    }
  }

  private integer(value: number): void {
    if (value >= 0) this.head(0, value);
    else this.head(1, -1 - value);
  }

  private bigint(value: bigint): void {
    const negative = value < 0n;
    const magnitude = negative ? -1n - value : value;
    if (magnitude > 0xffff_ffff_ffff_ffffn) throw new PackError('cbor_invalid', 'integer does not fit in 64 bits');
    if (magnitude <= BigInt(Number.MAX_SAFE_INTEGER)) return this.head(negative ? 1 : 0, Number(magnitude));
    this.byte(((negative ? 1 : 0) << 5) | 27);
    this.reserve(8);
    this.view.setBigUint64(this.length, magnitude);
    this.length += 8;
  }

  private float(value: number): void {
    const half = toHalf(value);
    if (half !== null) {
      this.byte(0xf9);
      this.reserve(2);
      this.view.setUint16(this.length, half);
      this.length += 2;
    } else if (Math.fround(value) === value) {
      this.byte(0xfa);
      this.reserve(4);
      this.view.setFloat32(this.length, value);
      this.length += 4;
    } else {
      this.byte(0xfb);
      this.reserve(8);
      this.view.setFloat64(this.length, value);
      this.length += 8;
    }
  }

  private head(major: number, argument: number): void {
    const type = major << 5;
    if (argument < 24) return this.byte(type | argument);
    if (argument < 0x100) {
      this.byte(type | 24);
      return this.byte(argument);
    }
    if (argument < 0x10000) {
      this.byte(type | 25);
      this.reserve(2);
      this.view.setUint16(this.length, argument);
      this.length += 2;
      return;
    }
    if (argument < 0x1_0000_0000) {
      this.byte(type | 26);
      this.reserve(4);
      this.view.setUint32(this.length, argument);
      this.length += 4;
      return;
    }
    this.byte(type | 27);
    this.reserve(8);
    this.view.setBigUint64(this.length, BigInt(argument));
    this.length += 8;
  }

  private byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  private bytes(value: Uint8Array): void {
    this.reserve(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }
}

/** The IEEE half-precision bits of `value`, or null when f16 cannot hold it exactly. */
function toHalf(value: number): number | null {
  if (Number.isNaN(value)) return 0x7e00;
  if (!Number.isFinite(value)) return value > 0 ? 0x7c00 : 0xfc00;
  if (Math.fround(value) !== value) return null;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const magnitude = Math.abs(value);
  if (magnitude === 0) return sign;
  const exponent = Math.floor(Math.log2(magnitude));
  if (exponent > 15) return null;
  if (exponent < -14) {
    // Subnormal: a multiple of 2^-24 below 2^-14.
    const fraction = magnitude / 2 ** -24;
    return Number.isInteger(fraction) && fraction < 0x400 ? sign | fraction : null;
  }
  const fraction = (magnitude / 2 ** exponent - 1) * 1024;
  const exact = Number.isInteger(fraction) && fraction >= 0 && fraction < 1024;
  return exact ? sign | ((exponent + 15) << 10) | fraction : null;
}
