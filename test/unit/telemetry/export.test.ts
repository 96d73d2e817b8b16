import { createServer } from 'node:net';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatHost } from '../../../src/runtime/chat/chat-host';
import { Project } from '../../../src/runtime/project/project';
import { telemetryConfig, TelemetryConfigError } from '../../../src/runtime/telemetry/config';
import { Telemetry, type TelemetryStatus } from '../../../src/runtime/telemetry/telemetry';
import { OtlpReceiver } from '../../support/otlp-receiver';
import { greeterProject } from '../nats/support/project';
import { exportingTo } from './support';
import { Harness, flow, message, scope } from '../engine/support';

let receiver: OtlpReceiver;
let project: string;
let current: Telemetry | null = null;
let chat: ChatHost;

beforeAll(async () => {
  receiver = await OtlpReceiver.start();
  project = greeterProject();
  chat = new ChatHost({ projects: { require: () => Project.open(project) }, telemetry: () => current });
});

afterAll(async () => {
  await receiver?.close();
  rmSync(project, { recursive: true, force: true });
});

async function conversationTurns(count: number, traceHeaders?: { traceparent: string }): Promise<string[]> {
  const { runtime } = await chat.project();
  const { conversationId } = await runtime.start();
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) ids.push((await runtime.send(conversationId, { text: `turn ${i}`, ...(traceHeaders ? { traceHeaders } : {}) })).turnId);
  return ids;
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('export to a collector that is not there', () => {
  it('keeps turns fast, and counts and reports the spans it could not deliver', async () => {
    const reports: Array<{ status: TelemetryStatus; reason: string }> = [];
    current = exportingTo(`http://127.0.0.1:${await closedPort()}`, { OTEL_BSP_EXPORT_TIMEOUT: '2000' }, { onDropped: (status, reason) => reports.push({ status, reason }), reportEveryMs: 0 });
    const started = performance.now();
    await conversationTurns(40);
    const perTurn = (performance.now() - started) / 40;
    // A turn of this flow takes well under a millisecond; waiting on a connection would take far more.
    expect(perTurn).toBeLessThan(250);
    await current.flush();
    const status = current.status();
    expect(status.spansExported).toBe(0);
    expect(status.spansDropped).toBeGreaterThan(40);
    expect(status.lastError).toMatch(/export to http:\/\/127\.0\.0\.1:\d+\/v1\/traces failed/);
    expect(reports.at(-1)?.status.spansDropped).toBe(status.spansDropped);
    await current.shutdown();
    current = null;
  });

  it('drops spans that find the export queue full, counted, without waiting for room', async () => {
    current = exportingTo(receiver.endpoint, { OTEL_BSP_MAX_QUEUE_SIZE: '4' });
    const { runtime } = await chat.project();
    const conversations = await Promise.all(Array.from({ length: 30 }, () => runtime.start()));
    // Thirty first turns at once, three spans each (turn, ask, wait): far more than the queue holds.
    const turns = await Promise.all(conversations.map(({ conversationId }) => runtime.send(conversationId, { text: 'hi' })));
    expect(turns.every((turn) => turn.status === 'waiting')).toBe(true);
    await current.flush();
    const status = current.status();
    expect(status.spansDropped).toBeGreaterThan(0);
    expect(status.spansExported + status.spansDropped).toBe(90);
    await current.shutdown();
    current = null;
  });
});

