/**
 * Sessions in Redis, shared by every runner on one bus, in upstream's layout (greentic-session
 * `backends/redis.rs`): the session under `<namespace>:session:<tenant>:<provider>:<conversation>:<user>`
 * with the TTL as its expiry, and a set per user of the sessions parked at a wait under
 * `<namespace>:waits:user:<env>:<tenant>:<team>:<user>`. Saves are compare-and-set on the revision
 * inside Redis; a turn holds a renewed, bounded lease on its session so turns of one conversation
 * never run at once across runners; handled message ids are remembered with their outcome.
 */
import { randomUUID } from 'node:crypto';
import type { RedisClientType } from 'redis';
import type { JsonValue } from '../../shared/flow/compiled';
import type { FlowSnapshot } from '../engine/state';
import { matchesFilter } from './memory-session-store';
import { connectRedis, describeCause, type RedisConnectOptions, type RedisTarget } from './redis-connection';
import {
  DELETE_SCRIPT,
  OPEN_TURN_SCRIPT,
  RELEASE_LEASE_SCRIPT,
  RENEW_LEASE_SCRIPT,
  SAVE_SCRIPT,
  type LuaScript,
} from './redis-scripts';
import {
  DEFAULT_HANDLED_TTL_SECONDS,
  DEFAULT_SESSION_TTL_SECONDS,
  SessionBusyError,
  SessionConflictError,
  SessionStoreUnavailableError,
  canonicalSessionKey,
  type SessionFilter,
  type SessionRecord,
  type SessionScope,
  type SessionStore,
  type SessionStoreDescription,
  type SessionTurn,
  type SessionUpdate,
  type TurnCommit,
  type TurnOpenOptions,
} from './session-store';
import { positiveSeconds } from './ttl';

export interface RedisSessionStoreOptions {
  /** Every key starts with it; upstream's default is `greentic:session:<env>`. */
  namespace: string;
  ttlSeconds?: number;
  handledTtlSeconds?: number;
  /** How long a turn's lease lasts without renewal: the longest a killed runner blocks its sessions. */
  leaseMs?: number;
  /** How long a turn waits for another turn of its session before it fails as busy. */
  leaseWaitMs?: number;
  /** Most sessions `list` returns (it scans the namespace). */
  maxListed?: number;
}

export const DEFAULT_LEASE_MS = 10_000;
const DEFAULT_LEASE_WAIT_MS = 30_000;
const FIRST_POLL_MS = 5;
const MAX_POLL_MS = 100;
const SCAN_BATCH = 1_000;

export function defaultSessionNamespace(env: string): string {
  return `greentic:session:${env}`;
}

export class RedisSessionStore implements SessionStore {
  readonly description: SessionStoreDescription;
  private readonly ttlMs: number;
  private readonly handledTtlMs: number;
  private readonly leaseMs: number;
  private readonly leaseWaitMs: number;
  private readonly maxListed: number;
  private readonly namespace: string;

  private constructor(
    private readonly client: RedisClientType,
    private readonly target: RedisTarget,
    options: RedisSessionStoreOptions,
  ) {
    this.namespace = options.namespace;
    this.description = { backend: 'redis', url: target.display, namespace: options.namespace };
    this.ttlMs = positiveSeconds('session TTL', options.ttlSeconds ?? DEFAULT_SESSION_TTL_SECONDS) * 1000;
    this.handledTtlMs = positiveSeconds('handled-message TTL', options.handledTtlSeconds ?? DEFAULT_HANDLED_TTL_SECONDS) * 1000;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.leaseWaitMs = options.leaseWaitMs ?? DEFAULT_LEASE_WAIT_MS;
    this.maxListed = options.maxListed ?? 10_000;
  }

  /** Connects (a `RedisConnectError` if the server cannot be reached or refuses) and returns the store. */
  static async open(target: RedisTarget, options: RedisSessionStoreOptions & RedisConnectOptions): Promise<RedisSessionStore> {
    if (!options.namespace.trim()) throw new RangeError('the Redis session namespace may not be empty');
    const client = await connectRedis(target, options);
    return new RedisSessionStore(client, target, options);
  }

  async get(scope: SessionScope): Promise<SessionRecord | null> {
    const stored = await this.call(() => this.client.get(this.sessionKey(scope)));
    return stored === null ? null : decodeRecord(stored, scope);
  }

  async save(scope: SessionScope, update: SessionUpdate, expectedRevision: number | null): Promise<SessionRecord> {
    const saved = await this.write(scope, { update }, expectedRevision, {});
    if (!saved) throw new Error('a save without an update cannot come back empty');
    return saved;
  }

