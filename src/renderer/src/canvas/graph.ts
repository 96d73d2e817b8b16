import type { Diagnostic, FlowIr, IrNode, IrRoute, RouteKind } from '../../../shared/flow';
import { showValue } from '../../../shared/flow/json';
import { stepKind, type StepKind } from './step-kind';

/** One outgoing route of a node, drawn as its own handle. */
export interface RouteHandle {
  /** The handle id: `route-<n>`, n the route's position in the node's routes. */
  id: string;
  index: number;
  kind: RouteKind;
  label: string;
  /** The node the route leads to (null for `out` / `reply`); `missing` when that node does not exist. */
  to: string | null;
  missing: boolean;
}

export interface GraphNode {
  id: string;
  opKey: string;
  kind: StepKind;
  summary: string;
  isStart: boolean;
  routes: RouteHandle[];
  errors: number;
  warnings: number;
  /** The first diagnostics of the node, for the badge's tooltip. */
  problems: string[];
}

export interface GraphEdge {
  id: string;
  source: string;
  sourceHandle: string;
  target: string;
  kind: RouteKind;
  label?: string;
}

export interface FlowGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

const SHOWN_PROBLEMS = 3;

/**
 * The canvas graph of a flow. Nodes and edges equal to those of `previous` are reused as the same
 * objects (and the same lists when nothing changed), so that memoised views and the canvas skip
 * what an edit elsewhere in the flow did not touch.
 */
export function buildGraph(ir: FlowIr, diagnostics: readonly Diagnostic[], previous?: FlowGraph): FlowGraph {
  const ids = new Set(ir.nodes.map((node) => node.id));
  const before = new Map(previous?.nodes.map((node) => [node.id, node]));
  const byNode = diagnosticsByNode(ir, diagnostics);
  const nodes = ir.nodes.map((node) => {
    const found = byNode.get(node.id) ?? [];
    const isStart = node.id === ir.resolvedStart;
    const old = before.get(node.id);
    if (old && drawnFrom.get(old) === node.raw && unchangedAround(old, isStart, ids, found)) return old;
    const next = graphNode(node, isStart, ids, found);
    const kept = old && sameNode(old, next) ? old : next;
    drawnFrom.set(kept, node.raw);
    return kept;
  });
  const edgesBefore = new Map(previous?.edges.map((edge) => [edge.id, edge]));
  const edges = nodes.flatMap((node) =>
    node.routes
      .filter((route) => route.to !== null && !route.missing)
      .map((route): GraphEdge => {
        const edge: GraphEdge = { id: `${node.id}#${route.index}`, source: node.id, sourceHandle: route.id, target: route.to as string, kind: route.kind };
        if (route.label) edge.label = route.label;
        const old = edgesBefore.get(edge.id);
        return old && sameEdge(old, edge) ? old : edge;
      }),
  );
  return {
    nodes: previous && sameList(previous.nodes, nodes, (a, b) => a === b) ? previous.nodes : nodes,
    edges: previous && sameList(previous.edges, edges, (a, b) => a === b) ? previous.edges : edges,
  };
}

function sameEdge(a: GraphEdge, b: GraphEdge): boolean {
  return a.source === b.source && a.sourceHandle === b.sourceHandle && a.target === b.target && a.kind === b.kind && a.label === b.label;
}

/**
 * The loaded value each graph node was drawn from. A node whose text did not change keeps its loaded
 * value object across re-parses, so it is not drawn again unless what lies around it changed.
 */
const drawnFrom = new WeakMap<GraphNode, unknown>();

function unchangedAround(old: GraphNode, isStart: boolean, ids: ReadonlySet<string>, found: readonly Diagnostic[]): boolean {
  return (
    old.isStart === isStart &&
    old.routes.every((route) => route.missing === (route.to !== null && !ids.has(route.to))) &&
    old.errors === found.filter((d) => d.severity === 'error').length &&
    old.warnings === found.filter((d) => d.severity === 'warning').length &&
    sameList(old.problems, found.slice(0, SHOWN_PROBLEMS), (message, d) => message === d.message)
  );
}

function graphNode(node: IrNode, isStart: boolean, ids: ReadonlySet<string>, found: readonly Diagnostic[]): GraphNode {
  return {
    id: node.id,
    opKey: node.opKey ?? '(no operation)',
    kind: stepKind(node.opKey),
    summary: summarise(node.payload),
    isStart,
    routes: node.routes.map((route, index) => routeHandle(route, index, ids)),
    errors: found.filter((d) => d.severity === 'error').length,
    warnings: found.filter((d) => d.severity === 'warning').length,
    problems: found.slice(0, SHOWN_PROBLEMS).map((d) => d.message),
  };
}

function routeHandle(route: IrRoute, index: number, ids: ReadonlySet<string>): RouteHandle {
  return {
    id: `route-${index}`,
    index,
    kind: route.kind,
    label: route.condition ?? route.status ?? (route.kind === 'out' || route.kind === 'reply' ? route.kind : ''),
    to: route.to,
    missing: route.to !== null && !ids.has(route.to),
  };
}

/** Diagnostics by the node whose text they point into, found by offset in one pass over sorted ranges. */
function diagnosticsByNode(ir: FlowIr, diagnostics: readonly Diagnostic[]): Map<string, Diagnostic[]> {
  const result = new Map<string, Diagnostic[]>();
  const ranges = [...ir.nodes].sort((a, b) => a.range.offset - b.range.offset);
  for (const diagnostic of diagnostics) {
    if (diagnostic.file) continue;
    const at = diagnostic.range.offset;
    let low = 0;
    let high = ranges.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const node = ranges[mid] as IrNode;
      if (at < node.range.offset) high = mid - 1;
      else if (at >= node.range.endOffset) low = mid + 1;
      else {
        result.set(node.id, [...(result.get(node.id) ?? []), diagnostic]);
        break;
      }
    }
  }
  return result;
}

function sameNode(a: GraphNode, b: GraphNode): boolean {
  return (
    a.opKey === b.opKey &&
    a.summary === b.summary &&
    a.isStart === b.isStart &&
    a.errors === b.errors &&
    a.warnings === b.warnings &&
    sameList(a.problems, b.problems, (x, y) => x === y) &&
    sameList(a.routes, b.routes, (x, y) => x.kind === y.kind && x.label === y.label && x.to === y.to && x.missing === y.missing)
  );
}

function sameList<T, U>(a: readonly T[], b: readonly U[], same: (x: T, y: U) => boolean): boolean {
  return a.length === b.length && a.every((item, i) => same(item, b[i] as U));
}

/** The first text a designer would recognise the step by: a message, a template, a reason. */
export function summarise(payload: unknown): string {
  if (typeof payload === 'string') return payload;
  if (payload && typeof payload === 'object') {
    const record = payload as Record<string, unknown>;
    for (const key of ['text', 'reason', 'flow_id', 'flow', 'tool', 'component', 'key', 'name', 'welcome']) {
      if (typeof record[key] === 'string') return record[key] as string;
    }
    const first = Array.isArray(record.messages) ? (record.messages[0] as Record<string, unknown> | undefined) : undefined;
    if (typeof first?.text === 'string') return first.text;
    return showValue(payload, 80);
  }
  return payload === undefined || payload === null ? '' : String(payload);
}
