import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { writeFileAtomic } from '../../fs/atomic';
import { locateFile } from '../../components/wasm/sources';
import { DescribeError, type DescribeContract } from './component-describe';
import { encodePackLock, packLockJson, type LockedComponent, type PackLockV1 } from './lock';
import { componentContract, wasmDescriber, type ComponentDescriber } from './lock-contract';
import { pullComponent, type PullOptions, type PulledComponent } from './pull-component';

/**
 * `pack resolve` as greentic-pack does it: every node binding of every flow's resolve sidecar (and
 * the `extensions.greentic.components.refs` of pack.yaml) becomes one lock entry per component id,
 * with its reference and resolved digest; `oci://` components are pulled (and cached) on the way. Each
 * component's describe() then gives its describe hash, operations and role. Writes `pack.lock.cbor`,
 * its JSON view `pack.lock.json`, and each flow's resolve summary.
 */
export interface ResolveResult {
  lock: PackLockV1;
  lockPath: string;
  pulled: PulledComponent[];
  /** Bindings the studio cannot resolve (repo://, store://), skipped; components it could not describe. */
  warnings: string[];
}

export interface ResolveOptions extends PullOptions {
  /** Default: one on the studio's WASM runner, stopped when resolve is done. */
  describer?: ComponentDescriber;
}

interface Binding {
  componentId: string;
  ref: string;
  digest: string;
  manifest: Record<string, unknown> | null;
  /** The artifact on disk: the local file, or the pulled component in the cache. */
  wasmPath: string;
}

interface SummaryNode {
  component_id: string;
  source: { kind: string; path?: string; ref?: string };
  digest: string;
}

const ABI_VERSION = '0.6.0';
const ZERO_HASH = '0'.repeat(64);

export class ResolveError extends Error {}

