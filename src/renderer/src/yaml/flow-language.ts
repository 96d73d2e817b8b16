/**
 * Flow knowledge for the YAML view: completion and hover for top-level keys, node keys, routing keys,
 * route targets and known op keys, and quick fixes from the flow core's diagnostics.
 */
import type { Diagnostic, FlowIr } from '../../../shared/flow';
import { TOP_LEVEL_KEYS } from '../../../shared/flow';
import { BUILTIN_OPS } from '../catalog/builtin-ops';
import type { Monaco } from './monaco';
import type { editor as MonacoEditor, languages, Position } from 'monaco-editor/editor/editor.api';

const TOP_LEVEL_DOCS: Record<string, string> = {
  id: 'Flow id (required); letters, digits, `.`, `_`, `-`.',
  title: 'Human title of the flow.',
  description: 'What the flow does.',
  type: 'Flow kind (required): `messaging`, `event`, `component-config`, `job` or `http`.',
  start: 'Entry node id; without it, a node named `in`, else the first node.',
  parameters: 'Constants; `parameters.x` strings in payloads are replaced at compile time.',
  tags: 'List of tags.',
  schema_version: 'Flow schema version; 2 unless written.',
  entrypoints: 'Named entry points: name -> node id.',
  meta: 'Tool metadata (`meta.greentic`).',
  slot_schema: 'Slot definitions for utterance pre-fill.',
  nodes: 'The steps: node id -> node.',
};

const NODE_KEY_DOCS: Record<string, string> = {
  routing: 'Where the flow goes next: `out`, `reply`, or a list of routes.',
  telemetry: 'Span name, attributes and sampling.',
  output: 'Output mapping.',
  in_map: 'Input mapping; replaces the payload as input.',
  out_map: 'Output mapping.',
  err_map: 'Error mapping.',
  operation: 'Operation name (with `component.exec`).',
  retry: 'Retry policy.',
  timeout: 'Timeout policy.',
  when: 'Condition object.',
  annotations: 'Free annotations.',
  meta: 'Node metadata.',
};

const ROUTE_KEY_DOCS: Record<string, string> = {
  to: 'Target node id, or `out` to end the flow.',
  out: '`true` ends the flow.',
  reply: '`true` ends the turn with a reply.',
  status: 'Branch on the previous node status (not evaluated by the runtime).',
  condition: '`path == "value"` or `path != "value"`; the first matching route wins.',
};

type Context = 'top' | 'node' | 'route' | 'routeTarget' | 'other';

/** The start of a line up to a key being typed: indentation, an optional list dash, a partial key. */
const KEY_POSITION = /^\s*(-\s+)?[\w.-]*$/;

/** What the cursor's line is inside, judged by indentation, as YAML blocks are. */
export function contextAt(lines: readonly string[], lineIndex: number, column: number): Context {
  const line = lines[lineIndex] ?? '';
  const before = line.slice(0, column - 1);
  const indent = line.length - line.trimStart().length;
  if (/^\s*-?\s*to:\s*\S*$/.test(before)) return 'routeTarget';
  // Keys are offered only where a key is being typed: not in a comment, not in a value.
  if (!KEY_POSITION.test(before)) return 'other';
  if (indent === 0) return 'top';
  const parents: string[] = [];
  let limit = indent;
  for (let i = lineIndex - 1; i >= 0 && limit > 0; i -= 1) {
    const candidate = lines[i] ?? '';
    if (candidate.trim() === '' || candidate.trimStart().startsWith('#')) continue;
    const own = candidate.length - candidate.trimStart().length;
    if (own < limit) {
      parents.unshift(candidate.trim().replace(/:.*$/, ''));
      limit = own;
    }
  }
  if (parents[0] !== 'nodes') return 'other';
  if (parents.length === 2) return 'node';
  if (parents.length >= 3 && parents[2] === 'routing') return 'route';
  if (line.trimStart().startsWith('- ') && parents[2] === 'routing') return 'route';
  return 'other';
}

export interface FlowLanguageState {
  ir: FlowIr | null;
  diagnostics: Diagnostic[];
}

