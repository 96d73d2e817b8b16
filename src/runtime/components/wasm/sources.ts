import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readArchive, type ArchiveContents } from '../../pack/archive/zip-reader';
import { PackError } from '../../pack/errors';
import { WasmComponentError } from './errors';
import { lockedComponents } from './locked-sources';
import { parseManifest, type ComponentManifest } from './manifest';
import { MAX_COMPONENT_BYTES } from './transpile';

/** Component bytes and what is known about them, wherever they came from. */
export interface ComponentSource {
  id: string;
  /** Where it came from, for messages: a file path or `pack.gtpack#id`. */
  origin: string;
  bytes: Uint8Array;
  manifest: ComponentManifest | null;
}

/** How to get a component's bytes later, without reading them now. */
export interface ComponentLocation {
  id: string;
  origin: string;
  read(): Promise<ComponentSource>;
}

export type ComponentSpec = { kind: 'pack'; pack: string; id: string } | { kind: 'file'; file: string };

/** `pack.gtpack#component-id` or a path to a `.wasm` file. */
export function parseComponentSpec(spec: string): ComponentSpec {
  const hash = spec.lastIndexOf('#');
  if (hash > 0 && spec.slice(0, hash).endsWith('.gtpack')) {
    const id = spec.slice(hash + 1);
    if (!id) throw new WasmComponentError('invalid_source', `${spec} names no component after "#"`);
    return { kind: 'pack', pack: spec.slice(0, hash), id };
  }
  if (spec.endsWith('.gtpack')) {
    throw new WasmComponentError('invalid_source', `${spec} is a pack: name the component as ${spec}#<component-id>`);
  }
  return { kind: 'file', file: spec };
}

export async function locateSpec(spec: ComponentSpec): Promise<ComponentLocation> {
  if (spec.kind === 'pack') return packComponent(spec.pack, spec.id);
  return locateFile(spec.file);
}

/** A `.wasm` file under the id its manifest gives it (else its file name). */
export async function locateFile(file: string): Promise<ComponentLocation> {
  const manifest = await siblingManifest(file).catch(() => null);
  return fileComponent(file, manifest?.id);
}

/**
 * A `.wasm` file, with the manifest beside it when there is one: `<name>.manifest.json`, else
 * `component.manifest.json` whose `artifacts.component_wasm` names this file.
 */
export function fileComponent(file: string, id?: string): ComponentLocation {
  const stem = path.basename(file).replace(/\.wasm$/, '');
  return {
    id: id ?? stem,
    origin: file,
    async read() {
      const bytes = await readBounded(file);
      const manifest = await siblingManifest(file);
      return { id: id ?? manifest?.id ?? stem, origin: file, bytes, manifest };
    },
  };
}

/** Reads the named files of a `.gtpack` through the bounded reader; archive problems become component errors. */
export async function readPackFiles(pack: string, paths: string[]): Promise<ArchiveContents> {
  const wanted = new Set(paths);
  try {
    return await readArchive({ path: pack }, { retain: (entry) => wanted.has(entry), hashAll: false });
  } catch (error) {
    if (error instanceof PackError) throw new WasmComponentError('invalid_source', `${pack}: ${error.message}`);
    throw new WasmComponentError('not_found', `cannot read ${pack}: ${(error as Error).message}`);
  }
}

/** `components/<id>.wasm` (and its `components/<id>.manifest.cbor`) inside a `.gtpack`. */
export function packComponent(pack: string, id: string): ComponentLocation {
  const origin = `${pack}#${id}`;
  return {
    id,
    origin,
    async read() {
      const wasmPath = `components/${id}.wasm`;
      const manifestPath = `components/${id}.manifest.cbor`;
      const contents = await readPackFiles(pack, [wasmPath, manifestPath]);
      const bytes = contents.retained.get(wasmPath);
      if (!bytes) {
        const available = contents.entries.flatMap((e) => (/^components\/[^/]+\.wasm$/.test(e.path) ? [e.path.slice(11, -5)] : []));
        throw new WasmComponentError('not_found', `${pack} has no component ${id} (it has: ${available.join(', ') || 'none'})`);
      }
      const manifestBytes = contents.retained.get(manifestPath);
      return { id, origin, bytes, manifest: manifestBytes ? parseManifest(manifestBytes, `${pack}#${manifestPath}`) : null };
    },
  };
}

/** Every component of a pack archive, by the `components/<id>.wasm` entries it holds. */
export async function packComponents(pack: string): Promise<ComponentLocation[]> {
  const contents = await readArchive({ path: pack }, { hashAll: false });
  return contents.entries.flatMap((entry) => {
    const match = /^components\/([^/]+)\.wasm$/.exec(entry.path);
    return match?.[1] ? [packComponent(pack, match[1])] : [];
  });
}

