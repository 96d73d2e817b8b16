/**
 * The studio's lints: upstream's `start_node_exists`, and warnings upstream does not give but a
 * flow designer needs (unreachable nodes, waits that cannot resume, unknown flows and parameters,
 * conditions the runtime cannot evaluate, likely typos, resolve-sidecar drift, ...).
 */
import { checkCondition } from './condition';
import { EMPTY_RANGE, type Diagnostic, type Severity, type SourceRange } from './diagnostic';
import { identifierProblem, MAX_NODE_ID_LENGTH } from './identifiers';
import type { FlowIr, IrNode, IrRoute } from './ir';
import { isObject } from './json';
import { findUnknownParameters, lookupParameter, parameterReference } from './parameters';
import type { ParsedFlow } from './parse';
import { checkResolveSidecar, type SidecarInput } from './resolve-sidecar';
import { nearest } from './schema';
import { nodeDiagnostics, nodeSpan } from './node-memo';
import { pointerOf, rangeOfPath, type PathSegment } from './source';

export interface LintContext {
  /** Ids of the flows in the project; when given, `flow.call` / `flow.goto` targets are checked. */
  knownFlowIds?: readonly string[];
  /** The flow's `<flow>.ygtc.resolve.json`, when it has one. */
  resolveSidecar?: SidecarInput;
  /** The project's other flow files and their ids; when given, an id one of them also has is an error. */
  otherFlows?: readonly OtherFlow[];
}

/** A flow file of the project besides the one being checked. */
export interface OtherFlow {
  path: string;
  id: string | null;
}

/** Roots of the runtime's templating context (runtime.md §4). */
const TEMPLATE_ROOTS = new Set(['entry', 'in', 'prev', 'node', 'state', 'this']);
const FLOW_REFERENCE_OPS = new Set(['flow.call', 'flow.goto']);
const NODE_KEYS_OFTEN_MISTYPED = ['routing', 'telemetry', 'operation', 'in_map', 'out_map', 'err_map', 'output'];
/** Keys other tools use for what a `.ygtc` node calls `routing`. */
const ROUTING_ALIASES = new Set(['route', 'routes', 'next', 'edges', 'transitions']);
/** Reserved keys the compiler does not skip: one after the op key becomes the compiled operation. */
const KEYS_TAKEN_AS_OP = new Set(['retry', 'timeout', 'when', 'annotations', 'meta', 'pack_alias']);

class Lint {
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    readonly parsed: ParsedFlow,
    readonly ir: FlowIr,
  ) {}

  at(path: readonly PathSegment[], on: 'key' | 'value' = 'value'): SourceRange {
    return this.parsed.doc ? rangeOfPath(this.parsed.doc, this.parsed.lineCounter, path, EMPTY_RANGE, on) : EMPTY_RANGE;
  }

  add(severity: Severity, code: string, message: string, range: SourceRange, path?: readonly PathSegment[]): Diagnostic {
    const diagnostic: Diagnostic = { severity, code, message, range };
    if (path) diagnostic.pointer = pointerOf(path);
    this.diagnostics.push(diagnostic);
    return diagnostic;
  }
}

export function runLints(parsed: ParsedFlow, ir: FlowIr, context: LintContext = {}): Diagnostic[] {
  const lint = new Lint(parsed, ir);
  startNodeExists(lint);
  uniqueFlowId(lint, context.otherFlows);
  noStartNode(lint);
  entrypointTargets(lint);
  unreachableNodes(lint);
  // What a node's own lints read besides the node: kept results are for this context only.
  const around = JSON.stringify([ir.parameters, context.knownFlowIds ?? null]);
  for (const node of ir.nodes) {
    lint.diagnostics.push(...nodeDiagnostics(nodeSpan(node), parsed.lineCounter, 'lints', around, () => nodeLints(new Lint(parsed, ir), node, context)));
  }
  if (context.resolveSidecar) lint.diagnostics.push(...checkResolveSidecar(ir, context.resolveSidecar));
  return lint.diagnostics;
}

