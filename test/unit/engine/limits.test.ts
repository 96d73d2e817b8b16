import { describe, expect, it } from 'vitest';
import type { ComponentHost, ComponentInvocation } from '../../../src/runtime/components/host';
import { MAX_TEMPLATE_NESTING, RenderBudget } from '../../../src/runtime/engine/template-budget';
import { renderMapping } from '../../../src/runtime/engine/templating';
import { Harness, flow } from './support';

const nestedIfs = (depth: number) => `${'{{#if entry}}'.repeat(depth)}deep${'{{/if}}'.repeat(depth)}`;

function templateFlow(template: string) {
  return flow(`id: tpl
type: messaging
nodes:
  say:
    templating.handlebars: { text: ${JSON.stringify(template)} }
    routing: out
`);
}

async function failure(harness: Harness, text = 'x') {
  const outcome = await harness.say(text);
  if (outcome.status !== 'failed') throw new Error(`expected a failed turn, got ${outcome.status}`);
  return outcome.error;
}

describe('bounded template work per node', () => {
  it('refuses 20,000 nested blocks before parsing them, and any nesting past the limit', async () => {
    expect(await failure(new Harness([templateFlow(nestedIfs(20_000))]))).toMatchObject({ code: 'template_too_large', nodeId: 'say' });
    const tooDeep = await failure(new Harness([templateFlow(nestedIfs(MAX_TEMPLATE_NESTING + 1))]));
    expect(tooDeep.code).toBe('template_too_large');
    expect(tooDeep.message).toContain(`nested ${MAX_TEMPLATE_NESTING + 1} deep`);
    const fine = await new Harness([templateFlow(nestedIfs(MAX_TEMPLATE_NESTING))]).say('x');
    expect(fine.status).toBe('completed');
    expect(JSON.stringify(fine.replies)).toContain('deep');
  });

  it('stops a render that loops past its time, with template_timeout', async () => {
    const list = Array.from({ length: 400 }, (_, i) => i);
    const quadrupleLoop = '{{#each l}}{{#each ../l}}{{#each ../../l}}{{#each ../../../l}}{{/each}}{{/each}}{{/each}}{{/each}}';
    expect(() => renderMapping({ text: quadrupleLoop }, { l: list }, new RenderBudget(performance.now() + 50, 50))).toThrow(/template_timeout: .* within 50 ms/);
    // Through the engine, with the node's own budget (a second).
    const looping = flow(`id: spin
type: messaging
nodes:
  list:
    var.set: { name: l, value: ${JSON.stringify(list)} }
    routing: [{ to: say }]
  say:
    templating.handlebars: { text: ${JSON.stringify(quadrupleLoop.replace(/\{\{#each (\.\.\/)*l\}\}/g, '{{#each @root.state.vars.l}}'))} }
    routing: out
`);
    const error = await failure(new Harness([looping]));
    expect(error).toMatchObject({ code: 'template_timeout', nodeId: 'say' });
    expect(error.message).toContain('did not finish rendering within 1000 ms');
  });

  it('stops a render whose output grows past its bound, with template_too_large', () => {
    const list = Array.from({ length: 100 }, (_, i) => i);
    const blowUp = `{{#each l}}{{#each ../l}}{{#each ../../l}}{{#each ../../../l}}${'0123456789'.repeat(100)}{{/each}}{{/each}}{{/each}}{{/each}}`;
    // A time budget no busy machine runs out of, so that the size bound is what stops the render.
    const unhurried = new RenderBudget(performance.now() + 60_000, 60_000);
    expect(() => renderMapping({ text: blowUp }, { l: list }, unhurried)).toThrow(/template_too_large/);
    expect(renderMapping({ text: '{{#each l}}{{this}}{{/each}}' }, { l: [1, 2, 3] })).toEqual({ text: '123' });
  });
});

/** A component that answers after `delayMs`, or never when it is null, until its call is aborted. */
class SlowHost implements ComponentHost {
  readonly calls: ComponentInvocation[] = [];
  constructor(private readonly delayMs: number | null) {}
  supports(componentId: string): boolean {
    return componentId === 'slow';
  }
  invoke(invocation: ComponentInvocation) {
    this.calls.push(invocation);
    return new Promise<Awaited<ReturnType<ComponentHost['invoke']>>>((resolve) => {
      const timer = this.delayMs === null ? undefined : setTimeout(() => resolve({ ok: true, output: { done: true } }), this.delayMs);
      invocation.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve({ ok: false, error: { code: 'component_cancelled', message: 'the call was cancelled', retryable: false } });
      });
    });
  }
}

describe('the wall time of a turn', () => {
  it('stops a component that never answers at the turn deadline, without taking its error route', async () => {
    const host = new SlowHost(null);
    const waiting = flow(`id: wait
type: messaging
nodes:
  call:
    slow.run: {}
    routing:
      - status: error
        to: oops
  oops:
    emit.response: { text: handled }
    routing: out
`);
    const error = await failure(new Harness([waiting], { extraHosts: [host], turnWallTimeMs: 150 }));
    expect(error).toMatchObject({ code: 'turn_timeout', nodeId: 'call' });
    expect(error.message).toContain('wall-time limit of 150 ms');
    const call = host.calls[0];
    expect(call?.signal.aborted).toBe(true);
    expect(call?.ctx.deadlineMs).toBeGreaterThan(Date.now() - 60_000);
  });

  it('ends a loop of quick steps when the turn runs out of time, before the step limit', async () => {
    const host = new SlowHost(20);
    const loop = flow(`id: loop
type: messaging
nodes:
  call:
    slow.run: {}
    routing:
      - to: call
`);
    const harness = new Harness([loop], { extraHosts: [host], turnWallTimeMs: 200, stepLimit: 1_000_000 });
    expect(await failure(harness)).toMatchObject({ code: 'turn_timeout' });
    expect(host.calls.length).toBeGreaterThan(1);
    expect(harness.trace.at(-1)).toMatchObject({ type: 'turn_end', status: 'failed', error: { code: 'turn_timeout' } });
  });

  it('refuses a wall time that is not a positive number, and keeps one past the timer range from overflowing', async () => {
    expect(() => new Harness([templateFlow('hi')], { turnWallTimeMs: 0 })).toThrow(/positive number of milliseconds/);
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const outcome = await new Harness([templateFlow('hi')], { turnWallTimeMs: 2 ** 40 }).say('x');
      expect(outcome.status).toBe('completed');
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('TimeoutOverflowWarning');
  });
});
