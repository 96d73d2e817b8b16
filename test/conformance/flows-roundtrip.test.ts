import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addStep, deleteStep, loadFlow, parseFlow, renameStep, setPayloadField } from '../../src/shared/flow';
import { conformancePath, hasConformance } from '../support/conformance';

const flowFiles = hasConformance
  ? ['flows/valid', 'flows/invalid'].flatMap((dir) =>
      readdirSync(conformancePath(dir))
        .filter((name) => name.endsWith('.ygtc'))
        .map((name) => `${dir}/${name}`),
    )
  : [];

describe.skipIf(!hasConformance)('corpus flows survive editing', () => {
  for (const file of flowFiles) {
    const text = () => readFileSync(conformancePath(file), 'utf8');

    it(`${file}: an edit and its inverse give back the same bytes`, () => {
      const original = text();
      const loaded = loadFlow(original);
      const first = loaded.ir?.nodes[0];
      if (!first) throw new Error(`${file} has no nodes`);
      const renamed = renameStep(original, first.id, 'renamed_node');
      expect(renamed.ok).toBe(true);
      if (!renamed.ok) return;
      expect(renamed.text).not.toBe(original);
      const back = renameStep(renamed.text, 'renamed_node', first.id);
      expect(back.ok && back.text).toBe(original);
    });

    it(`${file}: adding then deleting a step gives back the same bytes`, () => {
      const original = text();
      const last = loadFlow(original).ir?.nodes.at(-1);
      if (!last) throw new Error(`${file} has no nodes`);
      const added = addStep(original, { after: last.id, id: 'probe', opKey: 'emit.log', payload: { text: 'probe' } });
      expect(added.ok).toBe(true);
      if (!added.ok) return;
      const reloaded = loadFlow(added.text);
      expect(reloaded.diagnostics.filter((d) => d.kind === 'Yaml')).toEqual([]);
      expect(reloaded.ir?.nodes.map((n) => n.id)).toContain('probe');
      const removed = deleteStep(added.text, 'probe', 'splice');
      expect(removed.ok).toBe(true);
      if (!removed.ok) return;
      expect(removed.text).toBe(original);
    });

    it(`${file}: a payload edit changes only the edited node`, () => {
      const original = text();
      const ir = loadFlow(original).ir;
      const node = ir?.nodes.find((n) => n.opKey !== null && typeof n.payload === 'object' && n.payload !== null && !Array.isArray(n.payload));
      if (!ir || !node) throw new Error(`${file} has no node with a mapping payload`);
      const edited = setPayloadField(parseFlow(original), node.id, ['studio_probe'], 'value');
      expect(edited.ok).toBe(true);
      if (!edited.ok) return;
      const after = loadFlow(edited.text).ir;
      expect((after?.nodes.find((n) => n.id === node.id)?.payload as Record<string, unknown>).studio_probe).toBe('value');
      for (const other of ir.nodes.filter((n) => n.id !== node.id)) {
        expect(after?.nodes.find((n) => n.id === other.id)?.raw).toEqual(other.raw);
      }
      expect(edited.text.startsWith(original.slice(0, node.range.offset))).toBe(true);
    });
  }
});
