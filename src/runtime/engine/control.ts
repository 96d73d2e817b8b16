/** The component control protocol, `greentic_control` in a component's output (runtime.md §6.5). */
import type { JsonValue } from '../../shared/flow/compiled';
import { FlowError } from './errors';

export interface JumpControl {
  action: 'jump';
  flow: string;
  node?: string;
  payload: JsonValue;
  hints: JsonValue;
  maxRedirects?: number;
  reason?: string;
}

export interface RespondControl {
  action: 'respond';
  text?: string;
  cardCbor?: JsonValue[];
  needsUser?: boolean;
}

export type ComponentControl = JumpControl | RespondControl;

/** Null for a plain output (no `greentic_control`, or an action we do not know). */
export function parseControl(output: JsonValue, nodeId: string): ComponentControl | null {
  if (!isObject(output) || !('greentic_control' in output)) return null;
  const control = output.greentic_control;
  const fail = (message: string) => new FlowError('jump_failed', `jump_failed: ${message}`, nodeId);
  if (!isObject(control)) throw fail('greentic_control must be an object');
  if (control.action === undefined || control.action === null) throw fail('greentic_control.action is required');
  if (control.v === undefined || control.v === null) throw fail('greentic_control.v is required');
  if (control.v !== 1) throw fail(`unsupported greentic_control.v=${JSON.stringify(control.v)}`);
  if (control.action === 'jump') {
    if (typeof control.flow !== 'string' || control.flow.length === 0) throw fail('jump flow is required');
    return {
      action: 'jump',
      flow: control.flow,
      ...(typeof control.node === 'string' && control.node.length > 0 ? { node: control.node } : {}),
      payload: control.payload ?? {},
      hints: control.hints ?? {},
      ...(typeof control.max_redirects === 'number' ? { maxRedirects: control.max_redirects } : {}),
      ...(typeof control.reason === 'string' ? { reason: control.reason } : {}),
    };
  }
  if (control.action === 'respond') {
    return {
      action: 'respond',
      ...(typeof control.text === 'string' ? { text: control.text } : {}),
      ...(Array.isArray(control.card_cbor) ? { cardCbor: control.card_cbor } : {}),
      ...(typeof control.needs_user === 'boolean' ? { needsUser: control.needs_user } : {}),
    };
  }
  return null;
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
