import { describe, expect, it } from 'vitest';
import { appendStep, loadFlow } from '../../../src/shared/flow';

const flow = `# orders
id: orders
type: messaging
nodes:
  greet:
    emit.response:
      text: hi   # keep me
    routing: out
`;

describe('appendStep (palette drop, paste)', () => {
  it('appends an unconnected node at the end and leaves the rest byte for byte', () => {
    const result = appendStep(flow, 'log', { 'emit.log': { text: 'seen' }, routing: [{ to: 'greet' }] });
    expect(result).toMatchObject({ ok: true, nodeId: 'log' });
    if (!result.ok) return;
    expect(result.text.startsWith(flow)).toBe(true);
    const ir = loadFlow(result.text).ir;
    expect(ir?.nodes.map((n) => n.id)).toEqual(['greet', 'log']);
    expect(ir?.resolvedStart).toBe('greet');
  });

  it('refuses a taken id, a missing op key, a bad id and a route to nowhere', () => {
    expect(appendStep(flow, 'greet', { 'emit.log': {} })).toMatchObject({ ok: false, code: 'NODE_EXISTS' });
    expect(appendStep(flow, 'x', { routing: 'out' })).toMatchObject({ ok: false, code: 'OPERATION_REQUIRED' });
    expect(appendStep(flow, '9x', { 'emit.log': {} })).toMatchObject({ ok: false, code: 'NODE_ID_INVALID' });
    expect(appendStep(flow, 'x', { 'emit.log': {}, routing: [{ to: 'nowhere' }] })).toMatchObject({ ok: false, code: 'NODE_MISSING' });
  });

  it('starts the nodes map of an empty flow', () => {
    const result = appendStep('id: e\ntype: messaging\nnodes: {}\n', 'first', { 'emit.log': {} });
    expect(result.ok && loadFlow(result.text).ir?.resolvedStart).toBe('first');
  });
});
