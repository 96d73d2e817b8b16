import type { JsonValue } from '../../../shared/flow/compiled';
import { compareBytewise, isCborMap, type CborMap, type CborValue } from '../cbor/value';
import { PackError } from '../errors';
import type { JsonObject } from './model';

/**
 * Typed access to decoded CBOR maps for the manifest decoder: each accessor names the field's path
 * in its error, so a malformed manifest says exactly what is wrong and where.
 */
export function invalid(path: string, expected: string): PackError {
  return new PackError('manifest_invalid', `manifest.cbor: ${path} must be ${expected}`, 'manifest.cbor');
}

export function asMap(value: CborValue | undefined, path: string): CborMap {
  if (!isCborMap(value)) throw invalid(path, 'a map');
  return value;
}

export function asArray(value: CborValue | undefined, path: string): CborValue[] {
  if (!Array.isArray(value)) throw invalid(path, 'an array');
  return value;
}

export function asString(value: CborValue | undefined, path: string): string {
  if (typeof value !== 'string') throw invalid(path, 'a text string');
  return value;
}

export function asOptionalString(value: CborValue | undefined, path: string): string | null {
  return value === undefined || value === null ? null : asString(value, path);
}

export function asIndex(value: CborValue | undefined, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
    throw invalid(path, 'a u32 symbol index');
  }
  return value;
}

export function asStrings(value: CborValue | undefined, path: string): string[] {
  return asArray(value, path).map((item, i) => asString(item, `${path}[${i}]`));
}

/** A decoded value at a position where upstream holds `serde_json::Value` or a library struct. */
export function asJson(value: CborValue | undefined, path: string): JsonValue {
  if (value === undefined) throw invalid(path, 'present');
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Uint8Array) throw invalid(path, 'JSON data (found a byte string)');
  if (Array.isArray(value)) return value.map((item, i) => asJson(item, `${path}[${i}]`));
  const entries = isCborMap(value) ? [...value] : Object.entries(value);
  // fromEntries defines own properties, so a hostile "__proto__" key stays an ordinary key.
  return Object.fromEntries(entries.map(([key, item]) => [key, asJson(item, `${path}.${key}`)]));
}

export function asJsonObject(value: CborValue | undefined, path: string): JsonObject {
  const json = asJson(value, path);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw invalid(path, 'a map');
  return json;
}

/**
 * JSON for a `serde_json::Value` position: every object sorted bytewise by key, as serde_json's
 * BTreeMap-backed objects serialise.
 */
export function sortedJson(value: JsonValue): CborValue {
  if (Array.isArray(value)) return value.map(sortedJson);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value).sort(compareBytewise);
  return new Map(keys.map((key) => [key, sortedJson(value[key] as JsonValue)]));
}

const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;

/**
 * JSON for a library-struct position: fields stay in the order given (upstream's declaration order),
 * except in objects with integer-like keys, whose order a JS object cannot keep; such an object is a
 * map upstream (struct fields are never numbers), and maps are written sorted bytewise.
 */
export function structJson(value: JsonValue): CborValue {
  if (Array.isArray(value)) return value.map(structJson);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.some((key) => ARRAY_INDEX.test(key))) keys.sort(compareBytewise);
  return new Map(keys.map((key) => [key, structJson(value[key] as JsonValue)]));
}
