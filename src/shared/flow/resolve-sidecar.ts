/**
 * The resolve sidecar `<flow>.ygtc.resolve.json` (`FlowResolveV1`, flow-format §11): which
 * component each node runs. Parsing with positions, the doctor's entry checks, drift against the
 * flow's nodes, and the updates a node rename or delete implies.
 */
import { LineCounter, parseDocument } from 'yaml';
import { EMPTY_RANGE, type Diagnostic, type SourceRange } from './diagnostic';
import type { FlowIr } from './ir';
import { has, isObject, type JsonObject } from './json';
import { rangeOfPath, type PathSegment } from './source';

export type ComponentSourceKind = 'local' | 'oci' | 'repo' | 'ext' | 'store';

export interface ResolveSource {
  kind: ComponentSourceKind;
  path?: string;
  ref?: string;
  digest?: string;
  [extra: string]: unknown;
}

export interface ResolveNodeEntry {
  source: ResolveSource;
  mode?: 'tracked' | 'pinned';
}

export interface FlowResolveV1 {
  schema_version: 1;
  flow: string;
  nodes: Record<string, ResolveNodeEntry>;
}

export interface SidecarInput {
  text: string;
  /** The sidecar's path or name, used as `file` of its diagnostics. */
  file: string;
  /** The flow's file name (e.g. `main.ygtc`), which the sidecar's `flow` field should hold. */
  flowFileName?: string;
}

export interface ParsedSidecar {
  /** The raw JSON value when the text is JSON with an object root. */
  value: JsonObject | null;
  /** Problems of the sidecar itself, with ranges into it. */
  diagnostics: Diagnostic[];
  rangeOf(path: readonly PathSegment[]): SourceRange;
}

const REF_PREFIX: Record<Exclude<ComponentSourceKind, 'local'>, string> = {
  oci: 'oci://',
  repo: 'repo://',
  store: 'store://',
  ext: 'ext://',
};
const DIGEST = /^sha256:[0-9a-f]{64}$/i;
const PRIVATE_HOST = /^(localhost|127\.|0\.)/;
/** A registry on this machine with its port (`127.0.0.1:5000`): the studio pulls from it over plain HTTP, as Docker does. */
const LOOPBACK_REGISTRY = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]):\d+$/;

