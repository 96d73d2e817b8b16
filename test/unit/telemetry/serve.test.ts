import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeRun } from '../../support/serve';
import { OtlpReceiver } from '../../support/otlp-receiver';
import { greeterProject } from '../nats/support/project';
import { call } from '../webchat/support';

const SPAN_KIND_SERVER = 2;

describe('serve --otlp --metrics', () => {
  let receiver: OtlpReceiver;
  let project: string;
  let serve: ServeRun;
  let ready: ServeRun['ready'] & { traces?: string; metrics?: string };

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    project = greeterProject();
    serve = await startServe(project, '--otlp', receiver.endpoint, '--metrics');
    ready = serve.ready;
  });
  afterAll(async () => {
    expect(await serve?.stop()).toBe(0);
    await receiver?.close();
    rmSync(project, { recursive: true, force: true });
  });

  it('exports each Direct Line turn as a trace joined to the client trace, and serves /metrics behind the access token', async () => {
    expect(ready.traces).toBe(`${receiver.endpoint}/v1/traces`);
    const metricsUrl = ready.metrics ?? '';
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics\?token=/);

    const base = ready.directline;

    const opened = await call(base, 'POST', '/conversations', { bearer: ready.secret });
    const { conversationId, token } = opened.json as { conversationId: string; token: string };
    const trace = '5b8aa5a2d2c872e8321cf37308d69df2';
    const posted = await call(base, 'POST', `/conversations/${conversationId}/activities`, {
      bearer: token,
      body: { type: 'message', text: 'hi', from: { id: 'user' } },
      headers: { traceparent: `00-${trace}-051581bf3cb55c13-01` },
    });
    expect(posted.status).toBe(201);
    const turn = await receiver.waitFor(() => receiver.spans.find((span) => span.traceId === trace && span.name === 'greentic.op.runner_exec'));
    expect(turn).toMatchObject({ parentSpanId: '051581bf3cb55c13', kind: SPAN_KIND_SERVER });
    expect(turn.resource['service.name']).toBe('greentic-studio');
    expect(turn.attributes).toMatchObject({ 'greentic.op.status': 'completed', 'greentic.channel': 'webchat' });
    // The client joined first (Direct Line's auto-start parked the flow at wait); this message resumes it.
    expect(turn.events.map((event) => event.name)).toContain('greentic.session.resume');
    const nodes = receiver.spansOf(trace).filter((span) => span.parentSpanId === turn.spanId);
    expect(nodes.map((span) => span.attributes['greentic.node.id'])).toEqual(['answer']);

    const withoutToken = await fetch(metricsUrl.replace(/\?token=.*$/, ''));
    expect(withoutToken.status).toBe(401);
    const wrongToken = await fetch(`${metricsUrl.replace(/\?token=.*$/, '')}?token=wrong`);
    expect(wrongToken.status).toBe(401);
    const scraped = await fetch(metricsUrl);
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get('content-type')).toContain('text/plain');
    const text = await scraped.text();
    expect(text).toMatch(/greentic_turn_count_total\{[^}]*outcome="waiting"[^}]*\} \d/);
    expect(text).toMatch(/greentic_channel_messages_total\{[^}]*greentic_channel="directline"[^}]*direction="in"[^}]*\} 1/);
    const token_ = new URL(metricsUrl).searchParams.get('token');
    const bearer = await fetch(metricsUrl.replace(/\?token=.*$/, ''), { headers: { authorization: `Bearer ${token_}` } });
    expect(bearer.status).toBe(200);
  });
});