/** Registers the providers once; they read the current flow through `state()`. */
export function registerFlowLanguage(monaco: Monaco, state: () => FlowLanguageState): () => void {
  const keySuggestions = (docs: Record<string, string>, kind: languages.CompletionItemKind, range: languages.CompletionItem['range']) =>
    Object.entries(docs).map(([key, doc]): languages.CompletionItem => ({
      label: key,
      kind,
      insertText: `${key}: `,
      documentation: { value: doc },
      range,
    }));

  const completion = monaco.languages.registerCompletionItemProvider('yaml', {
    triggerCharacters: [' ', ':'],
    provideCompletionItems(model: MonacoEditor.ITextModel, position: Position) {
      const word = model.getWordUntilPosition(position);
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
      const context = contextAt(model.getLinesContent(), position.lineNumber - 1, position.column);
      const { Property, Function, Reference } = monaco.languages.CompletionItemKind;
      if (context === 'top') return { suggestions: keySuggestions(pick(TOP_LEVEL_DOCS, TOP_LEVEL_KEYS), Property, range) };
      if (context === 'route') return { suggestions: keySuggestions(ROUTE_KEY_DOCS, Property, range) };
      if (context === 'routeTarget') {
        const ids = ['out', ...(state().ir?.nodes.map((n) => n.id) ?? [])];
        return { suggestions: ids.map((id): languages.CompletionItem => ({ label: id, kind: Reference, insertText: id, range })) };
      }
      if (context === 'node') {
        const ops = BUILTIN_OPS.map((op): languages.CompletionItem => ({
          label: op.opKey,
          kind: Function,
          insertText: `${op.opKey}:`,
          documentation: { value: `**${op.title}** — ${op.description}` },
          range,
        }));
        return { suggestions: [...keySuggestions(NODE_KEY_DOCS, Property, range), ...ops] };
      }
      return { suggestions: [] };
    },
  });

  const hover = monaco.languages.registerHoverProvider('yaml', {
    provideHover(model: MonacoEditor.ITextModel, position: Position) {
      const word = model.getWordAtPosition(position);
      if (!word) return null;
      const line = model.getLineContent(position.lineNumber);
      const key = keyAt(line, word.startColumn);
      if (!key) return null;
      const context = contextAt(model.getLinesContent(), position.lineNumber - 1, 1);
      const doc =
        context === 'top'
          ? TOP_LEVEL_DOCS[key]
          : context === 'route'
            ? ROUTE_KEY_DOCS[key]
            : context === 'node'
              ? (NODE_KEY_DOCS[key] ?? opDoc(key))
              : undefined;
      if (!doc) return null;
      return {
        range: { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.startColumn + key.length },
        contents: [{ value: `**${key}** — ${doc}` }],
      };
    },
  });

  const actions = monaco.languages.registerCodeActionProvider('yaml', {
    provideCodeActions(model: MonacoEditor.ITextModel, range) {
      const start = model.getOffsetAt({ lineNumber: range.startLineNumber, column: range.startColumn });
      const end = model.getOffsetAt({ lineNumber: range.endLineNumber, column: range.endColumn });
      const fixes = state().diagnostics.filter((d) => d.fix && !d.file && d.range.offset <= end && d.range.endOffset >= start);
      return {
        actions: fixes.map((d) => ({
          title: d.fix?.title ?? 'Fix',
          kind: 'quickfix',
          isPreferred: true,
          edit: {
            edits: (d.fix?.edits ?? []).map((edit) => {
              const from = model.getPositionAt(edit.offset);
              const to = model.getPositionAt(edit.endOffset);
              return {
                resource: model.uri,
                versionId: model.getVersionId(),
                textEdit: { range: { startLineNumber: from.lineNumber, startColumn: from.column, endLineNumber: to.lineNumber, endColumn: to.column }, text: edit.text },
              };
            }),
          },
        })),
        dispose() {},
      };
    },
  });

  return () => {
    completion.dispose();
    hover.dispose();
    actions.dispose();
  };
}

function pick(docs: Record<string, string>, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.map((key) => [key, docs[key] ?? '']));
}

function keyAt(line: string, column: number): string | null {
  const match = /^(\s*-?\s*)([A-Za-z_][\w.-]*)\s*:/.exec(line);
  if (!match) return null;
  const start = (match[1]?.length ?? 0) + 1;
  return column >= start && column <= start + (match[2]?.length ?? 0) ? (match[2] ?? null) : null;
}

function opDoc(key: string): string | undefined {
  const op = BUILTIN_OPS.find((candidate) => candidate.opKey === key);
  return op ? `${op.title}: ${op.description}` : undefined;
}