export async function resolvePack(root: string, options: ResolveOptions = {}): Promise<ResolveResult> {
  const packYaml = await readPackYaml(root);
  const bindings = new Map<string, Binding>();
  const pulled: PulledComponent[] = [];
  const warnings: string[] = [];
  const add = (binding: Binding) => {
    const existing = bindings.get(binding.componentId);
    if (existing) {
      if (existing.ref !== binding.ref || existing.digest !== binding.digest) {
        throw new ResolveError(
          `component ${binding.componentId} resolved by nodes points to different artifacts (${existing.ref}@${existing.digest} vs ${binding.ref}@${binding.digest})`,
        );
      }
      return;
    }
    bindings.set(binding.componentId, binding);
  };
  const pull = async (reference: string) => {
    const component = await pullComponent(reference, options);
    pulled.push(component);
    return component;
  };

  for (const flow of flowsOf(packYaml)) {
    const flowPath = path.resolve(root, flow);
    const nodes = await sidecarNodes(flowPath);
    const summary: Record<string, SummaryNode> = {};
    for (const [nodeId, source] of Object.entries(nodes)) {
      const kind = source.kind;
      if (kind === 'local' && typeof source.path === 'string') {
        const file = path.resolve(path.dirname(flowPath), source.path.replace(/^file:\/\//, ''));
        const bytes = await fs.readFile(file).catch(() => {
          throw new ResolveError(`component file ${source.path} of node ${nodeId} in ${flow} does not exist`);
        });
        const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
        const location = await locateFile(file);
        const componentId = typeof source.component_id === 'string' ? source.component_id : location.id;
        const read = await location.read().catch(() => null);
        add({ componentId, ref: `file://${file}`, digest, manifest: (read?.manifest as Record<string, unknown> | null) ?? null, wasmPath: file });
        summary[nodeId] = { component_id: componentId, source: { kind: 'local', path: source.path }, digest };
      } else if (kind === 'oci' && typeof source.ref === 'string') {
        const pinnedDigest = typeof source.digest === 'string' && !source.ref.includes('@') ? source.digest : null;
        const component = await pull(pinnedDigest ? `${source.ref}@${pinnedDigest}` : source.ref);
        add({ componentId: component.componentId, ref: source.ref, digest: component.digest, manifest: component.manifest, wasmPath: component.wasmPath });
        summary[nodeId] = { component_id: component.componentId, source: { kind: 'oci', ref: source.ref }, digest: component.digest };
      } else {
        warnings.push(`node ${nodeId} of ${flow}: ${String(kind)} references need greentic's distributor; the studio resolves local and oci:// components`);
      }
    }
    if (Object.keys(summary).length > 0) {
      const text = `${JSON.stringify({ schema_version: 1, flow: path.basename(flowPath), nodes: summary }, null, 2)}\n`;
      await writeFileAtomic(`${flowPath}.resolve.summary.json`, text);
    }
  }
  for (const reference of extensionRefs(packYaml)) {
    const component = await pull(reference);
    add({ componentId: component.componentId, ref: reference, digest: component.digest, manifest: component.manifest, wasmPath: component.wasmPath });
  }

  const entries = await lockEntries([...bindings.values()], options.describer, warnings);
  const lock: PackLockV1 = { version: 1, components: Object.fromEntries(entries.sort((a, b) => (a.component_id < b.component_id ? -1 : a.component_id > b.component_id ? 1 : 0)).map((entry) => [entry.component_id, entry])) };
  const lockPath = path.join(root, 'pack.lock.cbor');
  await writeFileAtomic(lockPath, encodePackLock(lock));
  await writeFileAtomic(path.join(root, 'pack.lock.json'), packLockJson(lock));
  return { lock, lockPath, pulled, warnings };
}

/** The lock entries of the bindings, each with its contract; a component that cannot be described adds a warning. */
async function lockEntries(bindings: Binding[], given: ComponentDescriber | undefined, warnings: string[]): Promise<LockedComponent[]> {
  const describer = given ?? wasmDescriber();
  try {
    const entries: LockedComponent[] = [];
    for (const binding of bindings) {
      if (isBuiltinComponent(binding.componentId)) {
        entries.push(lockEntry(binding, 'builtin'));
        continue;
      }
      const outcome = await componentContract(describer, binding.wasmPath, binding.componentId).catch((error: unknown) => {
        throw error instanceof DescribeError ? new ResolveError(error.message) : error;
      });
      if ('unavailable' in outcome) {
        warnings.push(`component ${binding.componentId}: describe() could not run (${outcome.unavailable}); locked with its digest as describe hash, no operations and role unknown`);
      }
      entries.push(lockEntry(binding, 'contract' in outcome ? outcome.contract : null));
    }
    return entries;
  } finally {
    if (!given) await describer.close();
  }
}

/**
 * The lock entry for one binding. Built-ins get upstream's zero describe hash; a described component
 * its describe hash, operations, role and version; any other what upstream writes when describe() is
 * missing: the digest as describe hash, no operations, role `unknown`.
 */
function lockEntry(binding: Binding, contract: DescribeContract | 'builtin' | null): LockedComponent {
  const world = typeof binding.manifest?.world === 'string' ? binding.manifest.world : undefined;
  const version = typeof binding.manifest?.version === 'string' ? binding.manifest.version : '0.0.0';
  const entry = { component_id: binding.componentId, ref: binding.ref, abi_version: ABI_VERSION, resolved_digest: binding.digest, ...(world ? { world } : {}) };
  if (contract === 'builtin') return { ...entry, describe_hash: ZERO_HASH, operations: [], component_version: version, role: 'builtin' };
  if (contract) return { ...entry, describe_hash: contract.describeHash, operations: contract.operations, component_version: contract.version, role: contract.role };
  return { ...entry, describe_hash: binding.digest.slice('sha256:'.length), operations: [], component_version: version, role: 'unknown' };
}

/** Upstream's list of runner built-ins that need no artifact. */
export function isBuiltinComponent(componentId: string): boolean {
  return componentId === 'session.wait' || componentId === 'flow.call' || componentId === 'provider.invoke' || componentId.startsWith('emit.');
}

async function readPackYaml(root: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await fs.readFile(path.join(root, 'pack.yaml'), 'utf8');
  } catch {
    throw new ResolveError(`${root} has no pack.yaml`);
  }
  let value: unknown;
  try {
    value = parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new ResolveError(`pack.yaml is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ResolveError('pack.yaml must be a mapping');
  return value as Record<string, unknown>;
}

function flowsOf(packYaml: Record<string, unknown>): string[] {
  const flows = Array.isArray(packYaml.flows) ? packYaml.flows : [];
  return flows.flatMap((flow: unknown) => {
    const file = (flow as { file?: unknown } | null)?.file;
    return typeof file === 'string' && file ? [file] : [];
  });
}

/** `extensions["greentic.components"].inline.refs` (upstream's components extension, an ExtensionRef). */
export function extensionRefs(packYaml: Record<string, unknown>): string[] {
  const extensions = packYaml.extensions as Record<string, unknown> | undefined;
  const refs = (extensions?.['greentic.components'] as { inline?: { refs?: unknown } } | undefined)?.inline?.refs;
  return Array.isArray(refs) ? refs.filter((ref): ref is string => typeof ref === 'string' && ref.startsWith('oci://')) : [];
}

type SourceFields = Record<string, unknown> & { kind?: unknown; path?: unknown; ref?: unknown; digest?: unknown; component_id?: unknown };

/**
 * The node bindings of a flow: its `.resolve.json` sidecar, else its `.resolve.summary.json`. A
 * `.resolve.json` node that names no component id takes the one the summary gives it (the summary is
 * what greentic-pack resolves from).
 */
async function sidecarNodes(flowPath: string): Promise<Record<string, SourceFields>> {
  const [resolve, summary] = await Promise.all([readSidecar(`${flowPath}.resolve.json`), readSidecar(`${flowPath}.resolve.summary.json`)]);
  if (!resolve) return summary ?? {};
  for (const [nodeId, source] of Object.entries(resolve)) {
    const summarized = summary?.[nodeId]?.component_id;
    if (source.component_id === undefined && typeof summarized === 'string') source.component_id = summarized;
  }
  return resolve;
}

async function readSidecar(file: string): Promise<Record<string, SourceFields> | null> {
  let value: unknown;
  try {
    value = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    return null;
  }
  const nodes = (value as { nodes?: unknown } | null)?.nodes;
  if (typeof nodes !== 'object' || nodes === null) return null;
  const out: Record<string, SourceFields> = {};
  for (const [nodeId, entry] of Object.entries(nodes as Record<string, unknown>)) {
    const e = entry as { source?: unknown; component_id?: unknown; digest?: unknown } | null;
    if (typeof e?.source !== 'object' || e.source === null) continue;
    const source = { ...(e.source as SourceFields) };
    if (source.component_id === undefined && typeof e.component_id === 'string') source.component_id = e.component_id;
    if (source.digest === undefined && typeof e.digest === 'string') source.digest = e.digest;
    out[nodeId] = source;
  }
  return out;
}
