import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileFlow } from '../../../src/shared/flow';
import type { InboundMessage } from '../../../src/runtime/chat/envelope';
import { message } from '../engine/support';
import { conformancePath, hasConformance, loadExpectations } from '../../support/conformance';
import { DebugHarness, comparableTrace, everyNode } from './support';

/** The turns each flow gets: a first message, a second one (resuming a parked flow) and a card submit. */
const TURNS: InboundMessage[] = [{ text: 'hi' }, { text: 'Ada' }, { submit: { action: 'about' } }];

describe.skipIf(!hasConformance)('a breakpoint on every node, answered with Continue, changes nothing', () => {
  const valid = hasConformance ? loadExpectations().flows.filter((e) => e.valid) : [];

  it('has conformance flows to run', () => {
    expect(valid.length).toBeGreaterThan(5);
  });

  for (const expectation of valid) {
    it(`${expectation.file}: same replies, same trace, one pause per node run`, async () => {
      const compiled = compileFlow(readFileSync(conformancePath(expectation.file), 'utf8')).flow;
      if (!compiled) throw new Error(`${expectation.file} does not compile`);
      const plain = new DebugHarness([compiled]);
      const debugged = new DebugHarness([compiled], everyNode(compiled));
      debugged.continueAlways();
      for (const turn of TURNS) {
        const input = message(turn);
        const [a, b] = [await plain.run(input, { debug: false }), await debugged.run(input)];
        expect(b.status).toBe(a.status);
        expect(b.replies).toEqual(a.replies);
      }
      expect(comparableTrace(debugged.trace)).toEqual(comparableTrace(plain.trace));
      const nodeRuns = plain.trace.filter((e) => e.type === 'node_start').length;
      expect(nodeRuns).toBeGreaterThan(0);
      expect(debugged.pauses.all).toHaveLength(nodeRuns);
      expect(debugged.resumed.every((c) => c === 'continue')).toBe(true);
    });
  }
});
