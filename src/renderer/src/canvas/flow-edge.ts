import { MarkerType, type Edge } from '@xyflow/react';
import type { GraphEdge } from './graph';

/** How a route of the graph is drawn: an arrow from its handle, labelled and styled by its kind. */
export function toFlowEdge(edge: GraphEdge): Edge {
  return {
    id: edge.id,
    source: edge.source,
    sourceHandle: edge.sourceHandle,
    target: edge.target,
    ...(edge.label ? { label: edge.label } : {}),
    markerEnd: { type: MarkerType.ArrowClosed },
    className: `route route-${edge.kind}`,
  };
}
