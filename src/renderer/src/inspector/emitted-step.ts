/**
 * Writes the step a component's config flow emitted over an existing step, as greentic-flow's
 * `update-step --mode config` does: the payload is the emitted one, the operation follows the
 * emitted operation, the routing stays. The studio's ways of calling a component are kept: an op
 * key `<component>.<operation>` is renamed to the new operation, and a `component.exec` step
 * takes the emitted payload as its `input` (and `config`), where the runner reads them.
 */
import type { ConfigFlowResult } from '../../../shared/api';
import { changeOpKey, setNodeValue, setPayloadField, type EditResult, type FlowSource, type IrNode } from '../../../shared/flow';

export interface EmittingComponent {
  id: string;
  /** The operations it declares: an emitted operation outside them keeps the step's own. */
  operations: readonly string[];
}

export function applyEmittedStep(source: FlowSource, node: IrNode, emitted: ConfigFlowResult, component: EmittingComponent): EditResult {
  const opKey = node.opKey;
  if (!opKey) return { ok: false, code: 'OPERATION_REQUIRED', message: `node '${node.id}' has no operation key` };
  const operation = component.operations.includes(emitted.operation) ? emitted.operation : null;
  if (opKey === 'component.exec') return applyToExec(source, node, emitted.payload, operation);
  const prefix = `${component.id}.`;
  if (operation && opKey.startsWith(prefix) && opKey !== `${prefix}${operation}`) return changeOpKey(source, node.id, `${prefix}${operation}`, emitted.payload);
  const written = setNodeValue(source, node.id, [opKey], emitted.payload);
  return operation && node.operation !== null && node.operation !== operation ? then(written, (text) => setNodeValue(text, node.id, ['operation'], operation)) : written;
}

function applyToExec(source: FlowSource, node: IrNode, payload: unknown, operation: string | null): EditResult {
  const { input, config } = splitEnvelope(payload);
  let result = setPayloadField(source, node.id, ['input'], input);
  if (config !== undefined) result = then(result, (text) => setPayloadField(text, node.id, ['config'], config));
  const current = isRecord(node.payload) && typeof node.payload.operation === 'string' ? node.payload.operation : node.operation;
  if (!operation || operation === current) return result;
  const inPayload = isRecord(node.payload) && 'operation' in node.payload;
  return then(result, (text) => (inPayload || node.operation === null ? setPayloadField(text, node.id, ['operation'], operation) : setNodeValue(text, node.id, ['operation'], operation)));
}

/** The runtime's reading of a payload: `{input, config?}` beside addressing keys only, else the whole payload is the input. */
function splitEnvelope(payload: unknown): { input: unknown; config?: unknown } {
  const addressing = new Set(['input', 'operation', 'op', 'component', 'component_ref', 'config']);
  if (!isRecord(payload) || !('input' in payload) || !Object.keys(payload).every((key) => addressing.has(key))) return { input: payload };
  return 'config' in payload ? { input: payload.input, config: payload.config } : { input: payload.input };
}

function then(result: EditResult, next: (text: string) => EditResult): EditResult {
  return result.ok ? next(result.text) : result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
