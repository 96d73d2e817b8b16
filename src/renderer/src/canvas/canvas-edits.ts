/**
 * Canvas gestures as edit operations on the flow text, each composed from the flow core's lossless
 * edits so that one gesture is one undo step.
 */
import {
  addRoute,
  appendStep,
  deleteStep,
  removeRoute,
  reparseFlow,
  retargetRoute,
  type DeleteStrategy,
  type EditResult,
  type FlowIr,
  type FlowSource,
} from '../../../shared/flow';
import type { JsonObject } from '../../../shared/flow/json';
import { NEW_ROUTE_HANDLE, routeIndexOf } from './route-handles';

/** An edit of the flow: given its text (or the parse of it the views already hold), the new text. */
export type Operation = (source: FlowSource) => EditResult;

/** Runs operations one after another; the first refusal stops the chain. */
export function chain(source: FlowSource, operations: readonly Operation[]): EditResult {
  let input: FlowSource = source;
  let createdId: string | undefined;
  let last: EditResult = { ok: true, text: typeof source === 'string' ? source : source.text };
  for (const operation of operations) {
    last = operation(input);
    if (!last.ok) return last;
    createdId ??= last.nodeId;
    // The next operation gets a parse of the new text that reuses what the last one parsed.
    input = reparseFlow(last.text, typeof input === 'string' ? null : input);
  }
  return last.ok && createdId && !last.nodeId ? { ...last, nodeId: createdId } : last;
}

/** Dragging from a route's handle points that route elsewhere; from the "+ route" handle adds one. */
export function connect(source: string, handle: string | null | undefined, target: string): Operation {
  const index = routeIndexOf(handle);
  if (handle === NEW_ROUTE_HANDLE || index === null) return (text) => addRoute(text, source, { to: target });
  return (text) => retargetRoute(text, source, index, target);
}

/** Removes routes; per node from the last index down, so earlier indexes stay valid. */
export function removeRoutes(routes: ReadonlyArray<{ source: string; index: number }>): Operation {
  const ordered = [...routes].sort((a, b) => (a.source === b.source ? b.index - a.index : a.source.localeCompare(b.source)));
  return (text) => chain(text, ordered.map(({ source, index }) => (t: FlowSource) => removeRoute(t, source, index)));
}

export function deleteNodes(ids: readonly string[], strategy: DeleteStrategy): Operation {
  return (text) => chain(text, ids.map((id) => (t: FlowSource) => deleteStep(t, id, strategy)));
}

/** Nodes among `ids` that other nodes (outside `ids`) route to: deleting them asks splice or remove. */
export function nodesWithPredecessors(ir: FlowIr, ids: readonly string[]): string[] {
  const doomed = new Set(ids);
  return ids.filter((id) => ir.nodes.some((node) => !doomed.has(node.id) && node.routes.some((route) => route.to === id)));
}

/** A free node id derived from an op key: `emit.response` -> `response`, `response_2`, ... */
export function freeNodeId(ir: FlowIr | null, base: string, taken: ReadonlySet<string> = new Set()): string {
  const cleaned = (base.split('.').pop() ?? base).replace(/[^A-Za-z0-9_-]/g, '_').replace(/^([^A-Za-z_])/, '_$1') || 'step';
  const used = new Set([...(ir?.nodes.map((n) => n.id) ?? []), ...taken]);
  if (!used.has(cleaned)) return cleaned;
  let n = 2;
  while (used.has(`${cleaned}_${n}`)) n += 1;
  return `${cleaned}_${n}`;
}

export interface EdgeRef {
  source: string;
  index: number;
  target: string;
}

/** A new step from the palette: unconnected, or spliced into the route `onEdge`. */
export function insertStep(id: string, opKey: string, payload: unknown, onEdge: EdgeRef | null): Operation {
  const node: JsonObject = { [opKey]: (payload ?? {}) as JsonObject };
  if (!onEdge) return (text) => appendStep(text, id, node);
  node.routing = [{ to: onEdge.target }];
  return (text) => chain(text, [(t) => appendStep(t, id, node), (t) => retargetRoute(t, onEdge.source, onEdge.index, id)]);
}