export function parseResolveSidecar(input: SidecarInput): ParsedSidecar {
  const lineCounter = new LineCounter();
  const doc = parseDocument(input.text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const rangeOf = (path: readonly PathSegment[]) => rangeOfPath(doc, lineCounter, path, EMPTY_RANGE);
  const problem = (message: string, path: readonly PathSegment[]): Diagnostic => ({
    severity: 'warning',
    code: 'sidecar_invalid',
    message,
    range: rangeOf(path),
    file: input.file,
  });
  if (doc.errors.length > 0) {
    return { value: null, diagnostics: [problem(`resolve sidecar is not valid JSON: ${doc.errors[0]?.message.split('\n')[0]}`, [])], rangeOf };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { value: null, diagnostics: [problem(`resolve sidecar is not valid JSON: ${String(error)}`, [])], rangeOf };
  }
  if (!isObject(value)) return { value: null, diagnostics: [problem('resolve sidecar must be a JSON object', [])], rangeOf };
  const diagnostics: Diagnostic[] = [];
  if (value.schema_version !== 1) diagnostics.push(problem(`resolve sidecar schema_version must be 1, found ${JSON.stringify(value.schema_version) ?? 'nothing'}`, ['schema_version']));
  if (typeof value.flow !== 'string') diagnostics.push(problem(`resolve sidecar 'flow' must be a string`, ['flow']));
  else if (input.flowFileName !== undefined && value.flow !== input.flowFileName) {
    diagnostics.push({ ...problem(`resolve sidecar 'flow' is '${value.flow}', expected '${input.flowFileName}' (rewritten on save)`, ['flow']), code: 'sidecar_flow_name' });
  }
  if (!isObject(value.nodes)) diagnostics.push(problem(`resolve sidecar 'nodes' must be an object`, ['nodes']));
  else {
    for (const [nodeId, entry] of Object.entries(value.nodes)) {
      const error = entryProblem(nodeId, entry);
      if (error) diagnostics.push(problem(`invalid sidecar entries: ${nodeId}: ${error}`, ['nodes', nodeId]));
    }
  }
  return { value, diagnostics, rangeOf };
}

/** Why a sidecar entry is unusable (the doctor's offline checks), or null. */
export function entryProblem(nodeId: string, entry: unknown): string | null {
  if (!isObject(entry) || !isObject(entry.source)) return `entry must be an object with a 'source' object`;
  const source = entry.source;
  if (has(entry, 'mode') && entry.mode !== 'tracked' && entry.mode !== 'pinned') return `mode must be 'tracked' or 'pinned'`;
  if (has(source, 'digest') && (typeof source.digest !== 'string' || !DIGEST.test(source.digest))) return `digest must be sha256:<hex>`;
  if (source.kind === 'local') {
    if (typeof source.path !== 'string' || source.path.length === 0) return 'local wasm path is empty';
    const path = source.path.replace(/^file:\/\//, '');
    if (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path)) return `local component path for node '${nodeId}' must be relative`;
    return null;
  }
  if (typeof source.kind !== 'string' || !has(REF_PREFIX, source.kind)) return `unknown source kind ${JSON.stringify(source.kind) ?? 'nothing'}`;
  const kind = source.kind as keyof typeof REF_PREFIX;
  const prefix = REF_PREFIX[kind];
  if (typeof source.ref !== 'string' || !source.ref.startsWith(prefix)) return `${kind} reference must start with ${prefix}`;
  if (kind === 'oci') {
    const host = source.ref.slice(prefix.length).split('/', 1)[0] ?? '';
    if (!LOOPBACK_REGISTRY.test(host) && (!host.includes('.') || PRIVATE_HOST.test(host))) return 'oci:// references must use a public registry host';
  }
  return null;
}

/** Sidecar problems plus drift against the flow: nodes without an entry and entries without a node. */
export function checkResolveSidecar(ir: FlowIr, input: SidecarInput): Diagnostic[] {
  const sidecar = parseResolveSidecar(input);
  const diagnostics = [...sidecar.diagnostics];
  const entries = sidecar.value && isObject(sidecar.value.nodes) ? sidecar.value.nodes : null;
  if (!entries) return diagnostics;
  if (ir.type !== 'component-config') {
    for (const node of ir.nodes) {
      if (has(entries, node.id)) continue;
      diagnostics.push({ severity: 'warning', code: 'sidecar_missing_entry', message: `missing sidecar entries for nodes: ${node.id}`, range: node.idRange, pointer: `/nodes/${node.id}` });
    }
  }
  const ids = new Set(ir.nodes.map((n) => n.id));
  for (const nodeId of Object.keys(entries)) {
    if (ids.has(nodeId)) continue;
    diagnostics.push({ severity: 'warning', code: 'sidecar_unused_entry', message: `unused sidecar entries: ${nodeId}`, range: sidecar.rangeOf(['nodes', nodeId]), file: input.file });
  }
  return diagnostics;
}

/** The sidecar text after renaming a node, keeping the entry's place. Returns the text unchanged when it cannot be read. */
export function renameInResolveSidecar(text: string, from: string, to: string): string {
  return updateNodes(text, (nodes) => Object.fromEntries(Object.entries(nodes).map(([id, entry]) => [id === from ? to : id, entry])));
}

export function deleteFromResolveSidecar(text: string, nodeId: string): string {
  return updateNodes(text, (nodes) => Object.fromEntries(Object.entries(nodes).filter(([id]) => id !== nodeId)));
}

/**
 * The sidecar text with `nodeId` bound to `source` (created when there is no sidecar yet), as
 * add-step and bind-component leave it.
 */
export function bindInResolveSidecar(text: string | null, flowFileName: string, nodeId: string, source: ResolveSource): string {
  const value = text === null ? null : readJsonObject(text);
  const base: JsonObject = value ?? { schema_version: 1, flow: flowFileName, nodes: {} };
  const nodes = isObject(base.nodes) ? base.nodes : {};
  const entry = isObject(nodes[nodeId]) ? (nodes[nodeId] as JsonObject) : {};
  return serialize({ ...base, flow: flowFileName, nodes: { ...nodes, [nodeId]: { ...entry, source: source as unknown as JsonObject } } });
}

/** The source a node is bound to, or null. */
export function bindingOf(text: string | null, nodeId: string): ResolveSource | null {
  const value = text === null ? null : readJsonObject(text);
  const entry = value && isObject(value.nodes) ? value.nodes[nodeId] : null;
  return isObject(entry) && isObject(entry.source) ? (entry.source as unknown as ResolveSource) : null;
}

/** Sets `flow` to the flow's file name, as the doctor does on save. */
export function normalizeResolveSidecar(text: string, flowFileName: string): string {
  const value = readJsonObject(text);
  if (!value || value.flow === flowFileName) return text;
  return serialize({ ...value, flow: flowFileName });
}

function updateNodes(text: string, change: (nodes: JsonObject) => JsonObject): string {
  const value = readJsonObject(text);
  if (!value || !isObject(value.nodes)) return text;
  return serialize({ ...value, nodes: change(value.nodes) });
}

function readJsonObject(text: string): JsonObject | null {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

function serialize(value: JsonObject): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
