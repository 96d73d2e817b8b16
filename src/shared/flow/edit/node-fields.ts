/** Node edits: a payload field, a reserved sibling (`operation`, `in_map`, ...), the op key itself. */
import { isMap, type Pair, type YAMLMap } from 'yaml';
import { isObject, type JsonObject } from '../json';
import { findPair } from '../source';
import { EditRefused, requireNode, runEdit, type EditContext, type EditResult, type FlowSource } from './context';
import { checkOpKey } from './steps';

/** A path inside a node: its first segment is a key of the node (the op key or a reserved sibling). */
export type NodePath = readonly [string, ...Array<string | number>];

/**
 * Sets the value at `path` inside a node. Nested mappings are edited in place; a path through a
 * list, or into a value that is not a mapping, rewrites the nearest entry that holds it.
 */
export function setNodeValue(source: FlowSource, nodeId: string, path: NodePath, value: unknown): EditResult {
  return runEdit(source, (context) => writeAt(context, nodeId, path, value));
}

export function removeNodeValue(source: FlowSource, nodeId: string, path: NodePath): EditResult {
  return runEdit(source, (context) => writeAt(context, nodeId, path, undefined));
}

export function setPayloadField(source: FlowSource, nodeId: string, path: ReadonlyArray<string | number>, value: unknown): EditResult {
  return runEdit(source, (context) => writeAt(context, nodeId, [opKeyOf(context, nodeId), ...path], value));
}

export function removePayloadField(source: FlowSource, nodeId: string, path: ReadonlyArray<string | number>): EditResult {
  return runEdit(source, (context) => writeAt(context, nodeId, [opKeyOf(context, nodeId), ...path], undefined));
}

/** Renames the op key, keeping the payload (or replacing it when `payload` is given). */
export function changeOpKey(source: FlowSource, nodeId: string, opKey: string, payload?: unknown): EditResult {
  return runEdit(source, (context) => {
    checkOpKey(opKey);
    const { node, map } = requireNode(context, nodeId);
    if (node.opKey === null) throw new EditRefused('OPERATION_REQUIRED', `node '${nodeId}' has no operation key`);
    if (opKey !== node.opKey && node.keys.includes(opKey)) throw new EditRefused('OPERATION_INVALID', `node '${nodeId}' already has a key '${opKey}'`);
    const pair = findPair(map, node.opKey) as Pair;
    context.editor.renameKey(pair, opKey);
    if (payload !== undefined) context.editor.setValue(pair, payload);
  });
}

function opKeyOf(context: EditContext, nodeId: string): string {
  const { node } = requireNode(context, nodeId);
  if (node.opKey === null) throw new EditRefused('OPERATION_REQUIRED', `node '${nodeId}' has no operation key`);
  return node.opKey;
}

function writeAt(context: EditContext, nodeId: string, path: ReadonlyArray<string | number>, value: unknown): void {
  if (path.length === 0) throw new EditRefused('PATH_INVALID', 'a field path needs at least one key');
  const { pair: nodePair, map: nodeMap } = requireNode(context, nodeId);
  const { editor } = context;
  let map: YAMLMap = nodeMap;
  let holder: Pair = nodePair;
  for (let depth = 0; depth < path.length; depth += 1) {
    const segment = path[depth] as string | number;
    const last = depth === path.length - 1;
    if (typeof segment !== 'string') return rewriteEntry(context, holder, path.slice(depth), value);
    const pair = findPair(map, segment);
    if (last) {
      if (value === undefined) editor.remove(map, holder, segment);
      else editor.set(map, holder, segment, value);
      return;
    }
    if (!pair) {
      if (value === undefined) return;
      return editor.set(map, holder, segment, nest(path.slice(depth + 1), value));
    }
    if (!isMap(pair.value) || pair.value.flow) return rewriteEntry(context, pair, path.slice(depth + 1), value);
    map = pair.value;
    holder = pair;
  }
}

/** Rewrites the value of `pair` with `rest` set (or removed) inside it. */
function rewriteEntry(context: EditContext, pair: Pair, rest: ReadonlyArray<string | number>, value: unknown): void {
  const current: unknown = pair.value && typeof (pair.value as { toJS?: unknown }).toJS === 'function'
    ? (pair.value as { toJS(doc: unknown, opts: object): unknown }).toJS(context.editor.doc, { maxAliasCount: 100 })
    : null;
  context.editor.setValue(pair, withValueAt(current, rest, value));
}

function nest(path: ReadonlyArray<string | number>, value: unknown): unknown {
  return path.reduceRight<unknown>((inner, segment) => (typeof segment === 'number' ? [inner] : { [segment]: inner }), value);
}

/** A copy of `target` with `value` at `path` (removed when `value` is undefined). */
export function withValueAt(target: unknown, path: ReadonlyArray<string | number>, value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (typeof head === 'number') {
    const list = Array.isArray(target) ? [...target] : [];
    if (head < 0 || head > list.length) throw new EditRefused('PATH_INVALID', `index ${head} is outside the list`);
    if (value === undefined && rest.length === 0) list.splice(head, 1);
    else list[head] = withValueAt(list[head], rest, value);
    return list;
  }
  const object: JsonObject = isObject(target) ? { ...target } : {};
  if (value === undefined && rest.length === 0) delete object[head];
  else object[head] = withValueAt(object[head], rest, value);
  return object;
}
