import type { GraphNode } from './graph';

/** The box the canvas draws for a node; auto-layout spaces nodes by it. */
export const NODE_WIDTH = 240;
const BASE_HEIGHT = 72;
const ROUTE_ROW = 20;

export function nodeHeight(node: GraphNode): number {
  return BASE_HEIGHT + Math.max(0, node.routes.length - 1) * ROUTE_ROW;
}
