import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  Controls,
  MiniMap,
  Panel,
  ReactFlow,
  ReactFlowProvider,
  SelectionMode,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type KeyboardEvent, type MouseEvent } from 'react';
import type { DeleteStrategy } from '../../../shared/flow';
import { layoutDirection, setNodePosition, type LayoutDirection, type NodePosition } from '../../../shared/flow/layout';
import { registerCommand } from '../commands/registry';
import { usePausedNodeIn } from '../debug/debug-store';
import type { FlowDocument } from '../document/flow-document';
import { PALETTE_MIME, readPaletteDrag } from '../palette/palette-drag';
import type { RunHighlight } from '../store/chat-store';
import { useEditor } from '../store/editor-store';
import { usePins } from '../store/pin-store';
import { autoLayout } from './auto-layout';
import { connect, deleteNodes, freeNodeId, insertStep, nodesWithPredecessors, removeRoutes, type EdgeRef } from './canvas-edits';
import { boxesOf, placeNewNode } from './free-space';
import { estimatedHandles, nodeHeight, NODE_WIDTH } from './node-size';
import { openingViewport } from './opening-view';
import { routeIndexOf } from './route-handles';
import { useCanvasClipboard } from './use-canvas-clipboard';
import { DeleteNodesDialog } from './DeleteNodesDialog';
import { toFlowEdge } from './flow-edge';
import { NodeContextMenu, nodeMenuAnchor, selectForMenu, type NodeMenuRequest } from './NodeContextMenu';
import type { FlowGraph } from './graph';
import { quickLayout } from './layout';
import { StepNode, type RunMark, type StepFlowNode } from './StepNode';

const nodeTypes = { step: StepNode };
/** Above this many nodes, nodes not drawn yet get an estimated box instead of being rendered to be measured. */
const ESTIMATE_ABOVE = 60;
const SNAP_GRID: [number, number] = [10, 10];

interface FlowCanvasProps {
  doc: FlowDocument;
  highlight?: RunHighlight | null;
}

/** The flow as an editable graph: one box per node, one handle and edge per route. */
export function FlowCanvas(props: FlowCanvasProps) {
  return (
    <ReactFlowProvider>
      <EditableCanvas {...props} />
    </ReactFlowProvider>
  );
}

