/**
 * Which session store a runner uses, chosen as upstream's runner chooses (greentic-runner
 * `storage/config.rs`): `memory` unless Redis is named, either by `--sessions redis://…` or by
 * `GREENTIC_RUNNER_SESSION_BACKEND=redis` with `GREENTIC_RUNNER_REDIS_URL`; a Redis store that was
 * asked for and cannot be had is an error, never a silent fall-back to memory.
 */
import { MemorySessionStore } from './memory-session-store';
import { parseRedisUrl, type RedisStatus, type RedisTarget } from './redis-connection';
import { defaultSessionNamespace, RedisSessionStore } from './redis-session-store';
import type { SessionStore } from './session-store';

export const ENV_SESSION_BACKEND = 'GREENTIC_RUNNER_SESSION_BACKEND';
export const ENV_REDIS_URL = 'GREENTIC_RUNNER_REDIS_URL';
export const ENV_SESSION_NAMESPACE = 'GREENTIC_RUNNER_SESSION_NAMESPACE';

export type SessionBackendConfig = { backend: 'memory' } | { backend: 'redis'; target: RedisTarget; namespace: string };

/** The configuration cannot name a usable store; the message says what to change. */
export class SessionConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionConfigError';
  }
}

export interface SessionBackendInput {
  /** `--sessions`: `memory` or a `redis://` / `rediss://` URL; it wins over the environment. */
  flag?: string;
  /** How errors name the flag's value (default `--sessions`). */
  flagName?: string;
  environment: Record<string, string | undefined>;
  /** The runner's environment name, for the default namespace `greentic:session:<env>`. */
  env: string;
}

export function resolveSessionBackend(input: SessionBackendInput): SessionBackendConfig {
  const named = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);
  const namespace = named(input.environment[ENV_SESSION_NAMESPACE]) ?? defaultSessionNamespace(input.env);
  const redis = (url: string, where: string): SessionBackendConfig => {
    try {
      return { backend: 'redis', target: parseRedisUrl(url), namespace };
    } catch (error) {
      throw new SessionConfigError(`${where}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const flag = named(input.flag);
  if (flag !== undefined) {
    const flagName = input.flagName ?? '--sessions';
    if (flag === 'memory') return { backend: 'memory' };
    if (/^rediss?:\/\//i.test(flag)) return redis(flag, flagName);
    throw new SessionConfigError(`${flagName} must be 'memory' or a Redis URL (redis://[user:password@]host:port[/db], or rediss:// for TLS), got '${flag}'`);
  }
  const backend = named(input.environment[ENV_SESSION_BACKEND]);
  if (backend === undefined || backend === 'memory') return { backend: 'memory' };
  if (backend !== 'redis') throw new SessionConfigError(`unknown session backend '${backend}' in ${ENV_SESSION_BACKEND} (expected 'memory' or 'redis')`);
  const url = named(input.environment[ENV_REDIS_URL]);
  if (url === undefined) {
    throw new SessionConfigError(
      `${ENV_SESSION_BACKEND}=redis needs ${ENV_REDIS_URL}; refusing to fall back to memory sessions, which other runners cannot see`,
    );
  }
  return redis(url, ENV_REDIS_URL);
}

/** Opens the configured store; a Redis store connects first (a `RedisConnectError` says why it cannot). */
export async function openSessionStore(config: SessionBackendConfig, options: { onStatus?: (status: RedisStatus) => void } = {}): Promise<SessionStore> {
  if (config.backend === 'memory') return new MemorySessionStore();
  return RedisSessionStore.open(config.target, { namespace: config.namespace, ...(options.onStatus ? { onStatus: options.onStatus } : {}) });
}
