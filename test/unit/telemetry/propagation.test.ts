import { rmSync } from 'node:fs';
import { connect, headers, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsRunnerBridge } from '../../../src/runtime/channels/nats/bridge';
import { ChatRuntimeRunner } from '../../../src/runtime/channels/nats/chat-runner';
import { ChatHost } from '../../../src/runtime/chat/chat-host';
import { Project } from '../../../src/runtime/project/project';
import type { Telemetry } from '../../../src/runtime/telemetry/telemetry';
import { messagingSubject } from '../../../src/shared/nats/subjects';
import { NatsServer } from '../../support/nats-server';
import { OtlpReceiver } from '../../support/otlp-receiver';
import { gatewayMessage, type Scope } from '../nats/support/gateway';
import { greeterProject } from '../nats/support/project';
import { call, startDirectLine, type DirectLineFixture } from '../webchat/support';
import { exportingTo } from './support';

const SPAN_KIND_SERVER = 2;
const SPAN_KIND_PRODUCER = 4;
const SPAN_KIND_CONSUMER = 5;

const GATEWAY_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const GATEWAY_SPAN = '00f067aa0ba902b7';
const traceparent = `00-${GATEWAY_TRACE}-${GATEWAY_SPAN}-01`;

let receiver: OtlpReceiver;
let project: string;
let telemetry: Telemetry;

beforeAll(async () => {
  receiver = await OtlpReceiver.start();
  project = greeterProject();
  telemetry = exportingTo(receiver.endpoint);
});

afterAll(async () => {
  await telemetry?.shutdown();
  await receiver?.close();
  rmSync(project, { recursive: true, force: true });
});

function chatHost(): ChatHost {
  return new ChatHost({ projects: { require: () => Project.open(project) }, telemetry: () => telemetry });
}

describe('trace context through the NATS bridge (real nats-server)', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let gateway: NatsConnection;
  let bridge: NatsRunnerBridge;
  const scope: Scope = { env: 'dev', tenant: 'acme', team: 'default', platform: 'webchat' };

  beforeAll(async () => {
    server = await NatsServer.start();
    nc = await connect({ servers: server.url });
    gateway = await connect({ servers: server.url });
    const chat = chatHost();
    bridge = new NatsRunnerBridge(nc, new ChatRuntimeRunner(async () => (await chat.project()).runtime), { scope, telemetry: () => telemetry }, () => undefined);
    await bridge.ready;
    await nc.flush();
  });
  afterAll(async () => {
    await bridge?.stop(2_000);
    await nc?.close();
    await gateway?.close();
    await server?.dispose();
  });

  it('continues the ingress traceparent into the turn and on to the egress headers', async () => {
    const egress: Msg[] = [];
    gateway.subscribe(messagingSubject('egress', scope), { callback: (_error, msg) => void egress.push(msg) });
    await gateway.flush();
    const sent = headers();
    sent.set('traceparent', traceparent);
    sent.set('tracestate', 'gateway=1');
    const ingress = messagingSubject('ingress', scope);
    gateway.publish(ingress, JSON.stringify(gatewayMessage(scope, 'chat-7', 'hi', { msgId: 'm-7' })), { headers: sent });

    const turn = await receiver.waitFor(() => receiver.spans.find((span) => span.traceId === GATEWAY_TRACE && span.name === 'greentic.op.runner_exec'));
    expect(turn).toMatchObject({ parentSpanId: GATEWAY_SPAN, kind: SPAN_KIND_CONSUMER });
    expect(turn.attributes).toMatchObject({
      'messaging.system': 'nats',
      'messaging.operation.type': 'process',
      'messaging.destination.name': ingress,
      'greentic.channel': 'webchat',
      'greentic.tenant': 'acme',
    });
    const publish = await receiver.waitFor(() => receiver.spans.find((span) => span.traceId === GATEWAY_TRACE && span.kind === SPAN_KIND_PRODUCER));
    expect(publish).toMatchObject({ parentSpanId: turn.spanId, name: `send ${messagingSubject('egress', scope)}` });

    await receiver.waitFor(() => egress.length > 0);
    const reply = egress[0]!;
    expect(reply.headers?.get('traceparent')).toBe(`00-${GATEWAY_TRACE}-${publish.spanId}-01`);
    expect(reply.headers?.get('tracestate')).toBe('gateway=1');
    expect(reply.json<{ text: string }>().text).toBe('You said hi. What is your name?');
  });
});

describe('trace context from a Direct Line request', () => {
  let fixture: DirectLineFixture;
  beforeAll(async () => {
    fixture = await startDirectLine({ chat: chatHost(), autoStartOnOpen: false, telemetry: () => telemetry });
  });
  afterAll(async () => fixture?.close());

  it('makes the turn of a posted activity a child of the traceparent on the POST', async () => {
    const trace = 'a3ce929d0e0e47364bf92f3577b34da6';
    const opened = await call(fixture.base, 'POST', '/conversations', { bearer: fixture.directLine.secret });
    const { conversationId, token } = opened.json as { conversationId: string; token: string };
    const posted = await call(fixture.base, 'POST', `/conversations/${conversationId}/activities`, {
      bearer: token,
      body: { type: 'message', text: 'hello', from: { id: 'user' } },
      headers: { traceparent: `00-${trace}-b7ad6b7169203331-01` },
    });
    expect(posted.status).toBe(201);
    const turn = await receiver.waitFor(() => receiver.spans.find((span) => span.traceId === trace && span.name === 'greentic.op.runner_exec'));
    expect(turn).toMatchObject({ parentSpanId: 'b7ad6b7169203331', kind: SPAN_KIND_SERVER });
    expect(turn.attributes).toMatchObject({ 'greentic.channel': 'webchat', 'greentic.op.status': 'waiting' });
    const nodes = await receiver.waitFor(() => {
      const found = receiver.spansOf(trace).filter((span) => span.name.startsWith('greentic.node '));
      return found.length >= 2 && found;
    });
    expect(nodes.map((span) => span.name).sort()).toEqual(['greentic.node ask', 'greentic.node wait']);
    expect(nodes.every((span) => span.parentSpanId === turn.spanId)).toBe(true);
  });

  it('ignores a malformed traceparent: the turn starts a trace of its own', async () => {
    const opened = await call(fixture.base, 'POST', '/conversations', { bearer: fixture.directLine.secret });
    const { conversationId, token } = opened.json as { conversationId: string; token: string };
    const before = receiver.spans.length;
    const posted = await call(fixture.base, 'POST', `/conversations/${conversationId}/activities`, {
      bearer: token,
      body: { type: 'message', text: 'hello', from: { id: 'user' } },
      headers: { traceparent: 'not-a-trace-context' },
    });
    expect(posted.status).toBe(201);
    const turn = await receiver.waitFor(() => receiver.spans.slice(before).find((span) => span.name === 'greentic.op.runner_exec'));
    expect(turn.parentSpanId).toBe('');
  });
});
