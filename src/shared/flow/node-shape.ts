/** Which keys of a node are its operation and which are reserved siblings (flow-format §1.3). */

export const RESERVED_NODE_KEYS: ReadonlySet<string> = new Set([
  'routing',
  'telemetry',
  'output',
  'in_map',
  'out_map',
  'err_map',
  'retry',
  'timeout',
  'when',
  'annotations',
  'meta',
  'operation',
]);

export const COMPONENT_EXEC = 'component.exec';

/** The non-reserved keys of a node, in document order. */
export function operationKeys(keys: readonly string[]): string[] {
  return keys.filter((key) => !RESERVED_NODE_KEYS.has(key));
}

/** Upstream's shape rule: exactly one op key, or `component.exec` plus one more (e.g. `pack_alias`). */
export function hasValidShape(keys: readonly string[]): boolean {
  const ops = operationKeys(keys);
  return ops.length === 1 || (ops.length === 2 && ops.includes(COMPONENT_EXEC));
}

/** The node's operation as an editor shows it: `component.exec` when present, else the first op key. */
export function primaryOpKey(keys: readonly string[]): string | null {
  const ops = operationKeys(keys);
  return ops.includes(COMPONENT_EXEC) ? COMPONENT_EXEC : (ops[0] ?? null);
}
