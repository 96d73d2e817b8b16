/**
 * The flow state a replay sees: it reads what the studio's state holds, and keeps its own writes
 * to itself, so a side run changes nothing a conversation sees.
 */
import type { JsonValue } from '../../shared/flow/compiled';
import { storageKey, type StateScope, type StateStore } from '../sessions/state-store';

export class OverlayStateStore implements StateStore {
  /** Writes of the side run by scope and key; `undefined` marks a delete. */
  private readonly own = new Map<string, JsonValue | undefined>();

  constructor(private readonly base: StateStore | undefined) {}

  async get(scope: StateScope, key: string): Promise<{ found: boolean; value: JsonValue }> {
    const id = storageKey(scope, key);
    if (this.own.has(id)) {
      const value = this.own.get(id);
      return value === undefined ? { found: false, value: null } : { found: true, value: structuredClone(value) };
    }
    return this.base ? this.base.get(scope, key) : { found: false, value: null };
  }

  async set(scope: StateScope, key: string, value: JsonValue): Promise<void> {
    this.own.set(storageKey(scope, key), structuredClone(value));
  }

  async delete(scope: StateScope, key: string): Promise<void> {
    this.own.set(storageKey(scope, key), undefined);
  }
}
