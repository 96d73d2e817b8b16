import { readFileSync } from 'node:fs';
import { encode } from 'cbor-x';
import { describe, expect, it } from 'vitest';
import type { ComponentHost, ComponentInvocation, ComponentOutcome } from '../../../src/runtime/components/host';
import type { JsonValue } from '../../../src/shared/flow/compiled';
import { conformancePath, hasConformance } from '../../support/conformance';
import { Harness, flow, message, scope, texts } from './support';

/** A component host double: `fn` decides each call's outcome. */
function fakeHost(componentId: string, fn: (call: ComponentInvocation, n: number) => ComponentOutcome): ComponentHost & { calls: ComponentInvocation[] } {
  const calls: ComponentInvocation[] = [];
  return {
    calls,
    supports: (id) => id === componentId,
    invoke: async (call) => {
      calls.push(call);
      return fn(call, calls.length);
    },
  };
}

describe.runIf(hasConformance)('conformance flows (runtime.md §12)', () => {
  it('runs hello.ygtc to completion with the rendered text', async () => {
    const hello = flow(readFileSync(conformancePath('flows/valid/greentic-flow__docs__examples__hello.ygtc'), 'utf8'));
    const outcome = await new Harness([hello]).say('anything');
    expect(outcome.status).toBe('completed');
    if (outcome.status !== 'completed') return;
    expect(outcome.output).toEqual({ text: 'Hello from greentic-flow!' });
    expect(texts(outcome)).toEqual(['Hello from greentic-flow!']);
  });
});

describe('the drive loop', () => {
  it('keeps upstream raw output for emit -> end but delivers the reply once', async () => {
    const echo = flow(`id: echo
type: messaging
nodes:
  reply:
    emit.response:
      messages:
        - type: text
          text: "Echo: {{in.input.text}}"
    routing: out
`);
    const outcome = await new Harness([echo]).say('hi');
    if (outcome.status !== 'completed') throw new Error(outcome.status);
    const item = { messages: [{ type: 'text', text: 'Echo: hi' }] };
    expect(outcome.output).toEqual([item, item]);
    expect(texts(outcome)).toEqual(['Echo: hi']);
  });

  it('passes typed values between nodes through prev and node.<id>', async () => {
    const f = flow(`id: typed
type: messaging
nodes:
  first:
    emit.log:
      payload:
        messages:
          - type: text
            text: "one"
        count: 2
    routing:
      - to: second
  second:
    emit.response:
      messages: "{{prev.messages}}"
    routing:
      - to: third
  third:
    templating.handlebars:
      text: "count={{node.first.count}} state={{state.nodes.first.ok}}"
    routing: out
`);
    const outcome = await new Harness([f]).say('go');
    expect(texts(outcome)).toEqual(['one', 'one', 'count=2 state=true']);
  });

  it('follows Branch defaults only, never on_status', async () => {
    const f = flow(`id: branch
type: messaging
nodes:
  start:
    templating.handlebars:
      text: ok
    routing:
      - status: ok
        to: a
      - to: b
  a:
    templating.handlebars: { text: "went to a" }
  b:
    templating.handlebars: { text: "went to b" }
`);
    expect(texts(await new Harness([f]).say('x'))).toEqual(['went to b']);
  });

  it('fails with step_limit when a flow loops, with a failure reply and a trace entry', async () => {
    const loop = flow(`id: loop
type: messaging
nodes:
  spin:
    templating.handlebars: { text: again }
    routing:
      - to: spin
`);
    const harness = new Harness([loop], { stepLimit: 50 });
    const outcome = await harness.say('x');
    expect(outcome.status).toBe('failed');
    if (outcome.status !== 'failed') return;
    expect(outcome.error.code).toBe('step_limit');
    expect(outcome.error.message).toMatch(/more than 50 node executions/);
    expect(JSON.stringify(outcome.replies)).toContain('Something went wrong');
    const end = harness.trace.at(-1);
    expect(end).toMatchObject({ type: 'turn_end', status: 'failed', error: { code: 'step_limit' } });
    expect(harness.trace.filter((e) => e.type === 'node_start')).toHaveLength(50);
  });

  it('reports a missing node and a template syntax error as failures', async () => {
    const bad = flow(`id: bad
type: messaging
nodes:
  start:
    templating.handlebars: { text: "{{#if x}}never closed" }
`);
    const outcome = await new Harness([bad]).say('x');
    expect(outcome.status === 'failed' && outcome.error.message).toMatch(/failed to render node input template/);
  });
});

