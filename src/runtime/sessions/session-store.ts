/**
 * Conversation sessions: where a parked flow waits for the next message (runtime.md §10.2–10.3).
 * Records are isolated by environment, tenant and team; the store sits behind an interface so that
 * a Redis store can follow the in-memory one.
 */
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

export interface SessionFilter {
  env?: string;
  tenant?: string;
  team?: string;
}

export interface SessionStore {
  get(scope: SessionScope): Promise<SessionRecord | null>;
  /** Saves when the stored revision is `expectedRevision` (null: no record yet); refreshes the TTL. */
  save(scope: SessionScope, update: SessionUpdate, expectedRevision: number | null): Promise<SessionRecord>;
  delete(scope: SessionScope): Promise<boolean>;
  list(filter?: SessionFilter): Promise<SessionRecord[]>;
}

/** runtime.md §10.2: conversation and user fall back to `conversation` and `user`. */
export function canonicalSessionKey(scope: Pick<SessionScope, 'tenant' | 'provider' | 'conversation' | 'user'>): string {
  return `${scope.tenant}:${scope.provider}:${scope.conversation || 'conversation'}:${scope.user || 'user'}`;
}

export const DEFAULT_SESSION_TTL_SECONDS = 3600;
