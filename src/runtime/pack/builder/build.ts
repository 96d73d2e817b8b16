import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { compileFlow, decodeFlowBytes } from '../../../shared/flow';
import type { CompiledFlow } from '../../../shared/flow/compiled';
import { LAYOUT_SUFFIX } from '../../../shared/flow/layout';
import { assemblePack, type PackFile, type PackSigner } from '../assemble';
import { decodeCbor } from '../cbor/decode';
import { encodeCanonicalCbor } from '../cbor/encode';
import { compareBytewise, type CborValue } from '../cbor/value';
import { PINS_SUFFIX } from '../../chat/pins';
import { BREAKPOINTS_SUFFIX } from '../../debug/breakpoint-store';
import { PackError } from '../errors';
import { resolveLimits, type PackLimits } from '../limits';
import { mediaTypeFor } from '../media-types';
import type { ComponentManifest, ExtensionRef, JsonObject, PackFlowEntry, PackManifest } from '../manifest/model';
import { capabilityNames, secretRequirements, standaloneManifest, toComponentManifest } from './component-manifest';
import { parsePackConfig, type PackConfig, type PackConfigComponent } from './pack-config';
import { ProjectFiles } from './source-files';

export interface BuildOptions {
  limits?: Partial<PackLimits>;
  signer?: PackSigner;
  /** Called as the build advances, for a progress bar. */
  onProgress?: (done: number, total: number, label: string) => void;
}

export interface BuiltPack {
  bytes: Uint8Array;
  manifest: PackManifest;
  entries: number;
  warnings: string[];
}

/** Root files packc never copies as extras (re-adding `pack.lock.cbor` itself). */
const RESERVED_ROOT_FILES = new Set([
  'pack.yaml',
  'pack.manifest.json',
  'pack.lock.cbor',
  'manifest.json',
  'manifest.cbor',
  'sbom.json',
  'sbom.cbor',
  'provenance.json',
  'secret-requirements.json',
  'secrets_requirements.json',
]);
const EXCLUDED_ROOT_DIRS = new Set(['components', 'flows', 'dist', 'target', 'node_modules']);
const MANIFEST_CANDIDATES = (id: string) => ['component.manifest.cbor', 'component.manifest.json', 'component.json', `${id}.manifest.cbor`, `${id}.manifest.json`, `${id}.json`];
/** `{version: 1, components: {}}` in canonical CBOR: packc's lock for a pack without components. */
const EMPTY_LOCK = encodeCanonicalCbor({ version: 1, components: {} });

/**
 * Builds a pack project folder into a canonical `.gtpack`, as `greentic-pack build` does: flows
 * compiled with the flow core, components with their canonical manifests, extras and the lock, in
 * packc's entry order, stored, with fixed timestamps. Studio-only sidecars never enter the pack.
 */
export async function buildPack(projectRoot: string, options: BuildOptions = {}): Promise<BuiltPack> {
  const limits = resolveLimits(options.limits);
  const files = new ProjectFiles(path.resolve(projectRoot), limits.maxEntryBytes);
  const progress = options.onProgress ?? (() => undefined);
  const config = parsePackConfig(await files.readText(path.join(files.root, 'pack.yaml'), 'pack.yaml').catch(missingPackYaml));
  const warnings: string[] = [];
  const steps = config.flows.length + config.components.length + 2;
  let done = 0;
  const step = (label: string) => progress(++done, steps, label);

  const flows: PackFlowEntry[] = [];
  for (const entry of config.flows) {
    flows.push(await compilePackFlow(files, entry));
    step(`compiled flow ${entry.id}`);
  }

  const components: ComponentManifest[] = [];
  const componentFiles: PackFile[] = [];
  for (const component of [...config.components].sort((a, b) => compareBytewise(a.id, b.id))) {
    const bundled = await bundleComponent(files, component, warnings);
    components.push(bundled.manifest);
    componentFiles.push(...bundled.files);
    step(`bundled component ${component.id}`);
  }

  const extras = await collectExtras(files, config, warnings, components.length > 0);
  step('collected assets');

  const manifest = packManifest(config, flows, components, componentFiles);
  const packFiles = [...componentFiles, ...extras];
  const total = packFiles.reduce((sum, file) => sum + file.bytes.length, 0);
  if (total > limits.maxTotalBytes) {
    throw new PackError('archive_too_large', `the pack would hold ${total} bytes; at most ${limits.maxTotalBytes} are allowed`);
  }
  const bytes = await assemblePack(manifest, packFiles, options.signer);
  step(options.signer ? 'wrote and signed the archive' : 'wrote the archive');
  return { bytes, manifest, entries: packFiles.length + 2 + (options.signer ? 2 : 0), warnings };
}

function missingPackYaml(error: unknown): never {
  if (error instanceof PackError && error.code === 'component_missing') throw new PackError('config_invalid', 'pack.yaml not found in the pack folder', 'pack.yaml');
  throw error;
}

