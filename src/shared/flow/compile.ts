/**
 * The flow compiler (upstream `compile_flow`, flow-format §10.1): a loaded document becomes the
 * runtime `CompiledFlow` that the engine executes and packs carry.
 */
import type { CompiledFlow, CompiledNode, FlowKind, JsonValue, Telemetry } from './compiled';
import { compileRouting, type RoutingProblem } from './compile-routing';
import { EMPTY_RANGE, type Diagnostic, type FlowErrorKind, type SourceRange } from './diagnostic';
import { identifierProblem } from './identifiers';
import type { FlowIr, IrNode } from './ir';
import { isObject } from './json';
import { COMPONENT_EXEC } from './node-shape';
import type { ParsedFlow } from './parse';
import { substituteParameters } from './parameters';
import { pointerOf, rangeOfPath, type PathSegment } from './source';

export const SLOT_SCHEMA_METADATA_KEY = 'greentic.slot_schema';

const FLOW_KINDS: Record<string, FlowKind> = {
  messaging: 'messaging',
  event: 'event',
  events: 'event',
  'component-config': 'component_config',
  job: 'job',
  http: 'http',
};

export function mapFlowType(type: string): FlowKind | null {
  return Object.prototype.hasOwnProperty.call(FLOW_KINDS, type) ? (FLOW_KINDS[type] as FlowKind) : null;
}

export interface CompileOptions {
  /** Replace `parameters.*` strings in node inputs (default true); unknown ones are `Internal` errors. */
  substituteParameters?: boolean;
}

export interface CompileResult {
  flow: CompiledFlow | null;
  diagnostics: Diagnostic[];
}

/** Keys the compiler reads as mappings or the operation sibling rather than as the op key. */
const MAPPING_KEYS = new Set(['in_map', 'out_map', 'output', 'err_map', 'operation']);
/** Fields of the node model that never reach the op-key scan (serde reads them separately). */
const MODEL_FIELDS = new Set(['routing', 'telemetry']);

export function compileIr(parsed: ParsedFlow, ir: FlowIr, options: CompileOptions = {}): CompileResult {
  const diagnostics: Diagnostic[] = [];
  const at = (path: readonly PathSegment[], fallback: SourceRange = EMPTY_RANGE): SourceRange =>
    parsed.doc ? rangeOfPath(parsed.doc, parsed.lineCounter, path, fallback) : fallback;
  const fail = (kind: FlowErrorKind, code: string, message: string, path: readonly PathSegment[]) =>
    diagnostics.push({ severity: 'error', kind, code, message, range: at(path), pointer: pointerOf(path) });

  const type = ir.type ?? '';
  const kind = mapFlowType(type);
  if (!kind) fail('UnknownFlowType', 'unknown_flow_type', `Unknown flow type '${type}' at type`, ['type']);

  const entrypoints: Record<string, JsonValue> = { ...(ir.entrypoints as Record<string, JsonValue>) };
  if (!Object.prototype.hasOwnProperty.call(entrypoints, 'default') && ir.resolvedStart !== null) entrypoints.default = ir.resolvedStart;

  const nodeIds = new Set(ir.nodes.map((n) => n.id));
  const substitute = options.substituteParameters ?? true;
  const nodes: CompiledNode[] = [];
  for (const node of ir.nodes) {
    const idProblem = identifierProblem('node id', node.id);
    if (idProblem) fail('InvalidIdentifier', 'invalid_identifier', `Invalid identifier for node '${node.id}' at nodes.${node.id}: ${idProblem}`, ['nodes', node.id]);
    const routing = compileRouting(node.raw.routing, nodeIds);
    if (!routing.ok) {
      const { kind: problemKind, code, message } = describeRoutingProblem(node.id, routing.problem);
      fail(problemKind, code, message, ['nodes', node.id, 'routing']);
      continue;
    }
    const compiled = compileNode(node, ir, routing.routing, (reference, path) =>
      fail('Internal', 'unknown_parameter', `Internal error at nodes.${node.id}: Unknown ${reference} at nodes.${node.id}.${path.slice(2).join('.')}`, path),
    substitute);
    if (compiled) nodes.push(compiled);
    else fail('Internal', 'missing_operation', `Internal error at nodes.${node.id}: node '${node.id}' missing operation key`, ['nodes', node.id]);
  }

  const flowId = ir.id ?? '';
  const flowIdProblem = identifierProblem('flow id', flowId);
  if (flowIdProblem) fail('InvalidIdentifier', 'invalid_identifier', `Invalid identifier for flow '${flowId}' at id: ${flowIdProblem}`, ['id']);

  const extra: Record<string, JsonValue> = { ...(ir.parameters as Record<string, JsonValue>) };
  if (ir.slotSchema !== undefined && ir.slotSchema !== null) {
    for (const problem of slotSchemaProblems(ir.slotSchema)) fail('Schema', 'schema', problem.message, problem.path);
    extra[SLOT_SCHEMA_METADATA_KEY] = ir.slotSchema as JsonValue;
  }

  if (diagnostics.length > 0 || !kind) return { flow: null, diagnostics };
  const metadata: CompiledFlow['metadata'] = { tags: [...new Set(ir.tags)].sort(), extra };
  if (ir.title !== null) metadata.title = ir.title;
  if (ir.description !== null) metadata.description = ir.description;
  return {
    flow: { schema_version: 'flow-v1', id: flowId, kind, entrypoints: sortObject(entrypoints), nodes, metadata },
    diagnostics,
  };
}

