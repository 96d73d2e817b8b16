import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OtlpReceiver, type ReceivedSpan } from '../../support/otlp-receiver';
import { exportingTo, TracedWebServer, tracedRunner, type TracedRunner } from './support';

const SPAN_KIND_INTERNAL = 1;
const SPAN_KIND_CLIENT = 3;
const STATUS_ERROR = 2;

let receiver: OtlpReceiver;
let web: TracedWebServer;
let runner: TracedRunner;

beforeAll(async () => {
  receiver = await OtlpReceiver.start();
  web = await TracedWebServer.start();
  runner = await tracedRunner(new URL(web.origin).host);
});

afterAll(async () => {
  await runner?.close();
  await web?.close();
  await receiver?.close();
});

function byName(spans: ReceivedSpan[], name: string): ReceivedSpan {
  const span = spans.find((candidate) => candidate.name === name);
  if (!span) throw new Error(`no span ${name} among ${spans.map((s) => s.name).join(', ')}`);
  return span;
}

describe.each(['http/protobuf', 'http/json'] as const)('tracing a conversation, exported as %s', (protocol) => {
  // The first turn may transpile the WASM components on a busy machine: generous wall time and test time.
  it('sends one trace per turn: the turn, a span per node (sub-flows nested), component calls and their HTTP requests', { timeout: 120_000 }, async () => {
    const telemetry = exportingTo(receiver.endpoint, { OTEL_EXPORTER_OTLP_PROTOCOL: protocol });
    runner.use(telemetry);
    const { runtime } = await runner.chat.project();
    const { conversationId, sessionKey } = await runtime.start({ flowPath: 'flows/main.ygtc', tenant: 'acme', team: 'ops' });
    const first = await runtime.send(conversationId, { text: `${web.origin}/data` });
    expect(first).toMatchObject({ status: 'waiting', replies: [{ type: 'text', text: 'fetched yes; what next?' }] });
    const second = await runtime.send(conversationId, { text: 'bob' });
    expect(second.status).toBe('failed');
    await telemetry.flush();

    const turnSpan = (turnId: string) => receiver.waitFor(() => receiver.spans.find((span) => span.attributes['greentic.turn.id'] === turnId));
    const one = await turnSpan(first.turnId);
    const two = await turnSpan(second.turnId);
    expect(receiver.requests.at(-1)?.contentType).toContain(protocol === 'http/json' ? 'json' : 'protobuf');
    expect(one.traceId).not.toBe(two.traceId);
    expect(one).toMatchObject({ name: 'greentic.op.runner_exec', parentSpanId: '', kind: SPAN_KIND_INTERNAL });
    expect(one.resource['service.name']).toBe('studio-under-test');
    expect(one.attributes).toMatchObject({
      'greentic.env': 'local',
      'greentic.tenant': 'acme',
      'greentic.tenant.id': 'acme',
      'greentic.team': 'ops',
      'greentic.team.id': 'ops',
      'greentic.flow.id': 'main',
      'greentic.session.key': sessionKey,
      'greentic.channel': 'studio',
      'greentic.op.status': 'waiting',
    });
    expect(one.events).toContainEqual({
      name: 'greentic.session.wait',
      attributes: expect.objectContaining({ 'greentic.node.id': 'wait_name', 'greentic.next_node.id': 'boom', 'greentic.wait.reason': 'waiting for a name' }),
    });

    const spans = await receiver.waitFor(() => {
      const found = receiver.spansOf(one.traceId);
      return found.some((span) => span.name === 'GET') && found.length >= 9 && found;
    });
    const node = (id: string) => byName(spans, `greentic.node ${id}`);
    for (const id of ['greet', 'call', 'fetch', 'ask', 'wait_name']) expect(node(id).parentSpanId).toBe(one.spanId);
    expect(node('inner').parentSpanId).toBe(node('call').spanId);
    expect(node('inner').attributes).toMatchObject({ 'greentic.flow.id': 'helper', 'greentic.node.id': 'inner', 'greentic.op': 'templating.handlebars' });
    expect(node('greet').attributes).toMatchObject({
      'greentic.env': 'local',
      'greentic.tenant': 'acme',
      'greentic.team': 'ops',
      'greentic.flow.id': 'main',
      'greentic.node.id': 'greet',
      'greentic.op': 'templating.handlebars',
      'greentic.session.key': sessionKey,
      'greentic.channel': 'studio',
    });
    const component = spans.find((span) => span.name === 'greentic.op.component_invoke' && span.parentSpanId === node('fetch').spanId);
    expect(component?.attributes).toMatchObject({ 'greentic.component.id': 'test.fixture.http-caller', 'greentic.op': 'test.fixture.http-caller.get' });
    const http = byName(spans, 'GET');
    expect(http).toMatchObject({ kind: SPAN_KIND_CLIENT, parentSpanId: component?.spanId });
    expect(http.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.response.status_code': 200, 'url.full': `${web.origin}/data`, 'server.address': '127.0.0.1' });
    // The web server saw the HTTP span's context: the trace goes on to what the component calls.
    expect(web.traceparents.at(-1)).toBe(`00-${one.traceId}-${http.spanId}-01`);
    // Times nest: every child starts and ends within the turn.
    for (const span of spans) {
      expect(span.startNs >= one.startNs).toBe(true);
      expect(span.endNs <= one.endNs + 2_000_000n).toBe(true);
    }

    const failed = await receiver.waitFor(() => {
      const found = receiver.spansOf(two.traceId);
      return found.length >= 3 && found;
    });
    const boom = byName(failed, 'greentic.node boom');
    expect(boom.status).toMatchObject({ code: STATUS_ERROR });
    expect(boom.events.map((event) => event.name)).toContain('exception');
    expect(failed.find((span) => span.parentSpanId === boom.spanId)).toMatchObject({ name: 'greentic.op.component_invoke', status: { code: STATUS_ERROR } });
    expect(two.status.code).toBe(STATUS_ERROR);
    expect(two.status.message).toContain('component_trap');
    expect(two.events.map((event) => event.name)).toContain('greentic.session.resume');
    expect(two.events.find((event) => event.name === 'exception')?.attributes['exception.type']).toBe('component_error');
    runner.use(null);
    await telemetry.shutdown();
  });
});
