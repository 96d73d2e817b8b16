/**
 * Conversation sessions: where a parked flow waits for the next message (runtime.md §10.2–10.3).
 * Records are isolated by environment, tenant and team. Two stores implement the interface: the
 * in-memory one (one process) and the Redis one (several runners sharing conversations).
 */
import type { JsonValue } from '../../shared/flow/compiled';
import type { FlowSnapshot } from '../engine/state';

export interface SessionScope {
  env: string;
  tenant: string;
  team?: string;
  /** The channel provider: `webchat`, `studio`, `cli`, ... */
  provider: string;
  conversation: string;
  user: string;
}

export interface SessionRecord {
  /** The canonical session key `{tenant}:{provider}:{conversation}:{user}`. */
  key: string;
  scope: SessionScope;
  flowId: string;
  /** The parked run, or null when no flow is waiting. */
  snapshot: FlowSnapshot | null;
  /** Incremented by every save: the compare-and-set token. */
  revision: number;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
}

export interface SessionUpdate {
  flowId: string;
  snapshot: FlowSnapshot | null;
}

/** Another writer saved the session since it was read. */
export class SessionConflictError extends Error {
  constructor(readonly key: string) {
    super(`session ${key} was changed by another turn`);
    this.name = 'SessionConflictError';
  }
}

/** Another turn of the session held it for longer than a turn may wait. */
export class SessionBusyError extends Error {
  constructor(
    readonly key: string,
    waitedMs: number,
  ) {
    super(`session ${key} is busy: another turn held it for ${waitedMs} ms`);
    this.name = 'SessionBusyError';
  }
}

/** The store cannot be reached (Redis down, reconnecting): the turn may be retried later. */
export class SessionStoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SessionStoreUnavailableError';
  }
}

export interface SessionFilter {
  env?: string;
  tenant?: string;
  team?: string;
}

export interface TurnOpenOptions {
  /** The inbound message's id: when a turn already handled it, `handled` holds what that turn saved. */
  messageId?: string;
}

export interface TurnCommit {
  /** The session after the turn; null removes it (a completed conversation of a bus channel). */
  update: SessionUpdate | null;
  /** Remembered under the turn's message id, so a redelivery of the message is answered from it. */
  outcome?: JsonValue;
}

/**
 * One turn of one session, held exclusively: no other turn of the session (in this process or,
 * for a shared store, in another runner) runs until it is committed or abandoned.
 */
export interface SessionTurn {
  /** The session as the turn found it. */
  readonly record: SessionRecord | null;
  /** What an earlier turn saved for the same message id; the turn should not run again. */
  readonly handled: JsonValue | null;
  /** Saves (compare-and-set on the revision read), remembers the outcome and ends the turn. */
  commit(commit: TurnCommit): Promise<SessionRecord | null>;
  /** Ends the turn without writing anything; nothing happens when it has already ended. */
  abandon(): Promise<void>;
}

export interface SessionStore {
  /** What the store is, for logs and the ready line: `memory`, or `redis` with its address and namespace. */
  readonly description: SessionStoreDescription;
  get(scope: SessionScope): Promise<SessionRecord | null>;
  /** Saves when the stored revision is `expectedRevision` (null: no record yet); refreshes the TTL. */
  save(scope: SessionScope, update: SessionUpdate, expectedRevision: number | null): Promise<SessionRecord>;
  delete(scope: SessionScope): Promise<boolean>;
  list(filter?: SessionFilter): Promise<SessionRecord[]>;
  /** Opens a turn: waits (bounded) while another turn holds the session, then reads it. */
  openTurn(scope: SessionScope, options?: TurnOpenOptions): Promise<SessionTurn>;
  close(): Promise<void>;
}

export type SessionStoreDescription = { backend: 'memory' } | { backend: 'redis'; url: string; namespace: string };

/** runtime.md §10.2: conversation and user fall back to `conversation` and `user`. */
export function canonicalSessionKey(scope: Pick<SessionScope, 'tenant' | 'provider' | 'conversation' | 'user'>): string {
  return `${scope.tenant}:${scope.provider}:${scope.conversation || 'conversation'}:${scope.user || 'user'}`;
}

export const DEFAULT_SESSION_TTL_SECONDS = 3600;
/** How long a handled message id is remembered: longer than any redelivery of it takes. */
export const DEFAULT_HANDLED_TTL_SECONDS = 900;
