import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../../src/runtime/sessions/memory-session-store';
import { parseRedisUrl } from '../../../src/runtime/sessions/redis-connection';
import { RedisSessionStore } from '../../../src/runtime/sessions/redis-session-store';
import { SessionConflictError, type SessionStore } from '../../../src/runtime/sessions/session-store';
import { RedisServer } from '../../support/redis-server';
import { scope, snapshot } from './fixtures';

/**
 * What every session store promises the runner, run against the in-memory store and against a
 * Redis store on a real redis-server: the same cases, the same expectations.
 */

interface StoreFactory {
  name: string;
  open(options?: { ttlSeconds?: number }): Promise<SessionStore>;
}

let redis: RedisServer;
let namespaces = 0;
const opened: SessionStore[] = [];

const factories: StoreFactory[] = [
  { name: 'the in-memory store', open: async (options = {}) => new MemorySessionStore(options) },
  {
    name: 'the Redis store',
    open: async (options = {}) => {
      namespaces += 1;
      const store = await RedisSessionStore.open(parseRedisUrl(redis.url()), { namespace: `greentic:session:contract${namespaces}`, ...options });
      opened.push(store);
      return store;
    },
  },
];

beforeAll(async () => {
  redis = await RedisServer.start();
});

afterAll(async () => {
  for (const store of opened) await store.close();
  await redis?.dispose();
});

describe.each(factories)('session store contract: $name', ({ open }) => {
  it('saves and reads a session under the canonical key, the snapshot unchanged', async () => {
    const store = await open();
    const saved = await store.save(scope(), { flowId: 'main', snapshot: snapshot('a') }, null);
    expect(saved).toMatchObject({ key: 'acme:webchat:conv-1:alice', revision: 1, flowId: 'main' });
    const read = await store.get(scope());
    expect(read).toEqual(saved);
    expect(read?.snapshot).toEqual(snapshot('a'));
    expect(read?.expiresAt).toBeGreaterThan(Date.now());
  });

  it('never shows one tenant, env or team the session of another with the same ids', async () => {
    const store = await open();
    await store.save(scope(), { flowId: 'main', snapshot: snapshot('acme') }, null);
    await store.save(scope({ tenant: 'globex' }), { flowId: 'main', snapshot: snapshot('globex') }, null);
    expect((await store.get(scope()))?.snapshot?.state.vars.note).toBe('acme');
    expect((await store.get(scope({ tenant: 'globex' })))?.snapshot?.state.vars.note).toBe('globex');
    expect(await store.get(scope({ env: 'prod' }))).toBeNull();
    expect(await store.get(scope({ team: 'red' }))).toBeNull();
    expect(await store.delete(scope({ team: 'red' }))).toBe(false);
    // A ':' inside an id that shifts the fields of the canonical key must not expose another scope's session.
    await store.save(scope({ tenant: 'a:b', provider: 'c', conversation: 'd', user: 'e' }), { flowId: 'main', snapshot: snapshot('a:b') }, null);
    expect(await store.get(scope({ tenant: 'a', provider: 'b:c', conversation: 'd', user: 'e' }))).toBeNull();
    expect((await store.list({ tenant: 'globex' })).map((r) => r.scope.tenant)).toEqual(['globex']);
    expect((await store.list()).length).toBe(3);
  });

  it('saves with compare-and-set on the revision: of two writers of one revision exactly one wins', async () => {
    const store = await open();
    const first = await store.save(scope(), { flowId: 'main', snapshot: snapshot('1') }, null);
    await expect(store.save(scope(), { flowId: 'main', snapshot: snapshot('x') }, null)).rejects.toBeInstanceOf(SessionConflictError);
    const results = await Promise.allSettled([
      store.save(scope(), { flowId: 'main', snapshot: snapshot('b') }, first.revision),
      store.save(scope(), { flowId: 'main', snapshot: snapshot('c') }, first.revision),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof SessionConflictError)).toHaveLength(1);
    const now = await store.get(scope());
    expect(now?.revision).toBe(2);
    expect(now?.createdAt).toBe(first.createdAt);
  });

  it('deletes a session, saying whether there was one', async () => {
    const store = await open();
    await store.save(scope(), { flowId: 'main', snapshot: null }, null);
    expect(await store.delete(scope())).toBe(true);
    expect(await store.get(scope())).toBeNull();
    expect(await store.delete(scope())).toBe(false);
  });

  it('expires a session after its TTL', async () => {
    const store = await open({ ttlSeconds: 0.3 });
    await store.save(scope(), { flowId: 'main', snapshot: snapshot('a') }, null);
    await expect.poll(() => store.get(scope()), { timeout: 10_000, interval: 50 }).toBeNull();
  });

  it('runs the turns of one session one at a time, each seeing what the one before saved', async () => {
    const store = await open();
    const order: string[] = [];
    const turn = async (name: string) => {
      const held = await store.openTurn(scope());
      order.push(`${name} read ${held.record?.snapshot?.state.vars.note ?? 'nothing'}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await held.commit({ update: { flowId: 'main', snapshot: snapshot(name) } });
    };
    await Promise.all([turn('one'), turn('two'), turn('three')]);
    expect(order).toHaveLength(3);
    // Whatever the order, each turn read the note the previous one wrote.
    const notes = order.map((line) => line.split(' read ')[1]);
    const names = order.map((line) => line.split(' read ')[0]);
    expect(notes).toEqual(['nothing', names[0], names[1]]);
    expect((await store.get(scope()))?.revision).toBe(3);
  });

  it('lets turns of different sessions run side by side', async () => {
    const store = await open();
    const a = await store.openTurn(scope({ conversation: 'a' }));
    const b = await store.openTurn(scope({ conversation: 'b' }));
    await Promise.all([a.abandon(), b.abandon()]);
  });

  it('remembers a handled message id with its outcome, and a commit without an update removes the session', async () => {
    const store = await open();
    const first = await store.openTurn(scope(), { messageId: 'm-1' });
    expect(first.handled).toBeNull();
    await first.commit({ update: { flowId: 'main', snapshot: snapshot('parked') }, outcome: { replies: ['What is your name?'] } });

    const again = await store.openTurn(scope(), { messageId: 'm-1' });
    expect(again.handled).toEqual({ replies: ['What is your name?'] });
    await again.abandon();

    const next = await store.openTurn(scope(), { messageId: 'm-2' });
    expect(next.handled).toBeNull();
    expect(next.record?.snapshot?.state.vars.note).toBe('parked');
    expect(await next.commit({ update: null, outcome: { replies: ['Hello'] } })).toBeNull();
    expect(await store.get(scope())).toBeNull();

    const late = await store.openTurn(scope(), { messageId: 'm-2' });
    expect(late.handled).toEqual({ replies: ['Hello'] });
    await late.abandon();
  });

  it('refuses a turn whose session another writer changed, and frees the session for the next turn', async () => {
    const store = await open();
    const held = await store.openTurn(scope(), { messageId: 'm-1' });
    await store.save(scope(), { flowId: 'main', snapshot: snapshot('sneaky') }, null);
    await expect(held.commit({ update: { flowId: 'main', snapshot: snapshot('mine') }, outcome: 'x' })).rejects.toBeInstanceOf(SessionConflictError);
    const next = await store.openTurn(scope(), { messageId: 'm-1' });
    expect(next.handled).toBeNull();
    expect(next.record?.snapshot?.state.vars.note).toBe('sneaky');
    await next.abandon();
    await expect(held.commit({ update: null })).rejects.toThrow(/already ended/);
    await held.abandon(); // harmless once the turn is over
  });
});
