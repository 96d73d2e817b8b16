import type { CompiledFlow, CompiledNode, JsonValue, Routing } from '../../../shared/flow/compiled';
import { encodeCbor } from '../cbor/encode';
import { compareBytewise, type CborMap, type CborValue } from '../cbor/value';
import { PackError } from '../errors';
import { sortedJson, structJson } from './fields';
import type { ComponentManifest, PackManifest, PackSignature } from './model';

/**
 * Encodes a manifest exactly as greentic-types' `encode_pack_manifest` does: `EncodedPackManifest`
 * with bytewise-sorted symbol tables, u32 references, struct field order, PascalCase routing
 * variants, and `null` for absent options that have no skip rule.
 */
export function encodePackManifest(manifest: PackManifest): Uint8Array {
  return encodeCbor(packManifestToCbor(manifest));
}

/** The manifest as signed by scheme B: the same document with an empty signature list. */
export function encodeUnsignedPackManifest(manifest: PackManifest): Uint8Array {
  return encodePackManifest({ ...manifest, signatures: [] });
}

interface SymbolIndex {
  component_ids: Map<string, number>;
  node_ids: Map<string, number>;
  capability_names: Map<string, number>;
  pack_ids: Map<string, number>;
}

export function packManifestToCbor(manifest: PackManifest): CborMap {
  const tables = symbolTables(manifest);
  const index = Object.fromEntries(
    Object.entries(tables).map(([name, list]) => [name, new Map(list.map((symbol, i) => [symbol, i]))]),
  ) as unknown as SymbolIndex;
  const ref = (table: keyof SymbolIndex, symbol: string): number => {
    const found = index[table].get(symbol);
    if (found === undefined) throw new PackError('manifest_invalid', `"${symbol}" is not in symbols.${table}`);
    return found;
  };

  const root: CborMap = new Map<string, CborValue>([
    ['schema_version', manifest.schema_version],
    ['pack_id', ref('pack_ids', manifest.pack_id)],
  ]);
  if (manifest.name !== undefined) root.set('name', manifest.name);
  root.set('version', manifest.version);
  root.set('kind', manifest.kind);
  root.set('publisher', manifest.publisher);
  root.set('symbols', new Map<string, CborValue>(Object.entries(tables)));
  root.set('components', manifest.components.map((component) => componentToCbor(component, ref('component_ids', component.id))));
  root.set(
    'flows',
    manifest.flows.map(
      (entry) =>
        new Map<string, CborValue>([
          ['id', entry.id],
          ['kind', entry.kind],
          ['flow', flowToCbor(entry.flow, ref)],
          ['tags', entry.tags],
          ['entrypoints', entry.entrypoints],
        ]),
    ),
  );
  root.set(
    'dependencies',
    manifest.dependencies.map(
      (dep) =>
        new Map<string, CborValue>([
          ['alias', dep.alias],
          ['pack_id', ref('pack_ids', dep.pack_id)],
          ['version_req', dep.version_req],
          ['required_capabilities', dep.required_capabilities.map((name) => ref('capability_names', name))],
        ]),
    ),
  );
  root.set(
    'capabilities',
    manifest.capabilities.map(
      (cap) =>
        new Map<string, CborValue>([
          ['name', ref('capability_names', cap.name)],
          ['description', cap.description],
        ]),
    ),
  );
  if (manifest.secret_requirements.length > 0) root.set('secret_requirements', manifest.secret_requirements.map(structJson));
  root.set('signatures', new Map([['signatures', manifest.signatures.map(signatureToCbor)]]));
  if (manifest.bootstrap !== undefined) root.set('bootstrap', structJson(manifest.bootstrap));
  const extensionKeys = Object.keys(manifest.extensions ?? {}).sort(compareBytewise);
  if (extensionKeys.length > 0) {
    root.set(
      'extensions',
      new Map(
        extensionKeys.map((key) => {
          const ext = manifest.extensions?.[key];
          if (!ext) throw new PackError('manifest_invalid', `extension "${key}" is empty`);
          const encoded = new Map<string, CborValue>([
            ['kind', ext.kind],
            ['version', ext.version],
          ]);
          if (ext.digest !== undefined) encoded.set('digest', ext.digest);
          if (ext.location !== undefined) encoded.set('location', ext.location);
          if (ext.inline !== undefined) encoded.set('inline', sortedJson(ext.inline));
          return [key, encoded];
        }),
      ),
    );
  }
  if (manifest.agents !== undefined && Object.keys(manifest.agents).length > 0) root.set('agents', sortedJson(manifest.agents));
  for (const [key, value] of manifest.unknown_fields ?? []) root.set(key, structJson(value));
  return root;
}

/** `build_symbol_tables`: each table de-duplicated and sorted bytewise. */
function symbolTables(manifest: PackManifest): Record<keyof SymbolIndex, string[]> {
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort(compareBytewise);
  const nodes = manifest.flows.flatMap((entry) => entry.flow.nodes);
  return {
    component_ids: sorted([...manifest.components.map((c) => c.id), ...nodes.map((node) => node.component.id)]),
    node_ids: sorted(nodes.map((node) => node.id)),
    capability_names: sorted([
      ...manifest.capabilities.map((cap) => cap.name),
      ...manifest.dependencies.flatMap((dep) => dep.required_capabilities),
    ]),
    pack_ids: sorted([manifest.pack_id, ...manifest.dependencies.map((dep) => dep.pack_id)]),
  };
}

