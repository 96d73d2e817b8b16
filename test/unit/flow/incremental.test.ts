import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isPair, isScalar, isSeq, type Document, type Pair } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  addRoute,
  addStep,
  appendStep,
  changeOpKey,
  deleteStep,
  loadFlow,
  loadParsed,
  parseFlow,
  removeRoute,
  renameStep,
  reparseFlow,
  retargetRoute,
  setFlowField,
  setPayloadField,
  type EditResult,
  type FlowSource,
  type ParsedFlow,
} from '../../../src/shared/flow';
import { splitFlowText } from '../../../src/shared/flow/incremental/segments';
import { conformancePath, hasConformance, repoRoot } from '../../support/conformance';
import { seededRandom } from '../../support/random';
import { flow } from './helpers';
import { mutateBytes, mutateStructure, pick } from './mutations';

/** A flow with what real files have: comments, blank lines, block scalars, quoted and flow values, keys after `nodes`. */
function handWrittenFlow(size: number): string {
  const lines = ['# a flow written by hand', 'id: support', 'title: "Support desk"', 'type: messaging', 'start: n0', 'parameters:', '  greeting: hello', '', 'nodes:'];
  for (let i = 0; i < size; i += 1) {
    const next = i + 1 < size ? `n${i + 1}` : null;
    lines.push(`  # step ${i}`, `  n${i}:`);
    if (i % 7 === 6) lines.push('    flow.call:', '      flow_id: main');
    else if (i % 3 === 0) lines.push('    emit.response:', '      text: |', `        Hello {{in.input.text}}, step ${i}`, '        second line');
    else if (i % 3 === 1) lines.push(`    qa.process: { welcome: 'Hi ${i}', questions: [] }`);
    else if (i % 2 === 0) lines.push('    templating.handlebars:', `      "text": "{{prev.payload.name}} {{parameters.greeting}}"`);
    else lines.push('    state.set:', `      key: k${i}`, '      value: parameters.retries', '      key: duplicated');
    if (!next) lines.push('    routing: out');
    else if (i % 4 === 2) lines.push('    routing:', '      - condition: in.input.text == "skip"', `        to: n${Math.min(size - 1, i + 2)}`, `      - to: ${next}`);
    else lines.push('    routing:', `      - to: ${next}`);
    if (i % 5 === 4) lines.push('');
  }
  lines.push('# what follows is not part of the format', 'entrypoints:', '  default: n0', 'meta:', '  owner: support');
  return `${lines.join('\n')}\n`;
}

function sources(): Array<[string, string]> {
  const found: Array<[string, string]> = [
    ['hand-written', handWrittenFlow(24)],
    ['hand-written, CRLF', handWrittenFlow(12).replace(/\n/g, '\r\n')],
    ['sample project', readFileSync(path.join(repoRoot, 'resources/sample-project/flows/main.ygtc'), 'utf8')],
  ];
  if (!hasConformance) return found;
  for (const dir of ['flows/valid', 'flows/invalid']) {
    for (const name of readdirSync(conformancePath(dir)).filter((n) => n.endsWith('.ygtc'))) found.push([`${dir}/${name}`, readFileSync(conformancePath(`${dir}/${name}`), 'utf8')]);
  }
  return found;
}

/** Everything of a syntax tree the flow core reads: kinds, positions, scalar values and styles. */
function syntaxTree(doc: Document | null): string[] {
  const out: string[] = [];
  const walk = (node: unknown, at: string): void => {
    if (isPair(node)) {
      walk(node.key, `${at}?`);
      walk(node.value, `${at}:`);
      return;
    }
    if (node === null || typeof node !== 'object') {
      out.push(`${at} ${String(node)}`);
      return;
    }
    const ranged = node as { range?: number[]; flow?: boolean };
    const kind = isMap(node) ? 'map' : isSeq(node) ? 'seq' : isScalar(node) ? `scalar ${typeof node.value} ${String(node.value)} ${String(node.type)}` : 'other';
    out.push(`${at} ${kind} ${JSON.stringify(ranged.range)}${ranged.flow ? ' flow' : ''}`);
    if (isMap(node) || isSeq(node)) (node.items as unknown[]).forEach((item, i) => walk(item, `${at}/${i}`));
  };
  if (doc) {
    out.push(`document ${JSON.stringify(doc.range)} errors ${doc.errors.length}`);
    walk(doc.contents, '');
  }
  return out;
}

function expectSameParse(incremental: ParsedFlow, whole: ParsedFlow, text: string): void {
  expect(incremental.text).toBe(text);
  expect(incremental.diagnostics, text).toEqual(whole.diagnostics);
  expect(syntaxTree(incremental.doc), text).toEqual(syntaxTree(whole.doc));
  // Key order matters (it is the node order); JSON text keeps it.
  expect(JSON.stringify(incremental.value)).toBe(JSON.stringify(whole.value));
  expect(incremental.value).toEqual(whole.value);
  expect(incremental.lineCounter.lineStarts).toEqual(whole.lineCounter.lineStarts);
}

