/**
 * Whether a node's breakpoint pauses: enabled, its condition (runtime.md §5.3, through the
 * routing condition evaluator) holds in the node's context, and its hit count is reached.
 */
import type { Breakpoint } from '../../shared/api/debug';
import type { JsonValue } from '../../shared/flow/compiled';
import { evaluateCondition, routingContext } from '../engine/condition';
import { nodePayloadsOf, templateContext } from '../engine/context';
import type { NodeStop } from '../engine/step-gate';

/**
 * The context a breakpoint condition sees before the node runs: the resolved input's top-level
 * fields, `input` (the whole resolved input), the template variables (`entry`, `in`, `prev`,
 * `node`, `state`), `vars`, and `response` built from the current turn's message.
 */
export function breakpointContext(stop: NodeStop): Record<string, JsonValue> {
  const { state } = stop;
  const routing = routingContext(stop.input, state.entry, state.input);
  const template = templateContext(state, nodePayloadsOf(state));
  return { ...routing, ...(template as Record<string, JsonValue>), input: stop.input, vars: state.vars };
}

/** Counts a hit (when enabled and its condition holds) and says whether it pauses. */
export function breakpointPauses(breakpoint: Breakpoint, stop: NodeStop, hits: Map<string, number>, key: string): boolean {
  if (breakpoint.enabled === false) return false;
  if (breakpoint.condition !== undefined && !evaluateCondition(breakpoint.condition, breakpointContext(stop))) return false;
  const count = (hits.get(key) ?? 0) + 1;
  hits.set(key, count);
  return count >= (breakpoint.hitCount ?? 1);
}
