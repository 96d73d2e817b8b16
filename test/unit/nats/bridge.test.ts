import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NatsBridgeEvent } from '../../../src/shared/api';
import { NatsRunnerBridge } from '../../../src/runtime/channels/nats/bridge';
import { TURN_FAILED_TEXT } from '../../../src/runtime/channels/nats/out-message';
import { Gateway, gatewayMessage, type Scope } from './support/gateway';
import { GreeterRunner } from './support/greeter-runner';
import { NatsServer } from '../../support/nats-server';

const acme: Scope = { env: 'dev', tenant: 'acme', team: 'default', platform: 'webchat' };
const globex: Scope = { ...acme, tenant: 'globex' };

describe('the NATS runner bridge against a real nats-server', () => {
  let server: NatsServer;
  let gateway: Gateway;
  const connections: NatsConnection[] = [];
  const bridges: NatsRunnerBridge[] = [];

  async function serve(scope: Scope, runner = new GreeterRunner(), queueGroup?: string) {
    const nc = await connect({ servers: server.url });
    connections.push(nc);
    const events: NatsBridgeEvent[] = [];
    const bridge = new NatsRunnerBridge(nc, runner, { scope, ...(queueGroup ? { queueGroup } : {}) }, (event) => events.push(event));
    bridges.push(bridge);
    await bridge.ready;
    await nc.flush();
    return { bridge, runner, events };
  }

  beforeAll(async () => {
    server = await NatsServer.start();
    gateway = await Gateway.connect(server.url);
    await gateway.listen();
  });
  afterEach(async () => {
    await Promise.all(bridges.splice(0).map((bridge) => bridge.stop(2_000)));
    await Promise.all(connections.splice(0).map((nc) => nc.close()));
  });
  afterAll(async () => {
    await gateway?.close();
    await server?.dispose();
  });

  it('answers ingress on the matching egress subject, resuming the parked session on the next message', async () => {
    const { bridge, runner } = await serve(acme);
    expect(bridge.info.subject).toBe('greentic.messaging.ingress.dev.acme.default.*');

    gateway.send(acme, 'chat-1', 'hi', { msgId: 'm-1' });
    const [question] = await gateway.waitFor(acme, 'chat-1', 1);
    expect(question).toMatchObject({
      tenant: 'acme',
      platform: 'webchat',
      chat_id: 'chat-1',
      thread_id: null,
      kind: 'text',
      text: 'What is your name?',
      message_card: null,
      ctx: { env: 'dev', tenant: 'acme', tenant_id: 'acme', attempt: 0 },
      meta: { source_msg_id: 'm-1', msg_id: 'm-1:0', session_key: 'acme:webchat:chat-1:user-1' },
    });

    gateway.send(acme, 'chat-1', 'Ada');
    const replies = await gateway.waitFor(acme, 'chat-1', 2);
    expect(replies[1]?.text).toBe('Hello Ada (acme)');

    const [first] = runner.turns;
    expect(first?.sessionKey).toBe('acme:webchat:chat-1:user-1');
    expect(first?.scope).toEqual({ env: 'dev', tenant: 'acme', team: 'default', channel: 'webchat', conversation: 'chat-1', user: 'user-1' });
    expect(first?.message).toEqual({ id: 'm-1', text: 'hi', metadata: {} });
    expect(bridge.stats).toMatchObject({ received: 2, completed: 2, rejected: 0, dropped: 0 });
  });

  it('sends cards as OutMessage cards and a failed turn as the generic failure text', async () => {
    await serve(acme);
    gateway.send(acme, 'chat-card', 'card');
    const [card] = await gateway.waitFor(acme, 'chat-card', 1);
    expect(card).toMatchObject({ kind: 'card', text: null, adaptive_card: { allow_markdown: true, adaptive: { type: 'AdaptiveCard' } } });

    gateway.send(acme, 'chat-fail', 'fail');
    const [failure] = await gateway.waitFor(acme, 'chat-fail', 1);
    expect(failure).toMatchObject({ kind: 'text', text: TURN_FAILED_TEXT, meta: { error_kind: 'flow_failed', error_message: 'component exploded' } });
  });

  it('keeps two tenants on the same server apart', async () => {
    const a = await serve(acme);
    const g = await serve(globex);
    gateway.send(acme, 'shared-chat', 'hi');
    gateway.send(globex, 'shared-chat', 'hi');
    await gateway.waitFor(acme, 'shared-chat', 1);
    await gateway.waitFor(globex, 'shared-chat', 1);
    gateway.send(acme, 'shared-chat', 'Ada');
    gateway.send(globex, 'shared-chat', 'Grace');
    expect((await gateway.waitFor(acme, 'shared-chat', 2))[1]?.text).toBe('Hello Ada (acme)');
    expect((await gateway.waitFor(globex, 'shared-chat', 2))[1]?.text).toBe('Hello Grace (globex)');
    expect(a.runner.turns.every((turn) => turn.scope.tenant === 'acme')).toBe(true);
    expect(g.runner.turns.every((turn) => turn.scope.tenant === 'globex')).toBe(true);

    // A message on acme's subject that claims to be globex's is refused, not run in either tenant.
    gateway.publishRaw(acme, JSON.stringify(gatewayMessage(globex, 'shared-chat', 'sneaky')));
    await expect.poll(() => a.events.some((e) => e.code === 'rejected' && /tenant "globex"/.test(e.message))).toBe(true);
    expect(a.runner.turns.some((turn) => turn.message.text === 'sneaky')).toBe(false);
  });

  it('shares ingress between instances of one queue group: each message is answered once', async () => {
    const one = await serve(acme, new GreeterRunner(), 'runners');
    const two = await serve(acme, new GreeterRunner(), 'runners');
    for (let i = 0; i < 40; i += 1) gateway.send(acme, `queue-${i}`, 'card');
    for (let i = 0; i < 40; i += 1) await gateway.waitFor(acme, `queue-${i}`, 1);
    expect(one.runner.turns.length + two.runner.turns.length).toBe(40);
    expect(one.runner.turns.length).toBeGreaterThan(0);
    expect(two.runner.turns.length).toBeGreaterThan(0);
    for (let i = 0; i < 40; i += 1) expect(gateway.received(acme, `queue-${i}`)).toHaveLength(1);
  });

  it('rejects malformed ingress with a logged error event and keeps serving', async () => {
    const { bridge, events } = await serve(acme);
    const valid = gatewayMessage(acme, 'chat-bad', 'hi');
    gateway.publishRaw(acme, 'this is not json');
    gateway.publishRaw(acme, new Uint8Array([0xff, 0xfe, 0x00]));
    gateway.publishRaw(acme, JSON.stringify({ ...valid, session_id: undefined }));
    gateway.publishRaw(acme, JSON.stringify({ ...valid, tenant: { env: 'dev', tenant: 'acme' } }));
    gateway.publishRaw(acme, JSON.stringify({ ...valid, payload: { ...valid.payload, text: 42 } }));
    gateway.publishRaw(acme, JSON.stringify([1, 2, 3]));
    gateway.publishRaw(acme, JSON.stringify({ ...valid, payload: { ...valid.payload, text: 'x'.repeat(300 * 1024) } }));
    gateway.send(acme, 'chat-bad', 'still there?');
    await gateway.waitFor(acme, 'chat-bad', 1);

    const rejections = events.filter((event) => event.code === 'rejected');
    expect(rejections).toHaveLength(7);
    expect(rejections.every((event) => event.level === 'error' && event.subject === 'greentic.messaging.ingress.dev.acme.default.webchat')).toBe(true);
    const messages = rejections.map((event) => event.message).join('\n');
    expect(messages).toMatch(/not UTF-8 JSON/);
    expect(messages).toMatch(/session_id/);
    expect(messages).toMatch(/tenant\.tenant_id/);
    expect(messages).toMatch(/payload\.text/);
    expect(messages).toMatch(/exceeds the 262144-byte bound/);
    expect(bridge.stats).toMatchObject({ rejected: 7, completed: 1 });
  });

  it('logs a summary of the turns served, not one event per turn, and its counters with every event', async () => {
    const { bridge, events } = await serve(acme);
    for (let i = 0; i < 5; i += 1) gateway.send(acme, `summary-${i}`, 'card');
    gateway.send(acme, 'summary-fail', 'fail');
    for (let i = 0; i < 5; i += 1) await gateway.waitFor(acme, `summary-${i}`, 1);
    await gateway.waitFor(acme, 'summary-fail', 1);

    await expect.poll(() => events.filter((event) => event.code === 'served').length).toBe(1);
    const served = events.find((event) => event.code === 'served');
    expect(served).toMatchObject({ level: 'info', message: 'served 6 turns (1 failed)', stats: { received: 6, completed: 5, failed: 1 } });
    expect(events.find((event) => event.code === 'turn_failed')?.stats).toMatchObject({ failed: 1 });

    gateway.send(acme, 'summary-last', 'card');
    await gateway.waitFor(acme, 'summary-last', 1);
    await bridge.stop();
    // Stopping reports the turns not summarised yet before it says it stopped.
    expect(events.slice(-2).map((event) => [event.code, event.message])).toEqual([
      ['served', 'served 1 turn'],
      ['stopped', 'stopped serving greentic.messaging.ingress.dev.acme.default.*'],
    ]);
  });
});
