import { describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../../src/runtime/sessions/memory-session-store';
import { SessionConflictError, canonicalSessionKey } from '../../../src/runtime/sessions/session-store';
import { MemoryStateStore } from '../../../src/runtime/sessions/state-store';
import { scope, snapshot } from './fixtures';

describe('the in-memory session store', () => {
  it('uses the canonical key {tenant}:{provider}:{conversation}:{user}', async () => {
    const store = new MemorySessionStore();
    const saved = await store.save(scope(), { flowId: 'main', snapshot: snapshot('a') }, null);
    expect(saved.key).toBe('acme:webchat:conv-1:alice');
    expect(canonicalSessionKey({ tenant: 't', provider: 'p', conversation: '', user: '' })).toBe('t:p:conversation:user');
  });

  it('expires sessions after the TTL, refreshed by every save', async () => {
    let now = 1_000_000;
    const store = new MemorySessionStore({ ttlSeconds: 10, now: () => now });
    const first = await store.save(scope(), { flowId: 'main', snapshot: snapshot('a') }, null);
    now += 9_000;
    await store.save(scope(), { flowId: 'main', snapshot: snapshot('b') }, first.revision);
    now += 9_000;
    expect(await store.get(scope())).not.toBeNull();
    now += 1_001;
    expect(await store.get(scope())).toBeNull();
    expect(await store.list()).toEqual([]);
    expect(() => new MemorySessionStore({ ttlSeconds: 0 })).toThrow(/positive/);
  });

  it('refuses a save based on a stale revision (compare-and-set)', async () => {
    const store = new MemorySessionStore();
    const first = await store.save(scope(), { flowId: 'main', snapshot: null }, null);
    await store.save(scope(), { flowId: 'main', snapshot: snapshot('x') }, first.revision);
    await expect(store.save(scope(), { flowId: 'main', snapshot: null }, first.revision)).rejects.toBeInstanceOf(SessionConflictError);
    await expect(store.save(scope(), { flowId: 'main', snapshot: null }, null)).rejects.toBeInstanceOf(SessionConflictError);
  });

  it('hands out copies, so a caller cannot change a stored snapshot', async () => {
    const store = new MemorySessionStore();
    await store.save(scope(), { flowId: 'main', snapshot: snapshot('a') }, null);
    const read = await store.get(scope());
    read!.snapshot!.state.vars.note = 'changed';
    expect((await store.get(scope()))?.snapshot?.state.vars.note).toBe('a');
  });

  it('resets a session on delete', async () => {
    const store = new MemorySessionStore();
    await store.save(scope(), { flowId: 'main', snapshot: snapshot('a') }, null);
    expect(await store.delete(scope())).toBe(true);
    expect(await store.get(scope())).toBeNull();
  });
});

describe('the state store', () => {
  it('scopes values by env and tenant', async () => {
    const state = new MemoryStateStore();
    await state.set({ env: 'local', tenant: 'acme' }, 'k', { v: 1 });
    expect(await state.get({ env: 'local', tenant: 'acme' }, 'k')).toEqual({ found: true, value: { v: 1 } });
    expect(await state.get({ env: 'local', tenant: 'globex' }, 'k')).toEqual({ found: false, value: null });
    expect(await state.get({ env: 'prod', tenant: 'acme' }, 'k')).toEqual({ found: false, value: null });
  });
});
