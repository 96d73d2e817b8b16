import type { LayoutDirection, NodePosition } from '../../../shared/flow/layout';
import type { FlowGraph } from './graph';

const COLUMN_WIDTH = 300;
const ROW_HEIGHT = 130;

/**
 * An instant placement for the first paint, before ELK's layout arrives and for nodes added since: a
 * node's column (its row, top to bottom) is its distance from the start; nodes the start does not reach follow.
 */
export function quickLayout(graph: FlowGraph, start: string | null, direction: LayoutDirection = 'RIGHT'): Record<string, NodePosition> {
  const successors = new Map<string, string[]>();
  for (const edge of graph.edges) successors.set(edge.source, [...(successors.get(edge.source) ?? []), edge.target]);

  const column = new Map<string, number>();
  const first = start && graph.nodes.some((n) => n.id === start) ? start : graph.nodes[0]?.id;
  const queue: string[] = first ? [first] : [];
  if (first) column.set(first, 0);
  for (let head = 0; head < queue.length; head += 1) {
    const id = queue[head] as string;
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
  const positions: Record<string, NodePosition> = {};
  for (const node of graph.nodes) {
    const col = column.get(node.id) ?? 0;
    const row = rows.get(col) ?? 0;
    rows.set(col, row + 1);
    positions[node.id] = direction === 'DOWN' ? { x: row * COLUMN_WIDTH, y: col * ROW_HEIGHT * 1.5 } : { x: col * COLUMN_WIDTH, y: row * ROW_HEIGHT };
  }
  return positions;
}
