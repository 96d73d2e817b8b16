import { Position, type NodeHandle } from '@xyflow/react';
import type { LayoutDirection } from '../../../shared/flow/layout';
import type { GraphNode } from './graph';
import { NEW_ROUTE_HANDLE } from './route-handles';

/**
 * The box the canvas draws for a node, estimated from the step's CSS (`.step`, `.route-row`):
 * auto-layout spaces nodes by it, and the canvas hands it to React Flow so that nodes outside the
 * view need not be rendered once just to be measured. Rendered nodes are measured exactly.
 */
export const NODE_WIDTH = 240;
/** The node title's font size in `.step-title` (CSS pixels at zoom 1). */
export const TITLE_FONT_PX = 15;
const PADDING = 8;
const TITLE_ROW = 20;
const TEXT_ROW = 16;
const ROUTES_GAP = 6;
const ROUTE_ROW = 22;

function routesTop(node: GraphNode): number {
  return PADDING + TITLE_ROW + TEXT_ROW + (node.summary ? TEXT_ROW : 0) + ROUTES_GAP;
}

export function nodeHeight(node: GraphNode): number {
  return routesTop(node) + (node.routes.length + 1) * ROUTE_ROW + PADDING;
}

/** The box of a step not yet in the graph (a palette item being added), with a summary and one route. */
export function newNodeSize(): { width: number; height: number } {
  return { width: NODE_WIDTH, height: PADDING + TITLE_ROW + 2 * TEXT_ROW + ROUTES_GAP + 2 * ROUTE_ROW + PADDING };
}

/** Where a node's input handle sits: facing the node before it in the layout's reading direction. */
export function targetPosition(direction: LayoutDirection): Position {
  return direction === 'DOWN' ? Position.Top : Position.Left;
}

/** Where React Flow should expect the handles: one target, one source per route row on the right. */
export function estimatedHandles(node: GraphNode, direction: LayoutDirection): NodeHandle[] {
  const top = routesTop(node);
  const height = nodeHeight(node);
  const sources = [...node.routes.filter((route) => route.to !== null).map((route) => ({ id: route.id, row: route.index })), { id: NEW_ROUTE_HANDLE, row: node.routes.length }];
  const target: NodeHandle =
    direction === 'DOWN'
      ? { id: null, type: 'target', position: Position.Top, x: NODE_WIDTH / 2, y: 0, width: 1, height: 1 }
      : { id: null, type: 'target', position: Position.Left, x: 0, y: height / 2, width: 1, height: 1 };
  return [
    target,
    ...sources.map(({ id, row }): NodeHandle => ({ id, type: 'source', position: Position.Right, x: NODE_WIDTH, y: top + row * ROUTE_ROW + ROUTE_ROW / 2, width: 1, height: 1 })),
  ];
}