function describeRoutingProblem(nodeId: string, problem: RoutingProblem): { kind: FlowErrorKind; code: string; message: string } {
  const where = `nodes.${nodeId}.routing`;
  switch (problem.kind) {
    case 'Routing':
      return { kind: 'Routing', code: 'routing', message: `Invalid routing block in node '${nodeId}' at ${where}: ${problem.message}` };
    case 'MissingNode':
      return { kind: 'MissingNode', code: 'missing_node', message: `Missing node '${problem.target}' referenced in routing from '${nodeId}' at ${where}` };
    case 'InvalidIdentifier':
      return { kind: 'InvalidIdentifier', code: 'invalid_identifier', message: `Invalid identifier for node '${problem.target}' at ${where}: ${problem.detail}` };
  }
}

/** The component a node invokes, as upstream lowers it (flow-format §10.1). */
export function componentOf(opKey: string, operationSibling: string | null, legacy: boolean): { id: string; operation: string | null } {
  if (opKey === 'mcp') return { id: 'mcp', operation: operationSibling };
  if (opKey === 'questions' || opKey === 'template' || opKey.startsWith('dw.') || legacy) return { id: opKey, operation: operationSibling };
  return { id: COMPONENT_EXEC, operation: operationSibling ?? opKey };
}

function compileNode(
  node: IrNode,
  ir: FlowIr,
  routing: CompiledNode['routing'],
  onUnknown: (reference: string, path: PathSegment[]) => void,
  substitute: boolean,
): CompiledNode | null {
  let opKey: string | null = null;
  let payload: unknown;
  let input: unknown;
  let output: unknown;
  let errMap: unknown;
  let operation: string | null = null;
  let inputKey = '';
  // Upstream walks the raw keys in order and takes every unrecognised one as the op key: last wins.
  for (const [key, value] of Object.entries(node.raw)) {
    if (MODEL_FIELDS.has(key)) continue;
    if (MAPPING_KEYS.has(key)) {
      if (key === 'in_map') input = value;
      else if (key === 'err_map') errMap = value;
      else if (key === 'operation') operation = typeof value === 'string' ? value : null;
      else output = value;
      continue;
    }
    opKey = key;
    payload = value;
  }
  if (opKey === null) return null;
  const component = componentOf(opKey, operation, ir.schemaVersion < 2);
  inputKey = input !== undefined ? 'in_map' : opKey;
  const rawInput = input !== undefined ? input : (payload ?? {});
  const mapping = substitute
    ? substituteParameters(rawInput, ir.parameters, (reference, path) => onUnknown(reference, ['nodes', node.id, inputKey, ...path]))
    : rawInput;
  const compiled: CompiledNode = {
    id: node.id,
    component: { id: component.id, pack_alias: null, operation: component.operation },
    input: { mapping: (mapping ?? {}) as JsonValue },
    output: { mapping: (output ?? {}) as JsonValue },
    routing,
    telemetry: telemetryOf(node.raw.telemetry),
  };
  if (errMap !== undefined) compiled.err_map = { mapping: errMap as JsonValue };
  return compiled;
}

function telemetryOf(value: unknown): Telemetry {
  const telemetry: Telemetry = { attributes: {} };
  if (!isObject(value)) return telemetry;
  if (typeof value.span_name === 'string') telemetry.span_name = value.span_name;
  if (typeof value.sampling === 'string') telemetry.sampling = value.sampling;
  if (isObject(value.attributes)) telemetry.attributes = { ...(value.attributes as Record<string, string>) };
  return telemetry;
}

interface SlotProblem {
  message: string;
  path: PathSegment[];
}

/** Duplicate slot names and patterns that are not regular expressions (upstream compile stage). */
export function slotSchemaProblems(slotSchema: unknown): SlotProblem[] {
  if (!Array.isArray(slotSchema)) return [];
  const problems: SlotProblem[] = [];
  const seen = new Set<string>();
  slotSchema.forEach((slot, i) => {
    if (!isObject(slot) || typeof slot.name !== 'string') return;
    const name = slot.name;
    if (seen.has(name)) {
      problems.push({ message: `slot_schema[${i}]: duplicate slot name '${name}'`, path: ['slot_schema', i, 'name'] });
      return;
    }
    seen.add(name);
    if (typeof slot.pattern === 'string') {
      const error = regexProblem(slot.pattern);
      if (error) problems.push({ message: `slot_schema[${i}]: invalid regex pattern for slot '${name}': ${error}`, path: ['slot_schema', i, 'pattern'] });
    }
  });
  return problems;
}

/** Upstream compiles slot patterns with Rust's `regex`, which has no look-around or back-references. */
function regexProblem(pattern: string): string | null {
  if (/\(\?<?[=!]/.test(pattern)) return 'look-around, including look-ahead and look-behind, is not supported';
  if (/\\[1-9]/.test(pattern)) return 'backreferences are not supported';
  try {
    new RegExp(pattern, 'u');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function sortObject<T>(object: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
