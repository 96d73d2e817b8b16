import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { componentOfNode, loadFlow, type KnownComponent } from '../../../shared/flow';
import type { SecretsStore } from '../../components/wasm/services/secrets';
import { readLock } from '../../components/wasm/locked-sources';
import { knownComponents } from '../../project/component-catalog';
import { extensionRefs } from '../registry/resolve';
import { emptyFlowDiagnostic, missingComponentDiagnostic, noEntryFlowDiagnostic, secretScopeDiagnostic, type PackDiagnostic } from './diagnostic';

export interface FolderDoctorOptions {
  /** The dev secrets a run would read; without it, secret values are not checked. */
  secrets?: SecretsStore;
  tenant?: string;
}

/**
 * The checks greentic-pack runs before a build or a deploy, on a project folder: each flow of
 * pack.yaml present, with nodes, its components resolvable, its registry bindings locked; assets
 * present; an entry flow; secret requirements with a scope (and, for the studio, a dev value).
 */
export async function doctorFolder(root: string, options: FolderDoctorOptions = {}): Promise<PackDiagnostic[]> {
  const diagnostics: PackDiagnostic[] = [];
  const pack = await readPackYaml(root, diagnostics);
  if (!pack) return diagnostics;
  const known = await knownComponents(root);
  const lock = await readLockState(root);
  const flows = Array.isArray(pack.flows) ? (pack.flows as Array<Record<string, unknown>>) : [];
  let hasEntry = false;
  let registryBindings = 0;
  const unlocked: PackDiagnostic[] = [];
  for (const flow of flows) {
    const file = typeof flow?.file === 'string' ? flow.file : null;
    const id = typeof flow?.id === 'string' ? flow.id : (file ?? '?');
    if (Array.isArray(flow?.entrypoints) && flow.entrypoints.length > 0) hasEntry = true;
    if (!file) continue;
    const text = await fs.readFile(path.join(root, file), 'utf8').catch(() => null);
    if (text === null) {
      diagnostics.push({ severity: 'error', code: 'PACK_MISSING_FILE', message: 'Referenced file is missing from the pack folder.', path: file });
      continue;
    }
    const loaded = loadFlow(text, { sourceName: file, lints: false });
    if (!loaded.ir) continue;
    if (loaded.ir.id !== null && loaded.ir.id !== id) {
      diagnostics.push({ severity: 'error', code: 'PACK_FLOW_ID_MISMATCH', message: 'Pack flow entry id must match the embedded flow id.', path: `flows.${id}.id`, hint: 'Align the entry id with the flow.id field.' });
    }
    if (loaded.ir.nodes.length === 0) diagnostics.push(emptyFlowDiagnostic(id, file));
    const bindings = await sidecarBindings(path.join(root, file));
    for (const node of loaded.ir.nodes) {
      const binding = bindings[node.id];
      if (binding && binding.kind !== 'local') {
        registryBindings += 1;
        const lockedIds = lock.ok ? lock.refs.get(binding.ref ?? '') : undefined;
        if (lock.ok && !lockedIds) {
          unlocked.push({
            severity: 'error',
            code: 'PACK_LOCK_COMPONENT_MISSING',
            message: `node '${node.id}' of flow '${id}' is bound to ${binding.ref}, which pack.lock.cbor does not pin.`,
            path: `${file}.resolve.json`,
            hint: 'run `greentic-studio pack resolve` to pin it',
          });
        }
        continue;
      }
      const call = componentOfNode(node);
      if (call && !isKnown(known, node.opKey, call.componentId)) diagnostics.push(missingComponentDiagnostic(call.componentId, `flows.${id}.nodes.${node.id}.component`));
    }
  }
  for (const ref of extensionRefs(pack)) {
    registryBindings += 1;
    if (lock.ok && !lock.refs.has(ref)) {
      unlocked.push({ severity: 'error', code: 'PACK_LOCK_COMPONENT_MISSING', message: `component reference ${ref} is not pinned in pack.lock.cbor.`, path: 'pack.yaml', hint: 'run `greentic-studio pack resolve` to pin it' });
    }
  }
  if (!lock.ok && lock.problem) diagnostics.push(lock.problem);
  else if (!lock.ok && registryBindings > 0) {
    diagnostics.push({
      severity: 'warn',
      code: 'PACK_LOCK_MISSING',
      message: 'pack.lock.cbor missing; skipping pack lock doctor checks',
      path: 'pack.lock.cbor',
      hint: 'run `greentic-studio pack resolve` to generate pack.lock.cbor',
    });
  }
  diagnostics.push(...unlocked);
  for (const asset of Array.isArray(pack.assets) ? pack.assets : []) {
    const assetPath = typeof asset === 'string' ? asset : (asset as { path?: unknown } | null)?.path;
    if (typeof assetPath !== 'string') continue;
    if (!(await fs.stat(path.join(root, assetPath)).catch(() => null))) {
      diagnostics.push({ severity: 'error', code: 'PACK_MISSING_FILE', message: 'Referenced file is missing from the pack folder.', path: assetPath });
    }
  }
  if (flows.length > 0 && !hasEntry) diagnostics.push(noEntryFlowDiagnostic());
  diagnostics.push(...(await secretDiagnostics(pack, options)));
  return diagnostics;
}