describe('session.wait', () => {
  const waiting = flow(`id: main
type: messaging
nodes:
  ask:
    emit.response: { text: "What's your name?" }
    routing:
      - to: wait
  wait:
    session.wait: { reason: name }
    routing:
      - to: answer
  answer:
    templating.handlebars:
      text: "Nice to meet you, {{state.input.input.text}} (first said {{entry.input.text}})"
`);

  it('parks at the successor, delivers what was emitted, and resumes there on the next turn', async () => {
    const harness = new Harness([waiting]);
    const first = await harness.say('hi');
    expect(first.status).toBe('waiting');
    if (first.status !== 'waiting') return;
    expect(texts(first)).toEqual(["What's your name?"]);
    expect(first.snapshot).toMatchObject({ flow_id: 'main', next_node: 'answer', awaiting_submit: false, reason: 'name' });
    expect(first.snapshot.state.egress).toEqual([]);
    const second = await harness.say('Ada');
    expect(second.status).toBe('completed');
    expect(texts(second)).toEqual(['Nice to meet you, Ada (first said hi)']);
  });

  it('fails when the wait has nowhere to resume', async () => {
    const f = flow(`id: w
type: messaging
nodes:
  wait:
    session.wait: hold
    routing: out
`);
    const outcome = await new Harness([f]).say('x');
    expect(outcome.status === 'failed' && outcome.error.message).toBe('session.wait node wait requires a non-empty route');
  });

  it('refuses a snapshot of another pack', async () => {
    const harness = new Harness([waiting]);
    await harness.say('hi');
    harness.snapshot = { ...harness.snapshot!, pack_id: 'other.pack' };
    const outcome = await harness.say('Ada');
    expect(outcome.status === 'failed' && outcome.error.message).toBe('snapshot pack other.pack does not match requested test.pack');
  });
});

describe('custom routing and card parking', () => {
  const menu = flow(`id: menu
type: messaging
nodes:
  card:
    component-adaptive-card.render:
      card_source: inline
      card_spec:
        inline_json:
          type: AdaptiveCard
          version: "1.3"
          body: [{ type: TextBlock, text: Menu }]
          actions: [{ type: Action.Submit, title: About, data: { action: about } }]
    routing:
      - condition: 'response.action == "about"'
        to: about
      - condition: response.greentic_submit == true
        to: other
  about:
    templating.handlebars: { text: "About us" }
  other:
    templating.handlebars: { text: "Something else: {{state.input.input.metadata.action}}" }
`);

  it('parks at the card itself when no condition matches, and routes the submit on resume', async () => {
    const harness = new Harness([menu]);
    const first = await harness.say('hi');
    expect(first.status).toBe('waiting');
    if (first.status !== 'waiting') return;
    expect(first.snapshot).toMatchObject({ next_node: 'card', awaiting_submit: true });
    expect(first.replies[0]).toMatchObject({ type: 'adaptive_card', card: { type: 'AdaptiveCard' } });
    const second = await harness.say({ submit: { action: 'ABOUT' } });
    expect(texts(second)).toEqual(['About us']);
  });

  it('routes any other submit by its data', async () => {
    const harness = new Harness([menu]);
    await harness.say('hi');
    expect(texts(await harness.say({ submit: { action: 'help' } }))).toEqual(['Something else: help']);
  });

  it('ends the turn instead of parking with noRouteMatch "end" (mid engine)', async () => {
    const outcome = await new Harness([menu], { noRouteMatch: 'end' }).say('hi');
    expect(outcome.status).toBe('completed');
  });

  it('takes the unconditional fallback when nothing was submitted (runtime.md §12.4)', async () => {
    const f = flow(`id: f
type: messaging
nodes:
  start:
    templating.handlebars: { text: start }
    routing:
      - condition: 'response.action == "about"'
        to: about
      - to: fallback
  about:
    templating.handlebars: { text: about }
  fallback:
    templating.handlebars: { text: fallback }
`);
    expect(texts(await new Harness([f]).say({ submit: { action: 'ABOUT' } }))).toEqual(['about']);
    expect(texts(await new Harness([f]).say('plain text'))).toEqual(['fallback']);
  });
});

