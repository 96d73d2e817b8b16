import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { writeFileAtomic } from '../../fs/atomic';
import { locateFile } from '../../components/wasm/sources';
import { encodePackLock, packLockJson, type LockedComponent, type PackLockV1 } from './lock';
import { pullComponent, type PullOptions, type PulledComponent } from './pull-component';

/**
 * `pack resolve` as greentic-pack does it: every node binding of every flow's resolve sidecar (and
 * the `extensions.greentic.components.refs` of pack.yaml) becomes one lock entry per component id,
 * with its reference and resolved digest; `oci://` components are pulled (and cached) on the way.
 * Writes `pack.lock.cbor`, its JSON view `pack.lock.json`, and each flow's resolve summary.
 */
export interface ResolveResult {
  lock: PackLockV1;
  lockPath: string;
  pulled: PulledComponent[];
  /** Bindings the studio cannot resolve (repo://, store://), skipped. */
  warnings: string[];
}

interface Binding {
  componentId: string;
  ref: string;
  digest: string;
  manifest: Record<string, unknown> | null;
}

interface SummaryNode {
  component_id: string;
  source: { kind: string; path?: string; ref?: string };
  digest: string;
}

const ABI_VERSION = '0.6.0';
const ZERO_HASH = '0'.repeat(64);

export class ResolveError extends Error {}

export async function resolvePack(root: string, options: PullOptions = {}): Promise<ResolveResult> {
  const packYaml = await readPackYaml(root);
  const entries = new Map<string, LockedComponent>();
  const pulled: PulledComponent[] = [];
  const warnings: string[] = [];
  const add = (binding: Binding) => {
    const existing = entries.get(binding.componentId);
    if (existing) {
      if (existing.ref !== binding.ref || existing.resolved_digest !== binding.digest) {
        throw new ResolveError(
          `component ${binding.componentId} resolved by nodes points to different artifacts (${existing.ref}@${existing.resolved_digest} vs ${binding.ref}@${binding.digest})`,
        );
      }
      return;
    }
    entries.set(binding.componentId, lockEntry(binding));
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
        add({ componentId, ref: `file://${file}`, digest, manifest: (read?.manifest as Record<string, unknown> | null) ?? null });
        summary[nodeId] = { component_id: componentId, source: { kind: 'local', path: source.path }, digest };
      } else if (kind === 'oci' && typeof source.ref === 'string') {
        const pinnedDigest = typeof source.digest === 'string' && !source.ref.includes('@') ? source.digest : null;
        const component = await pull(pinnedDigest ? `${source.ref}@${pinnedDigest}` : source.ref);
        add({ componentId: component.componentId, ref: source.ref, digest: component.digest, manifest: component.manifest });
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
    add({ componentId: component.componentId, ref: reference, digest: component.digest, manifest: component.manifest });
  }

  const lock: PackLockV1 = { version: 1, components: Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
  const lockPath = path.join(root, 'pack.lock.cbor');
  await writeFileAtomic(lockPath, encodePackLock(lock));
  await writeFileAtomic(path.join(root, 'pack.lock.json'), packLockJson(lock));
  return { lock, lockPath, pulled, warnings };
}

/**
 * The lock entry for one binding. Built-ins get upstream's zero describe hash; for the others the
 * entry is what upstream writes when it cannot call describe(): the digest as describe hash, no
 * operations, role `unknown` (the studio's describe() runs in a worker that hands back decoded
 * values, not the canonical bytes upstream hashes).
 */
function lockEntry(binding: Binding): LockedComponent {
  const world = typeof binding.manifest?.world === 'string' ? binding.manifest.world : undefined;
  const version = typeof binding.manifest?.version === 'string' ? binding.manifest.version : '0.0.0';
  const builtin = isBuiltinComponent(binding.componentId);
  return {
    component_id: binding.componentId,
    ref: binding.ref,
    abi_version: ABI_VERSION,
    resolved_digest: binding.digest,
    describe_hash: builtin ? ZERO_HASH : binding.digest.slice('sha256:'.length),
    operations: [],
    ...(world ? { world } : {}),
    component_version: version,
    role: builtin ? 'builtin' : 'unknown',
  };
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

/** The node bindings of a flow: its `.resolve.json` sidecar, else its `.resolve.summary.json`. */
async function sidecarNodes(flowPath: string): Promise<Record<string, SourceFields>> {
  for (const suffix of ['.resolve.json', '.resolve.summary.json']) {
    let value: unknown;
    try {
      value = JSON.parse(await fs.readFile(flowPath + suffix, 'utf8'));
    } catch {
      continue;
    }
    const nodes = (value as { nodes?: unknown } | null)?.nodes;
    if (typeof nodes !== 'object' || nodes === null) continue;
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
  return {};
}
