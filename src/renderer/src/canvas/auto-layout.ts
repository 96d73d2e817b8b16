/**
 * Auto-layout with ELK (layered), computed in a Web Worker so the canvas stays responsive. The flow
 * reads like text: its main path runs in the chosen direction from the start node and wraps into
 * further rows (or columns) to fit the canvas' shape, so that a flow of a few dozen nodes fits at a
 * zoom where it can be read; a route back to an earlier node stays a loop instead of pushing the
 * steps after it backwards.
 */
import ELK, { type ELK as ElkEngine } from 'elkjs/lib/elk-api.js';
import type { LayoutDirection, NodePosition } from '../../../shared/flow/layout';
import type { FlowGraph } from './graph';
import { NODE_WIDTH, nodeHeight } from './node-size';

let engine: ElkEngine | null = null;

function elk(): ElkEngine {
  engine ??= new ELK({ workerFactory: () => new Worker(new URL('./elk.worker.ts', import.meta.url), { type: 'module' }) });
  return engine;
}

export interface AutoLayoutOptions {
  direction: LayoutDirection;
  /** Width over height of the canvas the flow is shown in; the wrapped layout aims for that shape. */
  aspectRatio: number;
  start: string | null;
}

function layoutOptions({ direction, aspectRatio }: AutoLayoutOptions): Record<string, string> {
  return {
    'elk.algorithm': 'layered',
    'elk.direction': direction,
    'elk.layered.spacing.nodeNodeBetweenLayers': '70',
    'elk.spacing.nodeNode': '30',
    'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
    // The flow's own order decides which routes go forward: the ones back to an earlier node are the loops.
    'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
    'elk.layered.cycleBreaking.strategy': 'MODEL_ORDER',
    'elk.layered.wrapping.strategy': 'MULTI_EDGE',
    'elk.aspectRatio': String(Math.min(4, Math.max(0.25, aspectRatio))),
    'elk.separateConnectedComponents': 'true',
  };
}

/** The graph's nodes with the start node first: ELK's model order is the reading order. */
function inReadingOrder(graph: FlowGraph, start: string | null): FlowGraph['nodes'] {
  const first = graph.nodes.find((node) => node.id === start);
  return first ? [first, ...graph.nodes.filter((node) => node !== first)] : graph.nodes;
}

export async function autoLayout(graph: FlowGraph, options: AutoLayoutOptions): Promise<Record<string, NodePosition>> {
  const result = await elk().layout({
    id: 'flow',
    layoutOptions: layoutOptions(options),
    children: inReadingOrder(graph, options.start).map((node) => ({ id: node.id, width: NODE_WIDTH, height: nodeHeight(node) })),
    edges: graph.edges.map((edge) => ({ id: edge.id, sources: [edge.source], targets: [edge.target] })),
  });
  const positions: Record<string, NodePosition> = {};
  for (const child of result.children ?? []) positions[child.id] = { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) };
  return positions;
}
