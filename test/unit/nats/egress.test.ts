import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EGRESS_OPTIONS, EgressPublisher } from '../../../src/runtime/channels/nats/egress';
import { NatsServer } from '../../support/nats-server';

const SUBJECT = 'greentic.messaging.egress.dev.acme.default.webchat';

/** Whether a JetStream stream captures a reply subject is asked once, not once per reply. */
describe('egress stream lookups', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let spy: NatsConnection;
  let lookups = 0;

  beforeAll(async () => {
    server = await NatsServer.start({ jetstream: true });
    nc = await connect({ servers: server.url });
    spy = await connect({ servers: server.url });
    spy.subscribe('$JS.API.STREAM.NAMES', {
      callback: () => {
        lookups += 1;
      },
    });
    await spy.flush();
    const manager = await jetstreamManager(nc);
    await manager.streams.add({ name: 'messaging-egress-dev', subjects: ['greentic.messaging.egress.dev.>'] });
  });
  afterAll(async () => {
    await spy?.close();
    await nc?.close();
    await server?.dispose();
  });

  it('shares one lookup among concurrent replies, and refreshes a stale answer without making replies wait for it', async () => {
    const dropped: string[] = [];
    const egress = new EgressPublisher(
      nc,
      { dropped: (_subject, reason) => dropped.push(reason), retrying: () => undefined },
      { ...DEFAULT_EGRESS_OPTIONS, streamLookupTtlMs: 200 },
    );
    const reply = (n: number) => ({ subject: SUBJECT, data: new TextEncoder().encode(`{"n":${n}}`), msgId: `reply-${n}` });

    await Promise.all(Array.from({ length: 20 }, (_, n) => egress.publish([reply(n)])));
    await spy.flush();
    expect(lookups).toBe(1);

    await new Promise((resolve) => setTimeout(resolve, 250));
    await egress.publish([reply(20)]);
    await expect.poll(async () => (await spy.flush(), lookups)).toBe(2);

    // Every reply went through the stream, acknowledged.
    const stream = await (await jetstreamManager(nc)).streams.info('messaging-egress-dev');
    expect(stream.state.messages).toBe(21);
    expect(dropped).toEqual([]);
  });
});