  async delete(scope: SessionScope): Promise<boolean> {
    const key = canonicalSessionKey(scope);
    const removed = await this.eval(DELETE_SCRIPT, [this.sessionKey(scope), this.waitsKey(scope)], [scopeJson(scope), key]);
    return removed === 1;
  }

  async list(filter: SessionFilter = {}): Promise<SessionRecord[]> {
    const pattern = `${escapeGlob(this.namespace)}:session:*`;
    const out: SessionRecord[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.call(() => this.client.sendCommand<[string, string[]]>(['SCAN', cursor, 'MATCH', pattern, 'COUNT', String(SCAN_BATCH)]));
      cursor = next;
      if (keys.length === 0) continue;
      const values = await this.call(() => this.client.mGet(keys));
      for (const value of values) {
        const record = value === null ? null : decodeRecord(value);
        if (record && matchesFilter(record.scope, filter)) out.push(record);
        if (out.length >= this.maxListed) return out;
      }
    } while (cursor !== '0');
    return out;
  }

  async openTurn(scope: SessionScope, options: TurnOpenOptions = {}): Promise<SessionTurn> {
    const token = randomUUID();
    const leaseKey = this.leaseKey(scope);
    const keys = [leaseKey, this.sessionKey(scope)];
    if (options.messageId !== undefined) keys.push(this.handledKey(scope, options.messageId));
    const started = Date.now();
    let pause = FIRST_POLL_MS;
    for (;;) {
      const reply = (await this.eval(OPEN_TURN_SCRIPT, keys, [token, String(this.leaseMs)])) as [number, string?, string?];
      if (reply[0] === 1) return this.heldTurn(scope, token, options.messageId, reply[1] ?? '', reply[2] ?? '');
      const waited = Date.now() - started;
      if (waited >= this.leaseWaitMs) throw new SessionBusyError(canonicalSessionKey(scope), waited);
      await new Promise((resolve) => setTimeout(resolve, Math.min(pause, this.leaseWaitMs - waited)));
      pause = Math.min(pause * 2, MAX_POLL_MS);
    }
  }

  async close(): Promise<void> {
    await this.client.close().catch(() => this.client.destroy());
  }

  private heldTurn(scope: SessionScope, token: string, messageId: string | undefined, stored: string, handled: string): SessionTurn {
    const leaseKey = this.leaseKey(scope);
    const renewal = setInterval(() => {
      this.eval(RENEW_LEASE_SCRIPT, [leaseKey], [token, String(this.leaseMs)]).catch(() => undefined);
    }, Math.max(50, Math.floor(this.leaseMs / 3)));
    renewal.unref();
    let open = true;
    const end = () => {
      const wasOpen = open;
      open = false;
      clearInterval(renewal);
      return wasOpen;
    };
    const record = stored === '' ? null : decodeRecord(stored, scope);
    return {
      record,
      handled: handled === '' ? null : (JSON.parse(handled) as JsonValue),
      commit: async (commit: TurnCommit) => {
        if (!end()) throw new Error('this turn of the session has already ended');
        try {
          return await this.write(scope, commit, record?.revision ?? null, { token, ...(messageId === undefined ? {} : { messageId }) });
        } catch (error) {
          await this.eval(RELEASE_LEASE_SCRIPT, [leaseKey], [token]).catch(() => undefined);
          throw error;
        }
      },
      abandon: async () => {
        if (!end()) return;
        await this.eval(RELEASE_LEASE_SCRIPT, [leaseKey], [token]).catch(() => undefined);
      },
    };
  }

  /** One compare-and-set of the session, the handled marker and the lease, in one script. */
  private async write(
    scope: SessionScope,
    commit: TurnCommit,
    expectedRevision: number | null,
    turn: { token?: string; messageId?: string },
  ): Promise<SessionRecord | null> {
    const key = canonicalSessionKey(scope);
    const now = Date.now();
    const { update } = commit;
    const outcome = turn.messageId === undefined ? undefined : commit.outcome;
    const body = update ? recordBody(key, update, now, now + this.ttlMs) : '';
    const reply = (await this.eval(
      SAVE_SCRIPT,
      [this.sessionKey(scope), this.waitsKey(scope), this.leaseKey(scope), this.handledKey(scope, turn.messageId ?? '')],
      [
        scopeJson(scope),
        expectedRevision === null ? '' : String(expectedRevision),
        body,
        String(this.ttlMs),
        String(now),
        update?.snapshot ? '1' : '0',
        turn.token ?? '',
        outcome === undefined ? '' : JSON.stringify(outcome),
        String(this.handledTtlMs),
        update ? 'write' : 'delete',
        key,
      ],
    )) as [string, number?, string?];
    switch (reply[0]) {
      case 'ok':
        break;
      case 'conflict':
        throw new SessionConflictError(key);
      case 'collision':
        throw new Error(`session key ${key} is taken by a session of another environment or team in namespace ${this.namespace}`);
      default:
        throw new Error(`the stored session ${key} is not a session record`);
    }
    if (!update) return null;
    return {
      key,
      scope: normalScope(scope),
      flowId: update.flowId,
      snapshot: update.snapshot,
      revision: Number(reply[1]),
      createdAt: Number(reply[2]),
      updatedAt: now,
      expiresAt: now + this.ttlMs,
    };
  }