function isKnown(known: readonly KnownComponent[], opKey: string | null, componentId: string): boolean {
  return known.some((component) => component.id === componentId || component.id === opKey);
}

async function readPackYaml(root: string, diagnostics: PackDiagnostic[]): Promise<Record<string, unknown> | null> {
  const text = await fs.readFile(path.join(root, 'pack.yaml'), 'utf8').catch(() => null);
  if (text === null) {
    diagnostics.push({ severity: 'error', code: 'PACK_MISSING_FILE', message: 'Referenced file is missing from the pack folder.', path: 'pack.yaml' });
    return null;
  }
  try {
    const value: unknown = parseYaml(text, { maxAliasCount: 100 });
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch (error) {
    diagnostics.push({ severity: 'error', code: 'PACK_CONFIG_INVALID', message: `pack.yaml is not valid YAML: ${(error as Error).message.split('\n')[0]}`, path: 'pack.yaml' });
    return null;
  }
  diagnostics.push({ severity: 'error', code: 'PACK_CONFIG_INVALID', message: 'pack.yaml must be a mapping', path: 'pack.yaml' });
  return null;
}

type LockState = { ok: true; refs: Map<string, string> } | { ok: false; problem: PackDiagnostic | null };

async function readLockState(root: string): Promise<LockState> {
  const exists = (await fs.stat(path.join(root, 'pack.lock.cbor')).catch(() => null))?.isFile() === true;
  if (!exists) return { ok: false, problem: null };
  const lock = await readLock(root);
  if (!lock) {
    return {
      ok: false,
      problem: { severity: 'error', code: 'PACK_LOCK_INVALID', message: 'failed to load pack.lock.cbor', path: 'pack.lock.cbor', hint: 'regenerate the lock with `greentic-studio pack resolve`' },
    };
  }
  const refs = new Map<string, string>();
  for (const entry of Object.values(lock.components)) if (entry.ref) refs.set(entry.ref, entry.component_id);
  return { ok: true, refs };
}

async function sidecarBindings(flowPath: string): Promise<Record<string, { kind: string; ref?: string }>> {
  try {
    const nodes = (JSON.parse(await fs.readFile(`${flowPath}.resolve.json`, 'utf8')) as { nodes?: Record<string, { source?: { kind?: unknown; ref?: unknown } }> }).nodes ?? {};
    const out: Record<string, { kind: string; ref?: string }> = {};
    for (const [id, entry] of Object.entries(nodes)) {
      const kind = entry?.source?.kind;
      if (typeof kind === 'string') out[id] = { kind, ...(typeof entry.source?.ref === 'string' ? { ref: entry.source.ref } : {}) };
    }
    return out;
  } catch {
    return {};
  }
}

/** Secret requirements of the components pack.yaml lists (and the manifests beside their wasm). */
async function secretDiagnostics(pack: Record<string, unknown>, options: FolderDoctorOptions): Promise<PackDiagnostic[]> {
  const diagnostics: PackDiagnostic[] = [];
  const components = Array.isArray(pack.components) ? (pack.components as Array<Record<string, unknown>>) : [];
  const stored = options.secrets ? new Set(await options.secrets.keys(options.tenant ?? 'default').catch(() => [])) : null;
  for (const component of components) {
    const required = ((component?.capabilities as { host?: { secrets?: { required?: unknown } } } | undefined)?.host?.secrets?.required ?? []) as unknown[];
    if (!Array.isArray(required)) continue;
    for (const requirement of required) {
      const key = (requirement as { key?: unknown } | null)?.key;
      if (typeof key !== 'string') continue;
      const where = `components.${String(component.id)}.capabilities.host.secrets`;
      const scope = secretScopeDiagnostic(key, (requirement as { scope?: unknown }).scope, where);
      if (scope) diagnostics.push(scope);
      if (stored && !stored.has(key)) {
        diagnostics.push({
          severity: 'warn',
          code: 'PACK_SECRET_VALUE_MISSING',
          message: `secret requirement \`${key}\` of component ${String(component.id)} has no value in the studio's dev secrets.`,
          path: where,
          hint: 'set it in the component inspector (or the deployment\'s secrets store) before running the flow',
        });
      }
    }
  }
  return diagnostics;
}
