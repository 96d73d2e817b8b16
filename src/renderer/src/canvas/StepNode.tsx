import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { GraphNode } from './graph';

export type StepNodeData = GraphNode & Record<string, unknown>;
export type StepFlowNode = Node<StepNodeData, 'step'>;

/** One flow step on the canvas: its id, its op key, a short summary of its payload, and badges. */
export const StepNode = memo(function StepNode({ data, selected }: NodeProps<StepFlowNode>) {
  return (
    <div className={`step step-${data.kind}${selected ? ' selected' : ''}`} data-testid="flow-node" data-node-id={data.id}>
      <Handle type="target" position={Position.Left} />
      <div className="step-title">
        {data.isStart && <span className="badge start">start</span>}
        <span className="step-id">{data.id}</span>
        {data.ends && <span className={`badge end-${data.ends}`}>{data.ends}</span>}
        {data.errors > 0 && (
          <span className="badge error" title={`${data.errors} error(s)`}>
            {data.errors}
          </span>
        )}
        {data.errors === 0 && data.warnings > 0 && (
          <span className="badge warning" title={`${data.warnings} warning(s)`}>
            {data.warnings}
          </span>
        )}
      </div>
      <div className="step-op">{data.opKey}</div>
      {data.summary && <div className="step-summary">{data.summary}</div>}
      <Handle type="source" position={Position.Right} />
    </div>
  );
});