async function compilePackFlow(files: ProjectFiles, entry: PackConfig['flows'][number]): Promise<PackFlowEntry> {
  const file = files.resolve(entry.file, `flow ${entry.id}`);
  const bytes = await files.read(file, `flow ${entry.id}`).catch((error: unknown) => {
    if (error instanceof PackError && error.code === 'component_missing') throw new PackError('flow_invalid', error.message, entry.file);
    throw error;
  });
  const decoded = decodeFlowBytes(bytes, entry.file);
  if ('problem' in decoded) throw new PackError('flow_invalid', `flow ${entry.file} does not validate: ${decoded.problem.message}`, entry.file);
  const { flow, diagnostics } = compileFlow(decoded.text);
  if (!flow) {
    const first = diagnostics.find((d) => d.severity === 'error') ?? diagnostics[0];
    throw new PackError('flow_invalid', `flow ${entry.file} does not validate: ${first?.message ?? 'unknown error'}`, entry.file);
  }
  const resolved = await applyResolveSummary(files, file, flow);
  return { id: entry.id, kind: resolved.kind, flow: resolved, tags: entry.tags, entrypoints: entry.entrypoints };
}

/** packc replaces `component.exec` with the concrete component id from `<flow>.resolve.summary.json`. */
async function applyResolveSummary(files: ProjectFiles, flowFile: string, flow: CompiledFlow): Promise<CompiledFlow> {
  const summaryFile = `${flowFile}.resolve.summary.json`;
  if (!(await files.stat(summaryFile))?.isFile()) return flow;
  let summary: { nodes?: Record<string, { component_id?: unknown }> };
  try {
    summary = JSON.parse(await files.readText(summaryFile, 'resolve summary'));
  } catch (error) {
    throw new PackError('config_invalid', `${files.display(summaryFile)} is not valid JSON: ${(error as Error).message}`, files.display(summaryFile));
  }
  return {
    ...flow,
    nodes: flow.nodes.map((node) => {
      const componentId = summary.nodes?.[node.id]?.component_id;
      if (node.component.id !== 'component.exec' || typeof componentId !== 'string') return node;
      return { ...node, component: { ...node.component, id: componentId } };
    }),
  };
}

async function bundleComponent(files: ProjectFiles, component: PackConfigComponent, warnings: string[]) {
  let wasmPath = files.resolve(component.wasm, `component ${component.id} wasm`);
  if ((await files.stat(wasmPath))?.isDirectory()) wasmPath = path.join(wasmPath, 'component.wasm');
  const wasm = await files.read(wasmPath, `component ${component.id}: wasm`);
  const source = await findComponentManifest(files, component, wasmPath);
  if (!source) warnings.push(`component ${component.id}: no component manifest found; using the fields of pack.yaml`);
  if (source && (source.id !== component.id || source.version !== component.version)) {
    throw new PackError('config_invalid', `component ${component.id}: its manifest declares ${String(source.id)}@${String(source.version)}, pack.yaml ${component.id}@${component.version}`);
  }
  const manifest = toComponentManifest(component, source);
  const packFiles: PackFile[] = [{ path: `components/${component.id}.wasm`, bytes: wasm, mediaType: 'application/wasm' }];
  const describePath = `${wasmPath}.describe.cbor`;
  if ((await files.stat(describePath))?.isFile()) {
    packFiles.push({ path: `components/${component.id}.wasm.describe.cbor`, bytes: await files.read(describePath, 'describe data'), mediaType: 'application/cbor' });
  }
  packFiles.push({
    path: `components/${component.id}.manifest.cbor`,
    bytes: encodeCanonicalCbor(standaloneManifest(manifest) as CborValue),
    mediaType: 'application/cbor',
  });
  return { manifest, files: packFiles };
}

/** The component manifest next to the wasm or in a parent folder inside the project (packc's candidates). */
async function findComponentManifest(files: ProjectFiles, component: PackConfigComponent, wasmPath: string): Promise<JsonObject | null> {
  for (let dir = path.dirname(wasmPath); !path.relative(files.root, dir).startsWith('..'); dir = path.dirname(dir)) {
    for (const name of MANIFEST_CANDIDATES(component.id)) {
      const candidate = path.join(dir, name);
      if (!(await files.stat(candidate))?.isFile()) continue;
      const bytes = await files.read(candidate, 'component manifest');
      try {
        return (name.endsWith('.cbor') ? cborToJson(decodeCbor(bytes)) : JSON.parse(new TextDecoder().decode(bytes))) as JsonObject;
      } catch (error) {
        throw new PackError('config_invalid', `${files.display(candidate)} cannot be read: ${(error as Error).message}`, files.display(candidate));
      }
    }
    if (dir === files.root) break;
  }
  return null;
}

function cborToJson(value: CborValue): unknown {
  if (value instanceof Map) return Object.fromEntries([...value].map(([key, item]) => [key, cborToJson(item)]));
  if (Array.isArray(value)) return value.map(cborToJson);
  return value;
}