  private sessionKey(scope: SessionScope): string {
    return `${this.namespace}:session:${canonicalSessionKey(scope)}`;
  }

  private waitsKey(scope: SessionScope): string {
    return `${this.namespace}:waits:user:${scope.env}:${scope.tenant}:${scope.team ?? '-'}:${scope.user || 'user'}`;
  }

  private leaseKey(scope: SessionScope): string {
    return `${this.namespace}:lease:${canonicalSessionKey(scope)}`;
  }

  private handledKey(scope: SessionScope, messageId: string): string {
    return `${this.namespace}:handled:${canonicalSessionKey(scope)}:${messageId}`;
  }

  /** Runs a script by its digest, loading it when the server does not know it (first use, or after a restart). */
  private eval(script: LuaScript, keys: string[], args: string[]): Promise<unknown> {
    const tail = [String(keys.length), ...keys, ...args];
    return this.call(async () => {
      try {
        return await this.client.sendCommand(['EVALSHA', script.sha, ...tail]);
      } catch (error) {
        if (!/NOSCRIPT/.test(describeCause(error))) throw error;
        return this.client.sendCommand(['EVAL', script.source, ...tail]);
      }
    });
  }

  /** A command that failed for want of a connection becomes `SessionStoreUnavailableError`. */
  private async call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      if (isServerReply(error)) throw error;
      throw new SessionStoreUnavailableError(`the Redis session store at ${this.target.display} is unavailable: ${describeCause(error)}`, { cause: error });
    }
  }
}

/** An error reply from the server (a bug or bad data), as opposed to no connection. */
function isServerReply(error: unknown): boolean {
  return error instanceof Error && (error.name === 'SimpleError' || error.name === 'BlobError' || error.constructor.name === 'SimpleError');
}

interface StoredScope {
  env: string;
  tenant: string;
  team: string | null;
  provider: string;
  conversation: string;
  user: string;
}

/** The scope as stored, keys always in this order so that the same scope is always the same text. */
function scopeJson(scope: SessionScope): string {
  const stored: StoredScope = {
    env: scope.env,
    tenant: scope.tenant,
    team: scope.team ?? null,
    provider: scope.provider,
    conversation: scope.conversation,
    user: scope.user,
  };
  return JSON.stringify(stored);
}

function normalScope(scope: SessionScope): SessionScope {
  const { team, ...rest } = scope;
  return team === undefined ? { ...rest } : { ...rest, team };
}

/** The stored record after its header: `"key":…,"flowId":…,"snapshot":…,"updatedAt":…,"expiresAt":…}`. */
function recordBody(key: string, update: SessionUpdate, updatedAt: number, expiresAt: number): string {
  return JSON.stringify({ key, flowId: update.flowId, snapshot: update.snapshot, updatedAt, expiresAt }).slice(1);
}

interface StoredRecord {
  revision: number;
  createdAt: number;
  scope: StoredScope;
  key: string;
  flowId: string;
  snapshot: FlowSnapshot | null;
  updatedAt: number;
  expiresAt: number;
}

/** A stored record; null when it belongs to another scope than `expected` (same key, other env or team). */
function decodeRecord(stored: string, expected?: SessionScope): SessionRecord | null {
  const record = JSON.parse(stored) as StoredRecord;
  const { team, ...rest } = record.scope;
  const scope: SessionScope = team === null ? rest : { ...rest, team };
  if (expected && scopeJson(expected) !== scopeJson(scope)) return null;
  return {
    key: record.key,
    scope,
    flowId: record.flowId,
    snapshot: record.snapshot,
    revision: record.revision,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    expiresAt: record.expiresAt,
  };
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
