/** The input schema of a node's operation, when one is known, and where in the payload it applies. */
import type { ComponentEntry } from '../../../shared/api';
import type { IrNode } from '../../../shared/flow';
import { builtinOp } from './builtin-ops';
import { asFieldSchema, type FieldSchema } from './json-schema';

export interface NodeSchema {
  schema: FieldSchema;
  /** Path inside the payload the schema describes: [] for the payload, ['input'] for component.exec input. */
  at: string[];
  source: string;
}

export function schemaForNode(node: IrNode, components: readonly ComponentEntry[]): NodeSchema | null {
  if (!node.opKey) return null;
  const payload = typeof node.payload === 'object' && node.payload !== null ? (node.payload as Record<string, unknown>) : {};
  if (node.opKey === 'component.exec' && typeof payload.component === 'string') {
    const component = components.find((c) => c.id === payload.component);
    const operationName = typeof payload.operation === 'string' ? payload.operation : node.operation;
    const operation = component?.operations.find((op) => op.name === operationName);
    const schema = asFieldSchema(operation?.inputSchema);
    if (schema) return { schema, at: ['input'], source: `${component?.id} ${operation?.name} (manifest)` };
  }
  const component = components.find((c) => c.id === node.opKey);
  if (component) {
    const operation = component.operations.find((op) => op.name === node.operation) ?? component.operations[0];
    const schema = asFieldSchema(operation?.inputSchema);
    if (schema) return { schema, at: [], source: `${component.id} ${operation?.name} (manifest)` };
  }
  const builtin = builtinOp(node.opKey);
  return builtin ? { schema: builtin.schema, at: [], source: `${builtin.opKey} (built-in)` } : null;
}