describe('flow.call, flow.goto and greentic_control', () => {
  const child = flow(`id: child
type: messaging
nodes:
  work:
    templating.handlebars: { text: "child got {{in.n}}" }
`);

  it('runs a sub-flow synchronously and uses its final value', async () => {
    const parent = flow(`id: parent
type: messaging
nodes:
  call:
    flow.call:
      flow_id: child
      input: { n: 7 }
    routing:
      - to: say
  say:
    templating.handlebars: { text: "parent heard: {{prev.text}}" }
`);
    expect(texts(await new Harness([parent, child]).say('x'))).toEqual(['parent heard: child got 7']);
  });

  it('refuses a sub-flow that pauses, and a flow.call without flow_id', async () => {
    const pausing = flow(`id: pausing
type: messaging
nodes:
  wait:
    session.wait: later
    routing: [{ to: done }]
  done:
    templating.handlebars: { text: done }
`);
    const parent = flow(`id: parent
type: messaging
nodes:
  call:
    flow.call: { flow: pausing }
`);
    const paused = await new Harness([parent, pausing]).say('x');
    expect(paused.status === 'failed' && paused.error.message).toBe('flow.call cannot pause (flow pausing waiting later)');
    const empty = flow(`id: empty
type: messaging
nodes:
  call:
    flow.call: { input: {} }
`);
    const outcome = await new Harness([empty]).say('x');
    expect(outcome.status === 'failed' && outcome.error.message).toBe('flow.call requires a non-empty flow_id');
  });

  it('jumps with flow.goto, parks in the target flow and resumes there', async () => {
    const start = flow(`id: start
type: messaging
nodes:
  go:
    flow.goto:
      flow: target
      input: { who: Ada }
`);
    const target = flow(`id: target
type: messaging
nodes:
  hello:
    emit.response: { text: "hello {{state.input.who}}" }
    routing: [{ to: wait }]
  wait:
    session.wait: more
    routing: [{ to: bye }]
  bye:
    templating.handlebars: { text: "bye {{state.input.input.text}}" }
`);
    const harness = new Harness([start, target]);
    const first = await harness.say('x');
    expect(texts(first)).toEqual(['hello Ada']);
    expect(first.status === 'waiting' && first.snapshot).toMatchObject({ flow_id: 'start', next_flow: 'target', next_node: 'bye' });
    expect(texts(await harness.say('now'))).toEqual(['bye now']);
  });

  it('allows three greentic_control jumps and fails the fourth with redirect_limit', async () => {
    const jump = (to: string) => ({ greentic_control: { v: 1, action: 'jump', flow: to, payload: { hop: to } } });
    const host = fakeHost('jumper', (call) => success(jump(String((call.input as { next: string }).next))));
    const hop = (id: string, next: string) =>
      flow(`id: ${id}
type: messaging
nodes:
  j:
    component.exec: { component: jumper, operation: go, input: { next: ${next} } }
`);
    const end = flow(`id: f3
type: messaging
nodes:
  done:
    templating.handlebars: { text: "arrived with {{state.input.hop}}" }
`);
    const three = new Harness([hop('f0', 'f1'), hop('f1', 'f2'), hop('f2', 'f3'), end], { extraHosts: [host] });
    expect(texts(await three.say('x'))).toEqual(['arrived with f3']);
    const four = new Harness([hop('f0', 'f1'), hop('f1', 'f2'), hop('f2', 'f3'), hop('f3', 'f4'), { ...end, id: 'f4' }], { extraHosts: [host] });
    const outcome = await four.say('x');
    expect(outcome.status === 'failed' && outcome.error.code).toBe('redirect_limit');
  });

  it('validates greentic_control and turns respond into a reply (card_cbor decoded)', async () => {
    const card = { type: 'AdaptiveCard', version: '1.3', body: [{ type: 'TextBlock', text: 'from cbor' }] };
    const responder = fakeHost('responder', () =>
      success({ greentic_control: { v: 1, action: 'respond', text: 'hi there', card_cbor: [...encode(card)] } }),
    );
    const f = flow(`id: r
type: messaging
nodes:
  r:
    component.exec: { component: responder, operation: run }
    routing: [{ to: never }]
  never:
    templating.handlebars: { text: never }
`);
    const outcome = await new Harness([f], { extraHosts: [responder] }).say('x');
    expect(outcome.replies).toEqual([{ type: 'text', text: 'hi there' }, { type: 'adaptive_card', card }]);

    const broken = fakeHost('responder', () => success({ greentic_control: { action: 'jump', flow: 'x' } }));
    const failed = await new Harness([f], { extraHosts: [broken] }).say('x');
    expect(failed.status === 'failed' && failed.error.message).toBe('jump_failed: greentic_control.v is required');
  });
});