async function collectExtras(files: ProjectFiles, config: PackConfig, warnings: string[], hasComponents: boolean): Promise<PackFile[]> {
  const extras = new Map<string, string>();
  for (const asset of config.assets) extras.set(`assets/${asset.path}`, files.resolve(asset.path, 'asset'));
  for (const entry of await fs.readdir(files.root, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const absolute = path.join(files.root, entry.name);
    if (entry.isFile()) {
      if (RESERVED_ROOT_FILES.has(entry.name) || entry.name.endsWith('.ygtc') || isStudioSidecar(entry.name)) continue;
      if (extras.has(`assets/${entry.name}`)) warnings.push(`skipping root asset ${entry.name} because assets/${entry.name} already exists`);
      else extras.set(`assets/${entry.name}`, absolute);
    } else if (entry.isDirectory() && !EXCLUDED_ROOT_DIRS.has(entry.name)) {
      for (const relative of await files.walk(absolute)) {
        if (!isStudioSidecar(relative)) extras.set(`${entry.name}/${relative}`, path.join(absolute, relative));
      }
    }
  }
  const lockPath = path.join(files.root, 'pack.lock.cbor');
  let lock: Uint8Array;
  if ((await files.stat(lockPath))?.isFile()) {
    lock = await files.read(lockPath, 'pack.lock.cbor');
    try {
      decodeCbor(lock);
    } catch (error) {
      throw new PackError('config_invalid', `pack.lock.cbor is not valid CBOR: ${(error as Error).message}`, 'pack.lock.cbor');
    }
  } else if (hasComponents) {
    throw new PackError('config_invalid', 'pack.lock.cbor is required (run `greentic-pack resolve`)', 'pack.lock.cbor');
  } else {
    lock = EMPTY_LOCK;
  }
  const out: PackFile[] = [];
  for (const entryPath of [...extras.keys()].sort(compareBytewise)) {
    const source = extras.get(entryPath) as string;
    out.push({ path: entryPath, bytes: await files.read(source, 'asset'), mediaType: 'application/octet-stream' });
  }
  out.push({ path: 'pack.lock.cbor', bytes: lock, mediaType: mediaTypeFor('pack.lock.cbor') });
  return out.sort((a, b) => compareBytewise(a.path, b.path));
}

/** Layout, pinned outputs, breakpoints and other editor-only sidecars belong to the studio, never to a pack. */
function isStudioSidecar(name: string): boolean {
  return name.endsWith(LAYOUT_SUFFIX) || name.endsWith(PINS_SUFFIX) || name.endsWith(BREAKPOINTS_SUFFIX);
}

function packManifest(config: PackConfig, flows: PackFlowEntry[], components: ComponentManifest[], componentFiles: PackFile[]): PackManifest {
  const capabilities: string[] = [];
  for (const name of components.flatMap(capabilityNames)) if (!capabilities.includes(name)) capabilities.push(name);
  const secrets = new Map<string, JsonObject>();
  for (const requirement of components.flatMap(secretRequirements)) secrets.set(JSON.stringify(requirement), requirement);
  const extensions: Record<string, ExtensionRef> = {
    'greentic.pack-mode.v1': { kind: 'greentic.pack-mode.v1', version: '1', inline: { mode: 'prod' } },
  };
  const manifestFiles = componentFiles.filter((file) => file.path.endsWith('.manifest.cbor'));
  if (manifestFiles.length > 0) {
    extensions['greentic.pack.component_manifests@v1'] = {
      kind: 'greentic.pack.component_manifests@v1',
      version: 'v1',
      inline: {
        schema_version: 1,
        entries: manifestFiles.map((file) => ({
          component_id: file.path.slice('components/'.length, -'.manifest.cbor'.length),
          manifest_file: file.path,
          content_hash: `sha256:${createHash('sha256').update(file.bytes).digest('hex')}`,
          encoding: 'cbor',
        })),
      },
    };
  }
  for (const [key, ext] of Object.entries(config.extensions ?? {})) {
    extensions[key] = { kind: ext.kind, version: ext.version, ...(ext.digest ? { digest: ext.digest } : {}), ...(ext.location ? { location: ext.location } : {}), ...(ext.inline === undefined ? {} : { inline: ext.inline as JsonObject }) };
  }
  const manifest: PackManifest = {
    schema_version: 'pack-v1',
    pack_id: config.pack_id,
    version: config.version,
    kind: config.kind,
    publisher: config.publisher,
    components,
    flows,
    dependencies: config.dependencies,
    capabilities: capabilities.map((name) => ({ name, description: null })),
    secret_requirements: [...secrets.keys()].sort(compareBytewise).map((key) => secrets.get(key) as JsonObject),
    signatures: [],
    extensions,
  };
  if (config.name !== undefined) manifest.name = config.name;
  if (config.bootstrap !== undefined) manifest.bootstrap = config.bootstrap as JsonObject;
  return manifest;
}
