import { readdirSync, readFileSync } from 'node:fs';
import { parse as parseYaml, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { addStep, compileFlow, deleteStep, loadFlow, renameStep, setPayloadField, type LoadedFlow } from '../../../src/shared/flow';
import { conformancePath, hasConformance } from '../../support/conformance';
import { seededRandom } from '../../support/random';

const random = seededRandom;

const YAML_NOISE = [':', '- ', '{', '}', '[', ']', '"', "'", '&a ', '*a', '!!str ', '#', '|', '>', '\n', '  ', '\t', '?', ',', '%', '@', '`', 'é', '\u0000', '\ufeff', '<<: *a', '---\n', '...'];

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

function mutateBytes(text: string, rand: () => number): string {
  const at = Math.floor(rand() * (text.length + 1));
  const lines = text.split('\n');
  switch (Math.floor(rand() * 6)) {
    case 0:
      return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(rand() * 12)));
    case 1:
      return text.slice(0, at) + pick(rand, YAML_NOISE) + text.slice(at);
    case 2: {
      const i = Math.floor(rand() * lines.length);
      lines.splice(i, 0, lines[i] ?? '');
      return lines.join('\n');
    }
    case 3: {
      const i = Math.floor(rand() * lines.length);
      const j = Math.floor(rand() * lines.length);
      [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
      return lines.join('\n');
    }
    case 4: {
      const i = Math.floor(rand() * lines.length);
      lines[i] = rand() < 0.5 ? `  ${lines[i] ?? ''}` : (lines[i] ?? '').replace(/^ {1,2}/, '');
      return lines.join('\n');
    }
    default:
      return text.slice(0, at);
  }
}

const ODD_VALUES: unknown[] = [null, 0, -1, 2.5, true, '', 'out', 'reply', 'sideways', [], {}, [null], { to: 'nowhere' }, [{ to: 'out' }], 'parameters.ghost', '{{ flow.x }}'];

function mutateStructure(text: string, rand: () => number): string {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch {
    return text;
  }
  const paths: Array<Array<string | number>> = [];
  const walk = (node: unknown, path: Array<string | number>) => {
    paths.push(path);
    if (Array.isArray(node)) node.forEach((item, i) => walk(item, [...path, i]));
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, [...path, k]);
  };
  walk(value, []);
  const path = pick(rand, paths);
  const replacement = rand() < 0.2 ? pick(rand, paths.map(() => 'node')) : pick(rand, ODD_VALUES);
  if (path.length === 0) return stringify(replacement);
  let parent = value as Record<string | number, unknown>;
  for (const segment of path.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (rand() < 0.3 && !Array.isArray(parent)) delete parent[last];
  else parent[last] = replacement;
  return stringify(value);
}

function checkResult(text: string, loaded: LoadedFlow): void {
  expect(Array.isArray(loaded.diagnostics)).toBe(true);
  expect(loaded.ok).toBe(!loaded.diagnostics.some((d) => d.severity === 'error'));
  for (const d of loaded.diagnostics) {
    expect(d.range.line).toBeGreaterThanOrEqual(1);
    if (!d.file) expect(d.range.endOffset, `${d.code} ${d.message}`).toBeLessThanOrEqual(text.length);
    expect(typeof d.message).toBe('string');
  }
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
    // An edit of well-formed YAML yields well-formed YAML.
    expect(edited.diagnostics.filter((d) => d.kind === 'Yaml').map((d) => d.message), result.text).toEqual([]);
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

  it(`ends every run with a result, never an exception (${MUTATIONS_PER_FLOW} byte and structure mutations per flow, fixed seed)`, () => {
    const rand = random(0x5eed);
    let runs = 0;
    for (const file of files) {
      const original = readFileSync(conformancePath(file), 'utf8');
      let text = original;
      for (let i = 0; i < MUTATIONS_PER_FLOW; i += 1) {
        // Mutations accumulate for a while, then start again from the original file.
        if (i % 10 === 0) text = original;
        text = rand() < 0.7 ? mutateBytes(text, rand) : mutateStructure(text, rand);
        exercise(text, rand);
        runs += 1;
      }
    }
    expect(runs).toBe(files.length * MUTATIONS_PER_FLOW);
  }, 120_000);
});
