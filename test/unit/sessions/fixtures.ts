import { initialState, type FlowSnapshot } from '../../../src/runtime/engine/state';
import type { SessionScope } from '../../../src/runtime/sessions/session-store';

export const scope = (overrides: Partial<SessionScope> = {}): SessionScope => ({
  env: 'local',
  tenant: 'acme',
  provider: 'webchat',
  conversation: 'conv-1',
  user: 'alice',
  ...overrides,
});

/** A parked run carrying `note`; its empty arrays and objects, big and fractional numbers and non-ASCII text must survive a store. */
export const snapshot = (note: string): FlowSnapshot => ({
  pack_id: 'p',
  flow_id: 'main',
  next_node: 'answer',
  awaiting_submit: false,
  state: { ...initialState({ note, list: [], map: {}, big: 2 ** 53 - 1, fraction: 0.1 + 0.2, text: 'Grüße 👋' }), vars: { note } },
});
