/**
 * Resolves one pack of a bundle: a `.gtpack` is opened through the bounded reader and verified with
 * the pack verifier (SBOM and signatures); a pack folder is checked as `validate` checks a project.
 * Either way every node must name a runner built-in or a component the pack carries.
 */
import path from 'node:path';
import type { BundleFlow, BundlePack, BundleProblem } from '../../shared/api/bundle';
import type { CompiledFlow } from '../../shared/flow/compiled';
import { compileFlow } from '../../shared/flow';
import { BuiltinHost } from '../components/builtin';
import { nodeKind } from '../engine/kinds';
import { isPackError } from '../pack/errors';
import { describePack } from '../pack/inspect';
import { openPack } from '../pack/open';
import { verifyOpenedPack, type VerifyOptions } from '../pack/verify';
import { Project } from '../project/project';
import type { BundleEntry } from './bundle-layout';

export interface ResolvedPack {
  pack: BundlePack;
  problems: BundleProblem[];
  /** The compiled flows, for the access rules. */
  flows: CompiledFlow[];
}

const builtins = new BuiltinHost();

export async function resolveBundlePack(root: string, entry: BundleEntry, role: string, trust: VerifyOptions): Promise<ResolvedPack> {
  return entry.kind === 'gtpack' ? resolveArchive(root, entry, role, trust) : resolveFolder(root, entry, role);
}

async function resolveArchive(root: string, entry: BundleEntry, role: string, trust: VerifyOptions): Promise<ResolvedPack> {
  const problems: BundleProblem[] = [];
  const error = (message: string) => problems.push({ severity: 'error', where: entry.path, message });
  const empty: BundlePack = { path: entry.path, kind: 'gtpack', role, packId: null, version: null, flows: [], components: [], signature: 'unreadable' };
  let opened;
  try {
    opened = await openPack({ path: path.join(root, entry.path) });
  } catch (caught) {
    if (!isPackError(caught)) throw caught;
    error(`cannot read the pack: ${caught.message}`);
    return { pack: empty, problems, flows: [] };
  }
  const verification = await verifyOpenedPack(opened, trust);
  for (const problem of verification.problems) error(problem);
  const inspection = describePack(opened, verification);
  for (const warning of inspection.warnings) problems.push({ severity: 'warning', where: entry.path, message: warning });
  for (const component of inspection.component_details) {
    if (!component.wasm_path) error(`component \`${component.id}\` has no wasm in the archive`);
  }
  const flows = inspection.flow_details.flatMap((detail) => (detail.flow ? [detail.flow] : []));
  problems.push(...nodeProblems(entry.path, flows, new Set(inspection.components)));
  return {
    pack: {
      ...empty,
      packId: inspection.pack_id,
      version: inspection.version,
      flows: inspection.flow_details.map((detail) => ({ id: detail.id, nodes: detail.flow?.nodes.map((node) => node.id) ?? [] })),
      components: inspection.components,
      signature: signatureText(verification),
    },
    problems,
    flows,
  };
}

async function resolveFolder(root: string, entry: BundleEntry, role: string): Promise<ResolvedPack> {
  const problems: BundleProblem[] = [
    { severity: 'warning', where: entry.path, message: "a pack folder is not portable: upstream's demo bundles need .gtpack archives (manifest.cbor); build one with `greentic-studio pack build`" },
  ];
  const project = await Project.open(path.join(root, entry.path));
  const snapshot = await project.snapshot();
  const checked = await project.validate();
  const flows: CompiledFlow[] = [];
  const views: BundleFlow[] = [];
  for (const file of checked.files) {
    for (const diagnostic of file.diagnostics) {
      if (diagnostic.severity === 'error') problems.push({ severity: 'error', where: `${entry.path}/${file.path}`, message: diagnostic.message });
    }
    if (!file.ok) continue;
    const compiled = compileFlow((await project.readFlow(file.path)).text).flow;
    if (compiled) {
      flows.push(compiled);
      views.push({ id: compiled.id, nodes: compiled.nodes.map((node) => node.id) });
    }
  }
  const components = snapshot.components.map((component) => component.id);
  problems.push(...nodeProblems(entry.path, flows, new Set(components)));
  return {
    pack: { path: entry.path, kind: 'dir', role, packId: snapshot.packId, version: null, flows: views, components, signature: 'not checked' },
    problems,
    flows,
  };
}

/** Zero-node flows (upstream greentic#289), and nodes whose component the pack does not carry. */
function nodeProblems(where: string, flows: CompiledFlow[], components: Set<string>): BundleProblem[] {
  const problems: BundleProblem[] = [];
  for (const flow of flows) {
    if (flow.nodes.length === 0) problems.push({ severity: 'error', where, message: `flow \`${flow.id}\` has no nodes` });
    for (const node of flow.nodes) {
      const kind = nodeKind(node, node.input.mapping);
      if (kind.kind !== 'component') continue;
      if (components.has(kind.componentId) || builtins.supports(kind.componentId, kind.operation)) continue;
      problems.push({
        severity: 'error',
        where,
        message: `flow \`${flow.id}\` node \`${node.id}\` uses component \`${kind.componentId}\`, which is neither a runner built-in nor a component of the pack`,
      });
    }
  }
  return problems;
}

function signatureText(verification: { ok: boolean; signatures: { status: string }[] }): string {
  if (verification.ok) return 'verified';
  if (verification.signatures.length === 0) return 'not signed';
  if (verification.signatures.some((signature) => signature.status === 'invalid')) return 'invalid';
  return 'no accepted signature';
}
