import { loadFlow } from '../../../shared/flow';
import type { FlowIr, IrNode } from '../../../shared/flow';
import { showValue } from '../../../shared/flow/json';

export type StepKind = 'emit' | 'wait' | 'flow' | 'mcp' | 'template' | 'component';

export type GraphNode = {
  id: string;
  opKey: string;
  kind: StepKind;
  summary: string;
  isStart: boolean;
  /** Set when the node ends the turn itself (`routing: out` / `reply`). */
  ends: 'out' | 'reply' | null;
  errors: number;
  warnings: number;
};

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  kind: string;
  label?: string;
}

export interface FlowGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** What the canvas shows of one flow text: the graph, the start node, and the text's problems. */
export interface FlowView {
  graph: FlowGraph;
  start: string | null;
  /** Error messages with their line, shown above the canvas. */
  problems: string[];
}

export function flowViewFromText(text: string): FlowView {
  const loaded = loadFlow(text);
  const problems = loaded.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `line ${d.range.line}: ${d.message}`);
  if (!loaded.ir) return { graph: { nodes: [], edges: [] }, start: null, problems };
  return { graph: graphFromIr(loaded.ir, loaded.diagnostics), start: loaded.ir.resolvedStart, problems };
}

function graphFromIr(ir: FlowIr, diagnostics: ReturnType<typeof loadFlow>['diagnostics']): FlowGraph {
  const ids = new Set(ir.nodes.map((node) => node.id));
  const nodes = ir.nodes.map((node): GraphNode => {
    const inNode = diagnostics.filter((d) => d.range.offset >= node.range.offset && d.range.offset < node.range.endOffset);
    return {
      id: node.id,
      opKey: node.opKey ?? '(no operation)',
      kind: stepKind(node.opKey),
      summary: summarise(node),
      isStart: node.id === ir.resolvedStart,
      ends: node.routes.find((route) => route.kind === 'out' || route.kind === 'reply')?.kind as GraphNode['ends'] ?? null,
      errors: inNode.filter((d) => d.severity === 'error').length,
      warnings: inNode.filter((d) => d.severity === 'warning').length,
    };
  });
  const edges = ir.nodes.flatMap((node) =>
    node.routes
      .filter((route) => route.to !== null && ids.has(route.to))
      .map((route, index): GraphEdge => ({
        id: `${node.id}->${route.to}#${route.index ?? index}`,
        source: node.id,
        target: route.to as string,
        kind: route.kind,
        label: route.condition ?? route.status,
      })),
  );
  return { nodes, edges };
}

function stepKind(opKey: string | null): StepKind {
  if (!opKey) return 'component';
  if (opKey.startsWith('emit.')) return 'emit';
  if (opKey === 'session.wait') return 'wait';
  if (opKey === 'flow.call' || opKey === 'flow.goto') return 'flow';
  if (opKey === 'mcp') return 'mcp';
  if (opKey.startsWith('templating.') || opKey === 'template' || opKey === 'templates') return 'template';
  return 'component';
}

/** The first text a designer would recognise the step by: a message, a template, a reason. */
function summarise(node: IrNode): string {
  const payload = node.payload;
  if (typeof payload === 'string') return payload;
  if (payload && typeof payload === 'object') {
    const record = payload as Record<string, unknown>;
    for (const key of ['text', 'reason', 'flow_id', 'flow', 'tool', 'component', 'key', 'welcome']) {
      if (typeof record[key] === 'string') return record[key] as string;
    }
    const first = Array.isArray(record.messages) ? (record.messages[0] as Record<string, unknown> | undefined) : undefined;
    if (typeof first?.text === 'string') return first.text;
    return showValue(payload, 80);
  }
  return payload === undefined || payload === null ? '' : String(payload);
}
