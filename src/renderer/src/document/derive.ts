/** What the views show of a flow text: the editing model, its diagnostics and the canvas graph. */
import { loadParsed, reparseFlow, type Diagnostic, type FlowIr, type LintContext, type ParsedFlow } from '../../../shared/flow';
import { buildGraph, type FlowGraph } from '../canvas/graph';

/** A text whose YAML parsed far enough to have nodes: the state the canvas and inspector show. */
export interface FlowModel {
  text: string;
  parsed: ParsedFlow;
  ir: FlowIr;
  diagnostics: Diagnostic[];
  graph: FlowGraph;
}

export interface Derived {
  /** Null while the text does not parse: the views keep the last model. */
  model: FlowModel | null;
  diagnostics: Diagnostic[];
}

/**
 * Derives the views of `text`; what `previous` already parsed and drew is reused where the text is
 * unchanged. `context` is what the lints know of the project around the flow.
 */
export function derive(text: string, previous: FlowModel | null, context: LintContext = {}): Derived {
  const loaded = loadParsed(reparseFlow(text, previous?.parsed ?? null), context);
  if (!loaded.ir || loaded.doc === null || loaded.doc.errors.length > 0) return { model: null, diagnostics: loaded.diagnostics };
  const graph = buildGraph(loaded.ir, loaded.diagnostics, previous?.graph);
  return { model: { text, parsed: loaded.parsed, ir: loaded.ir, diagnostics: loaded.diagnostics, graph }, diagnostics: loaded.diagnostics };
}
