/** The in-memory session store: TTL refreshed on every save, compare-and-set on the revision. */
import { cloneJson } from '../engine/state';
import type { SessionFilter, SessionRecord, SessionScope, SessionStore, SessionUpdate } from './session-store';
import { DEFAULT_SESSION_TTL_SECONDS, SessionConflictError, canonicalSessionKey } from './session-store';

export interface MemorySessionStoreOptions {
  ttlSeconds?: number;
  /** The clock, replaceable in tests. */
  now?: () => number;
  /** Upper bound on stored sessions; the least recently used are evicted beyond it. */
  maxSessions?: number;
}

export class MemorySessionStore implements SessionStore {
  private readonly records = new Map<string, SessionRecord>();
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly maxSessions: number;

  constructor(options: MemorySessionStoreOptions = {}) {
    const ttl = options.ttlSeconds ?? DEFAULT_SESSION_TTL_SECONDS;
    if (!(ttl > 0)) throw new RangeError(`session TTL must be a positive number of seconds, got ${ttl}`);
    this.ttlMs = ttl * 1000;
    this.now = options.now ?? Date.now;
    this.maxSessions = options.maxSessions ?? 100_000;
  }

  async get(scope: SessionScope): Promise<SessionRecord | null> {
    const record = this.live(storageKey(scope));
    return record ? cloneJson(record) : null;
  }

  async save(scope: SessionScope, update: SessionUpdate, expectedRevision: number | null): Promise<SessionRecord> {
    const id = storageKey(scope);
    const existing = this.live(id);
    if ((existing?.revision ?? null) !== expectedRevision) throw new SessionConflictError(canonicalSessionKey(scope));
    const now = this.now();
    const record: SessionRecord = {
      key: canonicalSessionKey(scope),
      scope: { ...scope },
      flowId: update.flowId,
      snapshot: update.snapshot === null ? null : cloneJson(update.snapshot),
      revision: (existing?.revision ?? 0) + 1,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      expiresAt: now + this.ttlMs,
    };
    // Re-inserting keeps the map in least-recently-used order for eviction.
    this.records.delete(id);
    this.records.set(id, record);
    this.evictBeyondCapacity();
    return cloneJson(record);
  }

  async delete(scope: SessionScope): Promise<boolean> {
    return this.records.delete(storageKey(scope));
  }

  async list(filter: SessionFilter = {}): Promise<SessionRecord[]> {
    const out: SessionRecord[] = [];
    for (const [id, record] of this.records) {
      if (!this.live(id)) continue;
      const { scope } = record;
      if (filter.env !== undefined && scope.env !== filter.env) continue;
      if (filter.tenant !== undefined && scope.tenant !== filter.tenant) continue;
      if (filter.team !== undefined && scope.team !== filter.team) continue;
      out.push(cloneJson(record));
    }
    return out;
  }

  private live(id: string): SessionRecord | undefined {
    const record = this.records.get(id);
    if (record && record.expiresAt <= this.now()) {
      this.records.delete(id);
      return undefined;
    }
    return record;
  }

  private evictBeyondCapacity(): void {
    for (const id of this.records.keys()) {
      if (this.records.size <= this.maxSessions) return;
      this.records.delete(id);
    }
  }
}

/**
 * The map key covers every isolation field (env, tenant, team) and cannot collide: the canonical
 * key alone would, because a `:` inside an id shifts the fields.
 */
function storageKey(scope: SessionScope): string {
  return JSON.stringify([scope.env, scope.tenant, scope.team ?? null, scope.provider, scope.conversation, scope.user]);
}