describe('state, variables and components', () => {
  it('stores state per tenant with state.set and state.get', async () => {
    const f = flow(`id: s
type: messaging
nodes:
  read:
    state.get: { key: visits }
    routing: [{ to: write }]
  write:
    state.set: { key: visits, value: "{{in.input.text}}" }
    routing: [{ to: say }]
  say:
    templating.handlebars: { text: "before={{node.read.value}} found={{node.read.found}}" }
`);
    const harness = new Harness([f]);
    expect(texts(await harness.say('one'))).toEqual(['before= found=false']);
    expect(texts(await harness.say('two'))).toEqual(['before=one found=true']);
    expect(texts(await harness.say('three', 'globex'))).toEqual(['before= found=false']);
  });

  it('sets session variables with var.set, including JSON pointers', async () => {
    const f = flow(`id: v
type: messaging
nodes:
  a:
    var.set: { name: who, value: "{{in.input.text}}" }
    routing: [{ to: b }]
  b:
    var.set: { name: channel, value: /entry/input/channel }
    routing: [{ to: c }]
  c:
    templating.handlebars: { text: "{{state.vars.who}} via {{state.vars.channel}}" }
`);
    expect(texts(await new Harness([f]).say('Ada'))).toEqual(['Ada via test']);
  });

  it('fails a component error, or routes it to an error route with {errors}', async () => {
    const failing = fakeHost('flaky', () => ({ ok: false, error: { code: 'boom', message: 'it broke', retryable: false } }));
    const plain = flow(`id: p
type: messaging
nodes:
  call:
    component.exec: { component: flaky, operation: run }
`);
    const outcome = await new Harness([plain], { extraHosts: [failing] }).say('x');
    expect(outcome.status === 'failed' && outcome.error.message).toBe('component flaky failed: boom: it broke');

    const routed = flow(`id: r
type: messaging
nodes:
  call:
    component.exec: { component: flaky, operation: run }
    routing:
      - status: error
        to: oops
      - to: fine
  oops:
    templating.handlebars: { text: "handled {{prev.errors.0.code}}" }
  fine:
    templating.handlebars: { text: fine }
`);
    expect(texts(await new Harness([routed], { extraHosts: [failing] }).say('x'))).toEqual(['handled boom']);
  });

  it('treats {ok:false, error} outputs as failures and {ok:false} without error as output', async () => {
    const host = fakeHost('c', (call) =>
      success((call.input as { mode: string }).mode === 'err' ? { ok: false, error: { code: 'E1', message: 'bad' } } : { ok: false, status: 500 }),
    );
    const f = (mode: string) =>
      flow(`id: f
type: messaging
nodes:
  call:
    component.exec: { component: c, operation: run, input: { mode: ${mode} } }
    routing: [{ to: say }]
  say:
    templating.handlebars: { text: "status {{prev.status}}" }
`);
    const failed = await new Harness([f('err')], { extraHosts: [host] }).say('x');
    expect(failed.status === 'failed' && failed.error.message).toBe('component c failed: E1: bad');
    expect(texts(await new Harness([f('ok')], { extraHosts: [host] }).say('x'))).toEqual(['status 500']);
  });

  it('retries the whole turn on a transient failure when attempts allow', async () => {
    const host = fakeHost('svc', (call, n) =>
      n === 1 ? { ok: false, error: { code: 'unavailable', message: 'service unavailable', retryable: true } } : success({ text: `attempt ${call.ctx.attempt}` }),
    );
    const f = flow(`id: t
type: messaging
nodes:
  call:
    component.exec: { component: svc, operation: run }
`);
    expect(texts(await new Harness([f], { extraHosts: [host], maxAttempts: 2, baseDelayMs: 1 }).say('x'))).toEqual(['attempt 2']);
    const once = fakeHost('svc', () => ({ ok: false, error: { code: 'unavailable', message: 'service unavailable', retryable: true } }));
    expect((await new Harness([f], { extraHosts: [once] }).say('x')).status).toBe('failed');
    expect(once.calls).toHaveLength(1);
  });

  it('hands components the input, config, tenant context and turn input', async () => {
    const host = fakeHost('ai.acme.widget', () => success({ text: 'ok' }));
    const f = flow(`id: ctx
type: messaging
nodes:
  call:
    component.exec:
      component: ai.acme.widget
      operation: render
      input: { q: "{{in.input.text}}" }
      config: { mode: fast }
`);
    await new Harness([f], { extraHosts: [host] }).say('question');
    const call = host.calls[0]!;
    expect(call).toMatchObject({ componentId: 'ai.acme.widget', operation: 'render', input: { q: 'question' }, config: { mode: 'fast' } });
    expect(call.ctx).toMatchObject({ env: 'local', tenant: 'acme', user: 'alice', flowId: 'ctx', nodeId: 'call', attempt: 1 });
    expect((call.turnInput as { input: { text: string } }).input.text).toBe('question');
  });
});

