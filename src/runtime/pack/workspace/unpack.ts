import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { StudioError } from '../../../shared/api';
import type { UnpackedProject } from '../../../shared/api/pack';
import { decompileFlow } from '../../../shared/flow/decompile';
import { writeFileAtomic } from '../../fs/atomic';
import { resolveInside } from '../../project/paths';
import type { PackLimits } from '../limits';
import type { LegacyPackManifest, PackManifest } from '../manifest/model';
import { MANIFEST_PATH, openPack, type OpenedPack } from '../open';

/** Archive entries that describe the pack rather than belong to its project (they are rebuilt). */
const PACK_METADATA = new Set([MANIFEST_PATH, 'manifest.json', 'sbom.cbor', 'sbom.json', 'provenance.json', 'pack.yaml']);

interface PlannedFile {
  path: string;
  bytes: Uint8Array | string;
}

/**
 * "Open as project": a pack's flows (their YAML source when the pack carries it, else written back
 * from the compiled manifest), assets, components and lock, with a `pack.yaml` reconstructed from the
 * manifest, written into a new or empty folder. The whole archive is read and checked before the
 * first byte is written, and every path is kept inside the folder.
 */
export async function unpackToProject(packPath: string, folder: string, limits?: Partial<PackLimits>): Promise<UnpackedProject> {
  if (!path.isAbsolute(folder)) throw new StudioError('bad_request', `the project folder must be an absolute path: ${folder}`);
  const root = path.resolve(folder);
  const created = await prepareEmptyFolder(root);
  const pack = await openPack({ path: packPath }, { ...(limits ? { limits } : {}), retain: () => true }).catch(async (error: unknown) => {
    if (created) await fs.rm(root, { recursive: true, force: true });
    throw error;
  });
  const warnings: string[] = [];
  const plan = pack.decoded.model === 'pack-v1' ? planCanonical(pack, pack.decoded.manifest, warnings) : planLegacy(pack, pack.decoded.manifest, warnings);
  const written: string[] = [];
  try {
    for (const file of plan.files) {
      const target = resolveInside(root, file.path);
      await fs.mkdir(path.dirname(target), { recursive: true });
      await writeFileAtomic(target, file.bytes);
      written.push(file.path);
    }
  } catch (error) {
    // Leave no half project behind: the folder was empty (or absent) before.
    if (created) await fs.rm(root, { recursive: true, force: true });
    else await Promise.all(written.map((file) => fs.rm(path.join(root, file), { force: true })));
    throw error;
  }
  return { root, flows: plan.flows, files: written, warnings };
}

/** Creates the folder, or accepts an existing empty one; true when it was created here. */
async function prepareEmptyFolder(root: string): Promise<boolean> {
  const stat = await fs.stat(root).catch(() => null);
  if (!stat) {
    await fs.mkdir(root, { recursive: true });
    return true;
  }
  if (!stat.isDirectory()) throw new StudioError('conflict', `${root} is a file, not a folder`);
  const entries = await fs.readdir(root);
  if (entries.length > 0) throw new StudioError('conflict', `${root} is not empty; choose a new or empty folder for the project`);
  return false;
}

function planCanonical(pack: OpenedPack, manifest: PackManifest, warnings: string[]) {
  const files: PlannedFile[] = [];
  const names = new FlowFileNames();
  const flowEntries = manifest.flows.map((entry) => {
    const file = names.next(entry.id);
    const source = pack.contents.retained.get(`flows/${entry.id}/flow.ygtc`);
    if (source) {
      files.push({ path: file, bytes: source });
    } else {
      const decompiled = decompileFlow(entry.flow);
      files.push({ path: file, bytes: decompiled.text });
      if (Object.keys(decompiled.componentIds).length > 0) files.push(resolveSummary(pack, file, decompiled.componentIds, warnings));
    }
    return { id: entry.id, file, tags: entry.tags, entrypoints: entry.entrypoints };
  });

  const components = manifest.components.flatMap((component) => {
    const wasm = `components/${component.id}.wasm`;
    if (!pack.contents.retained.has(wasm)) {
      warnings.push(`component ${component.id} has no ${wasm} in the pack, so pack.yaml does not list it`);
      return [];
    }
    return [
      {
        id: component.id,
        version: component.version,
        world: component.world,
        supports: component.supports.map((kind) => (kind === 'component_config' ? 'component-config' : kind)),
        profiles: component.profiles,
        capabilities: component.capabilities,
        wasm,
        operations: component.operations.map((op) => ({ name: op.name, input_schema: op.input_schema, output_schema: op.output_schema })),
        ...(component.config_schema !== null ? { config_schema: component.config_schema } : {}),
        ...(Object.keys(component.resources).length > 0 ? { resources: component.resources } : {}),
        ...(component.configurators !== null ? { configurators: component.configurators } : {}),
      },
    ];
  });

  // The builder writes these extensions itself from the components it bundles.
  const extensions = Object.fromEntries(
    Object.entries(manifest.extensions ?? {}).filter(([key]) => key !== 'greentic.pack-mode.v1' && key !== 'greentic.pack.component_manifests@v1'),
  );
  const config = {
    pack_id: manifest.pack_id,
    version: manifest.version,
    kind: manifest.kind,
    publisher: manifest.publisher,
    ...(manifest.name !== undefined ? { name: manifest.name } : {}),
    ...(manifest.bootstrap !== undefined ? { bootstrap: manifest.bootstrap } : {}),
    components,
    dependencies: manifest.dependencies,
    flows: flowEntries,
    assets: [],
    ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
  };
  files.push(packYaml(config, manifest.pack_id, manifest.version));
  files.push(...archiveFiles(pack, files));
  return { files, flows: flowEntries.map((entry) => entry.file) };
}

