/** Writing through an RFC 6901 JSON pointer, for the debugger's `:set` (reading: `resolvePointer`). */
import { StudioError } from '../../shared/api';
import type { JsonValue } from '../../shared/flow/compiled';
import { cloneJson } from '../engine/state';

export function pointerSegments(pointer: string): string[] {
  if (pointer !== '' && !pointer.startsWith('/')) throw new StudioError('bad_request', `a JSON pointer starts with "/", not "${pointer}"`);
  return pointer === '' ? [] : pointer.split('/').slice(1).map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * A copy of `root` with `value` at `pointer`. The parent must exist; the last key may be new in an
 * object, and `-` (or the length) appends to an array.
 */
export function setAtPointer(root: JsonValue, pointer: string, value: JsonValue): JsonValue {
  const segments = pointerSegments(pointer);
  if (segments.length === 0) return cloneJson(value);
  const copy = cloneJson(root);
  let parent: JsonValue = copy;
  for (const [index, key] of segments.entries()) {
    const last = index === segments.length - 1;
    const where = `/${segments.slice(0, index + 1).join('/')}`;
    if (Array.isArray(parent)) {
      const position = key === '-' ? parent.length : /^\d+$/.test(key) ? Number(key) : NaN;
      if (!Number.isInteger(position) || position > parent.length || (!last && position === parent.length)) {
        throw new StudioError('bad_request', `nothing at ${where}: not an index of the array`);
      }
      if (last) parent[position] = value;
      else parent = parent[position] as JsonValue;
    } else if (parent !== null && typeof parent === 'object') {
      if (last) parent[key] = value;
      else if (!Object.prototype.hasOwnProperty.call(parent, key)) throw new StudioError('bad_request', `nothing at ${where}`);
      else parent = parent[key] as JsonValue;
    } else {
      throw new StudioError('bad_request', `nothing at ${where}: ${JSON.stringify(parent)} has no members`);
    }
  }
  return copy;
}
