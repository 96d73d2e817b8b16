import type { CompiledFlow, CompiledNode, FlowKind, JsonValue, Routing } from '../../../shared/flow/compiled';
import type { CborMap, CborValue } from '../cbor/value';
import {
  asArray,
  asIndex,
  asJson,
  asJsonObject,
  asMap,
  asOptionalString,
  asString,
  asStrings,
  invalid,
} from './fields';
import {
  FLOW_KINDS,
  PACK_KINDS,
  type ComponentManifest,
  type ComponentOperation,
  type ExtensionRef,
  type PackDependency,
  type PackFlowEntry,
  type PackKind,
  type PackManifest,
  type PackSignature,
} from './model';

/** Top-level keys of `EncodedPackManifest`, in greentic-types' declaration order. */
export const MANIFEST_KEYS = [
  'schema_version',
  'pack_id',
  'name',
  'version',
  'kind',
  'publisher',
  'symbols',
  'components',
  'flows',
  'dependencies',
  'capabilities',
  'secret_requirements',
  'signatures',
  'bootstrap',
  'extensions',
  'agents',
] as const;

interface Symbols {
  component_ids: string[];
  node_ids: string[];
  capability_names: string[];
  pack_ids: string[];
}

/** Decodes greentic-types' `EncodedPackManifest` (symbol tables, u32 references) to the logical model. */
export function decodePackV1(root: CborMap): PackManifest {
  const symbols = readSymbols(root.get('symbols'));
  const lookup = (table: keyof Symbols, value: CborValue | undefined, path: string): string => {
    const index = asIndex(value, path);
    const symbol = symbols[table][index];
    if (symbol === undefined) throw invalid(path, `an index into symbols.${table} (found ${index})`);
    return symbol;
  };

  const packIdValue = root.get('pack_id');
  const manifest: PackManifest = {
    schema_version: asString(root.get('schema_version'), 'schema_version'),
    pack_id: typeof packIdValue === 'string' ? packIdValue : lookup('pack_ids', packIdValue, 'pack_id'),
    version: asString(root.get('version'), 'version'),
    kind: readEnum(root.get('kind'), 'kind', PACK_KINDS) as PackKind,
    publisher: asString(root.get('publisher'), 'publisher'),
    components: asArray(root.get('components') ?? [], 'components').map((item, i) =>
      readComponent(asMap(item, `components[${i}]`), `components[${i}]`, (v, p) => lookup('component_ids', v, p)),
    ),
    flows: asArray(root.get('flows') ?? [], 'flows').map((item, i) => readFlowEntry(asMap(item, `flows[${i}]`), `flows[${i}]`, lookup)),
    dependencies: asArray(root.get('dependencies') ?? [], 'dependencies').map((item, i): PackDependency => {
      const path = `dependencies[${i}]`;
      const dep = asMap(item, path);
      return {
        alias: asString(dep.get('alias'), `${path}.alias`),
        pack_id: lookup('pack_ids', dep.get('pack_id'), `${path}.pack_id`),
        version_req: asString(dep.get('version_req'), `${path}.version_req`),
        required_capabilities: asArray(dep.get('required_capabilities') ?? [], `${path}.required_capabilities`).map((cap, j) =>
          lookup('capability_names', cap, `${path}.required_capabilities[${j}]`),
        ),
      };
    }),
    capabilities: asArray(root.get('capabilities') ?? [], 'capabilities').map((item, i) => {
      const cap = asMap(item, `capabilities[${i}]`);
      return {
        name: lookup('capability_names', cap.get('name'), `capabilities[${i}].name`),
        description: asOptionalString(cap.get('description'), `capabilities[${i}].description`),
      };
    }),
    secret_requirements: asArray(root.get('secret_requirements') ?? [], 'secret_requirements').map((item, i) =>
      asJsonObject(item, `secret_requirements[${i}]`),
    ),
    signatures: readSignatures(root.get('signatures')),
  };
  const name = root.get('name');
  if (name !== undefined && name !== null) manifest.name = asString(name, 'name');
  const bootstrap = root.get('bootstrap');
  if (bootstrap !== undefined && bootstrap !== null) manifest.bootstrap = asJsonObject(bootstrap, 'bootstrap');
  const extensions = root.get('extensions');
  if (extensions !== undefined && extensions !== null) manifest.extensions = readExtensions(asMap(extensions, 'extensions'));
  const agents = root.get('agents');
  if (agents !== undefined) manifest.agents = asJsonObject(agents, 'agents');
  const known = new Set<string>(MANIFEST_KEYS);
  const unknown = [...root].filter(([key]) => !known.has(key)).map(([key, value]): [string, JsonValue] => [key, asJson(value, key)]);
  if (unknown.length > 0) manifest.unknown_fields = unknown;
  return manifest;
}

