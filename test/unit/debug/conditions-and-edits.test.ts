import { describe, expect, it } from 'vitest';
import { flow, texts } from '../engine/support';
import type { ComponentHost } from '../../../src/runtime/components/host';
import { CONVERSATION, DebugHarness } from './support';

/** The CRM component, failing every call. */
const crmDown: ComponentHost = {
  supports: (id) => id === 'acme.crm',
  invoke: async () => ({ ok: false, error: { code: 'crm_down', message: 'the CRM is down', retryable: false } }),
};

const greet = flow(`id: greet
type: messaging
nodes:
  shape:
    templating.handlebars: { text: "Hello {{in.input.text}}" }
    routing: [{ to: answer }]
  answer:
    templating.handlebars: { text: "{{node.shape.text}}, tier {{state.vars.tier}}" }
    routing: out
parameters:
  vars_init: { tier: gold }
`);

const failing = flow(`id: failing
type: messaging
nodes:
  ask:
    acme.crm.lookup: { who: "{{in.input.text}}" }
    routing:
      - status: error
        to: apologise
  apologise:
    templating.handlebars: { text: "sorry" }
    routing: out
`);

describe('breakpoint conditions and hit counts', () => {
  it('pauses only when the §5.3 condition holds in the node context', async () => {
    const h = new DebugHarness([greet], {
      greet: { breakpoints: [{ nodeId: 'shape', condition: 'entry.input.text == "Ada"' }, { nodeId: 'answer', condition: 'text == "Hello ada, tier gold"' }] },
    });
    h.continueAlways();
    await h.say('Bob');
    expect(h.pauses.all).toHaveLength(0);
    await h.say('ada'); // values compare case-insensitively, as routing does
    expect(h.pauses.all.map((p) => p.nodeId)).toEqual(['shape', 'answer']);
  });

  it('sees the resolved input, earlier outputs and variables', async () => {
    const h = new DebugHarness([greet], {
      greet: { breakpoints: [{ nodeId: 'answer', condition: 'node.shape.text == "Hello Cy"' }, { nodeId: 'shape', condition: 'vars.tier == silver' }] },
    });
    h.continueAlways();
    await h.say('Cy');
    await h.say('Di');
    expect(h.pauses.all.map((p) => `${p.nodeId}:${(p.input as { text: string }).text}`)).toEqual(['answer:Hello Cy, tier gold']);
  });

  it('pauses from the n-th hit on, hits counted only when the condition holds', async () => {
    const h = new DebugHarness([greet], { greet: { breakpoints: [{ nodeId: 'shape', hitCount: 2, condition: 'entry.input.text != skip' }] } });
    h.continueAlways();
    for (const text of ['one', 'skip', 'two', 'three']) await h.say(text);
    expect(h.pauses.all.map((p) => (p.state.entry as { input: { text: string } }).input.text)).toEqual(['two', 'three']);
    // Changed breakpoints count again from the start.
    await h.debugger.breakpointsChanged('greet.ygtc');
    await h.say('four');
    expect(h.pauses.all).toHaveLength(2);
  });

  it('keeps a disabled breakpoint without pausing', async () => {
    const h = new DebugHarness([greet], { greet: { breakpoints: [{ nodeId: 'shape', enabled: false }] } });
    expect((await h.say('x')).status).toBe('completed');
    expect(h.pauses.all).toHaveLength(0);
  });
});

