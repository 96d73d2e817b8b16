import { describe, expect, it } from 'vitest';
import { addStep, renameStep } from '../../../src/shared/flow';
import { change, current, isDirty, layoutDirty, markSaved, openDocument, redoDocument, textDirty, undoDocument, withProjectFlows } from '../../../src/renderer/src/document/flow-document';
import { record, startHistory, undo } from '../../../src/renderer/src/document/history';

const flow = `id: demo
type: messaging
nodes:
  greet:
    emit.response:
      text: hi
    routing: out
`;

function edited(text: string, op: (t: string) => { ok: boolean; text?: string }): string {
  const result = op(text);
  if (!result.ok || result.text === undefined) throw new Error('edit refused');
  return result.text;
}

describe('one document: canvas, inspector and YAML edits share one history', () => {
  it('undoes and redoes structural edits and typing alike, re-deriving the canvas', () => {
    let doc = openDocument('flows/demo.ygtc', flow, null, null);
    const withStep = edited(flow, (t) => addStep(t, { after: 'greet', id: 'bye', opKey: 'emit.log' }));
    doc = change(doc, { text: withStep });
    expect(doc.model?.graph.nodes.map((n) => n.id)).toEqual(['greet', 'bye']);
    doc = change(doc, { text: withStep.replace('text: hi', 'text: hello') }, 'typing');
    expect(textDirty(doc)).toBe(true);

    doc = undoDocument(doc);
    expect(current(doc).text).toBe(withStep);
    doc = undoDocument(doc);
    expect(current(doc).text).toBe(flow);
    expect(doc.model?.graph.nodes.map((n) => n.id)).toEqual(['greet']);
    expect(isDirty(doc)).toBe(false);
    doc = redoDocument(redoDocument(doc));
    expect(current(doc).text).toContain('text: hello');
  });

  it('keeps the last good model while the text does not parse, and reports its errors', () => {
    let doc = openDocument('f.ygtc', flow, null, null);
    doc = change(doc, { text: `${flow}  broken: [\n` }, 'typing');
    expect(doc.parses).toBe(false);
    expect(doc.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect(doc.model?.graph.nodes.map((n) => n.id)).toEqual(['greet']);
  });

  it('reuses unchanged canvas nodes so memoised views skip them', () => {
    let doc = openDocument('f.ygtc', edited(flow, (t) => addStep(t, { after: 'greet', id: 'b', opKey: 'emit.log' })), null, null);
    const before = doc.model?.graph.nodes[0];
    doc = change(doc, { text: current(doc).text.replace('emit.log: {}', 'emit.log: { text: x }') });
    expect(doc.model?.graph.nodes[0]).toBe(before);
    expect(doc.model?.graph.nodes[1]?.summary).toBe('x');
  });

  it('keeps the edges list and untouched nodes as the same objects, and redraws what an edit elsewhere affects', () => {
    const chain = `id: chain\ntype: messaging\nstart: a\nentrypoints:\n  other: a\nnodes:\n  a:\n    emit.log: { text: one }\n    routing:\n      - to: b\n  b:\n    emit.log: { text: two }\n    routing:\n      - to: c\n  c:\n    emit.log: { text: three }\n`;
    let doc = openDocument('chain.ygtc', chain, null, null);
    const first = doc.model?.graph;
    // A payload edit of the middle node: its box changes; the edges and the other boxes stay the same objects.
    doc = change(doc, { text: current(doc).text.replace('text: two', 'text: deux') });
    const second = doc.model?.graph;
    expect(second?.edges).toBe(first?.edges);
    expect(second?.nodes[0]).toBe(first?.nodes[0]);
    expect(second?.nodes[1]).not.toBe(first?.nodes[1]);
    expect(second?.nodes[1]?.summary).toBe('deux');
    expect(second?.nodes[2]).toBe(first?.nodes[2]);
    // Another start node: both start badges are redrawn, though neither node's text changed.
    doc = change(doc, { text: current(doc).text.replace('start: a', 'start: b') });
    const third = doc.model?.graph;
    expect(third?.nodes.map((node) => node.isStart)).toEqual([false, true, false]);
    expect(third?.nodes[2]).toBe(second?.nodes[2]);
    // Renaming c in the text only: b's route now points at a missing node.
    doc = change(doc, { text: current(doc).text.replace('  c:\n', '  d:\n') });
    expect(doc.model?.graph.nodes[1]?.routes[0]?.missing).toBe(true);
    expect(doc.model?.graph.edges).not.toBe(third?.edges);
  });

  it('tracks node moves in the layout as undoable and separately dirty', () => {
    let doc = openDocument('f.ygtc', flow, { version: 1, nodes: { greet: { x: 0, y: 0 } } }, null);
    doc = change(doc, { layout: { version: 1, nodes: { greet: { x: 50, y: 10 } } } });
    expect(layoutDirty(doc)).toBe(true);
    expect(textDirty(doc)).toBe(false);
    doc = markSaved(doc, flow, current(doc).layout);
    expect(isDirty(doc)).toBe(false);
    doc = undoDocument(doc);
    expect(current(doc).layout.nodes.greet).toEqual({ x: 0, y: 0 });
  });

  it('drops layout entries of nodes that no longer exist (renamed in YAML)', () => {
    let doc = openDocument('f.ygtc', flow, { version: 1, nodes: { greet: { x: 5, y: 5 } } }, null);
    doc = change(doc, { text: edited(flow, (t) => renameStep(t, 'greet', 'hello')) });
    expect(current(doc).layout.nodes).toEqual({});
  });

  it('offers a draft from an earlier session only when it differs from the file', () => {
    expect(openDocument('f.ygtc', flow, null, flow).draft).toBeNull();
    expect(openDocument('f.ygtc', flow, null, `${flow}# more\n`).draft).toBe(`${flow}# more\n`);
  });
});

describe('history', () => {
  it('merges a burst of typing into one step, but not across groups or pauses', () => {
    let history = startHistory('a');
    history = record(history, 'ab', 'typing', 1000);
    history = record(history, 'abc', 'typing', 1500);
    expect(history.past).toEqual(['a']);
    history = record(history, 'abcd', 'typing', 4000);
    expect(history.past).toEqual(['a', 'abc']);
    history = record(history, 'X', null, 4100);
    expect(undo(history)?.present).toBe('abcd');
  });

  it('has nothing to undo at the start', () => {
    expect(undo(startHistory('a'))).toBeNull();
  });
});

describe('a flow checked against the project around it', () => {
  const duplicates = (diagnostics: { code: string; severity: string; message: string }[]) => diagnostics.filter((d) => d.code === 'duplicate_flow_id');

  it('marks an id another flow file of the project has as an error, and clears it when either changes', () => {
    const project = [
      { path: 'flows/demo.ygtc', id: 'demo' },
      { path: 'flows/other.ygtc', id: 'demo' },
    ];
    let doc = openDocument('flows/demo.ygtc', flow, null, null, project);
    expect(duplicates(doc.diagnostics)).toMatchObject([{ severity: 'error', message: expect.stringContaining('flows/other.ygtc') }]);
    doc = change(doc, { text: flow.replace('id: demo', 'id: renamed') }, 'typing');
    expect(duplicates(doc.diagnostics)).toEqual([]);
    doc = undoDocument(doc);
    expect(duplicates(doc.diagnostics)).toHaveLength(1);
    doc = withProjectFlows(doc, [project[0] as { path: string; id: string }, { path: 'flows/other.ygtc', id: 'other' }]);
    expect(duplicates(doc.diagnostics)).toEqual([]);
    expect(duplicates(openDocument('flows/demo.ygtc', flow, null, null, [project[0] as { path: string; id: string }]).diagnostics)).toEqual([]);
  });
});
