/** The in-memory session store: TTL refreshed on every save, compare-and-set on the revision. */
import type { JsonValue } from '../../shared/flow/compiled';
import { cloneJson } from '../engine/state';
import type {
  SessionFilter,
  SessionRecord,
  SessionScope,
  SessionStore,
  SessionStoreDescription,
  SessionTurn,
  SessionUpdate,
  TurnCommit,
  TurnOpenOptions,
} from './session-store';
import { DEFAULT_HANDLED_TTL_SECONDS, DEFAULT_SESSION_TTL_SECONDS, SessionConflictError, canonicalSessionKey } from './session-store';
import { positiveSeconds } from './ttl';

export interface MemorySessionStoreOptions {
  ttlSeconds?: number;
  /** How long a handled message id is remembered. */
  handledTtlSeconds?: number;
  /** The clock, replaceable in tests. */
  now?: () => number;
  /** Upper bound on stored sessions (and on remembered message ids); the least recently used are evicted beyond it. */
  maxSessions?: number;
}

export class MemorySessionStore implements SessionStore {
  readonly description: SessionStoreDescription = { backend: 'memory' };
  private readonly records = new Map<string, SessionRecord>();
  private readonly handled = new Map<string, { outcome: JsonValue; expiresAt: number }>();
  /** Per session: the end of the last turn opened, which the next turn waits for. */
  private readonly turnTails = new Map<string, Promise<void>>();
  private readonly ttlMs: number;
  private readonly handledTtlMs: number;
  private readonly now: () => number;
  private readonly maxSessions: number;

  constructor(options: MemorySessionStoreOptions = {}) {
    this.ttlMs = positiveSeconds('session TTL', options.ttlSeconds ?? DEFAULT_SESSION_TTL_SECONDS) * 1000;
    this.handledTtlMs = positiveSeconds('handled-message TTL', options.handledTtlSeconds ?? DEFAULT_HANDLED_TTL_SECONDS) * 1000;
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
    evictBeyond(this.records, this.maxSessions);
    return cloneJson(record);
  }

  async delete(scope: SessionScope): Promise<boolean> {
    return this.records.delete(storageKey(scope));
  }

  async list(filter: SessionFilter = {}): Promise<SessionRecord[]> {
    const out: SessionRecord[] = [];
    for (const [id, record] of this.records) {
      if (this.live(id) && matchesFilter(record.scope, filter)) out.push(cloneJson(record));
    }
    return out;
  }

  /** Turns of one session queue in this process, in the order they were opened. */
  async openTurn(scope: SessionScope, options: TurnOpenOptions = {}): Promise<SessionTurn> {
    const id = storageKey(scope);
    const previous = this.turnTails.get(id);
    let finish!: () => void;
    const tail = (previous ?? Promise.resolve()).then(() => new Promise<void>((resolve) => (finish = resolve)));
    this.turnTails.set(id, tail);
    await previous;
    let open = true;
    const end = () => {
      if (!open) return;
      open = false;
      if (this.turnTails.get(id) === tail) this.turnTails.delete(id);
      finish();
    };
    const handledId = options.messageId === undefined ? null : JSON.stringify([id, options.messageId]);
    try {
      const record = await this.get(scope);
      const handled = handledId === null ? null : this.liveHandled(handledId);
      return {
        record,
        handled,
        commit: async ({ update, outcome }: TurnCommit) => {
          if (!open) throw new Error('this turn of the session has already ended');
          try {
            let saved: SessionRecord | null = null;
            if (update) saved = await this.save(scope, update, record?.revision ?? null);
            else if ((this.live(id)?.revision ?? null) !== (record?.revision ?? null)) throw new SessionConflictError(canonicalSessionKey(scope));
            else this.records.delete(id);
            if (handledId !== null && outcome !== undefined) this.remember(handledId, outcome);
            return saved;
          } finally {
            end();
          }
        },
        abandon: async () => end(),
      };
    } catch (error) {
      end();
      throw error;
    }
  }

  async close(): Promise<void> {}

  private live(id: string): SessionRecord | undefined {
    const record = this.records.get(id);
    if (record && record.expiresAt <= this.now()) {
      this.records.delete(id);
      return undefined;
    }
    return record;
  }

  private liveHandled(id: string): JsonValue | null {
    const entry = this.handled.get(id);
    if (!entry) return null;
    if (entry.expiresAt > this.now()) return cloneJson(entry.outcome);
    this.handled.delete(id);
    return null;
  }

  private remember(id: string, outcome: JsonValue): void {
    this.handled.delete(id);
    this.handled.set(id, { outcome: cloneJson(outcome), expiresAt: this.now() + this.handledTtlMs });
    evictBeyond(this.handled, this.maxSessions);
  }
}

export function matchesFilter(scope: SessionScope, filter: SessionFilter): boolean {
  if (filter.env !== undefined && scope.env !== filter.env) return false;
  if (filter.tenant !== undefined && scope.tenant !== filter.tenant) return false;
  if (filter.team !== undefined && scope.team !== filter.team) return false;
  return true;
}

/** Drops the oldest entries (the map's insertion order) beyond `max`. */
function evictBeyond(map: Map<string, unknown>, max: number): void {
  for (const id of map.keys()) {
    if (map.size <= max) return;
    map.delete(id);
  }
}

/**
 * The map key covers every isolation field (env, tenant, team) and cannot collide: the canonical
 * key alone would, because a `:` inside an id shifts the fields.
 */
function storageKey(scope: SessionScope): string {
  return JSON.stringify([scope.env, scope.tenant, scope.team ?? null, scope.provider, scope.conversation, scope.user]);
}