describe('pinned outputs', () => {
  const remote = flow(`id: remote
type: messaging
nodes:
  ask_llm:
    component.exec:
      component: oci://ghcr.io/acme/llm:1
      operation: chat
      input: { prompt: "{{in.input.text}}" }
    routing: [{ to: say }]
  mcp_call:
    mcp: { server: weather, tool: forecast }
  say:
    templating.handlebars: { text: "LLM says {{prev.answer}}" }
`);

  it('fails a node that cannot run locally with a clear message naming what is missing', async () => {
    const harness = new Harness([remote]);
    const outcome = await harness.say('hi');
    expect(outcome.status).toBe('failed');
    if (outcome.status !== 'failed') return;
    expect(outcome.error.code).toBe('component_unavailable');
    expect(outcome.error.message).toContain('oci://ghcr.io/acme/llm:1');
    expect(outcome.error.message).toContain('pin an output');
    expect(harness.trace.some((e) => e.type === 'turn_end' && e.error?.nodeId === 'ask_llm')).toBe(true);
  });

  it('uses the pinned output instead, and says so in the trace', async () => {
    const pins = { get: (flowId: string, nodeId: string): JsonValue | undefined => (flowId === 'remote' && nodeId === 'ask_llm' ? { answer: 42 } : undefined) };
    const harness = new Harness([remote], { pins });
    expect(texts(await harness.say('hi'))).toEqual(['LLM says 42']);
    expect(harness.trace.find((e) => e.type === 'node_end' && e.nodeId === 'ask_llm')).toMatchObject({ pinned: true, output: { answer: 42 } });
  });
});

