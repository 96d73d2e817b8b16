/**
 * Runner-native op keys (flow-format.md §10), split by who runs them in the studio: the engine's own
 * control steps, and the kinds only a deployed runner can execute.
 */

/** Steps the studio's engine runs itself, as does every runner: a pinned output never replaces them. */
export const ENGINE_OP_KEYS: ReadonlySet<string> = new Set(['flow.call', 'flow.goto', 'session.wait', 'state.get', 'state.set', 'var.set']);

/** Native kinds the studio's runner cannot execute: they need a pinned output. */
export const REMOTE_NATIVE_KINDS: ReadonlySet<string> = new Set([
  'provider.invoke',
  'dw.agent',
  'dw.agent_graph',
  'sorla.call',
  'operala.call',
  'agentic.call',
  'telco-x.call',
  'approval.call',
  'mcp',
]);

/** Runner-native op keys, besides the `emit.` prefix. */
export const NATIVE_OP_KEYS: ReadonlySet<string> = new Set([...ENGINE_OP_KEYS, ...REMOTE_NATIVE_KINDS]);

/** Whether a pinned output can stand in for a step with this op key: components and remote-only kinds. */
export function acceptsPinnedOutput(opKey: string): boolean {
  return !ENGINE_OP_KEYS.has(opKey) && !opKey.startsWith('emit.');
}
