/** The execution state of one flow run and the snapshot a parked run is saved as (runtime.md §3, §7.2). */
import type { JsonValue } from '../../shared/flow/compiled';

export interface NodeOutput {
  ok: boolean;
  payload: JsonValue;
  meta: JsonValue;
}

export interface ExecutionState {
  /** Input of the first turn; kept across resumes. */
  entry: JsonValue;
  /** Input of the current turn (replaced on resume and on jump). */
  input: JsonValue;
  nodes: Record<string, NodeOutput>;
  /** Items emitted this turn (emit.*, respond). */
  egress: JsonValue[];
  last_output?: JsonValue;
  redirect_count: number;
  vars: Record<string, JsonValue>;
  /** Per-node memory of components that park and continue (qa.process), by node id. */
  memory: Record<string, JsonValue>;
}

export interface FlowSnapshot {
  pack_id: string;
  flow_id: string;
  /** Set when the wait happened in a flow reached by a jump or `flow.goto`. */
  next_flow?: string;
  /** The successor for `session.wait`; the node itself for card parking. */
  next_node: string;
  awaiting_submit: boolean;
  /** Why the flow is parked (the `session.wait` reason, or what the component waits for). */
  reason?: string;
  state: ExecutionState;
}

export function initialState(input: JsonValue, vars: Record<string, JsonValue> = {}): ExecutionState {
  return { entry: input, input, nodes: {}, egress: [], redirect_count: 0, vars: { ...vars }, memory: {} };
}

/**
 * Deep copy of JSON data (snapshots must never share objects with a running turn). A plain
 * recursive copy: several times faster than `structuredClone` for the small trees of a flow state.
 */
export function cloneJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = cloneJson((value as Record<string, unknown>)[key]);
  return copy as T;
}