const CONTEXTS = [{ knownFlowIds: ['support', 'main'] }, { knownFlowIds: ['support'] }, {}];

function expectSameLoad(incremental: ParsedFlow, text: string, context: (typeof CONTEXTS)[number]): void {
  const expected = loadFlow(text, context);
  const actual = loadParsed(incremental, context);
  expect(actual.ir, text).toEqual(expected.ir);
  expect(actual.diagnostics, text).toEqual(expected.diagnostics);
  expect(actual.ok).toBe(expected.ok);
}

/** The loaded value of each node: a node whose piece was reused keeps the very same object, wherever it moved. */
function nodeValues(parsed: ParsedFlow): unknown[] {
  const nodes = (parsed.value as { nodes?: unknown } | undefined)?.nodes;
  return nodes && typeof nodes === 'object' ? Object.values(nodes) : [];
}

function nodePairs(parsed: ParsedFlow): Pair[] {
  const root = parsed.doc?.contents;
  const nodes = isMap(root) ? root.items.find((pair) => isScalar(pair.key) && pair.key.value === 'nodes')?.value : null;
  return isMap(nodes) ? (nodes.items as Pair[]) : [];
}

type RandomEdit = (source: FlowSource) => EditResult;

/** The edit operations a designer reaches from the canvas and the inspector, on random nodes of the flow. */
function randomEdit(rand: () => number, ids: readonly string[]): RandomEdit {
  const id = ids.length > 0 ? pick(rand, ids) : 'n0';
  const other = ids.length > 0 ? pick(rand, ids) : 'n1';
  const fresh = `s${Math.floor(rand() * 1000)}`;
  const number = Math.floor(rand() * 100);
  const strategy = rand() < 0.5 ? 'splice' : 'remove-only';
  const edits: RandomEdit[] = [
    (s) => addStep(s, { after: id, id: fresh, opKey: 'emit.log', payload: { text: 'added' } }),
    (s) => addStep(s, { after: null, id: fresh, opKey: 'emit.response', payload: { text: 'first' } }),
    (s) => appendStep(s, fresh, { 'emit.response': { text: 'appended' }, routing: [{ to: id }] }),
    (s) => deleteStep(s, id, strategy),
    (s) => renameStep(s, id, `${id}_r`),
    (s) => setPayloadField(s, id, ['text'], `changed ${number}\nwith a second line`),
    (s) => setPayloadField(s, id, ['nested', 'list'], [1, { a: 'b' }]),
    (s) => changeOpKey(s, id, 'emit.log'),
    (s) => addRoute(s, id, { to: other, condition: 'in.input.text == "x"' }, 0),
    (s) => removeRoute(s, id, 0),
    (s) => retargetRoute(s, id, 0, other),
    (s) => setFlowField(s, 'title', `Title ${number}`),
    (s) => setFlowField(s, 'start', other),
    // The node lints read the parameters: with and without the one the flow refers to.
    (s) => setFlowField(s, 'parameters', number % 2 === 0 ? { greeting: 'hi', retries: number } : { greeting: 'hi' }),
  ];
  return pick(rand, edits);
}

/** A change as typed in the YAML view: a comment, a blank line, a changed word, or noise that breaks the YAML. */
function typeInText(text: string, rand: () => number): string {
  const lines = text.split('\n');
  const at = Math.floor(rand() * lines.length);
  switch (Math.floor(rand() * 4)) {
    case 0:
      lines.splice(at, 0, `${' '.repeat(Math.floor(rand() * 3) * 2)}# note ${at}`);
      return lines.join('\n');
    case 1:
      lines.splice(at, 0, '');
      return lines.join('\n');
    case 2:
      return text.replace(/Hello|welcome|step/, (word) => `${word}x`);
    default:
      return mutateBytes(text, rand);
  }
}

describe('splitting a flow text into independently parsed pieces', () => {
  it('cuts at node keys: comments above a key stay with the node before it, keys after nodes form the tail', () => {
    const text = flow('id: f', 'type: messaging', 'nodes:', '  # first', '  a:', '    emit.log: {}', '  # about b', '', '  b:', '    emit.log: {}', 'meta: {}');
    const segments = splitFlowText(text);
    expect(segments).not.toBeNull();
    const { nodesStart, entryStarts, tailStart } = segments as NonNullable<typeof segments>;
    expect(text.slice(0, nodesStart)).toBe(flow('id: f', 'type: messaging', 'nodes:', '  # first'));
    expect(entryStarts.map((start, i) => text.slice(start, entryStarts[i + 1] ?? tailStart))).toEqual([
      flow('  a:', '    emit.log: {}', '  # about b', ''),
      flow('  b:', '    emit.log: {}'),
    ]);
    expect(text.slice(tailStart)).toBe(flow('meta: {}'));
  });

  it.each([
    ['a directive', flow('%YAML 1.1', '---', 'id: f', 'nodes:', '  a: {}')],
    ['a document marker', flow('id: f', 'nodes:', '  a: {}', '---', 'b: 1')],
    ['flow-style nodes', flow('id: f', 'nodes: {a: {}}')],
    ['no nodes key', flow('id: f', 'type: messaging')],
    ['two nodes keys', flow('id: f', 'nodes:', '  a: {}', '"nodes":', '  b: {}')],
    ['a node list', flow('id: f', 'nodes:', '  - a: {}')],
    ['a line less indented than the node keys', flow('id: f', 'nodes:', '    a:', '      x: 1', '  b: {}')],
    ['a tab before a key', flow('id: f', 'nodes:', '\ta: {}')],
    ['a complex key', flow('id: f', 'nodes:', '  ? a', '  : {}')],
  ])('leaves a text with %s to the whole-text parser', (_, text) => {
    expect(splitFlowText(text)).toBeNull();
  });
});

