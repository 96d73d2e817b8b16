/**
 * The inverse of the flow compiler: a runtime `CompiledFlow` (as a pack manifest carries it) written
 * back as a `.ygtc` document that compiles to the same flow. Used to draw a pack's flows with the
 * editor's own graph derivation and to unpack a pack into a project folder.
 */
import { stringify } from 'yaml';
import type { CompiledFlow, CompiledNode, FlowKind, JsonValue, Routing, Telemetry } from './compiled';
import { SLOT_SCHEMA_METADATA_KEY } from './compile';
import { COMPONENT_EXEC, RESERVED_NODE_KEYS } from './node-shape';

export interface DecompiledFlow {
  /** The `.ygtc` text. */
  text: string;
  /**
   * Nodes whose compiled component is a concrete id the YAML cannot name (packc took it from the
   * flow's resolve summary): node id -> component id, for a `<flow>.ygtc.resolve.summary.json`.
   */
  componentIds: Record<string, string>;
}

/** Op keys whose compiled component id is the key itself (flow-format §10.1), not `component.exec`. */
const DIRECT_COMPONENT = (id: string) => id === 'mcp' || id === 'questions' || id === 'template' || id.startsWith('dw.');
/** What the schema accepts as a node key. */
const NODE_KEY = /^[A-Za-z_][\w.-]*$/;

const FLOW_TYPES: Record<FlowKind, string> = {
  messaging: 'messaging',
  event: 'event',
  component_config: 'component-config',
  job: 'job',
  http: 'http',
};

export function decompileFlow(flow: CompiledFlow): DecompiledFlow {
  const componentIds: Record<string, string> = {};
  const nodes: Record<string, Record<string, unknown>> = {};
  for (const node of flow.nodes) {
    const { body, componentId } = decompileNode(node);
    nodes[node.id] = body;
    if (componentId) componentIds[node.id] = componentId;
  }

  const doc: Record<string, unknown> = { id: flow.id };
  if (flow.metadata.title !== undefined) doc.title = flow.metadata.title;
  if (flow.metadata.description !== undefined) doc.description = flow.metadata.description;
  doc.type = FLOW_TYPES[flow.kind] ?? flow.kind;
  const { start, entrypoints } = splitEntrypoints(flow);
  if (start !== null) doc.start = start;
  const { parameters, slotSchema } = splitExtra(flow.metadata.extra);
  if (parameters) doc.parameters = parameters;
  if (flow.metadata.tags.length > 0) doc.tags = flow.metadata.tags;
  if (Object.keys(entrypoints).length > 0) doc.entrypoints = entrypoints;
  if (slotSchema !== undefined) doc.slot_schema = slotSchema;
  doc.nodes = nodes;
  return { text: stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false }), componentIds };
}

function decompileNode(node: CompiledNode): { body: Record<string, unknown>; componentId: string | null } {
  const { id, operation } = node.component;
  let opKey: string;
  let sibling: string | null = null;
  let componentId: string | null = null;
  if (id === COMPONENT_EXEC) {
    opKey = operation ?? COMPONENT_EXEC;
  } else if (DIRECT_COMPONENT(id)) {
    opKey = id;
    sibling = operation;
  } else if (operation !== null) {
    // A concrete component (resolved by packc): the YAML names the operation, the sidecar the component.
    opKey = operation;
    componentId = id;
  } else {
    // Older compilers kept built-in op keys such as `emit.response` as the component id.
    opKey = id;
  }
  if (!NODE_KEY.test(opKey) || RESERVED_NODE_KEYS.has(opKey)) {
    sibling = opKey;
    opKey = COMPONENT_EXEC;
  }

  const body: Record<string, unknown> = { [opKey]: node.input.mapping };
  if (sibling !== null) body.operation = sibling;
  const output = node.output.mapping;
  if (isPlainObject(output)) {
    if (Object.keys(output).length > 0) body.output = output;
  } else {
    body.out_map = output;
  }
  if (node.err_map) body.err_map = node.err_map.mapping;
  const telemetry = telemetryOf(node.telemetry);
  if (telemetry) body.telemetry = telemetry;
  body.routing = routingOf(node.routing);
  return { body, componentId };
}

/** The route list that compiles back to `routing` (flow-format §4.2). */
function routingOf(routing: Routing): unknown {
  if (routing === 'end') return 'out';
  if (routing === 'reply') return 'reply';
  if ('next' in routing) return [{ to: routing.next.node_id }];
  if ('branch' in routing) {
    const routes: Array<Record<string, string>> = Object.entries(routing.branch.on_status).map(([status, to]) => ({ status, to }));
    if (routing.branch.default !== null) routes.push({ to: routing.branch.default });
    return routes;
  }
  return routing.custom;
}

function telemetryOf(telemetry: Telemetry): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  if (telemetry.span_name !== undefined) out.span_name = telemetry.span_name;
  if (Object.keys(telemetry.attributes).length > 0) out.attributes = telemetry.attributes;
  if (telemetry.sampling !== undefined) out.sampling = telemetry.sampling;
  return Object.keys(out).length > 0 ? out : null;
}

/** `start` from `entrypoints.default` when it names a node; the other entry points as written. */
function splitEntrypoints(flow: CompiledFlow): { start: string | null; entrypoints: Record<string, JsonValue> } {
  const entrypoints = { ...flow.entrypoints };
  const fallback = entrypoints.default;
  if (typeof fallback === 'string' && flow.nodes.some((node) => node.id === fallback)) {
    delete entrypoints.default;
    return { start: fallback, entrypoints };
  }
  return { start: null, entrypoints };
}

/** The compiler puts `parameters` and the slot schema into `metadata.extra`; take them apart again. */
function splitExtra(extra: JsonValue): { parameters: Record<string, JsonValue> | null; slotSchema: JsonValue | undefined } {
  if (!isPlainObject(extra)) return { parameters: null, slotSchema: undefined };
  const parameters = { ...extra };
  const slotSchema = parameters[SLOT_SCHEMA_METADATA_KEY];
  delete parameters[SLOT_SCHEMA_METADATA_KEY];
  return { parameters: Object.keys(parameters).length > 0 ? parameters : null, slotSchema };
}

function isPlainObject(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
