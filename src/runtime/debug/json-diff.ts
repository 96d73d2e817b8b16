/** Where two JSON values differ, as RFC 6901 pointers (bounded: a replay shows the first differences). */
import type { JsonDifference } from '../../shared/api/debug';

const MAX_DIFFERENCES = 200;

export function jsonDifferences(recorded: unknown, replayed: unknown): JsonDifference[] {
  const out: JsonDifference[] = [];
  walk(recorded, replayed, '', out);
  return out;
}

function walk(a: unknown, b: unknown, path: string, out: JsonDifference[]): void {
  if (out.length >= MAX_DIFFERENCES) return;
  if (a === undefined && b === undefined) return;
  if (a === undefined) return void out.push({ path, kind: 'added', replayed: b });
  if (b === undefined) return void out.push({ path, kind: 'removed', recorded: a });
  if (isContainer(a) && isContainer(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = Array.isArray(a)
      ? Array.from({ length: Math.max(a.length, (b as unknown[]).length) }, (_, i) => String(i))
      : [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const key of keys) walk(child(a, key), child(b, key), `${path}/${escapePointer(key)}`, out);
    return;
  }
  if (!Object.is(a, b)) out.push({ path, kind: 'changed', recorded: a, replayed: b });
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null;
}

function child(container: Record<string, unknown> | unknown[], key: string): unknown {
  return Object.prototype.hasOwnProperty.call(container, key) ? (container as Record<string, unknown>)[key] : undefined;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
