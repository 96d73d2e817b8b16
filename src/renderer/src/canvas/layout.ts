import type { FlowGraph } from './graph';

export interface Point {
  x: number;
  y: number;
}

const COLUMN_WIDTH = 280;
const ROW_HEIGHT = 130;

/**
 * A quick left-to-right layered placement: each node's column is its distance from the start along
 * routes, nodes the start cannot reach go in columns after the reachable ones.
 */
export function layeredLayout(graph: FlowGraph, start: string | null): Map<string, Point> {
  const successors = new Map<string, string[]>();
  for (const edge of graph.edges) successors.set(edge.source, [...(successors.get(edge.source) ?? []), edge.target]);

  const column = new Map<string, number>();
  const queue: string[] = [];
  const first = start && graph.nodes.some((n) => n.id === start) ? start : graph.nodes[0]?.id;
  if (first) {
    column.set(first, 0);
    queue.push(first);
  }
  while (queue.length > 0) {
    const id = queue.shift() as string;
    for (const next of successors.get(id) ?? []) {
      if (!column.has(next)) {
        column.set(next, (column.get(id) ?? 0) + 1);
        queue.push(next);
      }
    }
  }
  let spare = Math.max(-1, ...column.values()) + 1;
  for (const node of graph.nodes) if (!column.has(node.id)) column.set(node.id, spare++);

  const rows = new Map<number, number>();
  const positions = new Map<string, Point>();
  for (const node of graph.nodes) {
    const col = column.get(node.id) ?? 0;
    const row = rows.get(col) ?? 0;
    rows.set(col, row + 1);
    positions.set(node.id, { x: col * COLUMN_WIDTH, y: row * ROW_HEIGHT });
  }
  return positions;
}
