import { MarkerType, type Edge } from '@xyflow/react';
import type { GraphEdge } from './graph';

/**
 * How a route of the graph is drawn: an arrow from its handle, styled by its kind. Its label (the
 * condition) is written once, in the node's route row beside the handle the arrow leaves from, where
 * labels cannot overlap; on the arrow it is only its accessible name.
 */
export function toFlowEdge(edge: GraphEdge): Edge {
  return {
    id: edge.id,
    source: edge.source,
    sourceHandle: edge.sourceHandle,
    target: edge.target,
    ...(edge.label ? { ariaLabel: `${edge.source} → ${edge.target} when ${edge.label}` } : {}),
    markerEnd: { type: MarkerType.ArrowClosed },
    className: `route route-${edge.kind}`,
  };
}
