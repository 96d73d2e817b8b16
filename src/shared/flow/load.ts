/**
 * The entry points: `loadFlow` runs the whole check of a flow text (parse, upstream loader and
 * compiler rules, our lints) and `compileFlow` turns a loaded flow into the runtime model.
 */
import type { Document } from 'yaml';
import type { CompiledFlow } from './compiled';
import { compileIr, type CompileOptions } from './compile';
import { hasErrors, type Diagnostic } from './diagnostic';
import type { FlowIr } from './ir';
import { runLints, type LintContext } from './lints';
import { runLoader } from './loader';
import { parseFlow, type ParsedFlow, type ParseOptions } from './parse';

export interface LoadOptions extends ParseOptions, LintContext {
  /** Run the studio's own lints (default true); off gives exactly upstream's load + compile verdict. */
  lints?: boolean;
}

export interface LoadedFlow {
  parsed: ParsedFlow;
  /** The syntax tree with positions, comments and styles; null when the text was refused. */
  doc: Document.Parsed | null;
  /** The editing model; null only when the text is not YAML or its root is not a mapping. */
  ir: FlowIr | null;
  /** In pipeline order: the first error is the one upstream reports. */
  diagnostics: Diagnostic[];
  /** True when upstream would load and compile the flow and no lint reports an error. */
  ok: boolean;
}

export function loadFlow(text: string, options: LoadOptions = {}): LoadedFlow {
  const parsed = parseFlow(text, options);
  return loadParsed(parsed, options);
}

export function loadParsed(parsed: ParsedFlow, options: LoadOptions = {}): LoadedFlow {
  const { ir, diagnostics } = runLoader(parsed);
  if (ir && !hasErrors(diagnostics)) {
    // Upstream compiles only what loaded; compile-stage errors follow the load stage's.
    diagnostics.push(...compileIr(parsed, ir, { substituteParameters: false }).diagnostics);
  }
  if (ir && options.lints !== false) diagnostics.push(...runLints(parsed, ir, options));
  return { parsed, doc: parsed.doc, ir, diagnostics, ok: !hasErrors(diagnostics) };
}

export interface CompiledResult {
  flow: CompiledFlow | null;
  diagnostics: Diagnostic[];
}

/** Compiles a flow text or a loaded flow; `flow` is null when any error stands in the way. */
export function compileFlow(source: string | LoadedFlow, options: CompileOptions & LoadOptions = {}): CompiledResult {
  const loaded = typeof source === 'string' ? loadFlow(source, { ...options, lints: false }) : source;
  const loadErrors = loaded.diagnostics.filter((d) => d.severity === 'error' && d.kind !== undefined && d.kind !== 'start_node_exists');
  if (!loaded.ir || loadErrors.length > 0) return { flow: null, diagnostics: loadErrors };
  return compileIr(loaded.parsed, loaded.ir, options);
}
