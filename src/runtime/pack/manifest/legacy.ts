import type { CborMap, CborValue } from '../cbor/value';
import { asArray, asMap, asOptionalString, asString, asStrings } from './fields';
import type { LegacyPackManifest } from './model';

/** Reads the legacy `PackManifest {meta, flows, components}` for inspection; never written. */
export function decodeLegacyManifest(root: CborMap): LegacyPackManifest {
  const meta = asMap(root.get('meta'), 'meta');
  const optional = (map: CborMap, key: string, path: string) => asOptionalString(map.get(key), path);
  return {
    meta: {
      pack_id: asString(meta.get('pack_id'), 'meta.pack_id'),
      version: asString(meta.get('version'), 'meta.version'),
      name: optional(meta, 'name', 'meta.name'),
      kind: optional(meta, 'kind', 'meta.kind'),
      description: optional(meta, 'description', 'meta.description'),
      authors: asStrings(meta.get('authors') ?? [], 'meta.authors'),
      entry_flows: asStrings(meta.get('entry_flows') ?? [], 'meta.entry_flows'),
      created_at_utc: optional(meta, 'created_at_utc', 'meta.created_at_utc'),
    },
    flows: asArray(root.get('flows') ?? [], 'flows').map((item: CborValue, i) => {
      const path = `flows[${i}]`;
      const flow = asMap(item, path);
      return {
        id: asString(flow.get('id'), `${path}.id`),
        kind: asOptionalString(flow.get('kind'), `${path}.kind`) ?? '',
        entry: asOptionalString(flow.get('entry'), `${path}.entry`) ?? '',
        file_yaml: optional(flow, 'file_yaml', `${path}.file_yaml`),
        file_json: optional(flow, 'file_json', `${path}.file_json`),
        hash_blake3: optional(flow, 'hash_blake3', `${path}.hash_blake3`),
      };
    }),
    components: asArray(root.get('components') ?? [], 'components').map((item: CborValue, i) => {
      const path = `components[${i}]`;
      const component = asMap(item, path);
      return {
        name: asString(component.get('name'), `${path}.name`),
        version: asString(component.get('version'), `${path}.version`),
        file_wasm: optional(component, 'file_wasm', `${path}.file_wasm`),
        hash_blake3: optional(component, 'hash_blake3', `${path}.hash_blake3`),
        world: optional(component, 'world', `${path}.world`),
      };
    }),
  };
}
