import type { JsonValue } from '../../../../shared/flow/compiled';
import type { StateScope, StateStore } from '../../../sessions/state-store';

export type { StateScope } from '../../../sessions/state-store';

/**
 * greentic:state/state-store over the runner's JSON state: the very entries `state.get` and `state.set`
 * nodes read and write, keyed by (env, tenant, key) (runtime.md §10.4, components.md §5), so a flow and
 * its components share what they remember. As upstream's runner host does: written bytes that are JSON
 * text are kept as that JSON value, any other bytes as a string (invalid UTF-8 replaced); a read
 * returns the value's JSON text.
 */
export interface ComponentStateStore {
  read(scope: StateScope, key: string): Promise<Uint8Array | null>;
  write(scope: StateScope, key: string, value: Uint8Array): Promise<void>;
  delete(scope: StateScope, key: string): Promise<void>;
}

export const MAX_STATE_VALUE_BYTES = 1024 * 1024;
export const MAX_STATE_KEY_LENGTH = 512;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');
const utf8 = new TextEncoder();

export class JsonStateLayer implements ComponentStateStore {
  constructor(private readonly store: StateStore) {}

  async read(scope: StateScope, key: string): Promise<Uint8Array | null> {
    const entry = await this.store.get(scope, key);
    return entry.found ? utf8.encode(JSON.stringify(entry.value)) : null;
  }

  async write(scope: StateScope, key: string, value: Uint8Array): Promise<void> {
    await this.store.set(scope, key, jsonOf(value));
  }

  async delete(scope: StateScope, key: string): Promise<void> {
    await this.store.delete(scope, key);
  }
}

/** The JSON value bytes stand for: parsed when they are JSON text, else their text as a string. */
export function jsonOf(bytes: Uint8Array): JsonValue {
  try {
    return JSON.parse(strictUtf8.decode(bytes)) as JsonValue;
  } catch {
    return lenientUtf8.decode(bytes);
  }
}
