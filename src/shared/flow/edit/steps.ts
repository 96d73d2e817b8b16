/** Step edits: add (threaded into the anchor's routes, like upstream `add-step`), delete, rename. */
import { isMap, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { MAX_NODE_ID_LENGTH, NEW_NODE_ID } from '../identifiers';
import { isObject, type JsonObject } from '../json';
import { RESERVED_NODE_KEYS } from '../node-shape';
import { NODE_PROPERTY_PATTERN } from '../schema';
import { findPair } from '../source';
import { EditRefused, requireNode, runEdit, type EditContext, type EditErrorCode, type EditResult, type FlowSource } from './context';
import { routeItems, writeRouting, type RoutingValue } from './routing';
import { setTopLevel } from './flow-fields';
import { isBlankLine, lineAt, lineStart } from './text';

/** Ids upstream refuses as leftovers of a template (`ADD_STEP_NODE_ID_PLACEHOLDER`). */
const PLACEHOLDER_IDS = new Set(['STEP', 'NODE', 'COMPONENT_STEP', 'INSERT_NODE', 'NEW_NODE']);
/** Where `meta.greentic` keeps per-node entries that follow the node's id. */
const META_NODE_MAPS = ['components', 'secrets_hints', 'bindings_hints'];

export interface AddStepOptions {
  /** Insert after this node, taking over its routes; null or absent: insert before the entry node. */
  after?: string | null;
  id: string;
  opKey: string;
  payload?: unknown;
}

export function checkNewNodeId(id: string): void {
  const problem = newNodeIdProblem(id);
  if (problem) throw new EditRefused(problem.code, problem.message);
}

/** Why the editor would refuse `id` for a new or renamed node, or null when it takes it. */
export function newNodeIdProblem(id: string): { code: EditErrorCode; message: string } | null {
  if (PLACEHOLDER_IDS.has(id)) return { code: 'ADD_STEP_NODE_ID_PLACEHOLDER', message: `'${id}' is a placeholder id; choose a real node id` };
  if (!NEW_NODE_ID.test(id)) {
    return { code: 'NODE_ID_INVALID', message: `node id '${id}' must start with a letter or '_' and contain only ASCII letters, digits, '_' or '-'` };
  }
  if (id.length > MAX_NODE_ID_LENGTH) return { code: 'NODE_ID_TOO_LONG', message: `a node id has at most ${MAX_NODE_ID_LENGTH} characters; this one has ${id.length}` };
  return null;
}

export function checkOpKey(opKey: string): void {
  if (opKey === '') throw new EditRefused('OPERATION_REQUIRED', 'an operation key is required');
  if (RESERVED_NODE_KEYS.has(opKey) || !NODE_PROPERTY_PATTERN.test(opKey)) {
    throw new EditRefused('OPERATION_INVALID', `'${opKey}' cannot be an operation key (reserved, or not matching ^[A-Za-z_][\\w.-]*$)`);
  }
}

/** `id`, or `id__2`, `id__3`, ... when taken, as upstream names colliding steps. */
function freeId(context: EditContext, id: string): string {
  const taken = new Set(context.ir.nodes.map((n) => n.id));
  if (!taken.has(id)) return id;
  let n = 2;
  while (taken.has(`${id}__${n}`)) n += 1;
  return `${id}__${n}`;
}

/** Whether the file separates nodes with blank lines (then a new node gets one too). */
function nodesSeparatedByBlankLines(context: EditContext): boolean {
  const second = context.nodesMap?.items[1] as Pair | undefined;
  const key = second?.key as { range?: [number, number, number] } | undefined;
  if (!key?.range) return false;
  const text = context.editor.text;
  const start = lineStart(text, key.range[0]);
  return start > 0 && isBlankLine(lineAt(text, lineStart(text, start - 1)));
}

function routingValueOf(routes: JsonObject[], original: unknown): RoutingValue {
  if (routes.length === 0) return null;
  if (typeof original === 'string' && (original === 'out' || original === 'reply')) return original;
  return routes;
}

function insertNode(context: EditContext, id: string, value: JsonObject, after: string | null): void {
  const { editor, nodesMap, nodesPair } = context;
  if (!nodesPair) return setTopLevel(context, 'nodes', { [id]: value });
  if (!nodesMap) return editor.setValue(nodesPair, { [id]: value });
  editor.insert(nodesMap, nodesPair, id, value, after, nodesSeparatedByBlankLines(context) && nodesMap.items.length > 0);
}

export function addStep(source: FlowSource, options: AddStepOptions): EditResult {
  return runEdit(source, (context) => {
    checkNewNodeId(options.id);
    checkOpKey(options.opKey);
    const id = freeId(context, options.id);
    const payload = options.payload === undefined ? {} : options.payload;
    if (options.after !== undefined && options.after !== null) {
      const { node: anchor } = requireNode(context, options.after);
      const inherited = routeItems(anchor);
      const node: JsonObject = { [options.opKey]: payload };
      const routing = routingValueOf(inherited, anchor.raw.routing);
      if (routing !== null) node.routing = routing;
      writeRouting(context, anchor.id, [{ to: id }]);
      insertNode(context, id, node, anchor.id);
      return id;
    }
    const oldStart = context.ir.resolvedStart;
    const startExists = oldStart !== null && context.ir.nodes.some((n) => n.id === oldStart);
    const node: JsonObject = { [options.opKey]: payload, routing: startExists ? [{ to: oldStart }] : 'out' };
    insertNode(context, id, node, null);
    // The new node is first in the file; `start` must name it unless the implicit rule already picks it.
    if (context.ir.start !== null || context.ir.nodes.some((n) => n.id === 'in')) setTopLevel(context, 'start', id);
    if (startExists && context.ir.entrypoints.default === oldStart) setMapEntry(context, ['entrypoints'], 'default', id);
    return id;
  });
}

/**
 * Appends a node at the end of `nodes` without connecting it (a palette drop on empty canvas, a
 * paste). `node` is the whole node value; its routes may only lead to nodes that already exist.
 */
export function appendStep(source: FlowSource, id: string, node: JsonObject): EditResult {
  return runEdit(source, (context) => {
    checkNewNodeId(id);
    if (context.ir.nodes.some((n) => n.id === id)) throw new EditRefused('NODE_EXISTS', `node '${id}' already exists`);
    const opKeys = Object.keys(node).filter((key) => !RESERVED_NODE_KEYS.has(key));
    if (opKeys.length === 0) throw new EditRefused('OPERATION_REQUIRED', `node '${id}' needs an operation key`);
    for (const opKey of opKeys) checkOpKey(opKey);
    const routing = node.routing;
    for (const route of Array.isArray(routing) ? routing : []) {
      const to = isObject(route) ? route.to : undefined;
      if (typeof to === 'string' && to !== 'out' && !context.ir.nodes.some((n) => n.id === to)) {
        throw new EditRefused('NODE_MISSING', `route target '${to}' is not a node of this flow`);
      }
    }
    insertNode(context, id, node, context.ir.nodes[context.ir.nodes.length - 1]?.id ?? null);
    return id;
  });
}

export type DeleteStrategy = 'splice' | 'remove-only';

export function deleteStep(source: FlowSource, id: string, strategy: DeleteStrategy = 'splice'): EditResult {
  return runEdit(source, (context) => {
    const { node: doomed } = requireNode(context, id);
    const successors = strategy === 'splice' ? routeItems(doomed) : [];
    for (const node of context.ir.nodes) {
      if (node.id === id || !node.routes.some((r) => r.to === id)) continue;
      const current = routeItems(node);
      if (strategy === 'splice' && isPlainRouteTo(current, id)) {
        // The exact inverse of `addStep`: the predecessor takes the deleted step's routing as written.
        writeRouting(context, node.id, routingValueOf(successors, doomed.raw.routing));
        continue;
      }
      const routes = current.flatMap((route) => (route.to === id ? successors.map((s) => inherit(s, route)) : [route]));
      writeRouting(context, node.id, dedupe(routes));
    }
    const firstSuccessor = successors.find((r) => typeof r.to === 'string' && r.to !== 'out' && r.to !== id)?.to as string | undefined;
    if (context.ir.start === id) {
      if (firstSuccessor) setTopLevel(context, 'start', firstSuccessor);
      else setTopLevel(context, 'start', undefined);
    }
    for (const [name, target] of Object.entries(context.ir.entrypoints)) {
      if (target !== id) continue;
      if (firstSuccessor) setMapEntry(context, ['entrypoints'], name, firstSuccessor);
      else removeMapEntry(context, ['entrypoints'], name);
    }
    for (const mapName of META_NODE_MAPS) removeMapEntry(context, ['meta', 'greentic', mapName], id);
    context.editor.remove(context.nodesMap as YAMLMap, context.nodesPair as Pair, id, { withBlankLines: true });
  });
}

function isPlainRouteTo(routes: readonly JsonObject[], id: string): boolean {
  const only = routes.length === 1 ? routes[0] : undefined;
  return only !== undefined && Object.keys(only).length === 1 && only.to === id;
}

/** A spliced-in successor keeps the status or condition of the route it replaces. */
function inherit(successor: JsonObject, replaced: JsonObject): JsonObject {
  const route: JsonObject = { ...successor };
  for (const key of ['status', 'condition']) if (replaced[key] !== undefined && route[key] === undefined) route[key] = replaced[key];
  return route;
}

function dedupe(routes: JsonObject[]): JsonObject[] {
  const seen = new Set<string>();
  return routes.filter((route) => {
    const key = JSON.stringify(route);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function renameStep(source: FlowSource, from: string, to: string): EditResult {
  return runEdit(source, (context) => {
    const { pair } = requireNode(context, from);
    if (from === to) return to;
    checkNewNodeId(to);
    if (context.ir.nodes.some((n) => n.id === to)) throw new EditRefused('NODE_EXISTS', `node '${to}' already exists`);
    const { editor, root } = context;
    editor.renameKey(pair, to);
    for (const nodePair of context.nodesMap?.items ?? []) {
      const routing = findPair(nodePair.value as Node | null, 'routing')?.value;
      if (!isSeq(routing)) continue;
      for (const item of routing.items) {
        const target = isMap(item) ? findPair(item, 'to')?.value : undefined;
        if (target && (target as { value?: unknown }).value === from) editor.replaceScalar(target as Node, to);
      }
    }
    const start = findPair(root, 'start')?.value;
    if (start && (start as { value?: unknown }).value === from) editor.replaceScalar(start as Node, to);
    const entrypoints = findPair(root, 'entrypoints')?.value;
    if (isMap(entrypoints)) {
      for (const entry of entrypoints.items) {
        if (entry.value && (entry.value as { value?: unknown }).value === from) editor.replaceScalar(entry.value as Node, to);
      }
    }
    for (const mapName of META_NODE_MAPS) {
      const map = mapAtPath(context, ['meta', 'greentic', mapName]);
      const entry = map ? findPair(map, from) : undefined;
      if (entry) editor.renameKey(entry, to);
    }
    return to;
  });
}

function mapAtPath(context: EditContext, path: readonly string[]): YAMLMap | null {
  let node: unknown = context.root;
  for (const key of path) node = isMap(node) ? findPair(node, key)?.value : undefined;
  return isMap(node) ? node : null;
}

function pairAtPath(context: EditContext, path: readonly string[]): Pair | null {
  let map: unknown = context.root;
  let pair: Pair | undefined;
  for (const key of path) {
    pair = isMap(map) ? findPair(map, key) : undefined;
    map = pair?.value;
  }
  return pair ?? null;
}

function setMapEntry(context: EditContext, path: readonly string[], key: string, value: unknown): void {
  const map = mapAtPath(context, path);
  const entry = map ? findPair(map, key) : undefined;
  if (entry?.value && typeof value === 'string') context.editor.replaceScalar(entry.value as Node, value);
  else if (map) context.editor.set(map, pairAtPath(context, path), key, value);
}

function removeMapEntry(context: EditContext, path: readonly string[], key: string): void {
  const map = mapAtPath(context, path);
  if (map && findPair(map, key)) context.editor.remove(map, pairAtPath(context, path), key);
}
