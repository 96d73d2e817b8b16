import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChatHost } from '../../../src/runtime/chat/chat-host';
import { EventBus } from '../../../src/runtime/events';
import { Project } from '../../../src/runtime/project/project';

function echoProject(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'trace-retention-'));
  mkdirSync(path.join(root, 'flows'));
  writeFileSync(path.join(root, 'flows', 'echo.ygtc'), 'id: echo\ntype: messaging\nnodes:\n  echo:\n    templating.handlebars:\n      text: "echo {{in.input.text}}"\n');
  return root;
}

describe('trace kept per conversation', () => {
  it('keeps the bounded trace by default, none or a few events when the channel asks, and pushes events live unless told not to', async () => {
    const events = new EventBus();
    const pushed = new Map<string, number>();
    events.subscribe((name, payload) => {
      if (name === 'trace') {
        const { conversationId } = payload as { conversationId: string };
        pushed.set(conversationId, (pushed.get(conversationId) ?? 0) + 1);
      }
    });
    const root = echoProject();
    const { runtime } = await new ChatHost({ projects: { require: () => Project.open(root) }, events }).project();
    const kept = await runtime.start();
    const none = await runtime.start({ traceLimit: 0 });
    const few = await runtime.start({ traceLimit: 4 });
    const quiet = await runtime.start({ traceLimit: 0, liveEvents: false });
    for (let i = 0; i < 5; i += 1) {
      for (const { conversationId } of [kept, none, few, quiet]) await runtime.send(conversationId, { text: `m${i}` });
    }
    const perTurn = runtime.trace(kept.conversationId).length / 5;
    expect(perTurn).toBeGreaterThanOrEqual(4);
    expect(runtime.trace(none.conversationId)).toEqual([]);
    const recent = runtime.trace(few.conversationId);
    expect(recent.length).toBeGreaterThanOrEqual(4);
    expect(recent.length).toBeLessThanOrEqual(5);
    expect(recent.at(-1)).toMatchObject({ type: 'turn_end' });
    for (const { conversationId } of [kept, none, few]) expect(pushed.get(conversationId)).toBe(perTurn * 5);
    expect(pushed.has(quiet.conversationId)).toBe(false);
    expect(runtime.trace(quiet.conversationId)).toEqual([]);
    expect((await runtime.send(quiet.conversationId, { text: 'still answers' })).replies).toEqual([{ type: 'text', text: 'echo still answers' }]);
  });
});