function EditableCanvas({ doc, highlight }: FlowCanvasProps) {
  const flow = useReactFlow<StepFlowNode, Edge>();
  const edit = useEditor((state) => state.edit);
  const setPositions = useEditor((state) => state.setPositions);
  const setAutoPositions = useEditor((state) => state.setAutoPositions);
  const arrange = useEditor((state) => state.arrange);
  const select = useEditor((state) => state.select);
  const selection = useEditor((state) => state.selection);
  const model = doc.model;
  const graph = model?.graph ?? EMPTY_GRAPH;
  const layout = doc.history.present.layout;
  const direction = layoutDirection(layout);
  const start = model?.ir.resolvedStart ?? null;
  const [pendingDelete, setPendingDelete] = useState<string[] | null>(null);
  const large = graph.nodes.length > ESTIMATE_ABOVE;
  const wrapper = useRef<HTMLDivElement>(null);
  const [opened, setOpened] = useState(false);
  const openedRef = useRef(false);
  const [nodeMenu, setNodeMenu] = useState<NodeMenuRequest | null>(null);
  const pausedNode = usePausedNodeIn(model?.ir.id ?? null);

  useEffect(() => {
    void usePins.getState().show(doc.path);
  }, [doc.path]);

  const positions = usePositions(graph, start, direction, layout.nodes, doc.autoPositions);

  const layoutOf = useCallback(
    (towards: LayoutDirection) => {
      const box = wrapper.current;
      const aspectRatio = box && box.clientHeight > 0 ? box.clientWidth / box.clientHeight : 1.5;
      return autoLayout(graph, { direction: towards, aspectRatio, start });
    },
    [graph, start],
  );

  /** Shows the flow as it should open: whole when readable, else from its start node. */
  const showOpening = useCallback(
    (at: Record<string, NodePosition>) => {
      const box = wrapper.current;
      if (!box) return;
      const startBox = start ? boxesOf({ nodes: graph.nodes.filter((node) => node.id === start), edges: [] }, at)[0] : undefined;
      const viewport = openingViewport(boxesOf(graph, at), startBox ?? null, { width: box.clientWidth, height: box.clientHeight });
      if (viewport) void flow.setViewport(viewport);
      openedRef.current = true;
      setOpened(true);
    },
    [graph, start, flow],
  );

  // Nodes the sidecar does not place get ELK's layout, computed off the main thread. It starts again
  // only when what ELK lays out changes (node ids, box heights, edges), not at every payload edit,
  // which on a large flow would keep restarting it before it finishes.
  const needsLayout = graph.nodes.some((node) => !layout.nodes[node.id] && !doc.autoPositions[node.id]);
  const layoutShape = useMemo(() => graph.nodes.map((node) => `${node.id}:${nodeHeight(node)}`).join('\n'), [graph.nodes]);
  useEffect(() => {
    if (!needsLayout || graph.nodes.length === 0) return;
    let cancelled = false;
    // Until the flow has been shown once (a sidecar may place some of its nodes, not all), the layout
    // that completes the picture also sets the opening view.
    const firstLayout = !openedRef.current;
    layoutOf(direction).then(
      (computed) => {
        if (cancelled) return;
        setAutoPositions(doc.path, computed);
        // The flow's first real layout replaces the instant one: show it.
        if (firstLayout) window.requestAnimationFrame(() => showOpening({ ...computed, ...layout.nodes }));
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [needsLayout, layoutShape, graph.edges, doc.path, setAutoPositions, direction]);

  const [nodes, setNodes] = useState<StepFlowNode[]>([]);
  const [edges, setEdges] = useState<Edge[]>([]);
  const selectedIds = useMemo(() => new Set(selection), [selection]);

  useEffect(() => {
    setNodes((previous) => {
      const before = new Map(previous.map((node) => [node.id, node]));
      const next = graph.nodes.map((node): StepFlowNode => {
        const old = before.get(node.id);
        const position = positions[node.id] ?? { x: 0, y: 0 };
        const run = node.id === pausedNode ? 'paused' : runMark(highlight, node.id);
        const selected = selectedIds.has(node.id);
        const data = { node, run, direction };
        if (old && old.data.node === node && old.data.run === run && old.data.direction === direction && old.selected === selected && samePoint(old.position, position)) return old;
        // In a large flow, nodes not measured yet get an estimated box and handles, so that React
        // Flow need not render every node once just to measure it; small flows are simply rendered.
        if (old?.measured || !large) return { ...(old ? withoutHandles(old) : { id: node.id, type: 'step' as const }), position, data, selected };
        return {
          id: node.id,
          type: 'step' as const,
          position,
          data,
          selected,
          initialWidth: NODE_WIDTH,
          initialHeight: nodeHeight(node),
          handles: estimatedHandles(node, direction),
        };
      });
      return next.length === previous.length && next.every((node, i) => node === previous[i]) ? previous : next;
    });
  }, [graph.nodes, positions, highlight, selectedIds, large, direction, pausedNode]);

  // The node the debugger stopped at comes into view, centred, when it is off-screen.
  useEffect(() => {
    const at = pausedNode ? positions[pausedNode] : undefined;
    const box = wrapper.current;
    if (!pausedNode || !at || !box) return;
    const { x, y, zoom } = flow.getViewport();
    const left = at.x * zoom + x;
    const top = at.y * zoom + y;
    const visible = left >= 0 && top >= 0 && left + NODE_WIDTH * zoom <= box.clientWidth && top + 60 * zoom <= box.clientHeight;
    if (!visible) void flow.setCenter(at.x + NODE_WIDTH / 2, at.y + 40, { zoom: Math.max(zoom, 0.8), duration: 200 });
    // Only when the pause moves to another node, not when the user pans away from it meanwhile.
  }, [pausedNode]);

  useEffect(() => {
    setEdges((previous) => {
      const selected = new Set(previous.filter((edge) => edge.selected).map((edge) => edge.id));
      return graph.edges.map((edge) => ({ ...toFlowEdge(edge), selected: selected.has(edge.id) }));
    });
  }, [graph.edges]);

  // The store's selection is the only truth: a click or a box selection on the canvas changes it, and
  // the canvas only draws it. Echoing React Flow's own selection back (`onSelectionChange`) made a
  // remounted canvas, still empty, clear the store while the store re-selected it: React #185.
  const onNodesChange = useCallback(
    (changes: NodeChange<StepFlowNode>[]) => {
      setNodes((current) => applyNodeChanges(changes, current));
      const picked = selectionAfter(useEditor.getState().selection, changes);
      if (picked) select(picked);
    },
    [select],
  );
  const onEdgesChange = useCallback((changes: EdgeChange[]) => setEdges((current) => applyEdgeChanges(changes, current)), []);

  const onConnect = useCallback(
    (connection: Connection) => {
      if (connection.source === connection.target && connection.sourceHandle === null) return;
      edit(connect(connection.source, connection.sourceHandle, connection.target));
    },
    [edit],
  );

  const onNodeDragStop = useCallback(
    (_event: unknown, _node: StepFlowNode, dragged: StepFlowNode[]) => {
      const moved: Record<string, NodePosition> = {};
      for (const node of dragged) moved[node.id] = { x: Math.round(node.position.x), y: Math.round(node.position.y) };
      setPositions(moved);
    },
    [setPositions],
  );

  const removeNodes = useCallback(
    (ids: string[], strategy: DeleteStrategy) => {
      edit(deleteNodes(ids, strategy), {
        layout: (current) => ({ ...current, nodes: Object.fromEntries(Object.entries(current.nodes).filter(([id]) => !ids.includes(id))) }),
        select: [],
      });
    },
    [edit],
  );

  const deleteSelection = useCallback(() => {
    const ids = nodes.filter((node) => node.selected).map((node) => node.id);
    if (ids.length > 0 && model) {
      if (nodesWithPredecessors(model.ir, ids).length > 0) setPendingDelete(ids);
      else removeNodes(ids, 'splice');
      return;
    }
    const routes = edges
      .filter((edge) => edge.selected)
      .flatMap((edge) => {
        const index = routeIndexOf(edge.sourceHandle);
        return index === null ? [] : [{ source: edge.source, index }];
      });
    if (routes.length > 0) edit(removeRoutes(routes));
  }, [nodes, edges, model, edit, removeNodes]);

  const relayout = useCallback(
    (towards: LayoutDirection) => {
      if (graph.nodes.length === 0) return;
      void layoutOf(towards).then((computed) => {
        arrange(towards, computed);
        window.requestAnimationFrame(() => showOpening(computed));
      });
    },
    [graph, layoutOf, arrange, showOpening],
  );
  const runLayout = useCallback(() => relayout(direction), [relayout, direction]);

  const align = useCallback(
    (axis: 'x' | 'y') => {
      const picked = nodes.filter((node) => node.selected);
      if (picked.length < 2) return;
      const edge = Math.min(...picked.map((node) => node.position[axis]));
      setPositions(Object.fromEntries(picked.map((node) => [node.id, { ...node.position, [axis]: edge }])));
    },
    [nodes, setPositions],
  );

  const { duplicate } = useCanvasClipboard(wrapper, model, positions);

  useEffect(() => {
    const unregister = [
      registerCommand('fitView', () => void flow.fitView({ duration: 200 })),
      registerCommand('autoLayout', runLayout),
      registerCommand('deleteSelection', deleteSelection),
      registerCommand('selectAll', () => select(graph.nodes.map((node) => node.id))),
      registerCommand('duplicate', duplicate),
      registerCommand('alignLeft', () => align('x')),
      registerCommand('alignTop', () => align('y')),
      registerCommand('revealNode', (id) => {
        const at = id ? positions[id] : undefined;
        if (!id || !at) return;
        select([id]);
        void flow.setCenter(at.x + 120, at.y + 40, { zoom: Math.max(flow.getZoom(), 1), duration: 200 });
      }),
    ];
    return () => unregister.forEach((off) => off());
  }, [flow, runLayout, deleteSelection, select, graph, duplicate, align, positions]);

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(PALETTE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const item = readPaletteDrag(event.dataTransfer);
      if (!item) return;
      event.preventDefault();
      const dropped = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const onEdge = edgeAt(event.clientX, event.clientY, graph);
      const id = freeNodeId(model?.ir ?? null, item.opKey);
      const at = placeNewNode(graph, positions, direction, { at: { x: Math.round(dropped.x), y: Math.round(dropped.y) } });
      edit(insertStep(id, item.opKey, item.payload, onEdge), {
        layout: (current) => setNodePosition(current, id, at),
        select: [id],
      });
    },
    [flow, graph, model, edit, positions, direction],
  );

  const openNodeMenu = useCallback((nodeId: string, at: { x: number; y: number }) => {
    selectForMenu(nodeId);
    setNodeMenu({ nodeId, at });
  }, []);

  const onNodeContextMenu = useCallback(
    (event: MouseEvent, node: StepFlowNode) => {
      event.preventDefault();
      // A keyboard-opened menu has no pointer position: open it at the node.
      const at = event.clientX || event.clientY ? { x: event.clientX, y: event.clientY } : nodeMenuAnchor(node.id);
      if (at) openNodeMenu(node.id, at);
    },
    [openNodeMenu],
  );

  // The context-menu key or Shift+F10 opens the menu of the focused (else the only selected) node.
  const onKeyDown = useCallback(
    (event: KeyboardEvent) => {
      if (event.key !== 'ContextMenu' && !(event.shiftKey && event.key === 'F10')) return;
      const focused = (document.activeElement as HTMLElement | null)?.closest('.react-flow__node')?.getAttribute('data-id');
      const id = focused ?? (selection.length === 1 ? selection[0] : undefined);
      const at = id ? nodeMenuAnchor(id) : null;
      if (!id || !at) return;
      event.preventDefault();
      openNodeMenu(id, at);
    },
    [selection, openNodeMenu],
  );

  return (
    <div
      className="canvas"
      data-testid="flow-canvas"
      data-auto-layout={needsLayout ? 'pending' : 'done'}
      data-opened={opened}
      data-direction={direction}
      data-flow-path={doc.path}
      ref={wrapper}
      onDragOver={onDragOver}
      onDrop={onDrop}
      onKeyDown={onKeyDown}
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onNodeDragStop={onNodeDragStop}
        onNodeContextMenu={onNodeContextMenu}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Meta', 'Control']}
        selectionMode={SelectionMode.Partial}
        onInit={() => {
          if (!needsLayout) showOpening(positions);
        }}
        onlyRenderVisibleElements
        minZoom={0.05}
        snapToGrid
        snapGrid={SNAP_GRID}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} />
        <MiniMap pannable zoomable nodeStrokeWidth={2} />
        <Controls />
        <Panel position="bottom-left" className="direction-panel">
          <DirectionPicker direction={direction} onPick={relayout} />
        </Panel>
      </ReactFlow>
      {nodeMenu && (
        <NodeContextMenu
          {...nodeMenu}
          flowId={model?.ir.id ?? null}
          opKey={graph.nodes.find((node) => node.id === nodeMenu.nodeId)?.opKey ?? ''}
          onClose={() => setNodeMenu(null)}
        />
      )}
      {pendingDelete && (
        <DeleteNodesDialog
          ids={pendingDelete}
          onChoose={(strategy) => {
            setPendingDelete(null);
            if (strategy) removeNodes(pendingDelete, strategy);
          }}
        />
      )}
    </div>
  );
}

const EMPTY_GRAPH: FlowGraph = { nodes: [], edges: [] };

/** Lays the flow out again left to right or top to bottom; the flow's layout file remembers the choice. */
function DirectionPicker({ direction, onPick }: { direction: LayoutDirection; onPick(direction: LayoutDirection): void }) {
  return (
    <div className="segmented direction-picker" role="group" aria-label="Layout direction">
      {(
        [
          ['RIGHT', 'Left to right'],
          ['DOWN', 'Top to bottom'],
        ] as const
      ).map(([value, label]) => (
        <button key={value} type="button" aria-pressed={direction === value} onClick={() => onPick(value)} title={`Lay the flow out ${label.toLowerCase()}`}>
          {label}
        </button>
      ))}
    </div>
  );
}

/** Sidecar positions first, then ELK's, then the instant placement for anything still unplaced. */
function usePositions(
  graph: FlowGraph,
  start: string | null,
  direction: LayoutDirection,
  placed: Record<string, NodePosition>,
  auto: Record<string, NodePosition>,
): Record<string, NodePosition> {
  // Keyed on the node and edge lists, which stay the same objects across edits that do not change them.
  const { nodes, edges } = graph;
  const quick = useMemo(() => quickLayout({ nodes, edges }, start, direction), [nodes, edges, start, direction]);
  return useMemo(() => {
    const result: Record<string, NodePosition> = {};
    for (const node of nodes) {
      const at = placed[node.id] ?? auto[node.id] ?? quick[node.id];
      if (at) result[node.id] = at;
    }
    return result;
  }, [nodes, placed, auto, quick]);
}

function runMark(highlight: RunHighlight | null | undefined, id: string): RunMark {
  if (!highlight) return null;
  if (highlight.failed === id) return 'failed';
  if (highlight.parked === id) return 'parked';
  if (highlight.active === id) return 'active';
  return highlight.visited.includes(id) ? 'visited' : null;
}

/** The selection after the canvas' select changes, or null when they change nothing. */
export function selectionAfter(selection: string[], changes: NodeChange<StepFlowNode>[]): string[] | null {
  const next = new Set(selection);
  for (const change of changes) {
    if (change.type !== 'select') continue;
    if (change.selected) next.add(change.id);
    else next.delete(change.id);
  }
  const ids = [...next];
  return ids.length === selection.length && ids.every((id, i) => id === selection[i]) ? null : ids;
}

function withoutHandles(node: StepFlowNode): StepFlowNode {
  const copy = { ...node };
  delete copy.handles;
  return copy;
}

function samePoint(a: NodePosition, b: NodePosition): boolean {
  return a.x === b.x && a.y === b.y;
}

/** The route under a screen point, when a palette item is dropped onto an edge. */
function edgeAt(x: number, y: number, graph: FlowGraph): EdgeRef | null {
  for (const element of document.elementsFromPoint(x, y)) {
    const id = element.closest('.react-flow__edge')?.getAttribute('data-id');
    const edge = id ? graph.edges.find((candidate) => candidate.id === id) : undefined;
    const index = routeIndexOf(edge?.sourceHandle);
    if (edge && index !== null) return { source: edge.source, index, target: edge.target };
  }
  return null;
}
