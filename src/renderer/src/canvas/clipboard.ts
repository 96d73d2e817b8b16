/**
 * Copy and paste of nodes as YAML: the copied text is a `nodes` fragment (id -> node) that reads
 * well in a text editor, and text of the same shape (or a whole flow) pastes back as nodes.
 */
import { parse, stringify } from 'yaml';
import { appendStep, setRouting, type EditResult, type FlowIr, type FlowSource, type RoutingValue } from '../../../shared/flow';
import { isObject, type JsonObject } from '../../../shared/flow/json';
import { chain, freeNodeId } from './canvas-edits';

const MAX_PASTE_LENGTH = 2 * 1024 * 1024;

export function copyNodes(ir: FlowIr, ids: readonly string[]): string {
  const wanted = new Set(ids);
  const nodes: JsonObject = {};
  for (const node of ir.nodes) if (wanted.has(node.id)) nodes[node.id] = node.raw;
  return Object.keys(nodes).length === 0 ? '' : stringify(nodes, { lineWidth: 0 });
}

export type PasteOutcome = { ok: true; result: EditResult; ids: Record<string, string> } | { ok: false; message: string };

/** The nodes in a pasted text: a `nodes` fragment or a whole flow document. */
export function nodesInText(text: string): JsonObject | string {
  if (text.length > MAX_PASTE_LENGTH) return 'the pasted text is too large';
  let value: unknown;
  try {
    value = parse(text, { maxAliasCount: 100 });
  } catch (error) {
    return `the pasted text is not YAML: ${error instanceof Error ? error.message : String(error)}`;
  }
  const nodes = isObject(value) && isObject(value.nodes) ? value.nodes : value;
  if (!isObject(nodes) || Object.keys(nodes).length === 0 || !Object.values(nodes).every(isObject)) {
    return 'the pasted text holds no flow nodes (expected a mapping of node ids to nodes)';
  }
  return nodes;
}

/**
 * Pastes nodes with fresh ids where theirs are taken. Routes between pasted nodes follow the new
 * ids; routes to nodes of this flow stay; routes to nodes that are not here are dropped.
 */
export function pasteNodes(source: FlowSource, pasted: string, ir: FlowIr | null): PasteOutcome {
  const nodes = nodesInText(pasted);
  if (typeof nodes === 'string') return { ok: false, message: nodes };
  const ids: Record<string, string> = {};
  const taken = new Set<string>();
  for (const id of Object.keys(nodes)) {
    ids[id] = freeNodeId(ir, id, taken);
    taken.add(ids[id] as string);
  }
  const existing = new Set(ir?.nodes.map((n) => n.id));
  const routingOf = (node: JsonObject): RoutingValue => {
    const routing = node.routing;
    if (routing === 'out' || routing === 'reply') return routing;
    if (!Array.isArray(routing)) return null;
    const routes = routing.filter(isObject).flatMap((route): JsonObject[] => {
      if (typeof route.to !== 'string' || route.to === 'out') return [route];
      const to = ids[route.to] ?? (existing.has(route.to) ? route.to : null);
      return to ? [{ ...route, to }] : [];
    });
    return routes.length > 0 ? routes : null;
  };
  const entries = Object.entries(nodes) as Array<[string, JsonObject]>;
  const result = chain(source, [
    ...entries.map(([id, node]) => (t: FlowSource) => {
      const bare = { ...node };
      delete bare.routing;
      return appendStep(t, ids[id] as string, bare);
    }),
    ...entries.map(([id, node]) => (t: FlowSource) => setRouting(t, ids[id] as string, routingOf(node))),
  ]);
  return { ok: true, result, ids };
}
