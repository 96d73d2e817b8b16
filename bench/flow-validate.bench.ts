/**
 * Parse + full validation (loader, compiler checks, lints) of generated flows, against a bare `yaml`
 * parse; and the editor's re-validation after an edit of one node, which re-parses only that node.
 */
import { parse } from 'yaml';
import { loadFlow, loadParsed, reparseFlow, setPayloadField } from '../src/shared/flow';
import { generateFlow } from './flow-fixture';
import { medianMs, printFigure } from './report';

for (const size of [100, 1000, 5000]) {
  const text = generateFlow(size);
  const loaded = loadFlow(text);
  if (!loaded.ok || loaded.ir?.nodes.length !== size) throw new Error(`generated ${size}-node flow does not load cleanly`);
  const runs = size >= 5000 ? 7 : 21;
  const baseline = await medianMs(() => parse(text), runs);
  printFigure({ name: `yaml.parse, ${size} nodes (${(text.length / 1024).toFixed(0)} KiB)`, value: baseline, unit: 'ms' });
  printFigure({
    name: `loadFlow (parse + validate + lints), ${size} nodes`,
    value: await medianMs(() => loadFlow(text), runs),
    unit: 'ms',
    baseline,
    ...(size === 1000 ? { goal: { max: 50 } } : {}),
  });
  printFigure({ name: `loadFlow without lints, ${size} nodes`, value: await medianMs(() => loadFlow(text, { lints: false }), runs), unit: 'ms', baseline });

  const before = reparseFlow(text, null);
  const edited = setPayloadField(before, `n${Math.floor(size / 2)}`, ['key'], 'changed by the benchmark');
  if (!edited.ok) throw new Error(edited.message);
  printFigure({
    name: `re-validate after editing one node, ${size} nodes`,
    value: await medianMs(() => loadParsed(reparseFlow(edited.text, before)), runs),
    unit: 'ms',
    baseline,
    ...(size === 1000 ? { goal: { max: 50 } } : {}),
  });
}
