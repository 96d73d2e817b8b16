import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow, type Edge } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import type { NodePosition } from '../../../shared/flow/layout';
import { autoLayout } from '../canvas/auto-layout';
import { toFlowEdge } from '../canvas/flow-edge';
import { quickLayout } from '../canvas/layout';
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

  const nodes = useMemo<StepFlowNode[]>(
    () => graph.nodes.map((node) => ({ id: node.id, type: 'step', position: positions[node.id] ?? { x: 0, y: 0 }, data: { node, run: null } })),
    [graph, positions],
  );
  const edges = useMemo<Edge[]>(() => graph.edges.map(toFlowEdge), [graph]);

  return (
    <div className="canvas canvas-readonly" data-testid="pack-flow-canvas" aria-label={label} role="figure">
      <ReactFlow
        nodes={nodes}
        edges={edges}
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
