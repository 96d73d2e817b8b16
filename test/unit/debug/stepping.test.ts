import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../src/shared/api';
import { flow, texts } from '../engine/support';
import { CHILD_FLOW, PARENT_FLOW } from './nested-flows';
import { CONVERSATION, DebugHarness } from './support';

const parent = flow(PARENT_FLOW);
const child = flow(CHILD_FLOW);

const at = (p: { flowId: string; nodeId: string }) => `${p.flowId}/${p.nodeId}`;

function harness(breakpoints: Record<string, string[]> = { parent: ['first'] }) {
  return new DebugHarness(
    [parent, child],
    Object.fromEntries(Object.entries(breakpoints).map(([flowId, nodes]) => [flowId, { breakpoints: nodes.map((nodeId) => ({ nodeId })) }])),
  );
}

describe('stepping through a turn', () => {
  it('pauses before the node with its input rendered, the flow state and the call stack', async () => {
    const h = harness();
    const turn = h.say('go');
    const paused = await h.pauses.next();
    expect(paused).toMatchObject({ conversationId: CONVERSATION, flowId: 'parent', flowPath: 'parent.ygtc', nodeId: 'first', step: 1, reason: 'breakpoint' });
    expect(paused.component).toBe('templating.handlebars');
    expect(paused.input).toEqual({ text: 'one go' });
    expect((paused.state.entry as { input: { text: string } }).input.text).toBe('go');
    expect(paused.state.nodes).toEqual({});
    expect(paused.callStack).toEqual([{ flowId: 'parent', flowPath: 'parent.ygtc', nodeId: 'first' }]);
    expect(paused.timeoutAt - paused.pausedAt).toBe(60_000);
    // Nothing of the node has run while it is paused.
    expect(h.trace.some((e) => e.type === 'node_start')).toBe(false);
    expect(h.debugger.paused(CONVERSATION)?.pauseId).toBe(paused.pauseId);
    h.debugger.command(CONVERSATION, 'continue');
    expect(texts(await turn)).toEqual(['after more child 7 / one go']);
    expect(h.debugger.paused(CONVERSATION)).toBeNull();
  });

  it('steps over a flow.call as one node, and into it on request', async () => {
    const h = harness();
    const turn = h.say('go');
    await h.pauses.next();
    h.debugger.command(CONVERSATION, 'stepOver');
    const call = await h.pauses.next();
    expect([at(call), call.reason, call.state.nodes.first?.payload]).toEqual(['parent/call', 'step', { text: 'one go' }]);
    h.debugger.command(CONVERSATION, 'stepOver');
    const after = await h.pauses.next();
    expect(at(after)).toBe('parent/after');
    expect(after.state.nodes.call?.payload).toEqual({ text: 'more child 7' });
    h.debugger.command(CONVERSATION, 'stepOver');
    await turn;
    expect(h.pauses.all.map(at)).toEqual(['parent/first', 'parent/call', 'parent/after']);

    const into = harness({ parent: ['call'] });
    const second = into.say('go');
    await into.pauses.next();
    into.debugger.command(CONVERSATION, 'stepInto');
    const work = await into.pauses.next();
    expect(at(work)).toBe('child/work');
    expect(work.input).toEqual({ text: 'child 7' });
    expect(work.callStack.map((f) => `${f.flowId}/${f.nodeId}`)).toEqual(['parent/call', 'child/work']);
    expect(work.state.entry).toEqual({ n: 7 });
    into.debugger.command(CONVERSATION, 'stepOver');
    expect(at(await into.pauses.next())).toBe('child/more');
    into.debugger.command(CONVERSATION, 'stepOut');
    const back = await into.pauses.next();
    expect([at(back), back.callStack.length]).toEqual(['parent/after', 1]);
    into.debugger.command(CONVERSATION, 'stepOut');
    expect(texts(await second)).toEqual(['after more child 7 / one go']);
    expect(into.pauses.all.map(at)).toEqual(['parent/call', 'child/work', 'child/more', 'parent/after']);
  });

  it('stops at breakpoints inside a called flow while stepping over the call', async () => {
    const h = harness({ parent: ['call'], child: ['more'] });
    const turn = h.say('go');
    await h.pauses.next();
    h.debugger.command(CONVERSATION, 'stepOver');
    const more = await h.pauses.next();
    expect([at(more), more.reason]).toEqual(['child/more', 'breakpoint']);
    // Step over still means "the next node of the frame that was stepped": back in the parent.
    h.debugger.command(CONVERSATION, 'stepOut');
    expect(at(await h.pauses.next())).toBe('parent/after');
    h.debugger.command(CONVERSATION, 'continue');
    await turn;
  });

  it('runs to a chosen node from a pause, or in the next turn when not paused', async () => {
    const h = harness();
    const turn = h.say('go');
    await h.pauses.next();
    h.debugger.runToHere(CONVERSATION, { nodeId: 'more', flowPath: 'child.ygtc' }, 'parent.ygtc');
    const more = await h.pauses.next();
    expect([at(more), more.reason]).toEqual(['child/more', 'run_to_here']);
    h.debugger.command(CONVERSATION, 'continue');
    await turn;

    const armed = harness({});
    armed.debugger.runToHere(CONVERSATION, { nodeId: 'after' }, 'parent.ygtc');
    const next = armed.say('go');
    const after = await armed.pauses.next();
    expect([at(after), after.reason]).toEqual(['parent/after', 'run_to_here']);
    armed.debugger.command(CONVERSATION, 'continue');
    await next;
    // Used up: the turn after runs straight through.
    expect((await armed.say('again')).status).toBe('completed');
    expect(armed.pauses.all).toHaveLength(1);
  });

  it('uses a breakpoint set while paused from the next node on', async () => {
    const h = harness();
    const turn = h.say('go');
    await h.pauses.next();
    h.setBreakpoints({ parent: { breakpoints: [{ nodeId: 'first' }, { nodeId: 'after' }] } });
    await h.debugger.breakpointsChanged('parent.ygtc');
    h.debugger.command(CONVERSATION, 'continue');
    const after = await h.pauses.next();
    expect([at(after), after.reason]).toEqual(['parent/after', 'breakpoint']);
    h.debugger.command(CONVERSATION, 'continue');
    await turn;
  });

  it('refuses commands when nothing is paused, and a command for an older pause', async () => {
    const h = harness();
    expect(() => h.debugger.command(CONVERSATION, 'continue')).toThrow(StudioError);
    expect(() => h.debugger.command(CONVERSATION, 'continue')).toThrow(/is not paused in the debugger/);
    const turn = h.say('go');
    const first = await h.pauses.next();
    h.debugger.command(CONVERSATION, 'stepOver', first.pauseId);
    const second = await h.pauses.next();
    expect(() => h.debugger.command(CONVERSATION, 'stepOver', first.pauseId)).toThrow(/has paused again since/);
    h.debugger.command(CONVERSATION, 'continue', second.pauseId);
    await turn;
  });
});