function nodeLints(lint: Lint, node: IrNode, context: LintContext): Diagnostic[] {
  waitWithoutSuccessor(lint, node);
  flowReferences(lint, node, context.knownFlowIds);
  unknownParameters(lint, node);
  conditions(lint, node);
  statusRoutes(lint, node);
  ignoredRoutes(lint, node);
  nodeIdLength(lint, node);
  mistypedNodeKeys(lint, node);
  keyTakenAsOperation(lint, node);
  templateRoots(lint, node);
  return lint.diagnostics;
}


function startNodeExists(lint: Lint): void {
  const start = lint.ir.start;
  if (start === null) return;
  const problem = identifierProblem('node id', start);
  const range = lint.ir.ranges.start ?? EMPTY_RANGE;
  if (problem) {
    const d = lint.add('error', 'start_node_exists', `start_node_exists: invalid start node '${start}' (${problem})`, range, ['start']);
    d.kind = 'start_node_exists';
  } else if (!lint.ir.nodes.some((n) => n.id === start)) {
    const d = lint.add('error', 'start_node_exists', `start_node_exists: start node '${start}' not found in nodes`, range, ['start']);
    d.kind = 'start_node_exists';
  }
}

/** A pack reaches its flows by id: two files with one id make `flow.call` and the runner pick one of them. */
function uniqueFlowId(lint: Lint, otherFlows: readonly OtherFlow[] | undefined): void {
  const id = lint.ir.id;
  if (!otherFlows || typeof id !== 'string' || id.length === 0) return;
  const clashes = otherFlows.filter((flow) => flow.id === id).map((flow) => flow.path);
  if (clashes.length === 0) return;
  lint.add('error', 'duplicate_flow_id', `flow id '${id}' is also the id of ${clashes.join(', ')}: flow ids must be unique in a project`, lint.ir.ranges.id, ['id']);
}

/** A flow without nodes loads upstream, but the runner cannot start it (runtime.md §2). */
function noStartNode(lint: Lint): void {
  if (lint.ir.nodes.length > 0 || lint.ir.start !== null) return;
  const id = lint.ir.id ?? '<flow>';
  lint.add('warning', 'no_start_node', `flow '${id}' has no nodes, so it has no start node: running it fails with 'flow ${id} has no start node'`, lint.ir.ranges.nodes, ['nodes']);
}

function entrypointTargets(lint: Lint): void {
  for (const [name, target] of Object.entries(lint.ir.entrypoints)) {
    if (typeof target !== 'string' || lint.ir.nodes.some((n) => n.id === target)) continue;
    lint.add('warning', 'entrypoint_missing', `entrypoint '${name}' targets unknown node '${target}'`, lint.at(['entrypoints', name]), ['entrypoints', name]);
  }
}

function unreachableNodes(lint: Lint): void {
  const { ir } = lint;
  const byId = new Map(ir.nodes.map((n) => [n.id, n]));
  const pending = [ir.resolvedStart, ...Object.values(ir.entrypoints)].filter((id): id is string => typeof id === 'string');
  const reached = new Set<string>();
  while (pending.length > 0) {
    const id = pending.pop() as string;
    const node = byId.get(id);
    if (!node || reached.has(id)) continue;
    reached.add(id);
    for (const route of node.routes) if (route.to !== null) pending.push(route.to);
  }
  for (const node of ir.nodes) {
    if (reached.has(node.id)) continue;
    lint.add('warning', 'unreachable_node', `node '${node.id}' is unreachable: no route from the start node or an entrypoint leads to it`, node.idRange, ['nodes', node.id]);
  }
}

function waitWithoutSuccessor(lint: Lint, node: IrNode): void {
  if (node.opKey !== 'session.wait' || node.routes.some((r) => r.to !== null)) return;
  lint.add('warning', 'wait_without_successor', `node '${node.id}' waits (session.wait) but routes to no node: the session cannot resume after it`, node.opKeyRange, ['nodes', node.id]);
}

