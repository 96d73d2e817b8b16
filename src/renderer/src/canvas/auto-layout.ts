/** Auto-layout with ELK (layered, left to right), computed in a Web Worker so the canvas stays responsive. */
import ELK, { type ELK as ElkEngine } from 'elkjs/lib/elk-api.js';
import type { NodePosition } from '../../../shared/flow/layout';
import type { FlowGraph } from './graph';
import { NODE_WIDTH, nodeHeight } from './node-size';

let engine: ElkEngine | null = null;

function elk(): ElkEngine {
  engine ??= new ELK({ workerFactory: () => new Worker(new URL('./elk.worker.ts', import.meta.url), { type: 'module' }) });
  return engine;
}

const LAYOUT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.layered.spacing.nodeNodeBetweenLayers': '90',
  'elk.spacing.nodeNode': '36',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.separateConnectedComponents': 'true',
};

export async function autoLayout(graph: FlowGraph): Promise<Record<string, NodePosition>> {
  const result = await elk().layout({
    id: 'flow',
    layoutOptions: LAYOUT_OPTIONS,
    children: graph.nodes.map((node) => ({ id: node.id, width: NODE_WIDTH, height: nodeHeight(node) })),
    edges: graph.edges.map((edge) => ({ id: edge.id, sources: [edge.source], targets: [edge.target] })),
  });
  const positions: Record<string, NodePosition> = {};
  for (const child of result.children ?? []) positions[child.id] = { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) };
  return positions;
}