describe('the sampler (OTEL_TRACES_SAMPLER)', () => {
  it('always_off exports nothing; parentbased_always_off follows a sampled caller only', async () => {
    current = exportingTo(receiver.endpoint, { OTEL_TRACES_SAMPLER: 'always_off' });
    const [off] = await conversationTurns(1);
    await current.flush();
    expect(receiver.spans.some((span) => span.attributes['greentic.turn.id'] === off)).toBe(false);
    await current.shutdown();

    current = exportingTo(receiver.endpoint, { OTEL_TRACES_SAMPLER: 'parentbased_always_off' });
    const [unparented] = await conversationTurns(1);
    const trace = '0af7651916cd43dd8448eb211c80319c';
    const [sampled] = await conversationTurns(1, { traceparent: `00-${trace}-b7ad6b7169203331-01` });
    const [unsampled] = await conversationTurns(1, { traceparent: `00-${trace}-b7ad6b7169203332-00` });
    await current.flush();
    const turn = await receiver.waitFor(() => receiver.spans.find((span) => span.attributes['greentic.turn.id'] === sampled));
    expect(turn.traceId).toBe(trace);
    expect(receiver.spans.some((span) => span.attributes['greentic.turn.id'] === unparented || span.attributes['greentic.turn.id'] === unsampled)).toBe(false);
    await current.shutdown();
    current = null;
  });

  it('traceidratio with ratio 0 samples no root turn', async () => {
    current = exportingTo(receiver.endpoint, { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' });
    const ids = await conversationTurns(5);
    await current.flush();
    expect(receiver.spans.some((span) => ids.includes(String(span.attributes['greentic.turn.id'])))).toBe(false);
    await current.shutdown();
    current = null;
  });
});

describe('metrics', () => {
  it('pushes turns, durations, sessions and message counts by OTLP, and serves them as Prometheus text', async () => {
    current = new Telemetry(telemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_TRACES_EXPORTER: 'none' }, { prometheus: true }));
    await conversationTurns(3);
    current.message('directline', 'in', 2);
    current.message('nats', 'out');
    const text = (await current.prometheusText()) ?? '';
    expect(text).toMatch(/greentic_turn_count(_total)?\{[^}]*greentic_flow_id="main"[^}]*outcome="waiting"[^}]*\} 2/);
    expect(text).toMatch(/greentic_turn_count(_total)?\{[^}]*outcome="completed"[^}]*\} 1/);
    expect(text).toMatch(/greentic_turn_duration_ms_bucket\{/);
    expect(text).toMatch(/greentic_node_duration_ms_count\{[^}]*greentic_node_id="ask"[^}]*\} 2/);
    // turn 3 parked the conversation again
    expect(text).toMatch(/greentic_session_active(\{[^}]*\})? 1/);
    expect(text).toMatch(/greentic_channel_messages(_total)?\{[^}]*direction="in"[^}]*\} 2/);
    await current.flush();
    await receiver.waitFor(() => receiver.metricNames.has('greentic.turn.count'));
    expect([...receiver.metricNames]).toEqual(expect.arrayContaining(['greentic.turn.duration_ms', 'greentic.node.duration_ms', 'greentic.session.active', 'greentic.channel.messages']));
    await current.shutdown();
    current = null;
  });

  it('without tracing, has the engine build only the node events the metrics read', async () => {
    const telemetry = new Telemetry(telemetryConfig({}, { prometheus: true }));
    const harness = new Harness([flow(`id: main
type: messaging
start: first
nodes:
  first:
    emit.response:
      messages:
        - message: { text: "one" }
    routing:
      - to: second
  second:
    emit.response:
      messages:
        - message: { text: "two" }
    routing:
      - out: true
`)]);
    const traced = telemetry.startTurn({ scope: { env: 'local', tenant: 'acme', sessionKey: 's', channel: 'test' }, cause: 'directline' });
    const seen: string[] = [];
    const observe = traced.observe;
    expect(observe).toBeDefined();
    await harness.engine.runTurn({
      catalog: harness.catalog,
      flowId: 'main',
      input: message({ text: 'x' }),
      scope,
      observer: (event) => {
        seen.push(event.type);
        observe?.(event);
      },
      observedEvents: traced.observedEvents,
    });
    expect(seen).toEqual(['turn_start', 'node_end', 'node_end', 'turn_end']);
    const text = (await telemetry.prometheusText()) ?? '';
    expect(text).toMatch(/greentic_node_duration_ms_count\{[^}]*greentic_node_id="second"[^}]*\} 1/);
    expect(text).toMatch(/greentic_turn_count(_total)?\{[^}]*outcome="completed"[^}]*\} 1/);
    await telemetry.shutdown();
  });

  it('counts a session as active while its flow is parked', async () => {
    current = new Telemetry(telemetryConfig({}, { prometheus: true }));
    const { runtime } = await chat.project();
    const { conversationId } = await runtime.start();
    await runtime.send(conversationId, { text: 'hi' });
    expect(await current.prometheusText()).toMatch(/greentic_session_active(\{[^}]*\})? 1/);
    await runtime.send(conversationId, { text: 'bob' });
    expect(await current.prometheusText()).toMatch(/greentic_session_active(\{[^}]*\})? 0/);
    await current.shutdown();
    current = null;
  });
});

describe('configuration from OTEL_* variables', () => {
  it('is off without an endpoint, and names what is wrong in a bad setting', () => {
    expect(telemetryConfig({})).toMatchObject({ traces: null, metrics: null, prometheus: false });
    expect(telemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).toMatchObject({
      traces: { url: 'http://c:4318/v1/traces', protocol: 'http/json' },
      metrics: { url: 'http://c:4318/v1/metrics', protocol: 'http/json' },
    });
    expect(telemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t:1/x' }).traces?.url).toBe('http://t:1/x');
    expect(telemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' }).traces).toBeNull();
    expect(telemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318' }, { endpoint: 'http://flag:4318' }).traces?.url).toBe('http://flag:4318/v1/traces');
    expect(telemetryConfig({ OTEL_SERVICE_NAME: 'svc', OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=dev,team=a%20b' })).toMatchObject({
      serviceName: 'svc',
      resourceAttributes: { 'deployment.environment': 'dev', team: 'a b' },
    });
    const bad = (env: Record<string, string>) => () => telemetryConfig(env);
    expect(bad({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(/gRPC is not supported/);
    expect(bad({ OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(TelemetryConfigError);
    expect(bad({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(/ratio from 0 to 1/);
    expect(bad({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/http:\/\/ or https:\/\/ URL/);
    expect(bad({ OTEL_RESOURCE_ATTRIBUTES: 'novalue' })).toThrow(/not key=value/);
  });
});
