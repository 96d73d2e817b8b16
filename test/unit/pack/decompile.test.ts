import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileFlow, type CompiledFlow, type CompiledNode } from '../../../src/shared/flow';
import { decompileFlow } from '../../../src/shared/flow/decompile';
import { conformancePath, hasConformance } from '../../support/conformance';

function node(id: string, component: CompiledNode['component'], routing: CompiledNode['routing'] = 'end', input: CompiledNode['input']['mapping'] = {}): CompiledNode {
  return { id, component, input: { mapping: input }, output: { mapping: {} }, routing, telemetry: { attributes: {} } };
}

function flow(nodes: CompiledNode[], entrypoints: CompiledFlow['entrypoints'] = { default: nodes[0]?.id ?? null }): CompiledFlow {
  return { schema_version: 'flow-v1', id: 'f', kind: 'messaging', entrypoints, nodes, metadata: { tags: [], extra: {} } };
}

describe('writing a compiled flow back as .ygtc', () => {
  it.runIf(hasConformance)('every valid corpus flow compiles, decompiles and compiles again to the same flow', () => {
    const dir = conformancePath('flows/valid');
    const files = readdirSync(dir).filter((name) => name.endsWith('.ygtc'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const compiled = compileFlow(readFileSync(`${dir}/${file}`, 'utf8')).flow;
      if (!compiled) continue;
      const again = compileFlow(decompileFlow(compiled).text);
      expect(again.diagnostics.filter((d) => d.severity === 'error'), file).toEqual([]);
      expect(again.flow, file).toEqual(compiled);
    }
  });

  it('round-trips routing of every kind, metadata, parameters and telemetry', () => {
    const compiled: CompiledFlow = {
      schema_version: 'flow-v1',
      id: 'orders',
      kind: 'component_config',
      entrypoints: { default: 'ask', 'http:/orders': 'done' },
      nodes: [
        { ...node('ask', { id: 'component.exec', pack_alias: null, operation: 'qa.process' }, { next: { node_id: 'route' } }, { welcome: 'Hi' }), telemetry: { span_name: 'ask', attributes: { team: 'a' } } },
        { ...node('route', { id: 'mcp', pack_alias: null, operation: 'lookup' }, { branch: { on_status: { fail: 'done', ok: 'reply' }, default: 'done' } }, { server: 'crm', tool: 'find' }), output: { mapping: { out: 1 } } },
        { ...node('reply', { id: 'questions', pack_alias: null, operation: null }, 'reply'), err_map: { mapping: { error: true } } },
        node('done', { id: 'component.exec', pack_alias: null, operation: 'emit.response' }, { custom: [{ condition: 'in.x == "y"', to: 'ask' }, { out: true }] }),
      ],
      metadata: { title: 'Orders', description: 'Takes orders', tags: ['a', 'b'], extra: { region: 'eu', 'greentic.slot_schema': [{ name: 'size', slot_type: 'enum', enum_values: ['s', 'm'] }] } },
    };
    const text = decompileFlow(compiled).text;
    expect(text).toContain('type: component-config');
    expect(text).toContain('start: ask');
    expect(compileFlow(text).flow).toEqual(compiled);
  });

  it('names a concrete component in a resolve summary and keeps operations the YAML cannot use as keys', () => {
    const compiled = flow([
      node('card', { id: 'ai.greentic.component-adaptive-card', pack_alias: null, operation: 'run' }, { next: { node_id: 'odd' } }),
      node('odd', { id: 'component.exec', pack_alias: null, operation: 'routing' }, { next: { node_id: 'slash' } }),
      node('slash', { id: 'component.exec', pack_alias: null, operation: 'tools/list' }),
    ]);
    const decompiled = decompileFlow(compiled);
    expect(decompiled.componentIds).toEqual({ card: 'ai.greentic.component-adaptive-card' });
    const again = compileFlow(decompiled.text).flow;
    expect(again?.nodes.map((n) => n.component)).toEqual([
      { id: 'component.exec', pack_alias: null, operation: 'run' },
      { id: 'component.exec', pack_alias: null, operation: 'routing' },
      { id: 'component.exec', pack_alias: null, operation: 'tools/list' },
    ]);
  });
});
