/** The flow state as the debugger shows it, and edits of it applied to a copy. */
import type { DebugFlowState } from '../../shared/api/debug';
import type { JsonValue } from '../../shared/flow/compiled';
import { cloneJson, type ExecutionState } from '../engine/state';
import type { StateEdit } from '../engine/step-gate';

export function flowStateView(state: ExecutionState): DebugFlowState {
  return cloneJson({ entry: state.entry, input: state.input, nodes: state.nodes, vars: state.vars });
}

/** The parts of `edit` that are set, as the engine applies them. */
export function stateEdit(edit: { entry?: unknown; input?: unknown; nodes?: DebugFlowState['nodes']; vars?: Record<string, unknown> }): StateEdit {
  return cloneJson({
    ...(edit.entry !== undefined ? { entry: edit.entry as JsonValue } : {}),
    ...(edit.input !== undefined ? { input: edit.input as JsonValue } : {}),
    ...(edit.nodes !== undefined ? { nodes: edit.nodes as ExecutionState['nodes'] } : {}),
    ...(edit.vars !== undefined ? { vars: edit.vars as Record<string, JsonValue> } : {}),
  });
}

/** A copy of `state` with `edit` applied. */
export function withStateEdit(state: ExecutionState, edit: StateEdit | undefined): ExecutionState {
  const copy = cloneJson(state);
  if (edit) Object.assign(copy, cloneJson(edit));
  return copy;
}
