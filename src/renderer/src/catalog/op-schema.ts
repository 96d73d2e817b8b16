/** The input schema of a node's operation, when one is known, and where in the payload it applies. */
import { APPLY_ANSWERS_OP, QA_SPEC_OP, type DevFlow, type IrNode } from '../../../shared/flow';
import { builtinOp } from './builtin-ops';
import type { CatalogComponent, CatalogOperation } from './components';
import { asFieldSchema, type FieldSchema } from './json-schema';

export interface NodeSchema {
  schema: FieldSchema;
  /** Path inside the payload the schema describes: [] for the payload, ['input'] for a component's `input`. */
  at: string[];
  source: string;
}

interface ComponentCall {
  component: CatalogComponent;
  operation: CatalogOperation | undefined;
  at: string[];
}

/**
 * The component operation a node calls, in the forms the runner accepts: `component.exec` naming
 * the component in its payload, an op key that is the component id (the operation beside it or
 * the first one), or an op key `<component id>.<operation>`.
 */
function componentCall(node: IrNode, payload: Record<string, unknown>, components: readonly CatalogComponent[]): ComponentCall | null {
  const byId = (id: string) => components.find((c) => c.id === id);
  const named = (component: CatalogComponent, name: string | null) => component.operations.find((op) => op.name === name);
  const at = Object.prototype.hasOwnProperty.call(payload, 'input') ? ['input'] : [];
  if (node.opKey === 'component.exec') {
    const component = typeof payload.component === 'string' ? byId(payload.component) : undefined;
    if (!component) return null;
    return { component, operation: named(component, typeof payload.operation === 'string' ? payload.operation : node.operation), at: ['input'] };
  }
  const opKey = node.opKey ?? '';
  const whole = byId(opKey);
  if (whole) return { component: whole, operation: named(whole, node.operation) ?? whole.operations[0], at };
  const dot = opKey.lastIndexOf('.');
  const prefixed = dot > 0 ? byId(opKey.slice(0, dot)) : undefined;
  return prefixed ? { component: prefixed, operation: named(prefixed, opKey.slice(dot + 1)), at } : null;
}

export function schemaForNode(node: IrNode, components: readonly CatalogComponent[]): NodeSchema | null {
  if (!node.opKey) return null;
  const payload = typeof node.payload === 'object' && node.payload !== null ? (node.payload as Record<string, unknown>) : {};
  const call = componentCall(node, payload, components);
  const schema = asFieldSchema(call?.operation?.inputSchema);
  if (call?.operation && schema) return { schema, at: call.at, source: `${call.component.id} ${call.operation.name} (${call.operation.source})` };
  const builtin = builtinOp(node.opKey);
  return builtin ? { schema: builtin.schema, at: [], source: `${builtin.opKey} (built-in)` } : null;
}

/** The `config_schema` of the component a node calls, when it describes a configuration with fields. */
export function configSchemaForNode(node: IrNode, components: readonly CatalogComponent[]): { schema: FieldSchema; raw: unknown; component: string } | null {
  if (!node.opKey) return null;
  const payload = typeof node.payload === 'object' && node.payload !== null ? (node.payload as Record<string, unknown>) : {};
  const call = componentCall(node, payload, components);
  const raw = call?.component.configSchema;
  const schema = asFieldSchema(raw);
  if (!call || !schema || Object.keys(schema.properties ?? {}).length === 0) return null;
  return { schema, raw, component: call.component.id };
}

/** The questions a node's component asks about it (its `dev_flows`), and where in the payload the answers go. */
export interface NodeQuestions {
  component: string;
  flows: DevFlow[];
  /** The operation the node calls, which names the dev flow upstream looks for first. */
  operation: string | null;
  /** The operations the component declares (a config flow may switch the step to another). */
  operations: string[];
  /**
   * The part of the payload that upstream's `update-step` answers into: the op key's whole value, as
   * upstream's v2 steps hold it; for `component.exec` its `input`, the only part upstream passes on.
   */
  at: string[];
  /** The component asks its own setup questions (a 0.6 component exporting `qa-spec` and `apply-answers`). */
  setup: boolean;
}

export function questionsForNode(node: IrNode, components: readonly CatalogComponent[]): NodeQuestions | null {
  if (!node.opKey) return null;
  const payload = typeof node.payload === 'object' && node.payload !== null ? (node.payload as Record<string, unknown>) : {};
  const call = componentCall(node, payload, components);
  if (!call) return null;
  const names = call.component.operations.map((op) => op.name);
  const setup = names.includes(QA_SPEC_OP) && names.includes(APPLY_ANSWERS_OP);
  if (call.component.devFlows.length === 0 && !setup) return null;
  return {
    component: call.component.id,
    flows: call.component.devFlows,
    operation: call.operation?.name ?? node.operation,
    operations: call.component.operations.map((op) => op.name),
    at: node.opKey === 'component.exec' ? ['input'] : [],
    setup,
  };
}
