/** A failure that ends a turn: a stable code for the trace and tests, and upstream's message text. */
export type FlowErrorCode =
  | 'node_not_found'
  | 'no_start_node'
  | 'unknown_flow'
  | 'template_error'
  | 'template_timeout'
  | 'template_too_large'
  | 'turn_timeout'
  | 'invalid_payload'
  | 'component_error'
  | 'component_unavailable'
  | 'jump_failed'
  | 'redirect_limit'
  | 'wait_without_route'
  | 'flow_call_failed'
  | 'state_error'
  | 'step_limit'
  | 'cancelled'
  /** The deployment's access rules forbid the node for the conversation's tenant and team. */
  | 'node_forbidden'
  /** The designer pressed Stop in the debugger. */
  | 'debug_stopped'
  /** The turn stayed paused in the debugger longer than allowed. */
  | 'debug_timeout';

export class FlowError extends Error {
  constructor(
    readonly code: FlowErrorCode,
    message: string,
    readonly nodeId?: string,
    /** True when upstream's retry predicate would retry the turn (runtime.md §9). */
    readonly transient = /transient|unavailable|internal/i.test(message),
  ) {
    super(message);
    this.name = 'FlowError';
  }
}
