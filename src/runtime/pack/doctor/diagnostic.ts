import type { PackDiagnostic } from '../../../shared/api/project';

export type { PackDiagnostic };

export function emptyFlowDiagnostic(flowId: string, path: string): PackDiagnostic {
  return {
    severity: 'error',
    code: 'PACK_FLOW_EMPTY',
    message: `Flow '${flowId}' has no nodes.`,
    path,
    hint: 'Add the flow\'s steps, or remove the flow from pack.yaml: a runner cannot start a flow without nodes.',
  };
}

export function missingComponentDiagnostic(componentId: string, path: string): PackDiagnostic {
  return {
    severity: 'error',
    code: 'PACK_MISSING_COMPONENT_REFERENCE',
    message: `Flow references component '${componentId}' missing from manifest/component sources.`,
    path,
    hint: 'Add the component to the pack manifest or component sources.',
  };
}

export function noEntryFlowDiagnostic(): PackDiagnostic {
  return {
    severity: 'warn',
    code: 'PACK_ENTRY_FLOW_MISSING',
    message: 'No flow of the pack declares an entrypoint.',
    path: 'flows',
    hint: 'List an entrypoint (e.g. `default`) under the flow a channel should start.',
  };
}

/** Upstream's check of a secret requirement's scope; null when it has one. */
export function secretScopeDiagnostic(key: string, scope: unknown, path: string): PackDiagnostic | null {
  const invalid = (message: string): PackDiagnostic => ({ severity: 'error', code: 'PACK_SECRET_REQUIREMENTS_INVALID', message, path });
  if (typeof scope !== 'object' || scope === null) return invalid(`secret requirement \`${key}\` is missing a scope`);
  const { env, tenant } = scope as { env?: unknown; tenant?: unknown };
  if (typeof env !== 'string' || !env.trim()) return invalid(`secret requirement \`${key}\` has an empty env scope`);
  if (typeof tenant !== 'string' || !tenant.trim()) return invalid(`secret requirement \`${key}\` has an empty tenant scope`);
  return null;
}