describe('edit and continue', () => {
  it('runs the node with an edited input and marks the edit in the trace', async () => {
    const h = new DebugHarness([greet], { greet: { breakpoints: [{ nodeId: 'answer' }] } });
    const turn = h.say('Ada');
    const paused = await h.pauses.next();
    const edited = h.debugger.edit(CONVERSATION, { input: { text: 'Edited reply' } }, paused.pauseId);
    expect(edited.input).toEqual({ text: 'Edited reply' });
    expect(edited.edited).toEqual({ input: true, state: false });
    expect(edited.pauseId).toBe(paused.pauseId);
    h.debugger.command(CONVERSATION, 'continue');
    expect(texts(await turn)).toEqual(['Edited reply']);
    const types = h.trace.map((e) => e.type);
    expect(types.indexOf('debug_edit')).toBe(types.lastIndexOf('node_start') - 1);
    expect(h.trace.find((e) => e.type === 'debug_edit')).toMatchObject({ nodeId: 'answer', edited: ['input'] });
    expect(h.trace.findLast((e) => e.type === 'node_start')).toMatchObject({ nodeId: 'answer', input: { text: 'Edited reply' } });
  });

  it('runs the rest of the turn on an edited flow state', async () => {
    const h = new DebugHarness([greet], { greet: { breakpoints: [{ nodeId: 'shape' }] } });
    const turn = h.say('Ada');
    const paused = await h.pauses.next();
    h.debugger.edit(CONVERSATION, { state: { vars: { tier: 'platinum' } } });
    const again = h.debugger.edit(CONVERSATION, { input: { text: 'Hi Ada' } });
    expect(again.edited).toEqual({ input: true, state: true });
    expect(again.state.vars).toEqual({ tier: 'platinum' });
    expect(again.state.entry).toEqual(paused.state.entry);
    h.debugger.command(CONVERSATION, 'continue');
    expect(texts(await turn)).toEqual(['Hi Ada, tier platinum']);
    expect(h.trace.find((e) => e.type === 'debug_edit')).toMatchObject({ nodeId: 'shape', edited: ['input', 'state'] });
  });

  it('lets an edit of earlier outputs reach later templates, leaving the paused input as shown', async () => {
    const chain = flow(`id: chain
type: messaging
nodes:
  a:
    templating.handlebars: { text: "A" }
    routing: [{ to: b }]
  b:
    templating.handlebars: { text: "{{node.a.text}}-b" }
    routing: [{ to: c }]
  c:
    templating.handlebars: { text: "{{node.a.text}}/{{node.b.text}}" }
    routing: out
`);
    const h = new DebugHarness([chain], { chain: { breakpoints: [{ nodeId: 'b' }] } });
    const turn = h.say('go');
    const paused = await h.pauses.next();
    expect(paused.state.nodes.a?.payload).toEqual({ text: 'A' });
    h.debugger.edit(CONVERSATION, { state: { nodes: { a: { ok: true, payload: { text: 'Z' }, meta: null } } } });
    h.debugger.command(CONVERSATION, 'continue');
    expect(texts(await turn)).toEqual(['Z/A-b']);
  });
});

describe('break on error', () => {
  it('pauses at a failed node with the error, before its error route; edits are refused there', async () => {
    const h = new DebugHarness([failing], { failing: { breakpoints: [], breakOnError: true } }, { extraHosts: [crmDown] });
    const turn = h.say('Ada');
    const paused = await h.pauses.next();
    expect(paused).toMatchObject({ nodeId: 'ask', reason: 'error', input: { who: 'Ada' }, component: 'acme.crm.lookup' });
    expect(paused.error).toEqual({ code: 'crm_down', message: 'component acme.crm failed: crm_down: the CRM is down' });
    expect(h.trace.some((e) => e.type === 'route')).toBe(false);
    expect(() => h.debugger.edit(CONVERSATION, { input: {} })).toThrow(/has already failed/);
    h.debugger.command(CONVERSATION, 'continue');
    expect(texts(await turn)).toEqual(['sorry']);
    expect(h.pauses.all).toHaveLength(1);
  });

  it('pauses at a node that cannot run at all, before the turn fails', async () => {
    const h = new DebugHarness([failing], { failing: { breakpoints: [], breakOnError: true } });
    const turn = h.say('Ada');
    const paused = await h.pauses.next();
    expect([paused.reason, paused.error?.code]).toEqual(['error', 'component_unavailable']);
    h.debugger.command(CONVERSATION, 'continue');
    const outcome = await turn;
    expect(outcome.status === 'failed' && outcome.error.code).toBe('component_unavailable');
  });

  it('does not pause at failures without break on error, and stops at one on Stop', async () => {
    const quiet = new DebugHarness([failing]);
    expect((await quiet.say('x')).status).toBe('failed');
    expect(quiet.pauses.all).toHaveLength(0);

    const h = new DebugHarness([failing], { failing: { breakpoints: [], breakOnError: true } });
    const turn = h.say('x');
    await h.pauses.next();
    h.debugger.command(CONVERSATION, 'stop');
    const outcome = await turn;
    expect(outcome.status === 'failed' && outcome.error.code).toBe('debug_stopped');
    expect(h.trace.find((e) => e.type === 'debug_stop')).toMatchObject({ nodeId: 'ask', reason: 'stopped' });
  });
});