function readSymbols(value: CborValue | undefined): Symbols {
  const map = asMap(value ?? new Map(), 'symbols');
  const table = (name: keyof Symbols) => asStrings(map.get(name) ?? [], `symbols.${name}`);
  return {
    component_ids: table('component_ids'),
    node_ids: table('node_ids'),
    capability_names: table('capability_names'),
    pack_ids: table('pack_ids'),
  };
}

function readEnum<T extends string>(value: CborValue | undefined, path: string, allowed: readonly T[]): T {
  const text = asString(value, path);
  if (!(allowed as readonly string[]).includes(text)) throw invalid(path, `one of ${allowed.join(', ')} (found "${text}")`);
  return text as T;
}

type Lookup = (value: CborValue | undefined, path: string) => string;

function readComponent(map: CborMap, path: string, componentId: Lookup): ComponentManifest {
  const configurators = map.get('configurators');
  const configSchema = map.get('config_schema');
  return {
    id: componentId(map.get('id'), `${path}.id`),
    version: asString(map.get('version'), `${path}.version`),
    supports: asArray(map.get('supports') ?? [], `${path}.supports`).map((kind, i) => readEnum(kind, `${path}.supports[${i}]`, FLOW_KINDS)),
    world: asString(map.get('world'), `${path}.world`),
    profiles: asJsonObject(map.get('profiles'), `${path}.profiles`),
    capabilities: asJsonObject(map.get('capabilities'), `${path}.capabilities`),
    configurators: configurators === undefined || configurators === null ? null : asJsonObject(configurators, `${path}.configurators`),
    operations: asArray(map.get('operations') ?? [], `${path}.operations`).map((item, i): ComponentOperation => {
      const opPath = `${path}.operations[${i}]`;
      const op = asMap(item, opPath);
      const operation: ComponentOperation = {
        name: asString(op.get('name'), `${opPath}.name`),
        input_schema: asJson(op.get('input_schema'), `${opPath}.input_schema`),
        output_schema: asJson(op.get('output_schema'), `${opPath}.output_schema`),
      };
      const description = op.get('description');
      if (description !== undefined && description !== null) operation.description = asString(description, `${opPath}.description`);
      return operation;
    }),
    config_schema: configSchema === undefined ? null : asJson(configSchema, `${path}.config_schema`),
    resources: asJsonObject(map.get('resources') ?? new Map(), `${path}.resources`),
    dev_flows: asJsonObject(map.get('dev_flows') ?? new Map(), `${path}.dev_flows`),
  };
}

function readFlowEntry(map: CborMap, path: string, lookup: (table: keyof Symbols, value: CborValue | undefined, path: string) => string): PackFlowEntry {
  return {
    id: asString(map.get('id'), `${path}.id`),
    kind: readEnum(map.get('kind'), `${path}.kind`, FLOW_KINDS),
    flow: readFlow(asMap(map.get('flow'), `${path}.flow`), `${path}.flow`, lookup),
    tags: asStrings(map.get('tags') ?? [], `${path}.tags`),
    entrypoints: asStrings(map.get('entrypoints') ?? [], `${path}.entrypoints`),
  };
}

function readFlow(map: CborMap, path: string, lookup: (table: keyof Symbols, value: CborValue | undefined, path: string) => string): CompiledFlow {
  const metadata = asMap(map.get('metadata') ?? new Map(), `${path}.metadata`);
  const flowMetadata: CompiledFlow['metadata'] = {
    tags: asStrings(metadata.get('tags') ?? [], `${path}.metadata.tags`),
    extra: metadata.has('extra') ? asJson(metadata.get('extra'), `${path}.metadata.extra`) : null,
  };
  const title = asOptionalString(metadata.get('title'), `${path}.metadata.title`);
  const description = asOptionalString(metadata.get('description'), `${path}.metadata.description`);
  return {
    schema_version: asString(map.get('schema_version'), `${path}.schema_version`) as 'flow-v1',
    id: asString(map.get('id'), `${path}.id`),
    kind: readEnum(map.get('kind'), `${path}.kind`, FLOW_KINDS) as FlowKind,
    entrypoints: asJsonObject(map.get('entrypoints') ?? new Map(), `${path}.entrypoints`),
    nodes: asArray(map.get('nodes') ?? [], `${path}.nodes`).map((item, i) => readNode(asMap(item, `${path}.nodes[${i}]`), `${path}.nodes[${i}]`, lookup)),
    metadata: { ...(title === null ? {} : { title }), ...(description === null ? {} : { description }), ...flowMetadata },
  };
}

