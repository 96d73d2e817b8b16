/** Where a new node goes: the nearest place to the wanted one that no node covers. */
import type { LayoutDirection, NodePosition } from '../../../shared/flow/layout';
import type { FlowGraph } from './graph';
import { NODE_WIDTH, nodeHeight, newNodeSize } from './node-size';
import type { Box } from './opening-view';

/** Free space kept around a placed node, in flow pixels. */
const GAP = 30;
const STEP = 20;
const MAX_RINGS = 60;

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width + GAP && b.x < a.x + a.width + GAP && a.y < b.y + b.height + GAP && b.y < a.y + a.height + GAP;
}

/**
 * The free spot nearest to `wanted` for a box of `size`: the wanted place itself when it is free, else
 * the closest grid point around it, preferring the flow's direction (further along, then across).
 */
export function freeSpot(wanted: NodePosition, size: { width: number; height: number }, occupied: Box[], direction: LayoutDirection): NodePosition {
  const fits = (at: NodePosition) => !occupied.some((box) => overlaps({ ...at, ...size }, box));
  for (let ring = 0; ring <= MAX_RINGS; ring += 1) {
    const candidates: Array<{ at: NodePosition; cost: number }> = [];
    for (let i = -ring; i <= ring; i += 1) {
      for (let j = -ring; j <= ring; j += 1) {
        if (Math.max(Math.abs(i), Math.abs(j)) !== ring) continue;
        const along = direction === 'DOWN' ? j : i;
        const across = direction === 'DOWN' ? i : j;
        // Backwards costs more than forwards, and across more than along.
        const cost = Math.abs(along) * (along < 0 ? 3 : 1) + Math.abs(across) * 1.5;
        candidates.push({ at: { x: wanted.x + i * STEP, y: wanted.y + j * STEP }, cost });
      }
    }
    candidates.sort((a, b) => a.cost - b.cost);
    const free = candidates.find((candidate) => fits(candidate.at));
    if (free) return free.at;
  }
  return wanted;
}

/** The place just after a node in the flow's direction: where its next step would be drawn. */
export function besideOf(node: Box, direction: LayoutDirection): NodePosition {
  return direction === 'DOWN' ? { x: node.x, y: node.y + node.height + GAP * 2 } : { x: node.x + node.width + GAP * 2, y: node.y };
}

/** The boxes of the placed nodes, as auto-layout and the free-space search see them. */
export function boxesOf(graph: FlowGraph, positions: Record<string, NodePosition>): Box[] {
  return graph.nodes.flatMap((node) => {
    const at = positions[node.id];
    return at ? [{ ...at, width: NODE_WIDTH, height: nodeHeight(node) }] : [];
  });
}

/**
 * Where a node added from the palette lands: at the drop point, or beside the node it follows (the
 * selected one, else the flow's last), moved to the nearest free space so it covers no other node.
 */
export function placeNewNode(
  graph: FlowGraph,
  positions: Record<string, NodePosition>,
  direction: LayoutDirection,
  wanted: { at: NodePosition } | { after: string | null },
): NodePosition {
  const size = newNodeSize();
  const occupied = boxesOf(graph, positions);
  if ('at' in wanted) return freeSpot(wanted.at, size, occupied, direction);
  const anchorId = wanted.after ?? graph.nodes.at(-1)?.id;
  const anchorNode = graph.nodes.find((node) => node.id === anchorId);
  const anchorAt = anchorId ? positions[anchorId] : undefined;
  if (!anchorNode || !anchorAt) return freeSpot({ x: 0, y: 0 }, size, occupied, direction);
  return freeSpot(besideOf({ ...anchorAt, width: NODE_WIDTH, height: nodeHeight(anchorNode) }, direction), size, occupied, direction);
}
