import { traceHash } from '../../src/shared/trace/trace-hash';

/** One step of a trace shaped as greentic-runner's recorder writes it (`component.exec` nodes). */
export function upstreamStep(nodeId: string, operation: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { node_id: nodeId, component_id: 'component.exec', operation, input_hash: traceHash({ node: nodeId }), duration_ms: 3, ...extra };
}

/** A whole trace as greentic-runner writes it: one flow run of a pack, its steps. */
export function upstreamTrace(packRef: string, flow: { id: string; version: string }, steps: Record<string, unknown>[]): Record<string, unknown> {
  return { trace_version: 1, runner_version: '0.4.20', pack: { pack_ref: packRef }, flow, steps };
}