function readNode(map: CborMap, path: string, lookup: (table: keyof Symbols, value: CborValue | undefined, path: string) => string): CompiledNode {
  const component = asMap(map.get('component'), `${path}.component`);
  const telemetry = asMap(map.get('telemetry') ?? new Map(), `${path}.telemetry`);
  const node: CompiledNode = {
    id: lookup('node_ids', map.get('id'), `${path}.id`),
    component: {
      id: lookup('component_ids', component.get('id'), `${path}.component.id`),
      pack_alias: asOptionalString(component.get('pack_alias'), `${path}.component.pack_alias`),
      operation: asOptionalString(component.get('operation'), `${path}.component.operation`),
    },
    input: { mapping: readMapping(map.get('input'), `${path}.input`) },
    output: { mapping: readMapping(map.get('output'), `${path}.output`) },
    routing: readRouting(map.get('routing'), `${path}.routing`, (v, p) => lookup('node_ids', v, p)),
    telemetry: {
      attributes: Object.fromEntries(
        [...asMap(telemetry.get('attributes') ?? new Map(), `${path}.telemetry.attributes`)].map(([k, v]) => [k, asString(v, `${path}.telemetry.attributes.${k}`)]),
      ),
    },
  };
  const spanName = asOptionalString(telemetry.get('span_name'), `${path}.telemetry.span_name`);
  if (spanName !== null) node.telemetry.span_name = spanName;
  const sampling = asOptionalString(telemetry.get('sampling'), `${path}.telemetry.sampling`);
  if (sampling !== null) node.telemetry.sampling = sampling;
  if (map.has('err_map')) {
    const errMap = map.get('err_map');
    node.err_map = errMap === null ? null : { mapping: readMapping(errMap, `${path}.err_map`) };
  }
  return node;
}

function readMapping(value: CborValue | undefined, path: string): JsonValue {
  return asJson(asMap(value, path).get('mapping') ?? null, `${path}.mapping`);
}

function readRouting(value: CborValue | undefined, path: string, nodeId: Lookup): Routing {
  if (value === 'End') return 'end';
  if (value === 'Reply') return 'reply';
  const map = asMap(value, path);
  const [variant, body] = map.size === 1 ? ([...map][0] as [string, CborValue]) : ['', null];
  switch (variant) {
    case 'Next':
      return { next: { node_id: nodeId(asMap(body, `${path}.Next`).get('node_id'), `${path}.Next.node_id`) } };
    case 'Branch': {
      const branch = asMap(body, `${path}.Branch`);
      const onStatus = asMap(branch.get('on_status') ?? new Map(), `${path}.Branch.on_status`);
      const fallback = branch.get('default');
      return {
        branch: {
          on_status: Object.fromEntries([...onStatus].map(([status, target]) => [status, nodeId(target, `${path}.Branch.on_status.${status}`)])),
          default: fallback === null || fallback === undefined ? null : nodeId(fallback, `${path}.Branch.default`),
        },
      };
    }
    case 'Custom':
      return { custom: asJson(body, `${path}.Custom`) };
    default:
      throw invalid(path, 'one of "End", "Reply", {Next}, {Branch}, {Custom}');
  }
}

function readSignatures(value: CborValue | undefined): PackSignature[] {
  if (value === undefined) return [];
  const list = asMap(value, 'signatures').get('signatures') ?? [];
  return asArray(list, 'signatures.signatures').map((item, i) => {
    const path = `signatures.signatures[${i}]`;
    const map = asMap(item, path);
    const algorithm = map.get('algorithm');
    const signature = map.get('signature');
    return {
      key_id: asString(map.get('key_id'), `${path}.key_id`),
      algorithm: typeof algorithm === 'string' ? algorithm : { other: asString(asMap(algorithm, `${path}.algorithm`).get('other'), `${path}.algorithm.other`) },
      signature: signature instanceof Uint8Array ? Buffer.from(signature).toString('base64') : asString(signature, `${path}.signature`),
    };
  });
}

function readExtensions(map: CborMap): Record<string, ExtensionRef> {
  const extensions: Record<string, ExtensionRef> = {};
  for (const [key, value] of map) {
    const path = `extensions.${key}`;
    const ext = asMap(value, path);
    const ref: ExtensionRef = { kind: asString(ext.get('kind'), `${path}.kind`), version: asString(ext.get('version'), `${path}.version`) };
    const digest = asOptionalString(ext.get('digest'), `${path}.digest`);
    if (digest !== null) ref.digest = digest;
    const location = asOptionalString(ext.get('location'), `${path}.location`);
    if (location !== null) ref.location = location;
    const inline = ext.get('inline');
    if (inline !== undefined && inline !== null) ref.inline = asJson(inline, `${path}.inline`);
    Object.defineProperty(extensions, key, { value: ref, enumerable: true, writable: true, configurable: true });
  }
  return extensions;
}