describe('trace', () => {
  it('reports start, rendered input, output, route, wait and end for every node, in order', async () => {
    const f = flow(`id: t
type: messaging
nodes:
  greet:
    templating.handlebars: { text: "hi {{in.input.text}}" }
    routing: [{ to: wait }]
  wait:
    session.wait: name
    routing: [{ to: done }]
  done:
    templating.handlebars: { text: done }
`);
    const harness = new Harness([f]);
    await harness.say('Ada');
    const kinds = harness.trace.map((e) => `${e.type}${'nodeId' in e ? `:${e.nodeId}` : ''}`);
    expect(kinds).toEqual([
      'turn_start',
      'node_start:greet',
      'call_start:greet',
      'call_end:greet',
      'node_end:greet',
      'route:greet',
      'node_start:wait',
      'node_end:wait',
      'route:wait',
      'wait:wait',
      'turn_end',
    ]);
    expect(harness.trace[1]).toMatchObject({ component: 'templating.handlebars', input: { text: 'hi Ada' } });
    expect(harness.trace[2]).toMatchObject({ componentId: 'templating', operation: 'handlebars' });
    expect(harness.trace[3]).toMatchObject({ ok: true, durationMs: expect.any(Number) });
    expect(harness.trace[9]).toMatchObject({ nextNode: 'done', reason: 'name', awaitingSubmit: false });
    expect(new Set(harness.trace.map((e) => e.turnId)).size).toBe(1);
  });
});

function success(output: JsonValue): ComponentOutcome {
  return { ok: true, output };
}

describe('observed events', () => {
  it('builds only the kinds the observer asks for, besides the turn start and end it always gets', async () => {
    const harness = new Harness([flow(`id: main
type: messaging
start: hello
nodes:
  hello:
    emit.response:
      messages:
        - message: { text: "hi" }
    routing:
      - out: true
`)]);
    const seen: string[] = [];
    const outcome = await harness.engine.runTurn({
      catalog: harness.catalog,
      flowId: 'main',
      input: message({ text: 'x' }),
      scope,
      observer: (event) => seen.push(event.type),
      observedEvents: new Set(['node_end']),
    });
    expect(outcome.status).toBe('completed');
    expect(seen).toEqual(['turn_start', 'node_end', 'turn_end']);
  });
});


describe('node admission', () => {
  it('stops the turn at the first node refused, before it runs, and names the refusal', async () => {
    const harness = new Harness([flow(`id: main
type: messaging
start: compose
nodes:
  compose:
    templating.handlebars: { text: "hello" }
    routing:
      - to: answer
  answer:
    emit.response:
      messages:
        - message: { text: "{{prev.text}}" }
    routing:
      - out: true
`)]);
    const asked: string[] = [];
    const outcome = await harness.engine.runTurn({
      catalog: harness.catalog,
      flowId: 'main',
      input: message({ text: 'x' }),
      scope,
      admitNode: (flowId, nodeId) => {
        asked.push(`${flowId}/${nodeId}`);
        return nodeId === 'answer' ? 'answer is closed to you' : null;
      },
    });
    expect(asked).toEqual(['main/compose', 'main/answer']);
    expect(outcome.status).toBe('failed');
    if (outcome.status !== 'failed') return;
    expect(outcome.error).toMatchObject({ code: 'node_forbidden', message: 'answer is closed to you', nodeId: 'answer' });
  });
});
