import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StudioService } from '../../../src/runtime/studio';
import { OverlayStateStore } from '../../../src/runtime/debug/overlay-state-store';
import { MemoryStateStore } from '../../../src/runtime/sessions/state-store';
import { openLocalChat } from '../../../src/runtime/chat/local-chat';
import { replayRecordedTurn } from '../../../src/runtime/debug/replay';
import { CHILD_FLOW, PARENT_FLOW } from './nested-flows';
import { sampleProjectCopy } from './support';

const FLOW = 'flows/main.ygtc';

/** The sample conversation up to the text tools: greet, name, menu submit, a sentence for the WASM component. */
async function sampleConversation() {
  const project = sampleProjectCopy();
  const service = new StudioService({ projectFolder: project, configDir: mkdtempSync(path.join(tmpdir(), 'studio-replay-config-')) });
  const { handlers } = service;
  await handlers.openProject({ path: project });
  const { conversationId } = await handlers.startConversation({ flowPath: FLOW });
  const turns = [
    await handlers.sendMessage({ conversationId, text: 'hi' }),
    await handlers.sendMessage({ conversationId, text: 'Ada' }),
    await handlers.sendMessage({ conversationId, submit: { action: 'text_tools' } }),
    await handlers.sendMessage({ conversationId, text: 'two words' }),
  ];
  return { handlers, conversationId, turnIds: turns.map((t) => t.turnId) };
}

describe('replaying a recorded turn from one of its nodes', () => {
  it('keeps every node of a turn with its resolved input and the state before it', async () => {
    const { handlers, conversationId, turnIds } = await sampleConversation();
    const recorded = await handlers.getRecordedTurn({ conversationId, turnId: turnIds[1] as string });
    expect(recorded.status).toBe('waiting');
    expect(recorded.steps.map((s) => [s.step, s.nodeId])).toEqual([
      [1, 'welcome'],
      [2, 'menu'],
    ]);
    const welcome = recorded.steps[0];
    expect(welcome?.input).toEqual({ messages: [{ type: 'text', text: 'Nice to meet you, Ada!' }] });
    expect((welcome?.state.input as { input: { text: string } }).input.text).toBe('Ada');
    expect(Object.keys(welcome?.state.nodes ?? {})).toEqual(['greet', 'say_hello', 'wait_for_name']);
    expect(welcome?.output).toEqual({ messages: [{ type: 'text', text: 'Nice to meet you, Ada!' }] });
    await expect(handlers.getRecordedTurn({ conversationId, turnId: 'no-such-turn' })).rejects.toThrow(/is not recorded/);
  });

  it('gives the recorded outputs again when nothing is edited, and touches no session or trace', async () => {
    const { handlers, conversationId, turnIds } = await sampleConversation();
    const session = await handlers.inspectSession({ conversationId });
    const trace = await handlers.getTrace({ conversationId });
    const replay = await handlers.replayTurn({ conversationId, turnId: turnIds[3] as string, step: 1 });
    expect(replay.from).toEqual({ step: 1, flowId: 'main', nodeId: 'count' });
    expect(replay.status).toBe('waiting');
    expect(replay.replies.same).toBe(true);
    expect(replay.nodes.map((n) => [n.nodeId, n.same])).toEqual([
      ['count', true],
      ['shout', true],
      ['shouted', true],
      ['menu', true],
    ]);
    expect(replay.replayTurnId).not.toBe(turnIds[3]);
    expect(replay.trace.every((e) => e.turnId === replay.replayTurnId)).toBe(true);
    expect(await handlers.inspectSession({ conversationId })).toEqual(session);
    expect(await handlers.getTrace({ conversationId })).toEqual(trace);
  });

  it('runs on an edited input and state and shows what differs from the recording', async () => {
    const { handlers, conversationId, turnIds } = await sampleConversation();
    const turnId = turnIds[3] as string;
    const recorded = await handlers.getRecordedTurn({ conversationId, turnId });
    const shout = recorded.steps.find((s) => s.nodeId === 'shout');
    expect(shout?.input).toEqual({ input: 'two words' });
    const replay = await handlers.replayTurn({ conversationId, turnId, step: shout?.step ?? 0, input: { input: 'three small words' } });
    expect(replay.edited).toEqual({ input: true, state: false });
    expect(replay.trace.find((e) => e.type === 'debug_edit')).toMatchObject({ nodeId: 'shout', edited: ['input'] });
    const [shouted, reply] = [replay.nodes.find((n) => n.nodeId === 'shout'), replay.nodes.find((n) => n.nodeId === 'shouted')];
    expect(shouted?.same).toBe(false);
    expect(shouted?.recorded?.output).toMatchObject({ text: 'TWO WORDS' });
    expect(shouted?.replayed?.output).toMatchObject({ text: 'THREE SMALL WORDS' });
    expect(shouted?.differences).toContainEqual({ path: '/output/text', kind: 'changed', recorded: 'TWO WORDS', replayed: 'THREE SMALL WORDS' });
    expect(reply?.same).toBe(false);
    expect(replay.replies.same).toBe(false);
    expect(replay.replies.replayed[0]).toEqual({ type: 'text', text: 'THREE SMALL WORDS! (words: 2, characters: 9)' });
    expect(replay.replies.differences.map((d) => d.path)).toEqual(['/0/text']);

    // An edited state: the welcome node of turn 2 reads the message from state.input.
    const welcomeTurn = await handlers.getRecordedTurn({ conversationId, turnId: turnIds[1] as string });
    const input = welcomeTurn.steps[0]?.state.input as { input: Record<string, unknown> };
    const renamed = await handlers.replayTurn({
      conversationId,
      turnId: turnIds[1] as string,
      step: 1,
      state: { input: { ...input, input: { ...input.input, text: 'Grace' } }, vars: { mood: 'happy' } },
    });
    expect(renamed.edited).toEqual({ input: false, state: true });
    expect(renamed.trace.find((e) => e.type === 'debug_edit')).toMatchObject({ nodeId: 'welcome', edited: ['state'] });
    expect(renamed.nodes.map((n) => [n.nodeId, n.same])).toEqual([
      ['welcome', false],
      ['menu', true],
    ]);
    expect(renamed.replies.replayed[0]).toEqual({ type: 'text', text: 'Nice to meet you, Grace!' });
    expect(renamed.nodes[0]?.differences).toEqual([
      { path: '/output/messages/0/text', kind: 'changed', recorded: 'Nice to meet you, Ada!', replayed: 'Nice to meet you, Grace!' },
    ]);
    await expect(handlers.replayTurn({ conversationId, turnId: turnIds[1] as string, step: 9 })).rejects.toThrow(/has no node execution 9: it ran 2 nodes/);
  });

  it('follows a card submit again from the node the submit resumed', async () => {
    const { handlers, conversationId, turnIds } = await sampleConversation();
    const replay = await handlers.replayTurn({ conversationId, turnId: turnIds[2] as string, step: 1 });
    expect(replay.nodes.map((n) => [n.nodeId, n.same])).toEqual([
      ['menu', true],
      ['text_tools', true],
      ['wait_for_text', true],
    ]);
    expect(replay.replies.same).toBe(true);
  });
});

