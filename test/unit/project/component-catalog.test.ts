import { describe, expect, it } from 'vitest';
import type { ComponentEntry, ComponentSummary } from '../../../src/shared/api';
import { loadFlow } from '../../../src/shared/flow';
import { catalogComponents } from '../../../src/renderer/src/catalog/components';
import { configSchemaForNode, schemaForNode } from '../../../src/renderer/src/catalog/op-schema';
import { paletteItems } from '../../../src/renderer/src/catalog/palette-items';

function manifest(id: string, operations: ComponentEntry['operations']): ComponentEntry {
  return { id, name: id.split('.').pop() ?? id, version: '1.0.0', manifestPath: `components/${id}/component.manifest.json`, operations };
}

function described(id: string, operations: Array<{ name: string; inputSchema: unknown }>): ComponentSummary {
  return {
    id,
    origin: `components/${id}.wasm`,
    abi: '0.6',
    version: '2.0.0',
    operations: operations.map((op) => ({ ...op, outputSchema: null })),
    configSchema: null,
    devFlows: null,
    imports: [],
    secrets: [],
    limits: { wallTimeMs: 1000, memoryMb: 16 },
    error: null,
  };
}

const TEXT_INPUT = { type: 'object', properties: { text: { type: 'string' } } };

describe('the component catalog of the palette and the inspector', () => {
  it("keeps a manifest's operations and schemas, and takes describe() where the manifest is silent", () => {
    const catalog = catalogComponents(
      [manifest('acme.full', [{ name: 'greet', inputSchema: TEXT_INPUT }]), manifest('acme.bare', []), manifest('acme.partial', [{ name: 'run', inputSchema: {} }])],
      [
        described('acme.full', [{ name: 'greet', inputSchema: { type: 'string' } }]),
        described('acme.bare', [{ name: 'echo', inputSchema: TEXT_INPUT }]),
        described('acme.partial', [{ name: 'run', inputSchema: TEXT_INPUT }, { name: 'stop', inputSchema: null }]),
        described('acme.wasm-only', [{ name: 'count', inputSchema: { type: 'string' } }]),
      ],
    );
    expect(catalog.map((c) => [c.id, c.operations.map((op) => `${op.name}:${op.source}`)])).toEqual([
      ['acme.bare', ['echo:describe()']],
      ['acme.full', ['greet:manifest']],
      ['acme.partial', ['run:describe()', 'stop:describe()']],
      ['acme.wasm-only', ['count:describe()']],
    ]);
    expect(catalog.find((c) => c.id === 'acme.full')?.operations[0]?.inputSchema).toEqual(TEXT_INPUT);
    expect(catalog.find((c) => c.id === 'acme.wasm-only')?.version).toBe('2.0.0');
  });

  it('offers the operations describe() documents in the palette and their schema in the inspector', () => {
    const catalog = catalogComponents([manifest('acme.bare', [])], [described('acme.bare', [{ name: 'echo', inputSchema: TEXT_INPUT }])]);
    expect(paletteItems(catalog).filter((item) => item.group === 'Components').map((item) => [item.title, item.payload])).toEqual([
      ['bare · echo', { component: 'acme.bare', operation: 'echo', input: {} }],
    ]);
    const node = loadFlow('id: f\ntype: messaging\nnodes:\n  step:\n    component.exec:\n      component: acme.bare\n      operation: echo\n      input: {}\n').ir?.nodes[0];
    if (!node) throw new Error('no node');
    expect(schemaForNode(node, catalog)).toEqual({ schema: TEXT_INPUT, at: ['input'], source: 'acme.bare echo (describe())' });
    // Before describe() answers, the manifest alone knows no operation: only component.exec's own fields are offered.
    expect(schemaForNode(node, catalogComponents([manifest('acme.bare', [])], []))?.source).toBe('component.exec (built-in)');
  });

  it('finds the operation of a node whose op key is <component id>.<operation>, as the sample flow writes it', () => {
    const catalog = catalogComponents([manifest('studio.sample.text-tools', [{ name: 'stats', inputSchema: { type: 'string' } }])], []);
    const node = loadFlow('id: f\ntype: messaging\nnodes:\n  count:\n    studio.sample.text-tools.stats:\n      input: "{{in.text}}"\n').ir?.nodes[0];
    if (!node) throw new Error('no node');
    expect(schemaForNode(node, catalog)).toEqual({ schema: { type: 'string' }, at: ['input'], source: 'studio.sample.text-tools stats (manifest)' });
  });
});

describe('the configuration form of a step', () => {
  const CONFIG = { type: 'object', properties: { mode: { type: 'string', enum: ['loud', 'quiet'] } }, required: ['mode'] };
  const node = (opKey: string) => loadFlow(`id: f\ntype: messaging\nnodes:\n  a:\n    ${opKey}:\n      input: hi\n`).ir!.nodes[0]!;

  it("draws a step's config from its component's config_schema, the manifest's first, else describe()'s", () => {
    const fromManifest = catalogComponents([{ ...manifest('acme.tool', [{ name: 'run', inputSchema: null }]), configSchema: CONFIG }], []);
    expect(configSchemaForNode(node('acme.tool.run'), fromManifest)).toMatchObject({ raw: CONFIG, component: 'acme.tool' });
    const fromDescribe = catalogComponents([], [{ ...described('acme.tool', [{ name: 'run', inputSchema: null }]), configSchema: CONFIG }]);
    expect(configSchemaForNode(node('acme.tool.run'), fromDescribe)?.raw).toEqual(CONFIG);
  });

  it('draws nothing for a schema without fields or a step of another component', () => {
    const empty = catalogComponents([{ ...manifest('acme.tool', [{ name: 'run', inputSchema: null }]), configSchema: { type: 'object', properties: {} } }], []);
    expect(configSchemaForNode(node('acme.tool.run'), empty)).toBeNull();
    expect(configSchemaForNode(node('other.run'), empty)).toBeNull();
  });
});
