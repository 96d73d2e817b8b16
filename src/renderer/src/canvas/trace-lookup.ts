import type { TraceEvent } from '../../../shared/api';

type NodeEvent<T extends TraceEvent['type']> = Extract<TraceEvent, { type: T }>;

/** The latest event of a kind for one node in a conversation's trace (`flowId` null: any flow). */
export function lastNodeEvent<T extends 'node_start' | 'node_end'>(trace: readonly TraceEvent[], type: T, flowId: string | null, nodeId: string): NodeEvent<T> | undefined {
  for (let i = trace.length - 1; i >= 0; i -= 1) {
    const event = trace[i];
    if (event?.type === type && event.nodeId === nodeId && (flowId === null || event.flowId === flowId)) return event as NodeEvent<T>;
  }
  return undefined;
}
