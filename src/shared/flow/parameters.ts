/**
 * Authoring-time `parameters.*` substitution (flow-format §9.2): a payload string that is exactly a
 * dotted path starting with `parameters.` becomes the typed value it names.
 */
import { has, isObject } from './json';
import type { PathSegment } from './source';

const DOTTED_PATH = /^[a-zA-Z_]\w*(\.[a-zA-Z_]\w*)+$/;

/** The parameter path of a string such as `parameters.days_default` (without the prefix), or null. */
export function parameterReference(value: string): string[] | null {
  if (!DOTTED_PATH.test(value)) return null;
  const segments = value.split('.');
  return segments[0] === 'parameters' ? segments.slice(1) : null;
}

export function lookupParameter(parameters: Record<string, unknown>, path: readonly string[]): { found: boolean; value?: unknown } {
  let current: unknown = parameters;
  for (const segment of path) {
    if (!isObject(current) || !has(current, segment)) return { found: false };
    current = current[segment];
  }
  return { found: true, value: current };
}

export interface UnknownParameter {
  reference: string;
  /** Where the string sits, relative to the value that was walked. */
  path: PathSegment[];
}

/** Every `parameters.*` string in `value` that names no parameter. */
export function findUnknownParameters(value: unknown, parameters: Record<string, unknown>): UnknownParameter[] {
  const unknown: UnknownParameter[] = [];
  substituteParameters(value, parameters, (reference, path) => unknown.push({ reference, path }));
  return unknown;
}

/** A copy of `value` with every known reference replaced; unknown ones stay as written and are reported. */
export function substituteParameters(
  value: unknown,
  parameters: Record<string, unknown>,
  onUnknown: (reference: string, path: PathSegment[]) => void,
  path: PathSegment[] = [],
): unknown {
  if (typeof value === 'string') {
    const reference = parameterReference(value);
    if (!reference) return value;
    const found = lookupParameter(parameters, reference);
    if (found.found) return found.value;
    onUnknown(value, path);
    return value;
  }
  if (Array.isArray(value)) return value.map((item, i) => substituteParameters(item, parameters, onUnknown, [...path, i]));
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = substituteParameters(item, parameters, onUnknown, [...path, key]);
    return out;
  }
  return value;
}
