import { applyNodeChanges, Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow, type Edge, type NodeChange } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { NodePosition } from '../../../shared/flow/layout';
import { autoLayout } from '../canvas/auto-layout';
import { toFlowEdge } from '../canvas/flow-edge';
import { quickLayout } from '../canvas/layout';
import { nodeHeight, NODE_WIDTH } from '../canvas/node-size';
import { StepNode, type StepFlowNode } from '../canvas/StepNode';
import type { DrawnFlow } from './pack-graph';

const nodeTypes = { step: StepNode };
/** Above this many steps only the visible ones are rendered, as in the editor. */
const RENDER_VISIBLE_ONLY = 60;

/** A flow drawn with the editor's step boxes and routes, laid out by ELK, and nothing to edit. */
export function ReadOnlyFlowCanvas({ flow, label }: { flow: DrawnFlow; label: string }) {
  return (
    <ReactFlowProvider>
      <Canvas flow={flow} label={label} />
    </ReactFlowProvider>
  );
}

function Canvas({ flow, label }: { flow: DrawnFlow; label: string }) {
  const view = useReactFlow<StepFlowNode, Edge>();
  const { graph, start } = flow;
  const [positions, setPositions] = useState<Record<string, NodePosition>>(() => quickLayout(graph, start));

  useEffect(() => {
    let live = true;
    setPositions(quickLayout(graph, start));
    if (graph.nodes.length > 0) {
      autoLayout(graph, { direction: 'RIGHT', aspectRatio: 1.5, start }).then(
        (computed) => {
          if (!live) return;
          setPositions(computed);
          window.requestAnimationFrame(() => void view.fitView({ maxZoom: 1.5 }));
        },
        () => undefined,
      );
    }
    return () => {
      live = false;
    };
  }, [graph, start, view]);

  // The nodes are kept with what React Flow measured: the minimap draws a node only from its
  // measured box, which a node list rebuilt from the positions alone would throw away.
  const [nodes, setNodes] = useState<StepFlowNode[]>(() => drawnNodes(graph, positions, []));
  useEffect(() => setNodes((current) => drawnNodes(graph, positions, current)), [graph, positions]);
  const onNodesChange = useCallback((changes: NodeChange<StepFlowNode>[]) => setNodes((current) => applyNodeChanges(changes, current)), []);
  const edges = useMemo<Edge[]>(() => graph.edges.map(toFlowEdge), [graph]);

  return (
    <div className="canvas canvas-readonly" data-testid="pack-flow-canvas" aria-label={label} role="figure">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        onNodesChange={onNodesChange}
        nodeTypes={nodeTypes}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        edgesFocusable={false}
        deleteKeyCode={null}
        onlyRenderVisibleElements={graph.nodes.length > RENDER_VISIBLE_ONLY}
        fitView
        fitViewOptions={{ maxZoom: 1.5 }}
        minZoom={0.05}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} />
        <MiniMap pannable zoomable nodeStrokeWidth={2} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}

function drawnNodes(graph: DrawnFlow['graph'], positions: Record<string, NodePosition>, current: StepFlowNode[]): StepFlowNode[] {
  const measured = new Map(current.map((node) => [node.id, node.measured]));
  return graph.nodes.map((node) => {
    const box = measured.get(node.id);
    return {
      id: node.id,
      type: 'step',
      position: positions[node.id] ?? { x: 0, y: 0 },
      data: { node, run: null },
      initialWidth: NODE_WIDTH,
      initialHeight: nodeHeight(node),
      ...(box ? { measured: box } : {}),
    };
  });
}
