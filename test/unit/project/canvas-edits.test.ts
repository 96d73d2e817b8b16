import { describe, expect, it } from 'vitest';
import { loadFlow, templatePathsFor } from '../../../src/shared/flow';
import { chain, connect, deleteNodes, freeNodeId, insertStep, nodesWithPredecessors, removeRoutes } from '../../../src/renderer/src/canvas/canvas-edits';
import { copyNodes, pasteNodes } from '../../../src/renderer/src/canvas/clipboard';
import { NEW_ROUTE_HANDLE } from '../../../src/renderer/src/canvas/route-handles';
import { findNodes } from '../../../src/renderer/src/find/search';
import { paletteItems, searchPalette } from '../../../src/renderer/src/catalog/palette-items';
import { contextAt } from '../../../src/renderer/src/yaml/flow-language';
import { pathBeingTyped } from '../../../src/renderer/src/yaml/template-completion';
import { minimalEdit } from '../../../src/renderer/src/yaml/text-diff';

const flow = `id: demo
type: messaging
start: a
nodes:
  a:
    emit.response:
      text: first
    routing:
      - to: b
  b:
    emit.log:
      text: second
    routing:
      - condition: in.x == "1"
        to: c
      - to: c
  c:
    session.wait: waiting
    routing: out
`;

const ir = () => loadFlow(flow).ir!;
const ok = (result: ReturnType<ReturnType<typeof connect>>) => {
  if (!result.ok) throw new Error(result.message);
  return result.text;
};
const routesOf = (text: string, id: string) => loadFlow(text).ir?.nodes.find((n) => n.id === id)?.routes.map((r) => r.to ?? r.kind);

describe('canvas gestures as edits', () => {
  it('connects from a route handle by retargeting it, from the new-route handle by adding one', () => {
    expect(routesOf(ok(connect('a', 'route-0', 'c')(flow)), 'a')).toEqual(['c']);
    expect(routesOf(ok(connect('a', NEW_ROUTE_HANDLE, 'c')(flow)), 'a')).toEqual(['b', 'c']);
  });

  it('removes several routes of one node in one step', () => {
    expect(routesOf(ok(removeRoutes([{ source: 'b', index: 0 }, { source: 'b', index: 1 }])(flow)), 'b')).toEqual([]);
  });

  it('deletes nodes by splicing or by removing the routes to them', () => {
    expect(nodesWithPredecessors(ir(), ['b'])).toEqual(['b']);
    expect(nodesWithPredecessors(ir(), ['a'])).toEqual([]);
    expect(routesOf(ok(deleteNodes(['b'], 'splice')(flow)), 'a')).toEqual(['c', 'c']);
    expect(routesOf(ok(deleteNodes(['b'], 'remove-only')(flow)), 'a')).toEqual([]);
  });

  it('inserts a palette step unconnected or onto an edge', () => {
    const alone = ok(insertStep('log', 'emit.log', { text: 'x' }, null)(flow));
    expect(routesOf(alone, 'log')).toEqual([]);
    const onEdge = ok(insertStep('log', 'emit.log', {}, { source: 'a', index: 0, target: 'b' })(flow));
    expect(routesOf(onEdge, 'a')).toEqual(['log']);
    expect(routesOf(onEdge, 'log')).toEqual(['b']);
  });

  it('stops a chain at the first refusal', () => {
    const result = chain(flow, [(t) => ({ ok: true, text: `${t}#` }), () => ({ ok: false, code: 'NODE_MISSING', message: 'no' }), () => ({ ok: true, text: 'never' })]);
    expect(result).toEqual({ ok: false, code: 'NODE_MISSING', message: 'no' });
  });

  it('derives free node ids from op keys', () => {
    expect(freeNodeId(ir(), 'emit.response')).toBe('response');
    expect(freeNodeId(ir(), 'a')).toBe('a_2');
    expect(freeNodeId(null, '9lives')).toBe('_9lives');
  });
});

