/** The shared frame of every edit operation: opening the document, reporting refusals, the result. */
import { isMap, type Pair, type YAMLMap } from 'yaml';
import { findNode, irOf, type FlowIr, type IrNode } from '../ir';
import { parseFlow, type ParsedFlow } from '../parse';
import { findPair } from '../source';
import { YamlEditor } from './editor';

export type EditErrorCode =
  | 'DOCUMENT_UNUSABLE'
  | 'NODE_MISSING'
  | 'NODE_EXISTS'
  | 'NODE_ID_INVALID'
  | 'NODE_ID_TOO_LONG'
  | 'ADD_STEP_ANCHOR_MISSING'
  | 'ADD_STEP_NODE_ID_PLACEHOLDER'
  | 'OPERATION_REQUIRED'
  | 'OPERATION_INVALID'
  | 'ROUTE_MISSING'
  | 'ROUTE_INVALID'
  | 'FIELD_INVALID'
  | 'PATH_INVALID'
  /** A fault of the edit itself, never the user's: reported rather than thrown. */
  | 'INTERNAL';

export type EditResult =
  | { ok: true; text: string; /** The node the edit created or renamed to, when it did. */ nodeId?: string }
  | { ok: false; code: EditErrorCode; message: string };

export class EditRefused extends Error {
  constructor(
    readonly code: EditErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EditRefused';
  }
}

export interface EditContext {
  editor: YamlEditor;
  ir: FlowIr;
  root: YAMLMap;
  nodesPair: Pair | undefined;
  nodesMap: YAMLMap | null;
}

/** A flow text or an already parsed one: every operation accepts both. */
export type FlowSource = string | ParsedFlow;

export function toParsed(source: FlowSource): ParsedFlow {
  return typeof source === 'string' ? parseFlow(source) : source;
}

/** Runs an edit; refusals (and any surprise) come back as a result, never as an exception. */
export function runEdit(source: FlowSource, edit: (context: EditContext) => string | void): EditResult {
  try {
    const parsed = toParsed(source);
    const context = open(parsed);
    const nodeId = edit(context);
    const result: EditResult = { ok: true, text: context.editor.result() };
    if (typeof nodeId === 'string') result.nodeId = nodeId;
    return result;
  } catch (error) {
    if (error instanceof EditRefused) return { ok: false, code: error.code, message: error.message };
    return { ok: false, code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
  }
}

function open(parsed: ParsedFlow): EditContext {
  if (!parsed.doc || parsed.doc.errors.length > 0 || parsed.value === undefined) {
    throw new EditRefused('DOCUMENT_UNUSABLE', 'the flow text is not valid YAML; fix it before editing it this way');
  }
  const ir = irOf(parsed);
  const root = parsed.doc.contents;
  if (!ir || !isMap(root) || root.flow) throw new EditRefused('DOCUMENT_UNUSABLE', 'the flow document must be a block mapping');
  const nodesPair = findPair(root, 'nodes');
  const nodesMap = isMap(nodesPair?.value) ? nodesPair.value : null;
  if (nodesPair?.value && !nodesMap && !isNullScalar(nodesPair.value)) throw new EditRefused('DOCUMENT_UNUSABLE', "'nodes' must be a mapping");
  return { editor: new YamlEditor(parsed), ir, root, nodesPair, nodesMap };
}

function isNullScalar(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { value?: unknown }).value === null;
}

export function requireNode(context: EditContext, id: string): { node: IrNode; pair: Pair; map: YAMLMap } {
  const node = findNode(context.ir, id);
  const pair = context.nodesMap ? findPair(context.nodesMap, id) : undefined;
  if (!node || !pair) throw new EditRefused('NODE_MISSING', `node '${id}' does not exist`);
  if (!isMap(pair.value)) throw new EditRefused('DOCUMENT_UNUSABLE', `node '${id}' is not a mapping`);
  return { node, pair, map: pair.value };
}
