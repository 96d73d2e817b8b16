/**
 * The editing model the canvas and the inspector read: nodes in file order with their operation,
 * payload and classified routes, the start node and entrypoints, and the flow's metadata, each
 * with the source range it came from. Built from any document whose root is a mapping, valid or
 * not, so that the views keep working while the user fixes an error.
 */
import { isMap, type LineCounter, type Node, type Pair } from 'yaml';
import { EMPTY_RANGE, type SourceRange } from './diagnostic';
import { has, isObject, type JsonObject } from './json';
import { primaryOpKey, operationKeys } from './node-shape';
import type { ParsedFlow } from './parse';
import { parseRouting, routeKind, routeTarget, type RouteDoc, type RouteKind, type RoutingForm } from './routes';
import { findPair, nodeRange, pairKey } from './source';

export interface IrRoute {
  kind: RouteKind;
  /** The node this route leads to; null when it ends the flow or replies. */
  to: string | null;
  status?: string;
  condition?: string;
  /** Index in the routing list; null for the `out` / `reply` shorthand. */
  index: number | null;
  doc: RouteDoc;
  range: SourceRange;
}

export interface IrNode {
  id: string;
  /** The operation key (`qa.process`, `component.exec`, `mcp`, ...); null when the node has none. */
  opKey: string | null;
  /** Every non-reserved key, in document order (more than one only in a malformed node or with `pack_alias`). */
  opKeys: string[];
  payload: unknown;
  /** The `operation:` sibling, if present and a string. */
  operation: string | null;
  /** The node's keys in document order. */
  keys: string[];
  /** The raw node value (all keys). */
  raw: JsonObject;
  routingForm: RoutingForm | 'invalid';
  routes: IrRoute[];
  range: SourceRange;
  idRange: SourceRange;
  opKeyRange: SourceRange;
  routingRange: SourceRange | null;
}

export interface FlowIr {
  id: string | null;
  type: string | null;
  title: string | null;
  description: string | null;
  tags: string[];
  /** The `start` key as written. */
  start: string | null;
  /** The start rule of flow-format §3: `start`, else a node named `in`, else the first node. */
  resolvedStart: string | null;
  entrypoints: JsonObject;
  parameters: JsonObject;
  /** `schema_version`, defaulting to 2; below 2 the file is read in legacy mode. */
  schemaVersion: number;
  slotSchema: unknown;
  meta: JsonObject | null;
  nodes: IrNode[];
  /** Top-level keys outside the format (kept verbatim by every edit). */
  extraKeys: string[];
  ranges: { id: SourceRange; type: SourceRange; start: SourceRange | null; nodes: SourceRange };
}

export const TOP_LEVEL_KEYS = [
  'id',
  'title',
  'description',
  'type',
  'start',
  'parameters',
  'tags',
  'schema_version',
  'entrypoints',
  'meta',
  'slot_schema',
  'nodes',
] as const;

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** `schema_version` as upstream reads it: a non-negative integer, else the default 2. */
export function schemaVersionOf(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 2;
}

type RangeOf = (node: Node | null | undefined, fallback: SourceRange) => SourceRange;

const irs = new WeakMap<ParsedFlow, FlowIr | null>();

/** The editing model of a parsed flow, built once per parse: the validator and every edit operation on it share it. */
export function irOf(parsed: ParsedFlow): FlowIr | null {
  let ir = irs.get(parsed);
  if (ir === undefined) {
    ir = buildIr(parsed);
    irs.set(parsed, ir);
  }
  return ir;
}

function buildIr(parsed: ParsedFlow): FlowIr | null {
  const { doc, lineCounter } = parsed;
  const rangeOf: RangeOf = (node, fallback) => nodeRange(lineCounter, node, fallback);
  const root = parsed.value;
  if (!doc || !isObject(root)) return null;
  const rootNode = doc.contents as Node | null;
  const rangeOfKey = (key: string, on: 'key' | 'value' = 'value'): SourceRange | null => {
    const pair = findPair(rootNode, key);
    if (!pair) return null;
    const target = (on === 'value' && pair.value ? pair.value : pair.key) as Node | null;
    return rangeOf(target, EMPTY_RANGE);
  };
  const nodesPair = findPair(rootNode, 'nodes');
  const nodesValue = isObject(root.nodes) ? root.nodes : {};
  const nodes = isMap(nodesPair?.value) ? buildNodes(nodesPair.value.items as Pair[], nodesValue, rangeOf, lineCounter) : [];
  const start = str(root.start);
  return {
    id: str(root.id),
    type: str(root.type),
    title: str(root.title),
    description: str(root.description),
    tags: Array.isArray(root.tags) ? root.tags.filter((t): t is string => typeof t === 'string') : [],
    start,
    resolvedStart: resolveStart(start, nodes),
    entrypoints: isObject(root.entrypoints) ? root.entrypoints : {},
    parameters: isObject(root.parameters) ? root.parameters : {},
    schemaVersion: schemaVersionOf(root.schema_version),
    slotSchema: root.slot_schema,
    meta: isObject(root.meta) ? root.meta : null,
    nodes,
    extraKeys: Object.keys(root).filter((k) => !(TOP_LEVEL_KEYS as readonly string[]).includes(k)),
    ranges: {
      id: rangeOfKey('id') ?? EMPTY_RANGE,
      type: rangeOfKey('type') ?? EMPTY_RANGE,
      start: rangeOfKey('start'),
      nodes: rangeOfKey('nodes', 'key') ?? EMPTY_RANGE,
    },
  };
}