/**
 * The components of a project folder: entries of `pack.yaml` `components[]` with a `wasm` path (their
 * manifest is the one beside the wasm, else the entry itself), `component.manifest.json` files under `components/`, and loose
 * `components/*.wasm` files, and the registry components the lock pins (from the cache). The first
 * place that names an id wins.
 */
export async function projectComponents(root: string): Promise<ComponentLocation[]> {
  const found = new Map<string, ComponentLocation>();
  const add = (location: ComponentLocation) => {
    if (!found.has(location.id)) found.set(location.id, location);
  };
  for (const location of await packYamlComponents(root)) add(location);
  for (const file of await listFiles(path.join(root, 'components'), 3)) {
    if (path.basename(file) === 'component.manifest.json') {
      const location = await manifestComponent(file).catch(() => null);
      if (location) add(location);
    }
  }
  for (const file of await listFiles(path.join(root, 'components'), 1)) {
    if (file.endsWith('.wasm')) add(await locateFile(file));
  }
  for (const location of await lockedComponents(root)) add(location);
  return [...found.values()];
}

async function packYamlComponents(root: string): Promise<ComponentLocation[]> {
  let doc: unknown;
  try {
    doc = parseYaml(await fs.readFile(path.join(root, 'pack.yaml'), 'utf8'));
  } catch {
    return [];
  }
  const entries = (doc as { components?: unknown } | null)?.components;
  if (!Array.isArray(entries)) return [];
  return entries.flatMap((entry: unknown) => {
    const { wasm, id } = (entry ?? {}) as { wasm?: unknown; id?: unknown };
    if (typeof wasm !== 'string' || typeof id !== 'string') return [];
    const file = insideRoot(root, wasm);
    if (!file) return [];
    return [
      {
        id,
        origin: file,
        async read() {
          // As packc does: the manifest beside the wasm is the component's own; pack.yaml's entry stands in without one.
          const beside = await siblingManifest(file);
          const manifest = beside?.id === id ? beside : parseManifest(JSON.stringify(entry), `pack.yaml component ${id}`);
          return { id, origin: file, bytes: await readBounded(file), manifest };
        },
      },
    ];
  });
}

async function manifestComponent(manifestFile: string): Promise<ComponentLocation | null> {
  const manifest = parseManifest(await fs.readFile(manifestFile, 'utf8'), manifestFile);
  const dir = path.dirname(manifestFile);
  const artifact = (manifest.artifacts as { component_wasm?: unknown } | undefined)?.component_wasm;
  const candidates = typeof artifact === 'string' ? [artifact] : ['component.wasm', `${manifest.id}.wasm`];
  for (const candidate of candidates) {
    const file = insideRoot(dir, candidate);
    if (file && (await exists(file))) {
      return { id: manifest.id, origin: file, read: async () => ({ id: manifest.id, origin: file, bytes: await readBounded(file), manifest }) };
    }
  }
  return null;
}

async function siblingManifest(file: string): Promise<ComponentManifest | null> {
  const own = file.replace(/\.wasm$/, '.manifest.json');
  if (own !== file && (await exists(own))) return parseManifest(await fs.readFile(own, 'utf8'), own);
  const shared = path.join(path.dirname(file), 'component.manifest.json');
  if (!(await exists(shared))) return null;
  const manifest = parseManifest(await fs.readFile(shared, 'utf8'), shared);
  const artifact = (manifest.artifacts as { component_wasm?: unknown } | undefined)?.component_wasm;
  return typeof artifact === 'string' && path.resolve(path.dirname(shared), artifact) === path.resolve(file) ? manifest : null;
}

async function readBounded(file: string): Promise<Uint8Array> {
  let size: number;
  try {
    size = (await fs.stat(file)).size;
  } catch {
    throw new WasmComponentError('not_found', `component file ${file} does not exist`);
  }
  if (size > MAX_COMPONENT_BYTES) {
    throw new WasmComponentError('too_large', `${file} is ${size} bytes, above the ${MAX_COMPONENT_BYTES}-byte limit for a component`);
  }
  return new Uint8Array(await fs.readFile(file));
}

/** A path relative to `root` that stays inside it, resolved; null for anything escaping it. */
function insideRoot(root: string, relative: string): string | null {
  const cleaned = relative.replace(/^file:\/\//, '');
  if (path.isAbsolute(cleaned)) return null;
  const resolved = path.resolve(root, cleaned);
  return resolved.startsWith(path.resolve(root) + path.sep) ? resolved : null;
}

async function listFiles(dir: string, depth: number): Promise<string[]> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isFile()) files.push(full);
    else if (entry.isDirectory() && depth > 1) files.push(...(await listFiles(full, depth - 1)));
  }
  return files;
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    (stat) => stat.isFile(),
    () => false,
  );
}
