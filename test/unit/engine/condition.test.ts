import { describe, expect, it } from 'vitest';
import { evaluateCondition, parseCondition, routingContext } from '../../../src/runtime/engine/condition';

const context = routingContext(
  { status: 'ok', score: 0.9, flags: { vip: true }, list: [1, 2] },
  { input: { text: 'Hello', metadata: { action: 'about', greentic_submit: 'true' } } },
  { input: { text: 'Hello', metadata: { action: 'about', greentic_submit: 'true' } } },
);

describe('routing conditions (runtime.md §5.3)', () => {
  it('compares text case-insensitively, with or without double quotes', () => {
    expect(evaluateCondition('response.action == "ABOUT"', context)).toBe(true);
    expect(evaluateCondition('response.action==about', context)).toBe(true);
    expect(evaluateCondition('status != "failed"', context)).toBe(true);
    expect(evaluateCondition('response.text == "hello"', context)).toBe(true);
  });

  it('stringifies numbers, booleans and JSON values', () => {
    expect(evaluateCondition('score == 0.9', context)).toBe(true);
    expect(evaluateCondition('flags.vip == TRUE', context)).toBe(true);
    expect(evaluateCondition('list == [1,2]', context)).toBe(true);
  });

  it('treats a missing path as not equal', () => {
    expect(evaluateCondition('response.nothing == ""', context)).toBe(false);
    expect(evaluateCondition('response.nothing != "x"', context)).toBe(true);
  });

  it('evaluates every other operator or shape as false', () => {
    expect(evaluateCondition('score >= 0.8', context)).toBe(false);
    expect(evaluateCondition('status', context)).toBe(false);
    expect(evaluateCondition("response.action == 'about'", context)).toBe(false);
    expect(evaluateCondition('== "x"', context)).toBe(false);
    expect(parseCondition('a && b')).toBeNull();
  });

  it('exposes entry and in beside the output fields', () => {
    expect(evaluateCondition('entry.input.metadata.action == about', context)).toBe(true);
    expect(evaluateCondition('in.input.text == hello', context)).toBe(true);
  });
});
