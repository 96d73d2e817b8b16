import { Decoder, Encoder } from 'cbor-x';
import type { JsonValue } from '../../../shared/flow/compiled';

// Plain maps, no tags, no record extension: what upstream guests' canonical CBOR readers accept.
const encoder = new Encoder({ useRecords: false, mapsAsObjects: true, tagUint8Array: false, variableMapSize: true });
const decoder = new Decoder({ useRecords: false, mapsAsObjects: true });

export function encodeCbor(value: JsonValue): Uint8Array {
  return encoder.encode(hasWideIntegers(value) ? withWideIntegers(value) : value);
}

/** Whether any number needs `withWideIntegers` (rare): checked without copying, so a payload is copied only then. */
function hasWideIntegers(value: JsonValue): boolean {
  if (typeof value === 'number') return Number.isSafeInteger(value) && Math.abs(value) > 0xffffffff;
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(hasWideIntegers);
  for (const key in value) if (hasWideIntegers(value[key]!)) return true;
  return false;
}

/** cbor-x writes integers beyond 32 bits as floats; a guest reading a u64 needs a CBOR integer. */
function withWideIntegers(value: JsonValue): unknown {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && Math.abs(value) > 0xffffffff ? BigInt(value) : value;
  }
  if (Array.isArray(value)) return value.map(withWideIntegers);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withWideIntegers(v)]));
  }
  return value;
}

/** Decodes CBOR into a JSON value; throws when the bytes are not one well-formed CBOR item. */
export function decodeCbor(bytes: Uint8Array): JsonValue {
  const value: unknown = decoder.decode(bytes);
  return isJson(value) ? value : toJson(value);
}

/** True when the decoded value is JSON already (the usual case), so it needs no converting copy. */
function isJson(value: unknown): value is JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJson);
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) if (!isJson((value as Record<string, unknown>)[key])) return false;
  return true;
}

/**
 * Maps what CBOR can carry onto JSON: byte strings become arrays of numbers, big integers numbers
 * when exact (else decimal strings), maps with non-string keys objects keyed by the key's text.
 */
export function toJson(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') {
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  }
  if (value instanceof Uint8Array) return Array.from(value);
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof Map) {
    return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), toJson(v)]));
  }
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  }
  return String(value);
}