describe('replaying from a node inside a called flow', () => {
  it('runs the rest of the called flow, then the caller from its flow.call node to the end of the turn', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'replay-nested-'));
    writeFileSync(path.join(folder, 'parent.ygtc'), PARENT_FLOW);
    writeFileSync(path.join(folder, 'child.ygtc'), CHILD_FLOW);
    const chat = await openLocalChat(path.join(folder, 'parent.ygtc'));
    try {
      const info = await chat.runtime.start({ flowPath: 'parent.ygtc', debuggable: true });
      const { turnId } = await chat.runtime.send(info.conversationId, { text: 'go' });
      const recorded = chat.debugger.recorded(info.conversationId, turnId);
      expect(recorded.steps.map((s) => `${s.flowId}/${s.nodeId}`)).toEqual(['parent/first', 'parent/call', 'child/work', 'child/more', 'parent/after']);
      const work = recorded.steps.find((s) => s.nodeId === 'work');

      const same = await replayRecordedTurn(chat.runtime, undefined, { recorded, step: work?.step ?? 0 });
      expect(same.status).toBe('completed');
      expect(same.nodes.map((n) => [`${n.flowId}/${n.nodeId}`, n.same])).toEqual([
        ['child/work', true],
        ['child/more', true],
        ['parent/call', true],
        ['parent/after', true],
      ]);
      expect(same.replies.same).toBe(true);

      const edited = await replayRecordedTurn(chat.runtime, undefined, { recorded, step: work?.step ?? 0, input: { text: 'child edited' } });
      expect(edited.replies.replayed).toEqual([{ type: 'text', text: 'after more child edited / one go' }]);
      expect(edited.nodes.find((n) => n.nodeId === 'call')?.differences).toEqual([
        { path: '/output/text', kind: 'changed', recorded: 'more child 7', replayed: 'more child edited' },
      ]);
      expect(edited.trace.filter((e) => e.type === 'node_start').map((e) => (e as { nodeId: string }).nodeId)).toEqual(['work', 'more', 'after']);
    } finally {
      await chat.close();
    }
  });
});

describe('the flow state a replay writes', () => {
  it('reads the studio state, keeps its own writes and deletes to itself', async () => {
    const base = new MemoryStateStore();
    const scope = { env: 'local', tenant: 'acme' };
    await base.set(scope, 'count', 1);
    await base.set(scope, 'gone', true);
    const overlay = new OverlayStateStore(base);
    expect(await overlay.get(scope, 'count')).toEqual({ found: true, value: 1 });
    await overlay.set(scope, 'count', 2);
    await overlay.delete(scope, 'gone');
    expect(await overlay.get(scope, 'count')).toEqual({ found: true, value: 2 });
    expect(await overlay.get(scope, 'gone')).toEqual({ found: false, value: null });
    expect(await base.get(scope, 'count')).toEqual({ found: true, value: 1 });
    expect(await base.get(scope, 'gone')).toEqual({ found: true, value: true });
  });
});
