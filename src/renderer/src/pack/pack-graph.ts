/**
 * A pack's flow as the canvas draws it. The compiled flow is written back as YAML and read by the same
 * flow core and graph derivation as the editor, so a step looks the same in a pack as in a project;
 * steps bound to a concrete component show that component's id.
 */
import { loadFlow, type CompiledFlow } from '../../../shared/flow';
import { decompileFlow } from '../../../shared/flow/decompile';
import { buildGraph, type FlowGraph } from '../canvas/graph';

export interface DrawnFlow {
  graph: FlowGraph;
  start: string | null;
}

export function graphOfCompiled(flow: CompiledFlow): DrawnFlow | null {
  const { text, componentIds } = decompileFlow(flow);
  const drawn = graphOfSource(text);
  if (!drawn) return null;
  const nodes = drawn.graph.nodes.map((node) => {
    const component = componentIds[node.id];
    return component ? { ...node, opKey: `${component} · ${node.opKey}` } : node;
  });
  return { ...drawn, graph: { ...drawn.graph, nodes } };
}

/** A flow's YAML source (legacy packs carry it instead of a compiled flow); null when it is not YAML. */
export function graphOfSource(text: string): DrawnFlow | null {
  const loaded = loadFlow(text, { lints: false });
  if (!loaded.ir) return null;
  return { graph: buildGraph(loaded.ir, loaded.diagnostics), start: loaded.ir.resolvedStart };
}
