import type { FlowIr } from '../../../shared/flow';

/** Nodes whose id, op key or payload text contains the query (case-insensitive), in file order. */
export function findNodes(ir: FlowIr, query: string): string[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return [];
  return ir.nodes
    .filter((node) => node.id.toLowerCase().includes(needle) || (node.opKey ?? '').toLowerCase().includes(needle) || payloadText(node.payload).includes(needle))
    .map((node) => node.id);
}

function payloadText(payload: unknown): string {
  if (payload === undefined || payload === null) return '';
  return (typeof payload === 'string' ? payload : JSON.stringify(payload)).toLowerCase();
}
