/** The template context of a node (runtime.md §4.1). */
import type { JsonValue } from '../../shared/flow/compiled';
import type { ExecutionState } from './state';
import type { TemplateContext } from './templating';

export function templateContext(state: ExecutionState, nodePayloads: Record<string, JsonValue>): TemplateContext {
  const entry = state.entry ?? {};
  return {
    entry,
    in: entry,
    prev: state.last_output ?? {},
    node: nodePayloads,
    state: {
      entry: state.entry,
      input: state.input,
      nodes: state.nodes,
      redirect_count: state.redirect_count,
      vars: state.vars,
    },
  };
}

/** The payloads of every node run so far, keyed by node id (the `node` variable). */
export function nodePayloadsOf(state: ExecutionState): Record<string, JsonValue> {
  const payloads: Record<string, JsonValue> = {};
  for (const [id, output] of Object.entries(state.nodes)) payloads[id] = output.payload;
  return payloads;
}