export function resolveStart(start: string | null, nodes: readonly IrNode[]): string | null {
  if (start !== null) return start;
  if (nodes.some((n) => n.id === 'in')) return 'in';
  return nodes[0]?.id ?? null;
}

function buildNodes(pairs: Pair[], values: JsonObject, rangeOf: RangeOf, lineCounter: LineCounter): IrNode[] {
  // The last pair of a repeated id carries the value; the first fixes its place, as in the loaded map.
  const lastPair = new Map<string, Pair>();
  for (const pair of pairs) {
    const id = pairKey(pair);
    if (id !== null) lastPair.set(id, pair);
  }
  const nodes: IrNode[] = [];
  for (const [id, pair] of lastPair) {
    if (!has(values, id)) continue;
    nodes.push(placedNode(id, pair, values[id], lineCounter) ?? keepPlaced(values[id], buildNode(id, pair, values[id], rangeOf)));
  }
  return nodes;
}

function buildNode(id: string, pair: Pair, value: unknown, rangeOf: RangeOf): IrNode {
  const raw = isObject(value) ? value : {};
  const keys = Object.keys(raw);
  const opKey = primaryOpKey(keys);
  const valueNode = pair.value as Node | null;
  const idRange = rangeOf(pair.key as Node, EMPTY_RANGE);
  const opPair = opKey === null ? undefined : findPair(valueNode, opKey);
  const routingPair = findPair(valueNode, 'routing');
  return {
    id,
    opKey,
    opKeys: operationKeys(keys),
    payload: opKey === null ? undefined : raw[opKey],
    operation: str(raw.operation),
    keys,
    raw,
    ...buildRoutes(raw.routing, routingPair, rangeOf),
    range: valueNode?.range ? { ...idRange, ...endOf(rangeOf(valueNode, idRange)) } : idRange,
    idRange,
    opKeyRange: opPair ? rangeOf(opPair.key as Node, idRange) : idRange,
    routingRange: routingPair ? rangeOf((routingPair.value ?? routingPair.key) as Node, idRange) : null,
  };
}

/**
 * The model of each node, by its loaded value: the incremental re-parse gives an unchanged node the
 * same value object, so its model is found again, as the same object when the node did not move
 * (memoised views skip it) or moved by whole lines and characters when an edit above shifted it.
 */
const placedNodes = new WeakMap<object, IrNode>();

function keepPlaced(value: unknown, node: IrNode): IrNode {
  if (isObject(value) && rangesOf(node).every((range) => range.offset >= node.idRange.offset && range.endOffset <= node.range.endOffset)) {
    placedNodes.set(value, node);
  }
  return node;
}

function placedNode(id: string, pair: Pair, value: unknown, lineCounter: LineCounter): IrNode | null {
  const known = isObject(value) ? placedNodes.get(value) : undefined;
  const start = (pair.key as Node | null)?.range?.[0];
  if (!known || known.id !== id || start === undefined) return null;
  const lines = lineCounter.linePos(start).line - known.idRange.line;
  const by = start - known.idRange.offset;
  if (by === 0 && lines === 0) return known;
  const moved: IrNode = {
    ...known,
    routes: known.routes.map((route) => ({ ...route, range: shifted(route.range, by, lines) })),
    range: shifted(known.range, by, lines),
    idRange: shifted(known.idRange, by, lines),
    opKeyRange: shifted(known.opKeyRange, by, lines),
    routingRange: known.routingRange && shifted(known.routingRange, by, lines),
  };
  placedNodes.set(value as object, moved);
  return moved;
}

function rangesOf(node: IrNode): SourceRange[] {
  return [node.range, node.idRange, node.opKeyRange, ...(node.routingRange ? [node.routingRange] : []), ...node.routes.map((route) => route.range)];
}

/** A range of a node's text moved with it: every entry starts a line, so columns stay. */
function shifted(range: SourceRange, by: number, lines: number): SourceRange {
  return { offset: range.offset + by, endOffset: range.endOffset + by, line: range.line + lines, col: range.col, endLine: range.endLine + lines, endCol: range.endCol };
}

function endOf(range: SourceRange): Pick<SourceRange, 'endOffset' | 'endLine' | 'endCol'> {
  return { endOffset: range.endOffset, endLine: range.endLine, endCol: range.endCol };
}

function buildRoutes(raw: unknown, routingPair: Pair | undefined, rangeOf: RangeOf): Pick<IrNode, 'routingForm' | 'routes'> {
  const routing = parseRouting(raw);
  if (!routing.ok) return { routingForm: 'invalid', routes: [] };
  const valueNode = routingPair?.value as Node | null | undefined;
  const fallback = routingPair ? rangeOf(routingPair.key as Node, EMPTY_RANGE) : EMPTY_RANGE;
  const items = valueNode && 'items' in valueNode && Array.isArray(valueNode.items) ? (valueNode.items as Node[]) : [];
  const routes = routing.routes.map((doc, i): IrRoute => {
    const route: IrRoute = {
      kind: routeKind(doc),
      to: routeTarget(doc),
      index: routing.form === 'list' ? i : null,
      doc,
      range: rangeOf(routing.form === 'list' ? items[i] : valueNode, fallback),
    };
    if (doc.status !== undefined) route.status = doc.status;
    if (doc.condition !== undefined) route.condition = doc.condition;
    return route;
  });
  return { routingForm: routing.form, routes };
}

export function findNode(ir: FlowIr, id: string): IrNode | undefined {
  return ir.nodes.find((node) => node.id === id);
}
