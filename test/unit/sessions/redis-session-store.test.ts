import { createClient, type RedisClientType } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRedisUrl, RedisConnectError, RedisUrlError, type RedisStatus } from '../../../src/runtime/sessions/redis-connection';
import { RedisSessionStore } from '../../../src/runtime/sessions/redis-session-store';
import { SessionBusyError, SessionStoreUnavailableError, type SessionScope } from '../../../src/runtime/sessions/session-store';
import { initialState, type FlowSnapshot } from '../../../src/runtime/engine/state';
import { RedisServer } from '../../support/redis-server';

const scope = (overrides: Partial<SessionScope> = {}): SessionScope => ({
  env: 'dev',
  tenant: 'acme',
  team: 'support',
  provider: 'webchat',
  conversation: 'conv-1',
  user: 'alice',
  ...overrides,
});

const parked: FlowSnapshot = { pack_id: 'p', flow_id: 'main', next_node: 'answer', awaiting_submit: false, state: initialState({}) };

describe('the Redis session store', () => {
  let redis: RedisServer;
  let raw: RedisClientType;
  const stores: RedisSessionStore[] = [];
  const open = async (namespace: string, options: { leaseMs?: number; leaseWaitMs?: number; onStatus?: (status: RedisStatus) => void } = {}) => {
    const store = await RedisSessionStore.open(parseRedisUrl(redis.url()), { namespace, ...options });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    redis = await RedisServer.start({ password: 's3cret' });
    raw = createClient({ url: redis.url() });
    raw.on('error', () => undefined); // the outage test stops the server under it
    await raw.connect();
  });

  afterAll(async () => {
    for (const store of stores) await store.close();
    await raw?.close();
    await redis?.dispose();
  });

  it("keeps sessions in upstream's layout: the session key with the TTL as expiry, and the user's wait index", async () => {
    const store = await open('greentic:session:dev');
    await store.save(scope(), { flowId: 'main', snapshot: parked }, null);
    const key = 'greentic:session:dev:session:acme:webchat:conv-1:alice';
    const waits = 'greentic:session:dev:waits:user:dev:acme:support:alice';
    expect(await raw.exists(key)).toBe(1);
    const ttl = await raw.pTTL(key);
    expect(ttl).toBeGreaterThan(3_500_000);
    expect(ttl).toBeLessThanOrEqual(3_600_000);
    expect(await raw.sMembers(waits)).toEqual(['acme:webchat:conv-1:alice']);
    expect(JSON.parse((await raw.get(key)) ?? '{}')).toMatchObject({ revision: 1, key: 'acme:webchat:conv-1:alice', flowId: 'main' });

    // Not parked any more: out of the wait index; deleted: gone.
    const current = await store.get(scope());
    await store.save(scope(), { flowId: 'main', snapshot: null }, current?.revision ?? null);
    expect(await raw.sMembers(waits)).toEqual([]);
    await store.delete(scope());
    expect(await raw.exists(key)).toBe(0);
    // A session without a team is indexed under '-', as upstream does.
    await store.save(scope({ team: undefined }), { flowId: 'main', snapshot: parked }, null);
    expect(await raw.sMembers('greentic:session:dev:waits:user:dev:acme:-:alice')).toEqual(['acme:webchat:conv-1:alice']);
  });

  it('keeps two namespaces apart, and lists only its own', async () => {
    const dev = await open('greentic:session:ns-dev');
    const prod = await open('greentic:session:ns-prod');
    await dev.save(scope(), { flowId: 'main', snapshot: parked }, null);
    expect(await prod.get(scope())).toBeNull();
    expect(await prod.list()).toEqual([]);
    expect((await dev.list()).map((record) => record.key)).toEqual(['acme:webchat:conv-1:alice']);
  });

  it('refuses to overwrite the session of another team that has the same key', async () => {
    const store = await open('greentic:session:collide');
    await store.save(scope(), { flowId: 'main', snapshot: parked }, null);
    await expect(store.save(scope({ team: 'sales' }), { flowId: 'main', snapshot: null }, null)).rejects.toThrow(/taken by a session of another environment or team/);
    expect((await store.get(scope()))?.revision).toBe(1);
  });

  it('holds a turn against another runner until it ends, and a dead runner frees it when its lease runs out', async () => {
    const runnerA = await open('greentic:session:lease', { leaseMs: 400 });
    const runnerB = await open('greentic:session:lease', { leaseMs: 400, leaseWaitMs: 10_000 });
    const held = await runnerA.openTurn(scope());
    let bGotIt = false;
    const waiting = runnerB.openTurn(scope()).then((turn) => ((bGotIt = true), turn));
    // A renews its lease while its turn runs: B still waits well past the lease's length.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(bGotIt).toBe(false);
    await held.commit({ update: { flowId: 'main', snapshot: parked } });
    const turnB = await waiting;
    expect(turnB.record?.revision).toBe(1);

    // B "dies" holding the turn: it neither commits nor renews (its timer is what renews, so close the store).
    const dying = await open('greentic:session:lease', { leaseMs: 400 });
    await turnB.abandon();
    await dying.openTurn(scope());
    await dying.close();
    const started = Date.now();
    const after = await runnerA.openTurn(scope());
    expect(Date.now() - started).toBeLessThan(5_000);
    await after.abandon();

    const impatient = await open('greentic:session:lease', { leaseMs: 5_000, leaseWaitMs: 200 });
    const blocking = await runnerA.openTurn(scope());
    await expect(impatient.openTurn(scope())).rejects.toBeInstanceOf(SessionBusyError);
    await blocking.abandon();
  });

  it('fails operations with a clear reason while Redis is down and serves again once it is back', async () => {
    const statuses: RedisStatus[] = [];
    const store = await open('greentic:session:outage', { onStatus: (status) => statuses.push(status) });
    await store.save(scope(), { flowId: 'main', snapshot: parked }, null);
    await redis.stop();
    await expect.poll(() => statuses.some((status) => status.state === 'lost')).toBe(true);
    const failure = await store.get(scope()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SessionStoreUnavailableError);
    expect(String(failure)).toContain(`redis://:***@127.0.0.1:${redis.port}`);
    expect(String(failure)).not.toContain('s3cret');
    await redis.restart();
    await expect.poll(() => store.get(scope()).then((record) => record?.revision).catch(() => 'down'), { timeout: 15_000, interval: 100 }).toBe(1);
    expect(statuses.at(-1)).toEqual({ state: 'ready' });
    // The scripts are loaded again on the restarted server.
    const turn = await store.openTurn(scope(), { messageId: 'after' });
    await turn.commit({ update: null, outcome: 'done' });
    await raw.ping().catch(() => undefined);
  });

  it('says clearly why the first connect fails, naming the URL but never the password', async () => {
    const attempts: Array<[string, RedisConnectError['kind'], RegExp]> = [
      [redis.url(undefined, 'wrong'), 'auth', /rejected the credentials/],
      [redis.url(undefined, ''), 'auth', /rejected the credentials/],
      [redis.url(99), 'database', /has no such database/],
      ['redis://127.0.0.1:1', 'refused', /nothing accepts Redis connections at redis:\/\/127\.0\.0\.1:1/],
    ];
    for (const [url, kind, message] of attempts) {
      const error = await RedisSessionStore.open(parseRedisUrl(url), { namespace: 'x' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedisConnectError);
      expect((error as RedisConnectError).kind).toBe(kind);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toMatch(/wrong|s3cret/);
    }
  });

  it('checks the URL before dialling', () => {
    expect(parseRedisUrl('rediss://user:pw@cache.example:6380/2').display).toBe('rediss://user:***@cache.example:6380/2');
    expect(() => parseRedisUrl('http://cache:6379')).toThrow(RedisUrlError);
    expect(() => parseRedisUrl('redis://cache:6379/main')).toThrow(/database number/);
    expect(() => parseRedisUrl('not a url')).toThrow(/is not a Redis URL/);
  });
});
