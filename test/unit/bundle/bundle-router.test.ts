import { describe, expect, it } from 'vitest';
import { BundleRouteRunner, sessionScopeOf, type RoutedFlow } from '../../../src/runtime/bundle/bundle-router';
import type { ChannelTurn, TurnOptions } from '../../../src/runtime/channels/nats/runner';
import { MemorySessionStore } from '../../../src/runtime/sessions/memory-session-store';

/** A flow whose runner answers with where the turn went, so the test sees the choice. */
function flow(packId: string, flowId: string, kind = 'messaging'): RoutedFlow {
  return {
    packId,
    flowId,
    kind,
    flowPath: `flows/${flowId}.ygtc`,
    runner: {
      runTurn: (_turn: ChannelTurn, options?: TurnOptions) => Promise.resolve({ status: 'completed', replies: [{ type: 'text', text: `${packId} ${options?.flowPath ?? 'parked'}` }] }),
    },
  };
}

function turn(route?: string): ChannelTurn {
  return {
    sessionKey: 'acme:webchat:chat-1:ada',
    scope: { env: 'dev', tenant: 'acme', team: 'support', channel: 'webchat', conversation: 'chat-1', user: 'ada' },
    message: { id: 'm1', text: 'hi', metadata: {} },
    ...(route === undefined ? {} : { route }),
  };
}

async function answer(router: BundleRouteRunner, route?: string): Promise<string> {
  const outcome = await router.runTurn(turn(route));
  return outcome.status === 'failed' ? `failed: ${outcome.error ?? ''}` : (outcome.replies[0] as { text: string }).text;
}

describe('a bundle team on NATS', () => {
  it("starts upstream's default flow: the one called `default`, else the only messaging flow, else the first", async () => {
    const sessions = new MemorySessionStore();
    expect(await answer(new BundleRouteRunner([flow('a', 'hello'), flow('b', 'default')], new Set(), sessions))).toBe('b flows/default.ygtc');
    expect(await answer(new BundleRouteRunner([flow('a', 'sync', 'events'), flow('b', 'chat')], new Set(), sessions))).toBe('b flows/chat.ygtc');
    expect(await answer(new BundleRouteRunner([flow('a', 'one'), flow('b', 'two')], new Set(), sessions))).toBe('a flows/one.ygtc');
  });

  it('follows a route to an open pack or flow, refuses one to a closed one, and ignores one that names nothing of the bundle', async () => {
    const router = new BundleRouteRunner([flow('a', 'one'), flow('b', 'two'), flow('b', 'three')], new Set(['c/four', 'b/five']), new MemorySessionStore());
    expect(await answer(router, 'b/three')).toBe('b flows/three.ygtc');
    expect(await answer(router, 'b')).toBe('b flows/two.ygtc');
    expect(await answer(router, ' three ')).toBe('b flows/three.ygtc');
    expect(await answer(router, 'c')).toBe("failed: tenant `acme` team `support` may not use pack `c`: the bundle's .gmap rules forbid it");
    expect(await answer(router, 'b/five')).toBe("failed: tenant `acme` team `support` may not use flow `b/five`: the bundle's .gmap rules forbid it");
    expect(await answer(router, 'telegram-bot-7')).toBe('a flows/one.ygtc');
  });

  it('sends a parked conversation to the pack it waits in, whatever its route, and refuses it once that pack is closed', async () => {
    const sessions = new MemorySessionStore();
    const parked = { pack_id: 'b', flow_id: 'two', next_node: 'thanks', awaiting_submit: false, state: { entry: null, input: null, nodes: {}, egress: [], redirect_count: 0, vars: {}, memory: {} } };
    await sessions.save(sessionScopeOf(turn()), { flowId: 'two', snapshot: parked }, null);
    expect(await answer(new BundleRouteRunner([flow('a', 'one'), flow('b', 'two')], new Set(), sessions), 'a')).toBe('b parked');
    expect(await answer(new BundleRouteRunner([flow('a', 'one'), flow('c', 'three')], new Set(['b/two']), sessions))).toBe(
      'failed: the conversation waits in pack `b`, which tenant `acme` team `support` may no longer use',
    );
  });
});
