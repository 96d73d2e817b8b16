/**
 * The hashes of a trace step: BLAKE3 over the value's compact JSON, as upstream's recorder hashes
 * `serde_json::to_vec(value)`. serde_json keeps object keys sorted unless a build enables its
 * `preserve_order`, so a recorded hash is compared with both spellings of a value.
 */
import { blake3 } from '@noble/hashes/blake3.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { TRACE_HASH_ALGORITHM, type TraceHash } from './upstream-trace';

/** The hash a trace records for a value (keys sorted, serde_json's default). */
export function traceHash(value: unknown): TraceHash {
  return { algorithm: TRACE_HASH_ALGORITHM, value: blake3Hex(compactJson(value, true)) };
}

/** True when `value` hashes to `expected` with its keys sorted or in their given order. */
export function hashMatches(value: unknown, expected: TraceHash): boolean {
  if (expected.algorithm !== TRACE_HASH_ALGORITHM) return false;
  return blake3Hex(compactJson(value, true)) === expected.value || blake3Hex(compactJson(value, false)) === expected.value;
}

function blake3Hex(text: string): string {
  return bytesToHex(blake3(utf8ToBytes(text)));
}

/** JSON without spaces; `undefined` is `null`, as serde writes a missing value. */
export function compactJson(value: unknown, sortKeys: boolean): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map((item) => compactJson(item, sortKeys)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
    if (sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${compactJson(item, sortKeys)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
