/**
 * Diagnostics: every finding of the parser, loader, compiler and lints, with a stable code, a
 * severity and a source range. Errors that upstream greentic-flow also raises carry its error kind.
 */

export type Severity = 'error' | 'warning' | 'info';

/** Upstream `FlowError` variant names, plus the upstream lint name that fails `greentic-flow lint`. */
export type FlowErrorKind =
  | 'Yaml'
  | 'Schema'
  | 'UnknownFlowType'
  | 'InvalidIdentifier'
  | 'NodeComponentShape'
  | 'Routing'
  | 'MissingNode'
  | 'McpConfig'
  | 'Internal'
  | 'start_node_exists';

/** A span of the source text. Lines and columns are 1-based; offsets are 0-based UTF-16 indexes. */
export interface SourceRange {
  offset: number;
  endOffset: number;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

/** One replacement of the source text: `text` replaces `[offset, endOffset)`. */
export interface TextEdit {
  offset: number;
  endOffset: number;
  text: string;
}

export interface QuickFix {
  title: string;
  edits: TextEdit[];
}

export interface Diagnostic {
  severity: Severity;
  /** Stable machine-readable code, e.g. `missing_node` or `unreachable_node`. */
  code: string;
  /** The upstream error kind when upstream raises the same error. */
  kind?: FlowErrorKind;
  message: string;
  range: SourceRange;
  /** JSON pointer of the offending value in the document, when there is one. */
  pointer?: string;
  /** The file `range` points into, when it is not the flow itself (e.g. its resolve sidecar). */
  file?: string;
  fix?: QuickFix;
}

export const EMPTY_RANGE: SourceRange = { offset: 0, endOffset: 0, line: 1, col: 1, endLine: 1, endCol: 1 };

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** The first error in pipeline order: what upstream, which stops at its first error, reports. */
export function firstError(diagnostics: readonly Diagnostic[]): Diagnostic | undefined {
  return diagnostics.find((d) => d.severity === 'error');
}
