/**
 * Builds the WASM components the sample project ships from their WAT and WIT sources in components/,
 * offline, into the sample project (git-ignored output: the binary always comes from the source beside
 * it, never from a stale commit), and writes the project's `pack.lock.cbor` pinning them, which
 * `pack build` requires of a pack with components. Each component's describe() data comes from its
 * manifest, committed in the sample project, so the two never disagree. `npm run build` runs this.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../../src/runtime/fs/atomic';
import { encodeCanonicalCbor } from '../../src/runtime/pack/cbor/encode';
import type { CborValue } from '../../src/runtime/pack/cbor/value';
import { compileWatComponent, expandWat, type Descriptor } from './wat-component';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sampleProjectDir = path.join(repoRoot, 'resources', 'sample-project');

interface SampleComponent {
  /** Folder under components/ holding `<name>.wat` and `world.wit`. */
  name: string;
  /** `<package>/<world>` of world.wit. */
  world: string;
  /** The component manifest, relative to the sample project; its `artifacts.component_wasm` is the output. */
  manifest: string;
}

export const SAMPLE_COMPONENTS: readonly SampleComponent[] = [
  { name: 'text-tools', world: 'studio:sample/text-tools', manifest: 'components/text-tools/component.manifest.json' },
];

interface ManifestOp {
  name: string;
  description?: string;
  input_schema: unknown;
  output_schema: unknown;
}

interface Manifest {
  id: string;
  name: string;
  version: string;
  summary?: string;
  world: string;
  operations: ManifestOp[];
  artifacts: { component_wasm: string };
}

export interface BuiltComponent {
  id: string;
  wasm: string;
  /** False when the bytes on disk were already those of the source. */
  written: boolean;
}

/** Builds every sample component and the lock; writes only files whose bytes change. */
export async function buildSampleComponents(projectDir = sampleProjectDir): Promise<BuiltComponent[]> {
  const built: BuiltComponent[] = [];
  const locked: Record<string, CborValue> = {};
  for (const component of SAMPLE_COMPONENTS) {
    const manifestPath = path.join(projectDir, component.manifest);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    const sourceDir = path.join(repoRoot, 'components', component.name);
    const descriptor = descriptorOf(manifest);
    const wat = expandWat(readFileSync(path.join(sourceDir, `${component.name}.wat`), 'utf8'), descriptor);
    const bytes = await compileWatComponent(wat, readFileSync(path.join(sourceDir, 'world.wit'), 'utf8'), component.world);
    const wasm = path.join(path.dirname(manifestPath), manifest.artifacts.component_wasm);
    built.push({ id: manifest.id, wasm, written: await writeIfChanged(wasm, bytes) });
    locked[manifest.id] = lockEntry(manifest, bytes, descriptor);
  }
  await writeIfChanged(path.join(projectDir, 'pack.lock.cbor'), encodeCanonicalCbor({ version: 1, components: locked }));
  return built;
}

function descriptorOf(manifest: Manifest): Descriptor {
  return {
    name: manifest.name,
    version: manifest.version,
    summary: manifest.summary ?? manifest.name,
    ops: manifest.operations.map((op) => ({ name: op.name, summary: op.description ?? op.name, input: op.input_schema, output: op.output_schema })),
  };
}

/**
 * A `LockedComponent` (pack-format.md §5.4). Upstream hashes its `.describe.cbor` sidecar, in a schema
 * form the spec does not define; ours hash the canonical CBOR of what describe() returns, so both
 * hashes change exactly when the described contract does.
 */
function lockEntry(manifest: Manifest, bytes: Uint8Array, descriptor: Descriptor): CborValue {
  const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
  const canonical = (value: unknown) => encodeCanonicalCbor(value as CborValue);
  return {
    component_id: manifest.id,
    abi_version: '0.6.0',
    resolved_digest: `sha256:${sha256(bytes)}`,
    describe_hash: sha256(canonical(descriptor)),
    operations: [...descriptor.ops]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((op) => ({ operation_id: op.name, schema_hash: sha256(canonical({ input: op.input, output: op.output })) })),
    world: manifest.world,
    component_version: manifest.version,
  };
}

async function writeIfChanged(file: string, bytes: Uint8Array): Promise<boolean> {
  if (existsSync(file) && Buffer.compare(readFileSync(file), bytes) === 0) return false;
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, bytes);
  return true;
}
