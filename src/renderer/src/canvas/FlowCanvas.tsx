import { Background, Controls, MarkerType, MiniMap, ReactFlow, type Edge } from '@xyflow/react';
import { useMemo } from 'react';
import type { FlowGraph } from './graph';
import { layeredLayout } from './layout';
import { StepNode, type StepFlowNode } from './StepNode';

const nodeTypes = { step: StepNode };

/** The flow as a graph: one box per node, one edge per route between nodes. */
export function FlowCanvas({ graph, start }: { graph: FlowGraph; start: string | null }) {
  const { nodes, edges } = useMemo(() => {
    const positions = layeredLayout(graph, start);
    const nodes: StepFlowNode[] = graph.nodes.map((node) => ({
      id: node.id,
      type: 'step',
      position: positions.get(node.id) ?? { x: 0, y: 0 },
      data: node,
    }));
    const edges: Edge[] = graph.edges.map((edge) => ({
      id: edge.id,
      source: edge.source,
      target: edge.target,
      label: edge.label,
      markerEnd: { type: MarkerType.ArrowClosed },
      className: `route route-${edge.kind}`,
    }));
    return { nodes, edges };
  }, [graph, start]);

  return (
    <div className="canvas" data-testid="flow-canvas">
      <ReactFlow nodes={nodes} edges={edges} nodeTypes={nodeTypes} fitView snapToGrid snapGrid={[10, 10]} proOptions={{ hideAttribution: true }}>
        <Background gap={20} />
        <MiniMap pannable zoomable nodeColor="var(--accent)" nodeStrokeWidth={2} />
        <Controls />
      </ReactFlow>
    </div>
  );
}