describe('Stop and the paused-turn timeout', () => {
  it('ends the turn at Stop with a debug_stop trace entry and no reply', async () => {
    const h = harness({ parent: ['after'] });
    const turn = h.say('go');
    await h.pauses.next();
    h.debugger.command(CONVERSATION, 'stop');
    const outcome = await turn;
    expect(outcome.status).toBe('failed');
    if (outcome.status !== 'failed') return;
    expect(outcome.error.code).toBe('debug_stopped');
    expect(outcome.error.message).toBe('stopped in the debugger at node after (flow parent); the session is as it was before the turn');
    expect(outcome.replies).toEqual([]);
    const stop = h.trace.find((e) => e.type === 'debug_stop');
    expect(stop).toMatchObject({ type: 'debug_stop', flowId: 'parent', nodeId: 'after', reason: 'stopped' });
    expect(h.trace.at(-1)).toMatchObject({ type: 'turn_end', status: 'failed', error: { code: 'debug_stopped', nodeId: 'after' } });
    // `after` never ran.
    expect(h.trace.filter((e) => e.type === 'node_start').map((e) => (e as { nodeId: string }).nodeId)).toEqual(['first', 'call', 'work', 'more']);
  });

  it('ends a turn left paused past the configured time with a clear message', async () => {
    const h = new DebugHarness([parent, child], { child: { breakpoints: [{ nodeId: 'more' }] } }, { turnWallTimeMs: 150 });
    h.settings = { pausedTurnTimeoutMs: 400 };
    const started = performance.now();
    const outcome = await h.say('go');
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect(outcome.status).toBe('failed');
    if (outcome.status !== 'failed') return;
    // The paused time is not the turn's: its own 150 ms wall time did not run out while it waited.
    expect(outcome.error.code).toBe('debug_timeout');
    expect(outcome.error.message).toBe(
      'the turn stayed paused at node more (flow child) for longer than 400 ms and was ended; the session is as it was before the turn',
    );
    expect(texts(outcome)[0]).toContain('card:');
    expect(JSON.stringify(outcome.replies)).toContain('for longer than 400 ms');
    expect(h.trace.find((e) => e.type === 'debug_stop')).toMatchObject({ reason: 'timeout', nodeId: 'more', flowId: 'child' });
    expect(h.resumed).toEqual(['timeout']);
    expect(h.debugger.paused(CONVERSATION)).toBeNull();
  });

  it('does not count paused time against the turn wall time once it goes on', async () => {
    const h = new DebugHarness([parent, child], { parent: { breakpoints: [{ nodeId: 'call' }] } }, { turnWallTimeMs: 200 });
    const turn = h.say('go');
    await h.pauses.next();
    const since = performance.now();
    await expect.poll(() => performance.now() - since, { interval: 50, timeout: 5000 }).toBeGreaterThan(400);
    h.debugger.command(CONVERSATION, 'continue');
    expect((await turn).status).toBe('completed');
  });
});
