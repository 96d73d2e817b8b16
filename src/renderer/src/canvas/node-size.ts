import { Position, type NodeHandle } from '@xyflow/react';
import type { GraphNode } from './graph';
import { NEW_ROUTE_HANDLE } from './route-handles';

/**
 * The box the canvas draws for a node, estimated from the step's CSS (`.step`, `.route-row`):
 * auto-layout spaces nodes by it, and the canvas hands it to React Flow so that nodes outside the
 * view need not be rendered once just to be measured. Rendered nodes are measured exactly.
 */
export const NODE_WIDTH = 240;
const PADDING = 8;
const TITLE_ROW = 18;
const TEXT_ROW = 16;
const ROUTES_GAP = 6;
const ROUTE_ROW = 20;

function routesTop(node: GraphNode): number {
  return PADDING + TITLE_ROW + TEXT_ROW + (node.summary ? TEXT_ROW : 0) + ROUTES_GAP;
}

export function nodeHeight(node: GraphNode): number {
  return routesTop(node) + (node.routes.length + 1) * ROUTE_ROW + PADDING;
}

/** Where React Flow should expect the handles: one target on the left, one source per route row. */
export function estimatedHandles(node: GraphNode): NodeHandle[] {
  const top = routesTop(node);
  const height = nodeHeight(node);
  const sources = [...node.routes.filter((route) => route.to !== null).map((route) => ({ id: route.id, row: route.index })), { id: NEW_ROUTE_HANDLE, row: node.routes.length }];
  return [
    { id: null, type: 'target', position: Position.Left, x: 0, y: height / 2, width: 1, height: 1 },
    ...sources.map(({ id, row }): NodeHandle => ({ id, type: 'source', position: Position.Right, x: NODE_WIDTH, y: top + row * ROUTE_ROW + ROUTE_ROW / 2, width: 1, height: 1 })),
  ];
}