describe('re-parsing a flow after an edit', () => {
  it('reuses the syntax of unchanged nodes and moves the positions of shifted ones', () => {
    const text = handWrittenFlow(10);
    const first = reparseFlow(text, null);
    const edited = setPayloadField(first, 'n2', ['extra'], 'a longer value\nover two lines');
    if (!edited.ok) throw new Error(edited.message);
    const second = reparseFlow(edited.text, first);
    expectSameParse(second, parseFlow(edited.text), edited.text);
    const before = nodePairs(first);
    const after = nodePairs(second);
    // Nodes before the edit are the very same objects; nodes after it are copies at their new place.
    expect(after[0]).toBe(before[0]);
    expect(after[1]).toBe(before[1]);
    expect(after[2]).not.toBe(before[2]);
    expect(after[5]).not.toBe(before[5]);
    expect(first.doc && syntaxTree(first.doc)).toEqual(syntaxTree(parseFlow(text).doc));
  });

  it('reports a YAML error exactly as a whole parse does, and recovers the pieces once it is fixed', () => {
    const text = handWrittenFlow(6);
    const first = reparseFlow(text, null);
    const broken = text.replace('  n3:\n', '  n3:\n    "unterminated\n');
    const failed = reparseFlow(broken, first);
    expectSameParse(failed, parseFlow(broken), broken);
    expect(failed.diagnostics.some((d) => d.kind === 'Yaml')).toBe(true);
    const fixed = reparseFlow(text, failed);
    expectSameParse(fixed, parseFlow(text), text);
    expect(nodePairs(fixed)[0]).toBe(nodePairs(first)[0]);
  });

  it('leaves an alias between nodes to the whole-text parse, whose meaning spans pieces', () => {
    const base = handWrittenFlow(4);
    const text = base.replace('  n1:\n', '  n1:\n    shared: &kept { a: 1 }\n').replace('  n3:\n', '  n3:\n    again: *kept\n');
    const incremental = reparseFlow(text, reparseFlow(base, null));
    expectSameParse(incremental, parseFlow(text), text);
    expectSameLoad(incremental, text, {});
    expect(loadParsed(incremental).ir?.nodes.find((node) => node.id === 'n3')?.raw.again).toEqual({ a: 1 });
  });

  it('random edit sequences give the same model, diagnostics and text as a full re-parse (fixed seed)', () => {
    const rand = seededRandom(0x1ec5);
    let steps = 0;
    let reusingSteps = 0;
    for (const [name, original] of sources()) {
      let text = original;
      let lastGood = original;
      let incremental = reparseFlow(text, null);
      const seen = new Set(nodeValues(incremental));
      expectSameParse(incremental, parseFlow(text), text);
      for (let step = 0; step < 40; step += 1) {
        const roll = rand();
        let next: string;
        if (incremental.diagnostics.length > 0 && roll < 0.5) {
          // The designer fixes what they broke.
          next = lastGood;
        } else if (roll < 0.55) {
          const ids = loadParsed(incremental).ir?.nodes.map((n) => n.id) ?? [];
          const edit = randomEdit(rand, ids);
          const onIncremental = edit(incremental);
          // The edit sees the same document either way, so it writes the same text.
          expect(onIncremental, `${name} step ${step}`).toEqual(edit(parseFlow(text)));
          next = onIncremental.ok ? onIncremental.text : text;
        } else if (roll < 0.85) next = typeInText(text, rand);
        else if (roll < 0.95) next = mutateStructure(text, rand);
        else next = original;
        incremental = reparseFlow(next, incremental);
        text = next;
        expectSameParse(incremental, parseFlow(text), text);
        // Validated twice, as the editor does after each change: the second time finds the kept per-node results.
        const context = pick(rand, CONTEXTS);
        expectSameLoad(incremental, text, context);
        expectSameLoad(incremental, text, context);
        const values = nodeValues(incremental);
        if (values.some((value) => seen.has(value))) reusingSteps += 1;
        for (const value of values) seen.add(value);
        if (incremental.diagnostics.length === 0) lastGood = text;
        steps += 1;
      }
    }
    // The comparison means something only if many steps really reused earlier pieces.
    expect(reusingSteps).toBeGreaterThan(steps / 2);
  }, 120_000);
});
