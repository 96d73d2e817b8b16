/**
 * Which component each step calls, checked against the components a project can run (built in,
 * in the project, pinned in its lock): a step naming an unknown one gets a warning with the fix,
 * and a step whose `config` breaks its component's `config_schema` gets upstream doctor's findings.
 */
import type { Diagnostic } from './diagnostic';
import type { FlowIr, IrNode } from './ir';
import { NATIVE_OP_KEYS } from './native-ops';
import { validateConfig } from './config-schema';

/** A component a project can run, with its configuration schema when its manifest gives one. */
export interface KnownComponent {
  id: string;
  origin: 'builtin' | 'project' | 'lock';
  configSchema?: unknown;
}

export interface NodeComponent {
  componentId: string;
  /** The op key itself names a component (`component.exec` or an op key that is an id). */
  exact: boolean;
}

/** The component a step calls, as the runner addresses it; null for runner built-ins (`session.wait`, `emit.*`, ...). */
export function componentOfNode(node: IrNode): NodeComponent | null {
  const opKey = node.opKey;
  if (!opKey || NATIVE_OP_KEYS.has(opKey) || opKey.startsWith('emit.') || opKey.startsWith('mcp:')) return null;
  const payload = isRecord(node.payload) ? node.payload : {};
  if (opKey === 'component.exec') {
    const target = payload.component ?? payload.component_ref;
    if (typeof target !== 'string' || target.startsWith('emit.') || NATIVE_OP_KEYS.has(target)) return null;
    return { componentId: target, exact: true };
  }
  const dot = opKey.lastIndexOf('.');
  return { componentId: dot > 0 ? opKey.slice(0, dot) : opKey, exact: dot <= 0 };
}

export function checkNodeComponents(ir: FlowIr, known: readonly KnownComponent[]): Diagnostic[] {
  const byId = new Map(known.map((component) => [component.id, component]));
  const diagnostics: Diagnostic[] = [];
  for (const node of ir.nodes) {
    const call = componentOfNode(node);
    if (!call) continue;
    const component = byId.get(node.opKey ?? '') ?? byId.get(call.componentId);
    if (!component) {
      diagnostics.push({
        severity: 'warning',
        code: 'component_unknown',
        message:
          `node '${node.id}' uses component '${call.componentId}', which is neither built in, in the project, nor locked: ` +
          `add it under components/, or bind the step to a registry component (greentic-studio flow bind-component --component oci://…) and run greentic-studio pack resolve`,
        range: node.opKeyRange,
        pointer: `/nodes/${node.id}`,
      });
      continue;
    }
    const config = isRecord(node.payload) ? node.payload.config : undefined;
    if (config === undefined || component.configSchema === undefined || component.configSchema === null) continue;
    for (const issue of validateConfig(component.configSchema, config)) {
      diagnostics.push({
        severity: issue.severity,
        code: issue.code,
        message: `node '${node.id}' config (${component.id} config_schema): ${issue.message}`,
        range: node.opKeyRange,
        pointer: `/nodes/${node.id}/${node.opKey}/config`,
      });
    }
  }
  return diagnostics;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
