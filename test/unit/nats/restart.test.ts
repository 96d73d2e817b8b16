import { jetstreamManager, RetentionPolicy } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import type { NatsBridgeEvent } from '../../../src/shared/api';
import { NatsRunnerBridge, type NatsBridgeOptions } from '../../../src/runtime/channels/nats/bridge';
import type { TurnRunner } from '../../../src/runtime/channels/nats/runner';
import { Gateway, type Scope, type OutMessageJson } from './support/gateway';
import { GreeterRunner } from './support/greeter-runner';
import { NatsServer } from '../../support/nats-server';
import { TcpGate } from '../../support/tcp-gate';

const scope: Scope = { env: 'dev', tenant: 'acme', team: 'default', platform: 'webchat' };

/** A runner turn the test can hold in flight and release later. */
function holdTurns(runner: GreeterRunner): () => void {
  let release!: () => void;
  runner.hold = new Promise<void>((resolve) => (release = resolve));
  return () => {
    runner.hold = null;
    release();
  };
}

describe('no lost replies across a nats-server restart', () => {
  let server: NatsServer | null = null;
  const cleanups: Array<() => Promise<unknown>> = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await server?.dispose();
    server = null;
  });

  async function startBridge(url: string, runner: TurnRunner, options: Partial<NatsBridgeOptions> = {}) {
    const nc: NatsConnection = await connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    const events: NatsBridgeEvent[] = [];
    const bridge = new NatsRunnerBridge(nc, runner, { scope, ...options }, (event) => events.push(event));
    cleanups.push(async () => {
      await bridge.stop(1_000);
      await nc.close();
    });
    await bridge.ready;
    await nc.flush();
    return { bridge, events, nc };
  }

  async function startGateway(url: string) {
    const gateway = await Gateway.connect(url);
    await gateway.listen();
    cleanups.push(() => gateway.close());
    return gateway;
  }

  /** A door between the bridge and the server, so that the bridge reconnects only when the test says. */
  async function startGate(port: number) {
    const door = await TcpGate.start(port);
    cleanups.push(() => door.dispose());
    return door;
  }

  /**
   * Restarts the server and lets the bridge back in only once the gateway listens again: core NATS
   * keeps nothing for a subscriber that is not there, so the outbox's replay must find it subscribed.
   */
  async function restartBehindGate(door: TcpGate, gateway: Gateway) {
    await door.shut();
    await server!.restart();
    // A round trip that succeeds proves the gateway reconnected and its subscription is back.
    await expect.poll(() => gateway.nc.flush().then(() => true, () => false), { timeout: 15_000 }).toBe(true);
    await door.open();
  }

  it('core NATS: a reply produced while the server is down is delivered after it comes back', async () => {
    server = await NatsServer.start();
    const door = await startGate(server.port);
    const runner = new GreeterRunner();
    const { bridge } = await startBridge(door.url, runner);
    const gateway = await startGateway(server.url);

    gateway.send(scope, 'chat-r', 'hi');
    await gateway.waitFor(scope, 'chat-r', 1);

    const release = holdTurns(runner);
    gateway.send(scope, 'chat-r', 'Ada');
    await expect.poll(() => runner.turns.length).toBe(2);
    await server.stop();
    release();
    await expect.poll(() => bridge.backlog, { timeout: 15_000 }).toBe(1); // the reply waits in the outbox
    await restartBehindGate(door, gateway);

    const replies = await gateway.waitFor(scope, 'chat-r', 2, 15_000);
    expect(replies.map((reply) => reply.text)).toEqual(['What is your name?', 'Hello Ada (acme)']);
    expect(bridge.stats.dropped).toBe(0);

    // The bridge serves new conversations after the restart too.
    gateway.send(scope, 'chat-after', 'hi');
    expect((await gateway.waitFor(scope, 'chat-after', 1, 10_000))[0]?.text).toBe('What is your name?');
    await expect.poll(() => bridge.backlog).toBe(0);
  });

  it('JetStream: replies are published with acknowledgement and retried until the restarted server stores them once', async () => {
    server = await NatsServer.start({ jetstream: true });
    const admin = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 50 });
    cleanups.push(() => admin.close());
    const jsm = await jetstreamManager(admin);
    await jsm.streams.add({ name: 'messaging-egress-dev', subjects: ['greentic.messaging.egress.dev.>'], retention: RetentionPolicy.Workqueue });

    const runner = new GreeterRunner();
    const { bridge, events } = await startBridge(server.url, runner, { egress: { ackTimeoutMs: 1_000 } });
    const gateway = await startGateway(server.url);

    gateway.send(scope, 'chat-js', 'hi');
    await gateway.waitFor(scope, 'chat-js', 1);

    const release = holdTurns(runner);
    gateway.send(scope, 'chat-js', 'Ada');
    await expect.poll(() => runner.turns.length).toBe(2);
    await server.stop();
    release();
    await expect.poll(() => events.some((event) => event.code === 'publish_retry')).toBe(true);
    await server.restart();

    await expect.poll(async () => (await storedTexts(admin)).length, { timeout: 15_000 }).toBe(2);
    expect(await storedTexts(admin)).toEqual(['What is your name?', 'Hello Ada (acme)']);
    expect(bridge.stats.dropped).toBe(0);
  });

  it('reports what the bounded outbox cannot keep', async () => {
    server = await NatsServer.start();
    const talkative: TurnRunner = {
      runTurn: async () => ({ status: 'completed', replies: [1, 2, 3].map((n) => ({ type: 'text', text: `reply ${n}` })) }),
    };
    const gate = new GreeterRunner();
    const release = holdTurns(gate);
    const runner: TurnRunner = { runTurn: async (turn) => (await gate.runTurn(turn), talkative.runTurn(turn)) };
    const door = await startGate(server.port);
    const { bridge, events } = await startBridge(door.url, runner, {
      egress: { ackTimeoutMs: 1_000, outbox: { maxMessages: 1, maxBytes: 1 << 20 } },
    });
    const gateway = await startGateway(server.url);

    gateway.send(scope, 'chat-full', 'hi');
    await expect.poll(() => gate.turns.length).toBe(1);
    await server.stop();
    release();
    // Each reply first asks whether a stream captures its subject, which waits out the ack timeout offline.
    await expect.poll(() => bridge.stats.dropped, { timeout: 15_000 }).toBe(2);
    expect(events.filter((event) => event.code === 'dropped').every((event) => /outbox is full/.test(event.message))).toBe(true);

    await restartBehindGate(door, gateway);
    const replies = await gateway.waitFor(scope, 'chat-full', 1, 15_000);
    expect(replies.map((reply) => reply.text)).toEqual(['reply 1']);
  });
});

async function storedTexts(nc: NatsConnection): Promise<Array<string | null>> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info('messaging-egress-dev');
  const texts: Array<string | null> = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq += 1) {
    const message = await jsm.streams.getMessage('messaging-egress-dev', { seq }).catch(() => null);
    if (message) texts.push(message.json<OutMessageJson>().text);
  }
  return texts;
}
