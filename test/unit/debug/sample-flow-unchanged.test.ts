import { describe, expect, it } from 'vitest';
import type { FlowBreakpoints, PausedTurn, TraceEvent, TurnResult } from '../../../src/shared/api';
import { openLocalChat, type LocalChat } from '../../../src/runtime/chat/local-chat';
import type { InboundMessage } from '../../../src/runtime/chat/envelope';
import { EventBus } from '../../../src/runtime/events';
import { Pauses, comparableTrace, sampleProjectCopy } from './support';

const FLOW = 'flows/main.ygtc';
/** Every path of the sample: greeting, name, each menu choice, the WASM text tools. */
const MESSAGES: InboundMessage[] = [
  { text: 'hi' },
  { text: 'Ada' },
  { submit: { action: 'text_tools' } },
  { text: 'count these words' },
  { submit: { action: 'about' } },
  { text: 'again' },
  { text: 'Bo' },
  { submit: { action: 'help' } },
];

async function converse(chat: LocalChat, debuggable: boolean, trace: TraceEvent[]): Promise<TurnResult[]> {
  const info = await chat.runtime.start({ flowPath: FLOW, provider: 'studio', conversationId: 'same-conversation', debuggable });
  const results: TurnResult[] = [];
  for (const [index, message] of MESSAGES.entries()) results.push(await chat.runtime.send(info.conversationId, { ...message, id: `m-${index}` }));
  trace.push(...chat.runtime.trace(info.conversationId));
  await chat.runtime.end(info.conversationId);
  return results;
}

describe('a breakpoint on every node of the sample flow, answered with Continue', () => {
  it('gives the same replies and the same trace, pausing once per node run', async () => {
    const events = new EventBus();
    const pauses = new Pauses();
    const everyNode: FlowBreakpoints = { flowPath: FLOW, breakOnError: true, breakpoints: [] };
    const chat = await openLocalChat(sampleProjectCopy(), { events, breakpoints: { forFlow: async (flowPath) => (flowPath === FLOW ? everyNode : { flowPath, breakpoints: [], breakOnError: false }) } });
    try {
      everyNode.breakpoints = (await chat.flows.byPath(FLOW)).nodes.map((n) => ({ nodeId: n.id }));
      expect(everyNode.breakpoints.length).toBeGreaterThan(10);
      events.subscribe((name, payload) => {
        if (name !== 'debugPaused') return;
        pauses.push(payload as PausedTurn);
        chat.debugger.command((payload as PausedTurn).conversationId, 'continue', (payload as PausedTurn).pauseId);
      });
      const plainTrace: TraceEvent[] = [];
      const plain = await converse(chat, false, plainTrace);
      expect(pauses.all).toHaveLength(0);
      const debuggedTrace: TraceEvent[] = [];
      const debugged = await converse(chat, true, debuggedTrace);

      expect(plain.map((r) => r.status)).not.toContain('failed');
      expect(debugged.map((r) => [r.status, r.replies, r.parked])).toEqual(plain.map((r) => [r.status, r.replies, r.parked]));
      expect(comparableTrace(debuggedTrace)).toEqual(comparableTrace(plainTrace));
      const nodeRuns = plainTrace.filter((e) => e.type === 'node_start');
      expect(pauses.all.map((p) => p.nodeId)).toEqual(nodeRuns.map((e) => (e as { nodeId: string }).nodeId));
      expect(new Set(pauses.all.map((p) => p.nodeId)).size).toBe(everyNode.breakpoints.length);
    } finally {
      await chat.close();
    }
  });
});
