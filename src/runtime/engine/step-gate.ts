/**
 * The engine's pause point: before every node runs (its input rendered) and after a node fails,
 * the engine asks the turn's gate whether to go on. The gate (the studio debugger) may hold the
 * turn by answering with a promise, edit what the node gets, or end the turn. The engine knows
 * nothing of breakpoints or stepping.
 */
import type { JsonValue } from '../../shared/flow/compiled';
import type { ExecutionState } from './state';

export interface GateFrame {
  flowId: string;
  nodeId: string;
}

export interface NodeStop {
  turnId: string;
  /** 1-based count of node executions in this attempt of the turn (the `step` of `node_start`). */
  step: number;
  flowId: string;
  nodeId: string;
  component: string;
  /** The node's rendered input. */
  input: JsonValue;
  /** The live state of the running flow: read it, never change it (edits go through the decision). */
  state: ExecutionState;
  /** Outermost flow first; the last frame is this node. */
  callStack: GateFrame[];
  /** True when the node is the one a card submit resumed (routing then reads the submit). */
  resumedSubmit: boolean;
}

export type StateEdit = Partial<Pick<ExecutionState, 'entry' | 'input' | 'nodes' | 'vars'>>;

export type GateDecision =
  | { action: 'run'; input?: JsonValue; state?: StateEdit }
  | { action: 'stop'; reason: 'stopped' | 'timeout'; message: string };

export interface NodeFailure {
  code: string;
  message: string;
}

export interface StepGate {
  /** Before a node runs. `undefined` (or a `run` without edits) lets it run as it is. */
  beforeNode(stop: NodeStop): GateDecision | Promise<GateDecision> | undefined;
  /** After a node failed, before its error route or the turn's failure; edits are not applied. */
  onNodeError?(stop: NodeStop, failure: NodeFailure): GateDecision | Promise<GateDecision> | undefined;
  /** After a node ran (or failed), with its output or error. */
  afterNode?(step: number, result: { output: JsonValue } | { error: NodeFailure }): void;
}
