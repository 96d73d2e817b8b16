/**
 * Which implementation runs a compiled node (runtime.md §6.1). Runner-native op keys are checked
 * first, against the component id and, for `component.exec`, the operation; everything else is a
 * component call resolved through the component host.
 */
import type { CompiledNode, JsonValue } from '../../shared/flow/compiled';
import { NATIVE_OP_KEYS } from '../../shared/flow/native-ops';

export type NodeKind =
  | { kind: 'native'; op: string }
  | { kind: 'emit'; op: string }
  | { kind: 'component'; componentId: string; operation: string; input: JsonValue; config: JsonValue }
  | { kind: 'invalid'; message: string };

const EXEC = 'component.exec';
const PAYLOAD_KEYS = new Set(['operation', 'op', 'component', 'component_ref', 'config']);

function isNative(op: string | null | undefined): op is string {
  return typeof op === 'string' && (NATIVE_OP_KEYS.has(op) || op.startsWith('emit.') || op.startsWith('mcp:'));
}

/** The native op key of a node, if it is a runner built-in (needs no rendered payload). */
export function nativeOp(node: CompiledNode): string | null {
  const { id, operation } = node.component;
  if (isNative(id)) return id;
  if (id === EXEC && isNative(operation)) return operation;
  if (operation && operation.startsWith('emit.')) return operation;
  return null;
}

/** Classifies a node once its payload is rendered. */
export function nodeKind(node: CompiledNode, payload: JsonValue): NodeKind {
  const native = nativeOp(node);
  if (native) return native.startsWith('emit.') ? { kind: 'emit', op: native } : { kind: 'native', op: native };
  const { id, operation } = node.component;
  const fields = isObject(payload) ? payload : {};
  if (id === EXEC) {
    const target = stringField(fields, 'component') ?? stringField(fields, 'component_ref');
    const payloadOperation = stringField(fields, 'operation') ?? stringField(fields, 'op');
    if (target) {
      if (target.startsWith('emit.')) return { kind: 'emit', op: target };
      const op = operation && operation !== EXEC ? operation : payloadOperation;
      if (!op) {
        return {
          kind: 'invalid',
          message: `missing operation for node \`${node.id}\` (component \`${target}\`); expected node.component.operation to be set`,
        };
      }
      return { kind: 'component', componentId: target, operation: op, ...splitPayload(payload, true) };
    }
    if (!operation || operation === EXEC) return { kind: 'invalid', message: 'component.exec requires a component_ref' };
    // Style 1 (`qa.process: {...}`): the op key names the component and operation.
    const [componentId, op] = splitOnLastDot(operation);
    return { kind: 'component', componentId, operation: op, ...splitPayload(payload, false) };
  }
  const [componentId, op]: [string, string] = operation ? [id, operation] : splitOnLastDot(id);
  return { kind: 'component', componentId, operation: op, ...splitPayload(payload, false) };
}

function splitOnLastDot(key: string): [string, string] {
  const at = key.lastIndexOf('.');
  return at > 0 ? [key.slice(0, at), key.slice(at + 1)] : [key, key];
}

/**
 * Separates a component's input from its config (runtime.md §6.3). For `component.exec` without an
 * `input`, the payload minus the addressing keys is the input (a superset of upstream).
 */
function splitPayload(payload: JsonValue, exec: boolean): { input: JsonValue; config: JsonValue } {
  if (!isObject(payload)) return { input: payload, config: null };
  const config = payload.config ?? null;
  if ('input' in payload) {
    if (exec || Object.keys(payload).every((key) => key === 'input' || PAYLOAD_KEYS.has(key))) {
      return { input: payload.input ?? null, config };
    }
    return { input: payload, config: null };
  }
  if (!exec) return { input: payload, config: null };
  const input: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(payload)) if (!PAYLOAD_KEYS.has(key)) input[key] = value;
  return { input, config };
}

function stringField(fields: Record<string, JsonValue>, key: string): string | undefined {
  const value = fields[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function isObject(value: JsonValue): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
