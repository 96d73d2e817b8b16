import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addStep, compileFlow, deleteStep, loadFlow, loadParsed, renameStep, reparseFlow, setPayloadField, type LoadedFlow, type ParsedFlow } from '../../../src/shared/flow';
import { conformancePath, hasConformance } from '../../support/conformance';
import { seededRandom } from '../../support/random';
import { mutateBytes, mutateStructure, pick } from './mutations';

const random = seededRandom;

function checkResult(text: string, loaded: LoadedFlow): void {
  expect(Array.isArray(loaded.diagnostics)).toBe(true);
  expect(loaded.ok).toBe(!loaded.diagnostics.some((d) => d.severity === 'error'));
  for (const d of loaded.diagnostics) {
    expect(d.range.line).toBeGreaterThanOrEqual(1);
    if (!d.file) expect(d.range.endOffset, `${d.code} ${d.message}`).toBeLessThanOrEqual(text.length);
    expect(typeof d.message).toBe('string');
  }
}

/** The editor's incremental parse of the same text, from the parse of the text before it: the same verdict. */
function exerciseIncremental(text: string, previous: ParsedFlow | null): ParsedFlow {
  const incremental = reparseFlow(text, previous);
  expect(loadParsed(incremental, { knownFlowIds: ['x'] }).diagnostics).toEqual(loadFlow(text, { knownFlowIds: ['x'] }).diagnostics);
  return incremental;
}

function exercise(text: string, rand: () => number): void {
  const loaded = loadFlow(text, { knownFlowIds: ['x'] });
  checkResult(text, loaded);
  compileFlow(loaded);
  const node = loaded.ir?.nodes.length ? pick(rand, loaded.ir.nodes) : undefined;
  const id = node?.id ?? 'in';
  const edits = [
    () => addStep(loaded.parsed, { after: rand() < 0.5 ? id : null, id: 'fuzz_step', opKey: 'emit.log', payload: { text: 'x' } }),
    () => deleteStep(loaded.parsed, id, rand() < 0.5 ? 'splice' : 'remove-only'),
    () => renameStep(loaded.parsed, id, 'fuzz_renamed'),
    () => setPayloadField(loaded.parsed, id, ['fuzz', 'field'], [1, { a: 'b' }]),
  ];
  const result = pick(rand, edits)();
  if (result.ok) {
    const edited = loadFlow(result.text);
    checkResult(result.text, edited);
    // An edit of well-formed YAML (no syntax error, no repeated key) yields well-formed YAML.
    if (!loaded.diagnostics.some((d) => d.kind === 'Yaml')) expect(edited.diagnostics.filter((d) => d.kind === 'Yaml').map((d) => d.message), result.text).toEqual([]);
  }
  else {
    expect(result.code, result.message).not.toBe('INTERNAL');
    expect(result.message.length).toBeGreaterThan(0);
  }
}

const MUTATIONS_PER_FLOW = 200;

describe.skipIf(!hasConformance)('fuzzing the parser, validator and edits with corpus mutations', () => {
  const files = hasConformance
    ? ['flows/valid', 'flows/invalid'].flatMap((dir) => readdirSync(conformancePath(dir)).filter((n) => n.endsWith('.ygtc')).map((n) => `${dir}/${n}`))
    : [];

  it(`ends every run with a result, never an exception, and the incremental parse agrees (${MUTATIONS_PER_FLOW} byte and structure mutations per flow, fixed seed)`, () => {
    const rand = random(0x5eed);
    let runs = 0;
    for (const file of files) {
      const original = readFileSync(conformancePath(file), 'utf8');
      let text = original;
      let incremental: ParsedFlow | null = null;
      for (let i = 0; i < MUTATIONS_PER_FLOW; i += 1) {
        // Mutations accumulate for a while, then start again from the original file.
        if (i % 10 === 0) text = original;
        text = rand() < 0.7 ? mutateBytes(text, rand) : mutateStructure(text, rand);
        exercise(text, rand);
        incremental = exerciseIncremental(text, incremental);
        runs += 1;
      }
    }
    expect(runs).toBe(files.length * MUTATIONS_PER_FLOW);
  }, 120_000);
});
