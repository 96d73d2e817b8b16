/**
 * Parsing a `.ygtc` text into a `yaml` Document that keeps every position, comment and style, and
 * into the plain JSON value the rules are checked against. Never throws: every failure of the
 * text becomes a `Yaml` diagnostic.
 */
import { LineCounter, parseDocument, type Document } from 'yaml';
import { EMPTY_RANGE, type Diagnostic } from './diagnostic';
import { rangeAt } from './source';

/** Larger texts are refused before parsing: no flow a person edits comes near this. */
export const MAX_FLOW_TEXT_LENGTH = 8 * 1024 * 1024;
/** Bounds alias expansion when the document is turned into a value (the "billion laughs" attack). */
export const MAX_ALIAS_COUNT = 1000;

export const INLINE_SOURCE = '<inline>';

/** How every flow text, or piece of one, is parsed. Duplicate keys are reported by our own lint as warnings, as upstream accepts them. */
export const YAML_PARSE_OPTIONS = { uniqueKeys: false, prettyErrors: false, keepSourceTokens: false } as const;

export interface ParseOptions {
  /** Label used in messages, as upstream does (`<src>::nodes.x`); `<inline>` when absent. */
  sourceName?: string;
}

export interface ParsedFlow {
  text: string;
  sourceName: string;
  /** The syntax tree, or null when the text was refused before parsing. */
  doc: Document.Parsed | null;
  lineCounter: LineCounter;
  /** The document as plain JSON-compatible data; `undefined` when the YAML is not usable. */
  value: unknown;
  diagnostics: Diagnostic[];
}

function yamlDiagnostic(message: string, code: string, range = EMPTY_RANGE): Diagnostic {
  return { severity: 'error', code, kind: 'Yaml', message, range };
}

function locationLabel(sourceName: string, line: number, col: number): string {
  return `${sourceName}:${line}:${col}`;
}

export function parseFlow(text: string, options: ParseOptions = {}): ParsedFlow {
  const sourceName = options.sourceName ?? INLINE_SOURCE;
  const lineCounter = new LineCounter();
  const result: ParsedFlow = { text, sourceName, doc: null, lineCounter, value: undefined, diagnostics: [] };
  if (text.length > MAX_FLOW_TEXT_LENGTH) {
    result.diagnostics.push(
      yamlDiagnostic(`YAML parse error at ${sourceName}: flow text is ${text.length} characters, more than the limit of ${MAX_FLOW_TEXT_LENGTH}`, 'yaml_too_large'),
    );
    return result;
  }
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { ...YAML_PARSE_OPTIONS, lineCounter });
  } catch (error) {
    result.diagnostics.push(yamlDiagnostic(`YAML parse error at ${sourceName}: ${describe(error)}`, 'yaml_syntax'));
    return result;
  }
  result.doc = doc;
  for (const error of doc.errors) {
    const range = rangeAt(lineCounter, Math.min(error.pos[0], text.length), Math.min(error.pos[1], text.length));
    const message = firstLine(error.message);
    result.diagnostics.push(
      yamlDiagnostic(`YAML parse error at ${locationLabel(sourceName, range.line, range.col)}: ${message}`, 'yaml_syntax', range),
    );
  }
  if (doc.errors.length > 0) return result;
  try {
    result.value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const code = /alias/i.test(describe(error)) ? 'yaml_alias_limit' : 'yaml_value';
    const range = doc.contents?.range ? rangeAt(lineCounter, doc.contents.range[0], doc.contents.range[1]) : EMPTY_RANGE;
    result.diagnostics.push(yamlDiagnostic(`YAML parse error at ${sourceName}: ${describe(error)}`, code, range));
  }
  return result;
}

function describe(error: unknown): string {
  if (error instanceof RangeError && /call stack/i.test(error.message)) return 'document is nested too deeply';
  return firstLine(error instanceof Error ? error.message : String(error));
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}
