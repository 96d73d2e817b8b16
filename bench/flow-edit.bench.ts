/**
 * One edit plus re-serialisation on a 1,000-node flow: the editor holds the parsed document (and
 * its model, built once per parse and shared by the validator and the edits) and each canvas or
 * inspector edit must produce the new text within one frame.
 */
import { parse } from 'yaml';
import { addStep, loadFlow, loadParsed, parseFlow, renameStep, reparseFlow, retargetRoute, setPayloadField, type EditResult } from '../src/shared/flow';
import { generateFlow } from './flow-fixture';
import { medianMs, printFigure } from './report';

const SIZE = 1000;
const text = generateFlow(SIZE);
const parsed = parseFlow(text);
const baseline = await medianMs(() => parse(text), 21);
printFigure({ name: `yaml.parse, ${SIZE} nodes`, value: baseline, unit: 'ms' });

function expectOk(result: EditResult): string {
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.text;
}

const edits: Array<[string, () => EditResult]> = [
  ['addStep after n500', () => addStep(parsed, { after: 'n500', id: 'inserted', opKey: 'emit.log', payload: { text: 'x' } })],
  ['setPayloadField on n501', () => setPayloadField(parsed, 'n501', ['text'], 'changed')],
  ['retargetRoute on n500', () => retargetRoute(parsed, 'n500', 0, 'n900')],
  ['renameStep n500 (all references)', () => renameStep(parsed, 'n500', 'renamed')],
];
for (const [name, edit] of edits) {
  expectOk(edit());
  printFigure({ name: `${name} + serialise, ${SIZE} nodes`, value: await medianMs(() => expectOk(edit()), 21), unit: 'ms', baseline, goal: { max: 16 } });
}

// What the views pay after an edit: re-deriving diagnostics and IR from the new text, from scratch
// and as the editor does it, re-parsing only the nodes whose text changed.
const edited = expectOk(edits[0]?.[1]() as EditResult);
printFigure({ name: `re-load after the edit, ${SIZE} nodes`, value: await medianMs(() => loadFlow(edited), 21), unit: 'ms', baseline });
const pieces = reparseFlow(text, null);
printFigure({
  name: `incremental re-load after the edit, ${SIZE} nodes`,
  value: await medianMs(() => loadParsed(reparseFlow(edited, pieces)), 21),
  unit: 'ms',
  baseline,
  goal: { max: 50 },
});