function componentToCbor(component: ComponentManifest, id: number): CborMap {
  return new Map<string, CborValue>([
    ['id', id],
    ['version', component.version],
    ['supports', component.supports],
    ['world', component.world],
    ['profiles', structJson(component.profiles)],
    ['capabilities', structJson(component.capabilities)],
    ['configurators', component.configurators === null ? null : structJson(component.configurators)],
    [
      'operations',
      component.operations.map((op) => {
        const encoded = new Map<string, CborValue>([['name', op.name]]);
        if (op.description !== undefined) encoded.set('description', op.description);
        encoded.set('input_schema', sortedJson(op.input_schema));
        encoded.set('output_schema', sortedJson(op.output_schema));
        return encoded;
      }),
    ],
    ['config_schema', component.config_schema === null ? null : sortedJson(component.config_schema)],
    ['resources', structJson(component.resources)],
    ['dev_flows', devFlowsToCbor(component.dev_flows)],
  ]);
}

/** `BTreeMap<FlowId, ComponentDevFlow {format, graph}>`: keys sorted, graph is JSON. */
function devFlowsToCbor(devFlows: Record<string, JsonValue>): CborMap {
  const keys = Object.keys(devFlows).sort(compareBytewise);
  return new Map(
    keys.map((key) => {
      const flow = devFlows[key];
      if (flow === null || typeof flow !== 'object' || Array.isArray(flow)) return [key, sortedJson(flow ?? null)];
      return [
        key,
        new Map<string, CborValue>([
          ['format', flow.format ?? 'flow-ir-json'],
          ['graph', sortedJson(flow.graph ?? null)],
        ]),
      ];
    }),
  );
}

type Ref = (table: keyof SymbolIndex, symbol: string) => number;

function flowToCbor(flow: CompiledFlow, ref: Ref): CborMap {
  const metadata = new Map<string, CborValue>();
  if (flow.metadata.title !== undefined) metadata.set('title', flow.metadata.title);
  if (flow.metadata.description !== undefined) metadata.set('description', flow.metadata.description);
  metadata.set('tags', [...new Set(flow.metadata.tags)].sort(compareBytewise));
  metadata.set('extra', sortedJson(flow.metadata.extra));
  return new Map<string, CborValue>([
    ['schema_version', flow.schema_version],
    ['id', flow.id],
    ['kind', flow.kind],
    ['entrypoints', sortedJson(flow.entrypoints)],
    ['nodes', flow.nodes.map((node) => nodeToCbor(node, ref))],
    ['metadata', metadata],
  ]);
}

function nodeToCbor(node: CompiledNode, ref: Ref): CborMap {
  const encoded = new Map<string, CborValue>([
    ['id', ref('node_ids', node.id)],
    [
      'component',
      new Map<string, CborValue>([
        ['id', ref('component_ids', node.component.id)],
        ['pack_alias', node.component.pack_alias],
        ['operation', node.component.operation],
      ]),
    ],
    ['input', new Map([['mapping', sortedJson(node.input.mapping)]])],
    ['output', new Map([['mapping', sortedJson(node.output.mapping)]])],
  ]);
  // greentic-types 0.4 has no err_map field; 1.x always writes it (null when absent).
  if (node.err_map !== undefined) encoded.set('err_map', node.err_map === null ? null : new Map([['mapping', sortedJson(node.err_map.mapping)]]));
  encoded.set('routing', routingToCbor(node.routing, ref));
  const telemetry = new Map<string, CborValue>();
  if (node.telemetry.span_name !== undefined) telemetry.set('span_name', node.telemetry.span_name);
  telemetry.set('attributes', sortedJson(node.telemetry.attributes));
  if (node.telemetry.sampling !== undefined) telemetry.set('sampling', node.telemetry.sampling);
  encoded.set('telemetry', telemetry);
  return encoded;
}

function routingToCbor(routing: Routing, ref: Ref): CborValue {
  if (routing === 'end') return 'End';
  if (routing === 'reply') return 'Reply';
  if ('next' in routing) return new Map([['Next', new Map([['node_id', ref('node_ids', routing.next.node_id)]])]]);
  if ('branch' in routing) {
    const statuses = Object.keys(routing.branch.on_status).sort(compareBytewise);
    return new Map([
      [
        'Branch',
        new Map<string, CborValue>([
          ['on_status', new Map(statuses.map((status) => [status, ref('node_ids', routing.branch.on_status[status] as string)]))],
          ['default', routing.branch.default === null ? null : ref('node_ids', routing.branch.default)],
        ]),
      ],
    ]);
  }
  return new Map([['Custom', sortedJson(routing.custom)]]);
}

function signatureToCbor(signature: PackSignature): CborMap {
  const algorithm = typeof signature.algorithm === 'string' ? signature.algorithm : new Map([['other', signature.algorithm.other]]);
  return new Map<string, CborValue>([
    ['key_id', signature.key_id],
    ['algorithm', algorithm],
    ['signature', signature.signature],
  ]);
}
