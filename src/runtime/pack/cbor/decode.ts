import { PackError } from '../errors';
import { CborFloat, type CborMap, type CborValue } from './value';

/**
 * A strict CBOR decoder for pack documents. Upstream decodes with ciborium into plain serde data;
 * general-purpose JS decoders interpret tags instead (dates, sets, shared references that can build
 * cycles), which would accept documents upstream rejects. This one yields only the plain data model,
 * bounds nesting depth and declared lengths by the input size, and names the offset of any problem.
 */

/** Tag 55799 ("self-described CBOR") carries no meaning; legacy manifests start with it. */
export const SELF_DESCRIBE_TAG = 55799;

export interface DecodeOptions {
  /** Deepest nesting accepted (ciborium's default recursion limit is 256). */
  maxDepth?: number;
  /** Yield floats as CborFloat, so that a float without a fraction is told apart from an integer. */
  keepFloats?: boolean;
}

export function decodeCbor(bytes: Uint8Array, options: DecodeOptions = {}): CborValue {
  const reader = new Reader(bytes, options.maxDepth ?? 256, options.keepFloats ?? false);
  const value = reader.item(0);
  if (reader.offset !== bytes.length) reader.fail('trailing bytes after the CBOR document');
  return value;
}

const BREAK = Symbol('break');
const textDecoder = new TextDecoder('utf-8', { fatal: true });

class Reader {
  offset = 0;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly maxDepth: number,
    private readonly keepFloats: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(reason: string): never {
    throw new PackError('cbor_invalid', `invalid CBOR at byte ${this.offset}: ${reason}`);
  }

  item(depth: number): CborValue {
    const value = this.itemOrBreak(depth);
    if (value === BREAK) this.fail('unexpected break code');
    return value;
  }

  private itemOrBreak(depth: number): CborValue | typeof BREAK {
    if (depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth}`);
    const initial = this.byte();
    const major = initial >> 5;
    const info = initial & 0x1f;
    if (major === 7) return this.simple(info);
    if (info === 31) return this.indefinite(major, depth);
    const argument = this.argument(info);
    switch (major) {
      case 0:
        return argument;
      case 1:
        return typeof argument === 'bigint' ? -1n - argument : -1 - argument;
      case 2:
        return this.take(this.length(argument)).slice();
      case 3:
        return this.text(this.take(this.length(argument)));
      case 4:
        return this.array(this.length(argument), depth);
      case 5:
        return this.map(this.length(argument), depth);
      default: {
        if (argument !== SELF_DESCRIBE_TAG) this.fail(`CBOR tag ${String(argument)} is not allowed`);
        return this.item(depth + 1);
      }
    }
  }

  private byte(): number {
    if (this.offset >= this.bytes.length) this.fail('unexpected end of data');
    return this.bytes[this.offset++] as number;
  }

  private take(length: number): Uint8Array {
    if (length > this.bytes.length - this.offset) this.fail('unexpected end of data');
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  /** The head's argument: a number when it is a safe integer, else a bigint. */
  private argument(info: number): number | bigint {
    if (info < 24) return info;
    const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0;
    if (size === 0) this.fail(`reserved additional information ${info}`);
    const at = this.offset;
    this.take(size);
    if (size === 1) return this.view.getUint8(at);
    if (size === 2) return this.view.getUint16(at);
    if (size === 4) return this.view.getUint32(at);
    const big = this.view.getBigUint64(at);
    return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  }

  /** A declared length, which can never exceed what is left of the input. */
  private length(argument: number | bigint): number {
    if (typeof argument === 'bigint' || argument > this.bytes.length - this.offset) {
      this.fail(`declared length ${String(argument)} exceeds the remaining ${this.bytes.length - this.offset} bytes`);
    }
    return argument;
  }

  private text(raw: Uint8Array): string {
    try {
      return textDecoder.decode(raw);
    } catch {
      this.fail('text string is not valid UTF-8');
    }
  }

  private array(length: number, depth: number): CborValue[] {
    const items: CborValue[] = [];
    for (let i = 0; i < length; i += 1) items.push(this.item(depth + 1));
    return items;
  }

  private map(length: number, depth: number): CborMap {
    const map: CborMap = new Map();
    for (let i = 0; i < length; i += 1) this.entry(map, this.item(depth + 1), depth);
    return map;
  }

  private entry(map: CborMap, key: CborValue, depth: number): void {
    if (typeof key !== 'string') this.fail('map keys must be text strings');
    if (map.has(key)) this.fail(`duplicate map key "${key}"`);
    map.set(key, this.item(depth + 1));
  }

  private indefinite(major: number, depth: number): CborValue {
    if (major === 2 || major === 3) {
      const chunks: Uint8Array[] = [];
      for (;;) {
        const chunk = this.itemOrBreak(depth + 1);
        if (chunk === BREAK) break;
        const ok = major === 2 ? chunk instanceof Uint8Array : typeof chunk === 'string';
        if (!ok) this.fail('indefinite-length string with a chunk of another type');
        chunks.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : (chunk as Uint8Array));
      }
      const joined = Buffer.concat(chunks);
      return major === 2 ? new Uint8Array(joined) : this.text(joined);
    }
    if (major === 4) {
      const items: CborValue[] = [];
      for (let item = this.itemOrBreak(depth + 1); item !== BREAK; item = this.itemOrBreak(depth + 1)) items.push(item);
      return items;
    }
    if (major === 5) {
      const map: CborMap = new Map();
      for (let key = this.itemOrBreak(depth + 1); key !== BREAK; key = this.itemOrBreak(depth + 1)) this.entry(map, key, depth);
      return map;
    }
    this.fail(`indefinite length is not allowed for major type ${major}`);
  }

  private float(value: number): CborValue {
    return this.keepFloats ? new CborFloat(value) : value;
  }

  private simple(info: number): CborValue | typeof BREAK {
    switch (info) {
      case 20:
        return false;
      case 21:
        return true;
      case 22:
        return null;
      case 25: {
        const at = this.offset;
        this.take(2);
        return this.float(halfToNumber(this.view.getUint16(at)));
      }
      case 26: {
        const at = this.offset;
        this.take(4);
        return this.float(this.view.getFloat32(at));
      }
      case 27: {
        const at = this.offset;
        this.take(8);
        return this.float(this.view.getFloat64(at));
      }
      case 31:
        return BREAK;
      default:
        this.fail(`simple value ${info} is not allowed`);
    }
  }
}

function halfToNumber(half: number): number {
  const sign = half & 0x8000 ? -1 : 1;
  const exponent = (half >> 10) & 0x1f;
  const fraction = half & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
