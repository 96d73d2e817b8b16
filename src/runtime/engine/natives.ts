/**
 * Runner-native nodes (runtime.md §6.2): emit, session.wait, state.get/set, var.set, flow.goto.
 * `flow.call` lives in the engine because it runs a whole sub-flow.
 */
import type { JsonValue } from '../../shared/flow/compiled';
import type { StateScope, StateStore } from '../sessions/state-store';
import type { JumpControl } from './control';
import { FlowError } from './errors';
import type { ExecutionState } from './state';
import type { TemplateContext } from './templating';

export type NativeResult =
  | { control: 'continue'; output: JsonValue; emitted?: boolean }
  | { control: 'wait'; output: JsonValue; reason: string }
  | { control: 'jump'; output: JsonValue; jump: JumpControl };

export interface NativeEnv {
  nodeId: string;
  state: ExecutionState;
  stateStore: StateStore | undefined;
  stateScope: StateScope;
  context: TemplateContext;
}

export function runEmit(payload: JsonValue, env: NativeEnv): NativeResult {
  let value = payload;
  if (isObject(payload)) {
    if ('input' in payload) value = payload.input ?? null;
    else if ('payload' in payload) value = payload.payload ?? null;
  }
  env.state.egress.push(value);
  return { control: 'continue', output: value, emitted: true };
}

export function runWait(payload: JsonValue): NativeResult {
  const reason = typeof payload === 'string' ? payload : isObject(payload) && typeof payload.reason === 'string' ? payload.reason : '';
  return { control: 'wait', output: payload, reason };
}

export async function runStateGet(payload: JsonValue, env: NativeEnv): Promise<NativeResult> {
  const key = stateKey(payload, env.nodeId);
  const store = requireStore(env);
  try {
    const { found, value } = await store.get(env.stateScope, key);
    return { control: 'continue', output: { key, value, found } };
  } catch (error) {
    throw new FlowError('state_error', `state.get failed for key \`${key}\`: ${messageOf(error)}`, env.nodeId);
  }
}

export async function runStateSet(payload: JsonValue, env: NativeEnv): Promise<NativeResult> {
  const key = stateKey(payload, env.nodeId);
  const value = isObject(payload) ? (payload.value ?? null) : null;
  const store = requireStore(env);
  try {
    await store.set(env.stateScope, key, value);
    return { control: 'continue', output: { key, value } };
  } catch (error) {
    throw new FlowError('state_error', `state.set failed for key \`${key}\`: ${messageOf(error)}`, env.nodeId);
  }
}

/** `var.set`: a value that is a `/json/pointer` (and no template) reads from the template context. */
export function runVarSet(payload: JsonValue, env: NativeEnv): NativeResult {
  if (!isObject(payload) || typeof payload.name !== 'string' || payload.name.length === 0) {
    throw new FlowError('invalid_payload', 'invalid payload for var.set node: `name` must be a non-empty string', env.nodeId);
  }
  let value = payload.value ?? null;
  if (typeof value === 'string' && value.startsWith('/')) value = resolvePointer(env.context, value) ?? null;
  env.state.vars[payload.name] = value;
  return { control: 'continue', output: { ok: true } };
}

export function runGoto(payload: JsonValue, nodeId: string): NativeResult {
  if (!isObject(payload)) throw new FlowError('invalid_payload', 'invalid payload for flow.goto node', nodeId);
  const flow = payload.flow_id ?? payload.flow;
  if (typeof flow !== 'string' || flow.length === 0) {
    throw new FlowError('invalid_payload', 'flow.goto requires a non-empty flow_id', nodeId);
  }
  const jump: JumpControl = {
    action: 'jump',
    flow,
    ...(typeof payload.node === 'string' && payload.node.length > 0 ? { node: payload.node } : {}),
    payload: payload.input ?? {},
    hints: {},
    ...(typeof payload.max_redirects === 'number' ? { maxRedirects: payload.max_redirects } : {}),
    ...(typeof payload.reason === 'string' ? { reason: payload.reason } : {}),
  };
  return { control: 'jump', output: payload, jump };
}

function stateKey(payload: JsonValue, nodeId: string): string {
  if (!isObject(payload) || typeof payload.key !== 'string' || payload.key.length === 0) {
    throw new FlowError('invalid_payload', 'state node payload missing required `key` (non-empty string)', nodeId);
  }
  return payload.key;
}

function requireStore(env: NativeEnv): StateStore {
  if (!env.stateStore) throw new FlowError('state_error', 'state store is not configured for this runtime', env.nodeId);
  return env.stateStore;
}

/** RFC 6901 JSON pointer over the template context. */
export function resolvePointer(root: unknown, pointer: string): JsonValue | undefined {
  let current: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) current = /^\d+$/.test(key) ? current[Number(key)] : undefined;
    else if (current !== null && typeof current === 'object' && Object.prototype.hasOwnProperty.call(current, key)) {
      current = (current as Record<string, unknown>)[key];
    } else return undefined;
    if (current === undefined) return undefined;
  }
  return current as JsonValue;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