function flowReferences(lint: Lint, node: IrNode, knownFlowIds: readonly string[] | undefined): void {
  if (node.opKey === null || !FLOW_REFERENCE_OPS.has(node.opKey) || !isObject(node.payload)) return;
  const field = node.payload.flow_id !== undefined ? 'flow_id' : node.payload.flow !== undefined ? 'flow' : null;
  const path: PathSegment[] = ['nodes', node.id, node.opKey];
  if (field === null) {
    if (node.opKey === 'flow.goto') lint.add('warning', 'flow_reference_missing', `node '${node.id}': flow.goto needs 'flow_id'`, node.opKeyRange, path);
    return;
  }
  let target = node.payload[field];
  if (typeof target === 'string') {
    const reference = parameterReference(target);
    if (reference) target = lookupParameter(lint.ir.parameters, reference).value;
  }
  if (!knownFlowIds || typeof target !== 'string' || target.includes('{{') || knownFlowIds.includes(target)) return;
  lint.add('warning', 'unknown_flow', `node '${node.id}' calls flow '${target}', which is not in the project`, lint.at([...path, field]), [...path, field]);
}

function unknownParameters(lint: Lint, node: IrNode): void {
  const inputKey = node.raw.in_map !== undefined ? 'in_map' : node.opKey;
  if (inputKey === null) return;
  for (const unknown of findUnknownParameters(node.raw[inputKey], lint.ir.parameters)) {
    const path = ['nodes', node.id, inputKey, ...unknown.path];
    lint.add('warning', 'unknown_parameter', `'${unknown.reference}' names no entry of 'parameters'; it stays a literal string`, lint.at(path), path);
  }
}

function conditions(lint: Lint, node: IrNode): void {
  for (const route of node.routes) {
    if (route.condition === undefined || route.index === null) continue;
    const check = checkCondition(route.condition);
    if (check.ok) continue;
    const path = ['nodes', node.id, 'routing', route.index, 'condition'];
    lint.add('warning', 'unsupported_condition', `condition '${route.condition}': ${check.reason}`, lint.at(path), path);
  }
}

function statusRoutes(lint: Lint, node: IrNode): void {
  const route = node.routes.find((r) => r.status !== undefined);
  if (!route) return;
  lint.add('info', 'status_not_evaluated', `node '${node.id}': 'status' routes are compiled but the runtime does not evaluate them; it follows the default route`, route.range);
}

/**
 * Routes of a list that the runner never follows (runtime.md §5.2): in a list with conditions or with
 * `out`/`reply` entries it reads only `condition` and `to`, and takes the first unconditional route;
 * in a list of plain targets it follows the last one.
 */
function ignoredRoutes(lint: Lint, node: IrNode): void {
  const listed = node.routes.filter((r) => r.index !== null);
  if (listed.length < 2) return;
  const plainTargets = listed.every((r) => r.condition === undefined && r.doc.out !== true && r.doc.reply !== true && r.doc.to !== undefined);
  if (plainTargets) {
    const followed = [...listed].reverse().find((r) => r.status === undefined);
    for (const route of listed) {
      if (route === followed || route.status !== undefined) continue;
      ignored(lint, node, route, `is never taken: in a list of plain targets the runner follows the last one ('${followed?.doc.to ?? ''}')`);
    }
    return;
  }
  let alwaysTaken: string | null = null;
  for (const route of listed) {
    if (route.status !== undefined) continue;
    if (alwaysTaken !== null) ignored(lint, node, route, `is never reached: the route before it to '${alwaysTaken}' has no condition and is always taken`);
    else if (route.doc.to === undefined) {
      const flag = route.doc.out === true ? 'out: true' : route.doc.reply === true ? 'reply: true' : 'this route';
      const d = ignored(lint, node, route, `is ignored: beside other routes the runner reads only 'condition' and 'to', so '${flag}' does nothing; write 'to: out' to end the flow`);
      const key = route.doc.out === true ? 'out' : route.doc.reply === true ? 'reply' : null;
      if (key) {
        const range = lint.at(['nodes', node.id, 'routing', route.index as number, key], 'key');
        const value = lint.at(['nodes', node.id, 'routing', route.index as number, key]);
        if (range.endOffset > range.offset && value.endOffset > value.offset) {
          d.fix = { title: `Replace '${flag}' with 'to: out'`, edits: [{ offset: range.offset, endOffset: value.endOffset, text: 'to: out' }] };
        }
      }
    } else if (route.condition === undefined) alwaysTaken = route.doc.to;
  }
}

