/** Small helpers for the plain values a YAML document loads into. */
export type { JsonValue } from './compiled';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as upstream's messages print it: JSON text, shortened when long. */
export function showValue(value: unknown, max = 60): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** ASCII-only `\w`, as the schema's regexes are meant (spec §5). */
export const WORD = 'A-Za-z0-9_';

/** Own-property test: keys such as `constructor` or `__proto__` in a document are data, not prototype members. */
export function has(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}