function planLegacy(pack: OpenedPack, manifest: LegacyPackManifest, warnings: string[]) {
  const files: PlannedFile[] = [];
  const names = new FlowFileNames();
  const flowEntries = manifest.flows.flatMap((flow) => {
    const candidates = [flow.file_yaml, `flows/${flow.id}/flow.ygtc`, `flows/${flow.id}/flow.yaml`].filter((name): name is string => Boolean(name));
    const source = candidates.map((name) => pack.contents.retained.get(name)).find(Boolean);
    if (!source) {
      warnings.push(`flow ${flow.id} has no YAML source in this legacy pack, so it was not unpacked`);
      return [];
    }
    const file = names.next(flow.id);
    files.push({ path: file, bytes: source });
    return [{ id: flow.id, file, tags: [], entrypoints: flow.entry ? [flow.entry] : [] }];
  });
  if (manifest.components.length > 0) {
    warnings.push('legacy components are unpacked under components/ but not listed in pack.yaml: their manifests lack the fields pack.yaml needs');
  }
  const kind = ['application', 'provider', 'infrastructure', 'library'].includes(manifest.meta.kind ?? '') ? (manifest.meta.kind as string) : 'application';
  const publisher = manifest.meta.authors[0] ?? 'unknown';
  if (!manifest.meta.authors[0]) warnings.push('the legacy manifest names no author; pack.yaml says publisher "unknown"');
  const config = { pack_id: manifest.meta.pack_id, version: manifest.meta.version, kind, publisher, ...(manifest.meta.name ? { name: manifest.meta.name } : {}), components: [], dependencies: [], flows: flowEntries, assets: [] };
  files.push(packYaml(config, manifest.meta.pack_id, manifest.meta.version));
  files.push(...archiveFiles(pack, files));
  return { files, flows: flowEntries.map((entry) => entry.file) };
}

/** Every other file of the archive, at its own path: assets, components, the lock, extra folders. */
function archiveFiles(pack: OpenedPack, planned: PlannedFile[]): PlannedFile[] {
  const taken = new Set(planned.map((file) => file.path));
  return pack.contents.entries
    .filter((entry) => !PACK_METADATA.has(entry.path) && !entry.path.startsWith('signatures/') && !entry.path.startsWith('flows/') && !taken.has(entry.path))
    .map((entry) => ({ path: entry.path, bytes: pack.contents.retained.get(entry.path) ?? new Uint8Array() }));
}

function packYaml(config: Record<string, unknown>, packId: string, version: string): PlannedFile {
  const header = `# Reconstructed by Greentic Studio from the manifest of ${packId} ${version}.\n`;
  return { path: 'pack.yaml', bytes: header + stringify(config, { lineWidth: 0, aliasDuplicateObjects: false }) };
}

/**
 * packc takes a node's concrete component from `<flow>.ygtc.resolve.summary.json`; writing it back
 * lets the unpacked project build to the same components.
 */
function resolveSummary(pack: OpenedPack, flowFile: string, componentIds: Record<string, string>, warnings: string[]): PlannedFile {
  const nodes: Record<string, unknown> = {};
  for (const [node, componentId] of Object.entries(componentIds)) {
    const wasm = pack.contents.retained.get(`components/${componentId}.wasm`);
    if (!wasm) warnings.push(`${flowFile}: node ${node} uses component ${componentId}, which the pack does not carry`);
    nodes[node] = {
      component_id: componentId,
      source: { kind: 'local', path: `../components/${componentId}.wasm` },
      ...(wasm ? { digest: `sha256:${createHash('sha256').update(wasm).digest('hex')}` } : {}),
    };
  }
  const summary = { schema_version: 1, flow: path.posix.basename(flowFile), nodes };
  return { path: `${flowFile}.resolve.summary.json`, bytes: `${JSON.stringify(summary, null, 2)}\n` };
}

/** `flows/<id>.ygtc`, with the id reduced to a safe file name and made unique. */
class FlowFileNames {
  private readonly used = new Set<string>();

  next(id: string): string {
    const base = id.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || 'flow';
    let name = base;
    for (let n = 2; this.used.has(name.toLowerCase()); n += 1) name = `${base}-${n}`;
    this.used.add(name.toLowerCase());
    return `flows/${name}.ygtc`;
  }
}