function ignored(lint: Lint, node: IrNode, route: IrRoute, why: string): Diagnostic {
  const path = ['nodes', node.id, 'routing', route.index as number];
  return lint.add('warning', 'ignored_route', `node '${node.id}': route ${(route.index as number) + 1} ${why}`, route.range, path);
}

function nodeIdLength(lint: Lint, node: IrNode): void {
  if (node.id.length <= MAX_NODE_ID_LENGTH) return;
  lint.add(
    'warning',
    'node_id_too_long',
    `node id '${node.id.slice(0, 24)}…' has ${node.id.length} characters; the studio keeps ids to ${MAX_NODE_ID_LENGTH} so they can be read on the canvas, in the inspector and in traces`,
    node.idRange,
    ['nodes', node.id],
  );
}

function mistypedNodeKeys(lint: Lint, node: IrNode): void {
  if (node.opKeys.length < 2) return;
  for (const key of node.opKeys) {
    const meant = ROUTING_ALIASES.has(key) ? 'routing' : nearest(key, NODE_KEYS_OFTEN_MISTYPED);
    if (!meant || node.keys.includes(meant)) continue;
    const range = lint.at(['nodes', node.id, key], 'key');
    const d = lint.add('warning', 'node_key_typo', `node '${node.id}': key '${key}' looks like a typo of '${meant}'`, range, ['nodes', node.id, key]);
    d.fix = { title: `Rename '${key}' to '${meant}'`, edits: [{ offset: range.offset, endOffset: range.endOffset, text: meant }] };
  }
}

function keyTakenAsOperation(lint: Lint, node: IrNode): void {
  if (node.opKey === null) return;
  const opIndex = node.keys.indexOf(node.opKey);
  const later = node.keys.slice(opIndex + 1).filter((k) => KEYS_TAKEN_AS_OP.has(k));
  const last = later[later.length - 1];
  if (last === undefined) return;
  const path = ['nodes', node.id, last];
  lint.add('warning', 'key_taken_as_operation', `node '${node.id}': '${last}' follows the op key '${node.opKey}', so upstream compiles the operation as '${last}'; move '${node.opKey}' after it`, lint.at(path, 'key'), path);
}

const HANDLEBARS = /\{\{\{?~?\s*([^}]*?)\s*~?\}?\}\}/g;

function templateRoots(lint: Lint, node: IrNode): void {
  if (node.opKey === null || node.opKey === 'template') return;
  walkStrings(node.payload, [], (text, path) => {
    for (const match of text.matchAll(HANDLEBARS)) {
      const expression = match[1] ?? '';
      if (/^[#/^!>&]|^else\b/.test(expression) || /\s/.test(expression) || expression === '') continue;
      const root = expression.split(/[.[]/, 1)[0] ?? '';
      if (root === '' || root.startsWith('@') || root.startsWith('..') || TEMPLATE_ROOTS.has(root)) continue;
      const full = ['nodes', node.id, node.opKey as string, ...path];
      lint.add('warning', 'unknown_template_root', `'{{${expression}}}' reads '${root}', which the runtime's template context does not have (entry, in, prev, node, state); it renders as ""`, lint.at(full), full);
    }
  });
}

function walkStrings(value: unknown, path: PathSegment[], visitString: (text: string, path: PathSegment[]) => void): void {
  if (typeof value === 'string') {
    if (value.includes('{{')) visitString(value, path);
  } else if (Array.isArray(value)) value.forEach((item, i) => walkStrings(item, [...path, i], visitString));
  else if (isObject(value)) for (const [key, item] of Object.entries(value)) walkStrings(item, [...path, key], visitString);
}
