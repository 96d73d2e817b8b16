import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { BreakpointDot } from '../debug/BreakpointDot';
import '../debug/debug.css';
import { useIsPinned } from '../store/pin-store';
import type { LayoutDirection } from '../../../shared/flow/layout';
import type { GraphNode, RouteHandle } from './graph';
import { targetPosition } from './node-size';
import { NEW_ROUTE_HANDLE } from './route-handles';

/**
 * Run highlight of a node: in the live test visited on the path, running now, parked waiting, or paused
 * at by the debugger; in an opened trace, failed.
 */
export type RunMark = 'visited' | 'active' | 'parked' | 'paused' | 'failed' | null;

export type StepNodeData = { node: GraphNode; run: RunMark; direction?: LayoutDirection };
export type StepFlowNode = Node<StepNodeData, 'step'>;

/** One flow step on the canvas: its id, op key, a short summary of its payload, badges, and one handle per route. */
export const StepNode = memo(function StepNode({ data, selected }: NodeProps<StepFlowNode>) {
  const { node, run, direction = 'RIGHT' } = data;
  const classes = ['step', `step-${node.kind}`, selected ? 'selected' : '', run ?? ''].filter(Boolean).join(' ');
  return (
    <div className={classes} data-testid="flow-node" data-node-id={node.id} data-run={run ?? undefined}>
      <Handle type="target" position={targetPosition(direction)} className="handle-in" />
      <div className="step-title">
        <BreakpointDot nodeId={node.id} />
        {node.isStart && <span className="badge start">start</span>}
        <span className="step-id">{node.id}</span>
        <PinBadge id={node.id} />
        <DiagnosticsBadge node={node} />
      </div>
      <div className="step-op">{node.opKey}</div>
      {node.summary && <div className="step-summary">{node.summary}</div>}
      <div className="step-routes">
        {node.routes.map((route) => (
          <RouteRow key={route.id} route={route} />
        ))}
        <div className="route-row route-new" title="Drag to another node to add a route">
          <span className="route-label">+ route</span>
          <Handle type="source" id={NEW_ROUTE_HANDLE} position={Position.Right} className="handle-new" />
        </div>
      </div>
    </div>
  );
});

function RouteRow({ route }: { route: RouteHandle }) {
  const ends = route.to === null;
  return (
    <div className={`route-row route-${route.kind}${route.missing ? ' route-missing' : ''}`} data-testid="route-handle" data-route-index={route.index}>
      <span className="route-label" title={route.missing ? `'${route.to}' is not a node of this flow` : route.label || undefined}>
        {route.label || (route.missing ? `→ ${route.to}` : '')}
      </span>
      {ends ? (
        <span className={`route-end end-${route.kind}`}>{route.kind}</span>
      ) : (
        <Handle type="source" id={route.id} position={Position.Right} className={`handle-route handle-${route.kind}`} />
      )}
    </div>
  );
}

function PinBadge({ id }: { id: string }) {
  if (!useIsPinned(id)) return null;
  return (
    <span className="badge pinned" title="Output pinned: the studio's runner returns the pinned JSON instead of running this node" data-testid="pin-badge">
      pinned
    </span>
  );
}

function DiagnosticsBadge({ node }: { node: GraphNode }) {
  if (node.errors === 0 && node.warnings === 0) return null;
  const severity = node.errors > 0 ? 'error' : 'warning';
  return (
    <span className={`badge ${severity}`} title={node.problems.join('\n')} data-testid="diagnostics-badge">
      {node.errors > 0 ? node.errors : node.warnings}
    </span>
  );
}
