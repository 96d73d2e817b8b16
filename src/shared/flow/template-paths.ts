/**
 * The template paths a node can read (runtime.md §4.1): the flow input, the previous output, the
 * execution state, and `node.<id>` for every node that can have run before it.
 */
import type { FlowIr } from './ir';

const ALWAYS = ['entry', 'in', 'in.input.text', 'prev', 'state.entry', 'state.input', 'state.input.input.text', 'state.nodes', 'state.vars', 'state.redirect_count'];

export function templatePathsFor(ir: FlowIr, nodeId: string): string[] {
  return [...ALWAYS, ...nodesBefore(ir, nodeId).map((id) => `node.${id}`)];
}

/** Nodes from which some route leads to `nodeId`, in document order; itself only inside a loop. */
function nodesBefore(ir: FlowIr, nodeId: string): string[] {
  const into = new Map<string, string[]>();
  for (const node of ir.nodes) {
    for (const route of node.routes) if (route.to !== null) into.set(route.to, [...(into.get(route.to) ?? []), node.id]);
  }
  const found = new Set<string>();
  const pending = [...(into.get(nodeId) ?? [])];
  while (pending.length > 0) {
    const id = pending.pop() as string;
    if (found.has(id)) continue;
    found.add(id);
    pending.push(...(into.get(id) ?? []));
  }
  return ir.nodes.map((node) => node.id).filter((id) => found.has(id));
}