describe('copy and paste as YAML', () => {
  it('copies a nodes fragment and pastes it back under fresh ids with internal routes kept', () => {
    const copied = copyNodes(ir(), ['b', 'c']);
    expect(copied).toContain('b:\n  emit.log:');
    const pasted = pasteNodes(flow, copied, ir());
    expect(pasted.ok).toBe(true);
    if (!pasted.ok || !pasted.result.ok) return;
    expect(pasted.ids).toEqual({ b: 'b_2', c: 'c_2' });
    expect(routesOf(pasted.result.text, 'b_2')).toEqual(['c_2', 'c_2']);
    expect(pasted.result.text.startsWith(flow)).toBe(true);
  });

  it('pastes into another flow, dropping routes to nodes that are not there', () => {
    const other = 'id: other\ntype: messaging\nnodes:\n  z:\n    emit.log: {}\n';
    const pasted = pasteNodes(other, copyNodes(ir(), ['a']), loadFlow(other).ir);
    expect(pasted.ok && pasted.result.ok && routesOf(pasted.result.text, 'a')).toEqual([]);
  });

  it('explains text that holds no nodes', () => {
    expect(pasteNodes(flow, 'just words', ir())).toMatchObject({ ok: false, message: expect.stringContaining('no flow nodes') });
    expect(pasteNodes(flow, 'a: [', ir())).toMatchObject({ ok: false, message: expect.stringContaining('not YAML') });
  });
});

describe('find, palette and YAML helpers', () => {
  it('finds nodes by id, op key and payload text', () => {
    expect(findNodes(ir(), 'session')).toEqual(['c']);
    expect(findNodes(ir(), 'SECOND')).toEqual(['b']);
    expect(findNodes(ir(), 'b')).toEqual(['b']);
    expect(findNodes(ir(), '  ')).toEqual([]);
  });

  it('offers built-ins and project components, searchable', () => {
    const items = paletteItems([{ id: 'acme.greeter', name: 'Greeter', version: null, operations: [{ name: 'greet', inputSchema: null, source: 'manifest' }], configSchema: null, devFlows: [] }]);
    expect(searchPalette(items, 'greet').map((i) => i.payload)).toEqual([{ component: 'acme.greeter', operation: 'greet', input: {} }]);
    expect(searchPalette(items, 'wait').map((i) => i.opKey)).toEqual(['session.wait']);
  });

  it('knows where the cursor is in a flow document', () => {
    const lines = flow.split('\n');
    expect(contextAt(lines, 0, 1)).toBe('top');
    expect(contextAt(lines, 5, 5)).toBe('node');
    expect(contextAt(lines, 8, 9)).toBe('route');
    expect(contextAt(lines, 8, 14)).toBe('routeTarget');
  });

  it('offers a template the paths its node can read, inside {{ }} only', () => {
    const paths = templatePathsFor(ir(), 'c');
    expect(paths).toEqual(expect.arrayContaining(['entry', 'in', 'prev', 'state.vars', 'node.a', 'node.b']));
    expect(paths).not.toContain('node.c');
    expect(templatePathsFor(ir(), 'a').filter((p) => p.startsWith('node.'))).toEqual([]);
    expect(pathBeingTyped('Hi {{node.w')).toBe('node.w');
    expect(pathBeingTyped('Hi {{ ')).toBe('');
    expect(pathBeingTyped('Hi {{x}} there')).toBeNull();
    expect(pathBeingTyped('{{#each')).toBeNull();
  });

  it('offers no keys in a comment or after a key, where Tab must stay Tab', () => {
    expect(contextAt(['# note: here'], 0, 13)).toBe('other');
    expect(contextAt(['id: main'], 0, 9)).toBe('other');
    expect(contextAt(['id: main', 'ti'], 1, 3)).toBe('top');
  });

  it('turns one text into another with one minimal replacement', () => {
    expect(minimalEdit('hello world', 'hello brave world')).toEqual({ offset: 6, endOffset: 6, text: 'brave ' });
    expect(minimalEdit('same', 'same')).toBeNull();
    expect(minimalEdit('aaa', 'aa')).toEqual({ offset: 2, endOffset: 3, text: '' });
  });
});
