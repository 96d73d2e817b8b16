/**
 * The session store the studio's settings choose, behind the one `SessionStore` the chat host holds:
 * switching stores (memory, a Redis server) needs no new runtime, and the engine and the channels
 * never learn that it happened. A chosen store that cannot be had is not replaced by another: every
 * call fails with the reason until the settings name one that works.
 */
import { MemorySessionStore } from './memory-session-store';
import {
  SessionStoreUnavailableError,
  type SessionFilter,
  type SessionRecord,
  type SessionScope,
  type SessionStore,
  type SessionStoreDescription,
  type SessionTurn,
  type SessionUpdate,
  type TurnOpenOptions,
} from './session-store';

type Current = { store: SessionStore } | { problem: string; description: SessionStoreDescription };

export class SwitchableSessionStore implements SessionStore {
  private current: Current = { store: new MemorySessionStore() };

  get description(): SessionStoreDescription {
    return 'store' in this.current ? this.current.store.description : this.current.description;
  }

  /** Why the chosen store cannot be used, or null when it can. */
  get problem(): string | null {
    return 'problem' in this.current ? this.current.problem : null;
  }

  /** Uses `store` from now on; the previous store is closed. */
  async use(store: SessionStore): Promise<void> {
    const previous = this.current;
    this.current = { store };
    if ('store' in previous) await previous.store.close().catch(() => undefined);
  }

  /** The chosen store cannot be had: every call says so, and nothing falls back to another store. */
  async unavailable(description: SessionStoreDescription, problem: string): Promise<void> {
    const previous = this.current;
    this.current = { problem, description };
    if ('store' in previous) await previous.store.close().catch(() => undefined);
  }

  async get(scope: SessionScope): Promise<SessionRecord | null> {
    return this.store().get(scope);
  }

  async save(scope: SessionScope, update: SessionUpdate, expectedRevision: number | null): Promise<SessionRecord> {
    return this.store().save(scope, update, expectedRevision);
  }

  async delete(scope: SessionScope): Promise<boolean> {
    return this.store().delete(scope);
  }

  async list(filter?: SessionFilter): Promise<SessionRecord[]> {
    return this.store().list(filter);
  }

  async openTurn(scope: SessionScope, options?: TurnOpenOptions): Promise<SessionTurn> {
    return this.store().openTurn(scope, options);
  }

  async close(): Promise<void> {
    if ('store' in this.current) await this.current.store.close();
  }

  private store(): SessionStore {
    if ('store' in this.current) return this.current.store;
    throw new SessionStoreUnavailableError(this.current.problem);
  }
}
