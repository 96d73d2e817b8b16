/**
 * Opening the Redis connection a shared session store runs on: the URL checked and shown without
 * its password, a clear error for every way the first connect can fail, and reconnection (with
 * status reports) for every loss after it.
 */
import { createClient, type RedisClientType } from 'redis';

export interface RedisTarget {
  /** The URL as given (it may carry a password: never log it). */
  url: string;
  /** The URL without its password, for logs, errors and the ready line. */
  display: string;
}

export type RedisStatus = { state: 'lost'; reason: string } | { state: 'reconnecting'; attempt: number } | { state: 'ready' };

/** A Redis URL that cannot be used, whatever the server. */
export class RedisUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisUrlError';
  }
}

/** The first connect failed: the message says why in a user's terms and names the URL. */
export class RedisConnectError extends Error {
  constructor(
    readonly kind: 'refused' | 'auth' | 'database' | 'tls' | 'timeout' | 'other',
    message: string,
  ) {
    super(message);
    this.name = 'RedisConnectError';
  }
}

/** Parses `redis://[user:pass@]host[:port][/db]` (or `rediss://` for TLS). */
export function parseRedisUrl(url: string): RedisTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RedisUrlError(`'${redactPassword(url)}' is not a Redis URL: expected redis://[user:password@]host:port[/db] (or rediss:// for TLS)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new RedisUrlError(`'${redactPassword(url)}' is not a Redis URL: it must start with redis:// or rediss://`);
  }
  if (!parsed.hostname) throw new RedisUrlError(`the Redis URL '${redactPassword(url)}' names no host`);
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,5}$/.test(db)) {
    throw new RedisUrlError(`the Redis URL '${redactPassword(url)}' has '${db}' where a database number belongs`);
  }
  if (parsed.search || parsed.hash) throw new RedisUrlError(`the Redis URL '${redactPassword(url)}' may not have a query or fragment`);
  return { url, display: redactPassword(url) };
}

function redactPassword(url: string): string {
  return url.replace(/^(rediss?:\/\/[^:@/]*):[^@/]*@/i, '$1:***@');
}

const RECONNECT_FIRST_MS = 50;
const RECONNECT_MAX_MS = 2_000;

export interface RedisConnectOptions {
  connectTimeoutMs?: number;
  onStatus?: (status: RedisStatus) => void;
}

/**
 * Connects once (failing fast with a `RedisConnectError`), then keeps the connection: after a
 * loss the client dials again with a capped backoff, forever, and commands sent meanwhile fail at
 * once instead of waiting in a queue, so a turn fails with a reason rather than hangs.
 */
export async function connectRedis(target: RedisTarget, options: RedisConnectOptions = {}): Promise<RedisClientType> {
  let connected = false;
  const report = options.onStatus ?? (() => undefined);
  const client: RedisClientType = createClient({
    url: target.url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: options.connectTimeoutMs ?? 5_000,
      reconnectStrategy: (attempt, cause) => {
        if (!connected) return cause;
        report({ state: 'reconnecting', attempt: attempt + 1 });
        return Math.min(RECONNECT_FIRST_MS * 2 ** attempt, RECONNECT_MAX_MS);
      },
    },
  });
  let lastError = '';
  // Without a listener an 'error' event would end the process; each loss is reported once.
  client.on('error', (error: unknown) => {
    const reason = describeCause(error);
    if (connected && reason !== lastError) report({ state: 'lost', reason });
    lastError = reason;
  });
  client.on('ready', () => {
    if (connected && lastError !== '') report({ state: 'ready' });
    lastError = '';
  });
  try {
    await client.connect();
  } catch (error) {
    await client.destroy();
    throw classifyConnectError(error, target);
  }
  connected = true;
  return client;
}

export function classifyConnectError(error: unknown, target: RedisTarget): RedisConnectError {
  const text = describeCause(error);
  const where = `the Redis server at ${target.display}`;
  if (/WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(text)) {
    return new RedisConnectError('auth', `${where} rejected the credentials: ${text}`);
  }
  if (/DB index is out of range|invalid DB index/i.test(text)) {
    return new RedisConnectError('database', `${where} has no such database (${text}); the number after the last / in the URL picks one`);
  }
  if (/ECONNREFUSED/.test(text)) return new RedisConnectError('refused', `nothing accepts Redis connections at ${target.display} (connection refused)`);
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) return new RedisConnectError('refused', `the Redis host in ${target.display} cannot be resolved`);
  if (/timeout/i.test(text)) return new RedisConnectError('timeout', `${where} did not answer in time`);
  if (/certificate|ssl|tls|EPROTO/i.test(text)) return new RedisConnectError('tls', `TLS with ${where} failed: ${text}`);
  return new RedisConnectError('other', `cannot connect to ${where}: ${text || 'unknown error'}`);
}

/** The innermost message of an error and its causes, on one line. */
export function describeCause(error: unknown): string {
  let current: unknown = error;
  let message = '';
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (current.message) message = current.message;
    current = current.cause;
  }
  if (!message) message = String(error);
  return message.split('\n')[0] ?? '';
}
