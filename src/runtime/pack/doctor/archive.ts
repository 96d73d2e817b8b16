import { NATIVE_OP_KEYS } from '../../../shared/flow/native-ops';
import { BUILTIN_COMPONENT_IDS } from '../../components/builtin';
import type { OpenedPack } from '../open';
import { emptyFlowDiagnostic, missingComponentDiagnostic, noEntryFlowDiagnostic, secretScopeDiagnostic, type PackDiagnostic } from './diagnostic';

const COMPONENT_SOURCES = 'greentic.pack.component_sources@v1';

/**
 * The same checks on a built `.gtpack`: files missing from the archive or the SBOM, flows without
 * nodes, nodes whose component neither the manifest nor its component sources provide, an entry
 * flow, and secret requirements with a scope.
 */
export function doctorArchive(opened: OpenedPack): PackDiagnostic[] {
  const diagnostics: PackDiagnostic[] = opened.sbomCheck.problems.map((message) => ({ severity: 'error', code: 'PACK_MISSING_FILE', message }));
  if (opened.decoded.model !== 'pack-v1') return diagnostics;
  const manifest = opened.decoded.manifest;
  const known = new Set([...manifest.components.map((c) => c.id), ...componentSourceIds(manifest.extensions?.[COMPONENT_SOURCES]), ...BUILTIN_COMPONENT_IDS]);
  for (const entry of manifest.flows) {
    if (entry.flow.nodes.length === 0) diagnostics.push(emptyFlowDiagnostic(entry.id, `flows.${entry.id}`));
    for (const node of entry.flow.nodes) {
      const { id, pack_alias: alias } = node.component;
      if (alias || NATIVE_OP_KEYS.has(id) || id.startsWith('emit.') || id === 'component.exec' || known.has(id)) continue;
      diagnostics.push(missingComponentDiagnostic(id, `flows.${entry.id}.nodes.${node.id}.component`));
    }
  }
  if (manifest.flows.length > 0 && manifest.flows.every((flow) => flow.entrypoints.length === 0)) diagnostics.push(noEntryFlowDiagnostic());
  for (const requirement of manifest.secret_requirements) {
    const key = typeof requirement.key === 'string' ? requirement.key : '?';
    const problem = secretScopeDiagnostic(key, requirement.scope, 'secret_requirements');
    if (problem) diagnostics.push(problem);
  }
  return diagnostics;
}

function componentSourceIds(extension: unknown): string[] {
  const components = (extension as { inline?: { components?: unknown } } | undefined)?.inline?.components;
  if (!Array.isArray(components)) return [];
  return components.flatMap((c: unknown) => {
    const id = (c as { component_id?: unknown; name?: unknown } | null)?.component_id ?? (c as { name?: unknown } | null)?.name;
    return typeof id === 'string' ? [id] : [];
  });
}
