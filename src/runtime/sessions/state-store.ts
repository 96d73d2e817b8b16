/**
 * The key-value state that `state.get` / `state.set` nodes read and write, scoped by environment and
 * tenant (runtime.md §10.4). Behind an interface so that a Redis store can follow.
 */
import type { JsonValue } from '../../shared/flow/compiled';

export interface StateScope {
  env: string;
  tenant: string;
}

export interface StateStore {
  get(scope: StateScope, key: string): Promise<{ found: boolean; value: JsonValue }>;
  set(scope: StateScope, key: string, value: JsonValue): Promise<void>;
  delete(scope: StateScope, key: string): Promise<void>;
}

export class MemoryStateStore implements StateStore {
  private readonly values = new Map<string, JsonValue>();

  async get(scope: StateScope, key: string): Promise<{ found: boolean; value: JsonValue }> {
    const id = storageKey(scope, key);
    return this.values.has(id) ? { found: true, value: structuredClone(this.values.get(id) ?? null) } : { found: false, value: null };
  }

  async set(scope: StateScope, key: string, value: JsonValue): Promise<void> {
    this.values.set(storageKey(scope, key), structuredClone(value));
  }

  async delete(scope: StateScope, key: string): Promise<void> {
    this.values.delete(storageKey(scope, key));
  }
}

/**
 * Reads through to a store and keeps its own writes: a node run on its own sees the runner's state
 * but changes none of it. Without a store underneath, only its own writes exist.
 */
export class ScratchStateStore implements StateStore {
  private readonly written = new MemoryStateStore();
  private readonly removed = new Set<string>();

  constructor(private readonly underlying: StateStore | undefined) {}

  async get(scope: StateScope, key: string): Promise<{ found: boolean; value: JsonValue }> {
    const own = await this.written.get(scope, key);
    if (own.found || this.removed.has(storageKey(scope, key)) || !this.underlying) return own;
    return this.underlying.get(scope, key);
  }

  async set(scope: StateScope, key: string, value: JsonValue): Promise<void> {
    this.removed.delete(storageKey(scope, key));
    await this.written.set(scope, key, value);
  }

  async delete(scope: StateScope, key: string): Promise<void> {
    this.removed.add(storageKey(scope, key));
    await this.written.delete(scope, key);
  }
}

/** JSON array keys: no separator inside a tenant or key can make two scopes collide. */
export function storageKey(scope: StateScope, key: string): string {
  return JSON.stringify([scope.env, scope.tenant, key]);
}
