/** Route edits: add, remove, retarget, reorder, and the `out` / `reply` shorthand. */
import { isMap, isSeq, type Node } from 'yaml';
import type { IrNode } from '../ir';
import { isObject, type JsonObject } from '../json';
import { findPair } from '../source';
import { EditRefused, requireNode, runEdit, type EditContext, type EditResult, type FlowSource } from './context';

export type RoutingValue = 'out' | 'reply' | JsonObject[] | null;

/** The node's routes as plain route items; the shorthands become their one-item equivalent. */
export function routeItems(node: IrNode): JsonObject[] {
  if (node.routingForm === 'invalid') throw new EditRefused('ROUTE_INVALID', `node '${node.id}' has a routing block that cannot be read`);
  if (node.routingForm === 'shorthand') return [node.routes[0]?.kind === 'reply' ? { reply: true } : { out: true }];
  if (node.routingForm === 'none') return [];
  return (node.raw.routing as unknown[]).map((item) => (isObject(item) ? { ...item } : {}));
}

/** Writes a node's routing; an empty list or null removes the `routing` key (no routes end the flow). */
export function writeRouting(context: EditContext, nodeId: string, routing: RoutingValue): void {
  const { pair, map } = requireNode(context, nodeId);
  if (routing === null || (Array.isArray(routing) && routing.length === 0)) {
    if (findPair(map, 'routing')) context.editor.remove(map, pair, 'routing');
    return;
  }
  context.editor.set(map, pair, 'routing', routing);
}

function checkTarget(context: EditContext, to: string): void {
  if (to !== 'out' && !context.ir.nodes.some((n) => n.id === to)) throw new EditRefused('NODE_MISSING', `route target '${to}' is not a node of this flow`);
}

function checkIndex(routes: readonly unknown[], index: number, nodeId: string): void {
  if (!Number.isInteger(index) || index < 0 || index >= routes.length) {
    throw new EditRefused('ROUTE_MISSING', `node '${nodeId}' has no route #${index}`);
  }
}

export function setRouting(source: FlowSource, nodeId: string, routing: RoutingValue): EditResult {
  return runEdit(source, (context) => {
    if (Array.isArray(routing)) for (const route of routing) if (typeof route.to === 'string') checkTarget(context, route.to);
    writeRouting(context, nodeId, routing);
  });
}

export function setRoutingShorthand(source: FlowSource, nodeId: string, shorthand: 'out' | 'reply'): EditResult {
  return setRouting(source, nodeId, shorthand);
}

/** Adds a route (at `index`, default last). */
export function addRoute(source: FlowSource, nodeId: string, route: JsonObject, index?: number): EditResult {
  return runEdit(source, (context) => {
    const { node } = requireNode(context, nodeId);
    if (typeof route.to === 'string') checkTarget(context, route.to);
    const routes = routeItems(node);
    routes.splice(index === undefined ? routes.length : Math.max(0, Math.min(index, routes.length)), 0, route);
    writeRouting(context, nodeId, routes);
  });
}

export function removeRoute(source: FlowSource, nodeId: string, index: number): EditResult {
  return runEdit(source, (context) => {
    const { node } = requireNode(context, nodeId);
    const routes = routeItems(node);
    checkIndex(routes, index, nodeId);
    routes.splice(index, 1);
    writeRouting(context, nodeId, routes);
  });
}

export function moveRoute(source: FlowSource, nodeId: string, from: number, to: number): EditResult {
  return runEdit(source, (context) => {
    const { node } = requireNode(context, nodeId);
    const routes = routeItems(node);
    checkIndex(routes, from, nodeId);
    checkIndex(routes, to, nodeId);
    const [moved] = routes.splice(from, 1);
    routes.splice(to, 0, moved as JsonObject);
    writeRouting(context, nodeId, routes);
  });
}

/** Points route `index` at another node; only the target's text changes when the route has a `to`. */
export function retargetRoute(source: FlowSource, nodeId: string, index: number, target: string): EditResult {
  return runEdit(source, (context) => {
    const { node, map } = requireNode(context, nodeId);
    checkTarget(context, target);
    const routes = routeItems(node);
    checkIndex(routes, index, nodeId);
    const seq = findPair(map, 'routing')?.value;
    const item = isSeq(seq) ? (seq.items[index] as Node | undefined) : undefined;
    const toNode = isMap(item) ? (findPair(item, 'to')?.value as Node | undefined) : undefined;
    if (node.routingForm === 'list' && toNode && typeof (routes[index] as JsonObject).to === 'string') {
      context.editor.replaceScalar(toNode, target);
      return;
    }
    const route: JsonObject = { ...(routes[index] as JsonObject), to: target };
    delete route.out;
    delete route.reply;
    routes[index] = route;
    writeRouting(context, nodeId, routes);
  });
}
