import { describe, expect, it } from 'vitest';
import { resolveSessionBackend, SessionConfigError } from '../../../src/runtime/sessions/session-backend';

const resolve = (flag: string | undefined, environment: Record<string, string> = {}) =>
  resolveSessionBackend({ ...(flag === undefined ? {} : { flag }), environment, env: 'dev' });

describe("choosing the session store as upstream's runner does", () => {
  it('keeps sessions in memory unless Redis is named, even when a Redis URL is in the environment', () => {
    expect(resolve(undefined)).toEqual({ backend: 'memory' });
    expect(resolve(undefined, { GREENTIC_RUNNER_REDIS_URL: 'redis://cache:6379' })).toEqual({ backend: 'memory' });
    expect(resolve(undefined, { GREENTIC_RUNNER_SESSION_BACKEND: 'memory' })).toEqual({ backend: 'memory' });
  });

  it('takes Redis from the flag or from the environment, namespaced greentic:session:<env> unless told otherwise', () => {
    expect(resolve('redis://:pw@cache:6379/2')).toMatchObject({
      backend: 'redis',
      target: { display: 'redis://:***@cache:6379/2' },
      namespace: 'greentic:session:dev',
    });
    expect(
      resolve(undefined, {
        GREENTIC_RUNNER_SESSION_BACKEND: 'redis',
        GREENTIC_RUNNER_REDIS_URL: 'rediss://cache:6380',
        GREENTIC_RUNNER_SESSION_NAMESPACE: 'staging:sessions',
      }),
    ).toMatchObject({ backend: 'redis', target: { url: 'rediss://cache:6380' }, namespace: 'staging:sessions' });
    // The flag wins over the environment.
    expect(resolve('memory', { GREENTIC_RUNNER_SESSION_BACKEND: 'redis', GREENTIC_RUNNER_REDIS_URL: 'redis://cache' })).toEqual({ backend: 'memory' });
  });

  it('refuses what cannot be honoured rather than falling back to memory', () => {
    const cases: Array<[string | undefined, Record<string, string>, RegExp]> = [
      [undefined, { GREENTIC_RUNNER_SESSION_BACKEND: 'redis' }, /needs GREENTIC_RUNNER_REDIS_URL/],
      [undefined, { GREENTIC_RUNNER_SESSION_BACKEND: 'redis', GREENTIC_RUNNER_REDIS_URL: '  ' }, /needs GREENTIC_RUNNER_REDIS_URL/],
      [undefined, { GREENTIC_RUNNER_SESSION_BACKEND: 'postgres' }, /unknown session backend 'postgres'/],
      [undefined, { GREENTIC_RUNNER_SESSION_BACKEND: 'redis', GREENTIC_RUNNER_REDIS_URL: 'http://cache' }, /GREENTIC_RUNNER_REDIS_URL: .*redis:\/\//],
      ['sqlite', {}, /--sessions must be 'memory' or a Redis URL/],
      ['redis://cache/zero', {}, /--sessions: .*database number/],
    ];
    for (const [flag, environment, message] of cases) {
      expect(() => resolve(flag, environment)).toThrow(SessionConfigError);
      expect(() => resolve(flag, environment)).toThrow(message);
    }
  });
});
