/**
 * Legacy-layout packs for tests (pack-format.md §2.2): what greentic-pack's old `PackBuilder` writes,
 * unsigned, with flows under `flows/<id>/` and components under `components/<name>@<version>/`. The
 * studio never writes this layout itself.
 */
import { Encoder } from 'cbor-x';
import { parse as parseYaml } from 'yaml';
import { writeZip, type ZipInput } from '../../../src/runtime/pack/archive/zip-writer';
import { blake3Hex } from '../../../src/runtime/pack/hash';

export interface LegacyFlowSpec {
  id: string;
  yaml: string;
}

export interface LegacyComponentSpec {
  name: string;
  version: string;
  wasm: Uint8Array;
  /** Written as `manifest.json` beside the wasm when given. */
  manifest?: Record<string, unknown>;
  /** The hash the pack manifest gives the wasm (default: its real BLAKE3). */
  hash?: string;
}

/** The 8 bytes of an empty core WebAssembly module: a wasm file, but not a component. */
export const EMPTY_CORE_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

const text = (value: string) => new TextEncoder().encode(value);

export async function legacyPackBytes(packId: string, flows: LegacyFlowSpec[], components: LegacyComponentSpec[] = []): Promise<Uint8Array> {
  const files: (ZipInput & { mediaType: string })[] = [];
  const flowEntries = await Promise.all(flows.map(async (flow) => {
    const yamlPath = `flows/${flow.id}/flow.ygtc`;
    const jsonPath = `flows/${flow.id}/flow.json`;
    const json = text(JSON.stringify(parseYaml(flow.yaml)));
    files.push({ path: jsonPath, bytes: json, mediaType: 'application/json' }, { path: yamlPath, bytes: text(flow.yaml), mediaType: 'application/yaml' });
    return { id: flow.id, kind: 'messaging', entry: 'start', file_yaml: yamlPath, file_json: jsonPath, hash_blake3: await blake3Hex(json) };
  }));
  const componentEntries = await Promise.all(components.map(async (component) => {
    const folder = `components/${component.name}@${component.version}`;
    files.push({ path: `${folder}/component.wasm`, bytes: component.wasm, mediaType: 'application/wasm' });
    if (component.manifest) files.push({ path: `${folder}/manifest.json`, bytes: text(JSON.stringify(component.manifest)), mediaType: 'application/json' });
    return {
      name: component.name,
      version: component.version,
      file_wasm: `${folder}/component.wasm`,
      hash_blake3: component.hash ?? (await blake3Hex(component.wasm)),
      schema_file: null,
      manifest_file: component.manifest ? `${folder}/manifest.json` : null,
      world: null,
      capabilities: null,
    };
  }));
  const manifest = {
    meta: {
      packVersion: 1,
      pack_id: packId,
      version: '0.1.0',
      name: packId,
      description: null,
      authors: ['tests'],
      license: null,
      imports: [],
      entry_flows: flows.map((flow) => flow.id),
      created_at_utc: '2025-01-01T00:00:00Z',
      annotations: {},
    },
    flows: flowEntries,
    components: componentEntries,
  };
  files.push(
    { path: 'manifest.cbor', bytes: new Encoder({ useRecords: false }).encode(manifest), mediaType: 'application/cbor' },
    { path: 'manifest.json', bytes: text(JSON.stringify(manifest, null, 2)), mediaType: 'application/json' },
    { path: 'provenance.json', bytes: text(JSON.stringify({ builder: 'tests', built_at_utc: '2025-01-01T00:00:00Z' })), mediaType: 'application/json' },
  );
  const sbom = {
    files: await Promise.all(files.map(async (file) => ({ hash_blake3: await blake3Hex(file.bytes), media_type: file.mediaType, path: file.path, size: file.bytes.length }))),
    format: 'greentic-sbom-v1',
  };
  const entries = [...files, { path: 'sbom.json', bytes: text(JSON.stringify(sbom, null, 2)) }].sort((a, b) => (a.path < b.path ? -1 : 1));
  return writeZip(entries.map(({ path, bytes }) => ({ path, bytes })));
}
