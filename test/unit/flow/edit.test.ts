import { describe, expect, it } from 'vitest';
import {
  addRoute,
  addStep,
  changeOpKey,
  createFlow,
  deleteStep,
  loadFlow,
  moveRoute,
  removePayloadField,
  removeRoute,
  renameStep,
  retargetRoute,
  setFlowField,
  setNodeValue,
  setPayloadField,
  setRouting,
  type EditResult,
} from '../../../src/shared/flow';
import { flow } from './helpers';

function textOf(result: EditResult): string {
  if (!result.ok) throw new Error(`edit refused: ${result.code} ${result.message}`);
  return result.text;
}

/** A hand-written flow with comments, blank lines, quoting and flow style to be kept. */
const commented = flow(
  '# Support flow',
  'id: support',
  "title: 'Support desk'",
  'type: messaging',
  'start: greet # entry',
  'x-owner: team-a',
  '',
  'nodes:',
  '  # says hello',
  '  greet:',
  '    emit.response: { text: "Hi!" }',
  '    routing:',
  '      - to: ask',
  '',
  '  ask:',
  '    qa.process:',
  '      welcome: "What do you need?"  # shown first',
  '      questions: []',
  '    routing:',
  '      - condition: response.action == "about"',
  '        to: "about"',
  '      - to: done',
  '',
  '  about:',
  '    emit.response:',
  '      text: About us',
  '    routing: [{to: done}]',
  '',
  '  done:',
  '    emit.response:',
  "      text: 'Bye'",
  '    routing: out',
);

