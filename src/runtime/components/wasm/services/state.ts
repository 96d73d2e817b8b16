/** Whose state a component call sees: the runner's identity of the call, never the guest's claim. */
export interface StateScope {
  env: string;
  tenant: string;
  /** The session (conversation) the call belongs to. */
  session: string;
}

/**
 * State behind greentic:state/state-store. The runner's session store should back it in the studio, so
 * state lives and dies with the conversation.
 */
export interface ComponentStateStore {
  read(scope: StateScope, key: string): Promise<Uint8Array | null>;
  write(scope: StateScope, key: string, value: Uint8Array): Promise<void>;
  delete(scope: StateScope, key: string): Promise<boolean>;
}

export const MAX_STATE_VALUE_BYTES = 1024 * 1024;
export const MAX_STATE_KEY_LENGTH = 512;

/** State in memory, bounded per scope. */
export class MemoryStateStore implements ComponentStateStore {
  private readonly scopes = new Map<string, Map<string, Uint8Array>>();

  constructor(private readonly maxKeysPerScope = 1000) {}

  async read(scope: StateScope, key: string): Promise<Uint8Array | null> {
    return this.scopes.get(scopeKey(scope))?.get(key) ?? null;
  }

  async write(scope: StateScope, key: string, value: Uint8Array): Promise<void> {
    let values = this.scopes.get(scopeKey(scope));
    if (!values) this.scopes.set(scopeKey(scope), (values = new Map()));
    if (!values.has(key) && values.size >= this.maxKeysPerScope) {
      throw new RangeError(`a session may keep at most ${this.maxKeysPerScope} state keys`);
    }
    values.set(key, Uint8Array.from(value));
  }

  async delete(scope: StateScope, key: string): Promise<boolean> {
    return this.scopes.get(scopeKey(scope))?.delete(key) ?? false;
  }
}

function scopeKey(scope: StateScope): string {
  return JSON.stringify([scope.env, scope.tenant, scope.session]);
}
