import type { PackComponentReport, PackEntryReport, PackFlowReport, PackInspection, PackVerification } from '../../shared/api/pack';
import type { OpenedPack } from './open';

/** The inspector's view of an opened pack: one document for the CLI's `--json` and the UI. */
export function describePack(pack: OpenedPack, verification: PackVerification): PackInspection {
  const mediaTypes = new Map((pack.sbom?.value.files ?? []).map((file) => [file.path, file.media_type]));
  const entries: PackEntryReport[] = pack.contents.entries.map((entry) => ({
    path: entry.path,
    size: entry.size,
    compressed_size: entry.compressedSize,
    method: entry.method,
    media_type: mediaTypes.get(entry.path) ?? null,
    blake3: entry.blake3,
    sbom_status: pack.sbomCheck.status.get(entry.path) ?? 'unchecked',
  }));
  const byPath = new Map(entries.map((entry) => [entry.path, entry]));
  const base = {
    layout: pack.layout,
    model: pack.decoded.model,
    entries,
    sbom: { ok: pack.sbomCheck.ok, file: pack.sbom?.file ?? null, problems: pack.sbomCheck.problems },
    signatures: verification.signatures,
    warnings: pack.warnings,
  };

  if (pack.decoded.model === 'legacy') {
    const { meta, flows, components } = pack.decoded.manifest;
    const componentDetails = components.map((component): PackComponentReport => {
      const wasm = component.file_wasm ? byPath.get(component.file_wasm) : undefined;
      return {
        id: `${component.name}@${component.version}`,
        version: component.version,
        world: component.world,
        supports: [],
        operations: [],
        capabilities: null,
        wasm_path: wasm?.path ?? null,
        size: wasm?.size ?? null,
        blake3: wasm?.blake3 ?? null,
      };
    });
    return {
      ...base,
      pack_id: meta.pack_id,
      version: meta.version,
      name: meta.name,
      kind: meta.kind,
      publisher: meta.authors[0] ?? null,
      flows: flows.map((flow) => flow.id),
      components: componentDetails.map((component) => component.id),
      flow_details: flows.map((flow): PackFlowReport => ({ id: flow.id, kind: flow.kind, tags: [], entrypoints: flow.entry ? [flow.entry] : [], flow: null })),
      component_details: componentDetails,
    };
  }

  const manifest = pack.decoded.manifest;
  const componentDetails = manifest.components.map((component): PackComponentReport => {
    const wasm = byPath.get(`components/${component.id}.wasm`);
    return {
      id: component.id,
      version: component.version,
      world: component.world,
      supports: component.supports,
      operations: component.operations.map((op) => op.name),
      capabilities: component.capabilities,
      wasm_path: wasm?.path ?? null,
      size: wasm?.size ?? null,
      blake3: wasm?.blake3 ?? null,
    };
  });
  return {
    ...base,
    pack_id: manifest.pack_id,
    version: manifest.version,
    name: manifest.name ?? null,
    kind: manifest.kind,
    publisher: manifest.publisher,
    flows: manifest.flows.map((entry) => entry.id),
    components: componentDetails.map((component) => component.id),
    flow_details: manifest.flows.map((entry): PackFlowReport => ({ id: entry.id, kind: entry.kind, tags: entry.tags, entrypoints: entry.entrypoints, flow: entry.flow })),
    component_details: componentDetails,
  };
}