describe('edit operations keep what they do not change', () => {
  it('adds a step after a node, threading it into the node’s old routes', () => {
    const text = textOf(addStep(commented, { after: 'about', id: 'log', opKey: 'emit.log', payload: { text: 'about shown' } }));
    expect(text).toBe(
      commented.replace(
        '    routing: [{to: done}]\n\n',
        '    routing:\n      - to: log\n\n  log:\n    emit.log:\n      text: about shown\n    routing:\n      - to: done\n\n',
      ),
    );
    expect(loadFlow(text).ok).toBe(true);
  });

  it('adds a step before the entry node and points start at it', () => {
    const text = textOf(addStep(commented, { id: 'hello', opKey: 'emit.log', payload: {} }));
    const ir = loadFlow(text).ir;
    expect(ir?.nodes.map((n) => n.id)).toEqual(['hello', 'greet', 'ask', 'about', 'done']);
    expect(ir?.start).toBe('hello');
    expect(ir?.nodes[0]?.routes.map((r) => r.to)).toEqual(['greet']);
    expect(text).toContain('start: hello # entry\n');
    expect(text).toContain('  # says hello\n  greet:');
  });

  it('names a colliding step like upstream (id__2) and refuses placeholders and bad anchors', () => {
    const result = addStep(commented, { after: 'greet', id: 'ask', opKey: 'emit.log' });
    expect(result.ok && result.nodeId).toBe('ask__2');
    expect(addStep(commented, { after: 'greet', id: 'NEW_NODE', opKey: 'emit.log' })).toMatchObject({ ok: false, code: 'ADD_STEP_NODE_ID_PLACEHOLDER' });
    expect(addStep(commented, { after: 'nowhere', id: 'x', opKey: 'emit.log' })).toMatchObject({ ok: false, code: 'NODE_MISSING' });
    expect(addStep(commented, { after: 'greet', id: '9lives', opKey: 'emit.log' })).toMatchObject({ ok: false, code: 'NODE_ID_INVALID' });
    expect(addStep(commented, { after: 'greet', id: 'x', opKey: 'routing' })).toMatchObject({ ok: false, code: 'OPERATION_INVALID' });
  });

  it('deletes a step, splicing predecessors to its successors, and keeps the other blocks intact', () => {
    const text = textOf(deleteStep(commented, 'about'));
    const ir = loadFlow(text).ir;
    expect(ir?.nodes.map((n) => n.id)).toEqual(['greet', 'ask', 'done']);
    expect(ir?.nodes[1]?.routes.map((r) => [r.kind, r.to, r.condition])).toEqual([
      ['condition', 'done', 'response.action == "about"'],
      ['next', 'done', undefined],
    ]);
    expect(text).toContain('  done:\n    emit.response:\n      text: \'Bye\'\n    routing: out\n');
    expect(text).toContain('      - to: done\n\n  done:');
  });

  it('deletes a step with remove-only, dropping routes to it', () => {
    const text = textOf(deleteStep(commented, 'ask', 'remove-only'));
    const ir = loadFlow(text).ir;
    expect(ir?.nodes.find((n) => n.id === 'greet')?.routes).toEqual([]);
    expect(text).not.toContain('ask');
  });

  it('moves start and entrypoints to the successor when the entry step is deleted', () => {
    const text = textOf(deleteStep(flow('id: f', 'type: messaging', 'start: a', 'entrypoints: {default: a}', 'nodes:', '  a:', '    x.y: {}', '    routing: [{to: b}]', '  b:', '    x.y: {}'), 'a'));
    expect(loadFlow(text).ir).toMatchObject({ start: 'b', entrypoints: { default: 'b' } });
  });

  it('renames a node everywhere, keeping each reference’s quoting', () => {
    const text = textOf(renameStep(commented, 'about', 'about_us'));
    expect(text).toBe(commented.replace('to: "about"', 'to: "about_us"').replace('  about:\n', '  about_us:\n'));
    expect(textOf(renameStep(commented, 'greet', 'hello'))).toContain('start: hello # entry');
    expect(renameStep(commented, 'greet', 'ask')).toMatchObject({ ok: false, code: 'NODE_EXISTS' });
  });

  it('renames meta.greentic entries with the node', () => {
    const source = flow('id: f', 'type: messaging', 'meta:', '  greentic:', '    components:', '      a: {component_id: c}', '    secrets_hints:', '      a: []', 'nodes:', '  a:', '    run: {}');
    const text = textOf(renameStep(source, 'a', 'b'));
    expect(loadFlow(text).ir?.meta).toEqual({ greentic: { components: { b: { component_id: 'c' } }, secrets_hints: { b: [] } } });
    expect(loadFlow(textOf(deleteStep(text, 'b'))).ir?.meta).toEqual({ greentic: { components: {}, secrets_hints: {} } });
  });

  it('edits routes: add, remove, move, retarget (in place) and the shorthand', () => {
    const added = textOf(addRoute(commented, 'greet', { to: 'done', status: 'skip' }, 0));
    expect(loadFlow(added).ir?.nodes[0]?.routes.map((r) => r.to)).toEqual(['done', 'ask']);
    const moved = textOf(moveRoute(added, 'greet', 0, 1));
    expect(loadFlow(moved).ir?.nodes[0]?.routes.map((r) => r.to)).toEqual(['ask', 'done']);
    expect(loadFlow(textOf(removeRoute(moved, 'greet', 1))).ir?.nodes[0]?.routes.map((r) => r.to)).toEqual(['ask']);
    expect(textOf(retargetRoute(commented, 'ask', 0, 'done'))).toBe(commented.replace('to: "about"', 'to: "done"'));
    expect(textOf(setRouting(commented, 'done', 'reply'))).toBe(commented.replace('    routing: out\n', '    routing: reply\n'));
    expect(retargetRoute(commented, 'ask', 5, 'done')).toMatchObject({ ok: false, code: 'ROUTE_MISSING' });
    expect(addRoute(commented, 'greet', { to: 'ghost' })).toMatchObject({ ok: false, code: 'NODE_MISSING' });
  });

  it('sets and removes payload fields in place, and rewrites flow-style payloads', () => {
    const edited = textOf(setPayloadField(commented, 'ask', ['welcome'], 'Hello again'));
    // The edited string keeps its quotes and the comment after it: the diff is the words alone.
    expect(edited).toBe(commented.replace('      welcome: "What do you need?"  # shown first\n', '      welcome: "Hello again"  # shown first\n'));
    const singleQuoted = textOf(setPayloadField(commented, 'done', ['text'], "It's done"));
    expect(singleQuoted).toBe(commented.replace("      text: 'Bye'\n", "      text: 'It''s done'\n"));
    expect(loadFlow(singleQuoted).ir?.nodes[3]?.payload).toEqual({ text: "It's done" });
    const plain = textOf(setPayloadField(commented, 'about', ['text'], 'About them'));
    expect(plain).toBe(commented.replace('      text: About us\n', '      text: About them\n'));
    const added = textOf(setPayloadField(commented, 'ask', ['options', 'timeout'], 30));
    expect(added).toContain('      questions: []\n      options:\n        timeout: 30\n    routing:');
    const flowStyle = textOf(setPayloadField(commented, 'greet', ['text'], 'Hello!'));
    expect(loadFlow(flowStyle).ir?.nodes[0]?.payload).toEqual({ text: 'Hello!' });
    expect(textOf(removePayloadField(commented, 'ask', ['questions']))).toBe(commented.replace('      questions: []\n', ''));
    const listItem = textOf(setPayloadField(added, 'ask', ['questions', 0], { id: 'q1' }));
    expect((loadFlow(listItem).ir?.nodes[1]?.payload as { questions: unknown }).questions).toEqual([{ id: 'q1' }]);
  });

  it('sets reserved siblings and changes the op key', () => {
    const text = textOf(setNodeValue(commented, 'done', ['operation'], 'bye'));
    expect(loadFlow(text).ir?.nodes[3]?.operation).toBe('bye');
    const renamed = textOf(changeOpKey(commented, 'about', 'emit.log'));
    expect(renamed).toBe(commented.replace('  about:\n    emit.response:', '  about:\n    emit.log:'));
  });

  it('edits flow metadata in canonical order, keeping quoting and unknown keys', () => {
    expect(textOf(setFlowField(commented, 'title', 'Help desk'))).toContain("title: 'Help desk'\n");
    const described = textOf(setFlowField(commented, 'description', 'Answers questions'));
    expect(described).toContain("title: 'Support desk'\ndescription: Answers questions\ntype: messaging\n");
    const tagged = textOf(setFlowField(commented, 'tags', ['support', 'faq']));
    expect(tagged).toContain('start: greet # entry\ntags:\n  - support\n  - faq\nx-owner: team-a\n');
    expect(textOf(setFlowField(commented, 'start', undefined))).not.toContain('start:');
    expect(setFlowField(commented, 'type', '')).toMatchObject({ ok: false, code: 'FIELD_INVALID' });
  });

  it('creates a new flow that loads, and grows it step by step', () => {
    const created = createFlow({ id: 'fresh', type: 'messaging', title: 'Fresh' });
    expect(created).toBe('id: fresh\ntitle: Fresh\ntype: messaging\nschema_version: 2\nnodes: {}\n');
    expect(loadFlow(created).ok).toBe(true);
    const first = textOf(addStep(created, { id: 'hello', opKey: 'emit.response', payload: { text: 'hi' } }));
    const second = textOf(addStep(first, { after: 'hello', id: 'bye', opKey: 'emit.response', payload: { text: 'bye' } }));
    const loaded = loadFlow(second);
    expect(loaded.ok).toBe(true);
    expect(loaded.ir?.nodes.map((n) => [n.id, n.routes.map((r) => r.kind)])).toEqual([
      ['hello', ['next']],
      ['bye', ['out']],
    ]);
  });

  it('refuses to edit a text that is not valid YAML, without throwing', () => {
    expect(addStep('id: [', { id: 'a', opKey: 'x.y' })).toMatchObject({ ok: false, code: 'DOCUMENT_UNUSABLE' });
    expect(renameStep('- a\n', 'a', 'b')).toMatchObject({ ok: false, code: 'DOCUMENT_UNUSABLE' });
  });

  it('follows the file’s sequence indentation when it writes a routing list', () => {
    const unindented = flow('id: f', 'type: messaging', 'nodes:', '  a:', '    routing:', '    - to: b', '    x.y: {}', '  b:', '    x.y: {}', '    routing: out');
    expect(textOf(setRouting(unindented, 'b', [{ to: 'a' }]))).toContain('  b:\n    x.y: {}\n    routing:\n    - to: a\n');
  });
});
