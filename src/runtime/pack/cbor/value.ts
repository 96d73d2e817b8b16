/**
 * The CBOR data model the pack formats use: what the strict decoder yields and the writer accepts.
 * Maps keep their order (it is significant: upstream writes struct fields in declaration order);
 * map keys are text, as in every greentic-types document.
 */
export type CborValue = null | boolean | number | bigint | string | Uint8Array | CborFloat | CborValue[] | CborMap | CborObject;

export type CborMap = Map<string, CborValue>;

/** A plain object is written like a Map, in its own key order. */
export interface CborObject {
  [key: string]: CborValue;
}

/**
 * A float that stays a float when written, even without a fraction: serde writes an `f64` field or a
 * ciborium `Value::Float` holding 1.0 as a float, where a plain JS number 1 would become an integer.
 */
export class CborFloat {
  constructor(readonly value: number) {}
}

export function isCborMap(value: unknown): value is CborMap {
  return value instanceof Map;
}

const encoder = new TextEncoder();

/** Bytewise order of UTF-8 keys (serde_json objects and Rust BTreeMaps). */
export function compareBytewise(a: string, b: string): number {
  return Buffer.compare(encoder.encode(a), encoder.encode(b));
}

/** Length-first, then bytewise order of UTF-8 keys (RFC 7049 §3.9 canonical CBOR, CTAP2). */
export function compareLengthFirst(a: string, b: string): number {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  return left.length - right.length || Buffer.compare(left, right);
}
