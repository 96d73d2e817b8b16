import { describe, expect, it } from 'vitest';
import { compileFlow, firstError, type Routing } from '../../../src/shared/flow';
import { flow } from './helpers';

const header = ['id: demo', 'type: messaging'];

function routingOf(...routing: string[]): Routing | undefined {
  const text = flow(...header, 'nodes:', '  a:', '    qa.process: {}', ...routing.map((l) => `    ${l}`), '  b:', '    qa.process: {}', '  c:', '    qa.process: {}');
  const result = compileFlow(text);
  expect(result.diagnostics).toEqual([]);
  return result.flow?.nodes[0]?.routing;
}

describe('routing compilation (flow-format §4.2)', () => {
  it('compiles shorthands and absent routing', () => {
    expect(routingOf('routing: out')).toBe('end');
    expect(routingOf('routing: reply')).toBe('reply');
    expect(routingOf()).toBe('end');
    expect(routingOf('routing: []')).toBe('end');
  });

  it('keeps any list with a condition as Custom, verbatim', () => {
    expect(routingOf('routing:', '  - condition: in.text == "hi"', '    to: b', '  - to: c')).toEqual({
      custom: [{ condition: 'in.text == "hi"', to: 'b' }, { to: 'c' }],
    });
  });

  it('compiles single routes: reply, status (Custom), out, next', () => {
    expect(routingOf('routing:', '  - reply: true')).toBe('reply');
    expect(routingOf('routing:', '  - status: ok', '    to: b')).toEqual({ custom: [{ status: 'ok', to: 'b' }] });
    expect(routingOf('routing:', '  - out: true')).toBe('end');
    expect(routingOf('routing:', '  - to: out')).toBe('end');
    expect(routingOf('routing:', '  - to: b')).toEqual({ next: { node_id: 'b' } });
  });

  it('compiles several plain routes to a Branch whose default is the last route without status', () => {
    expect(routingOf('routing:', '  - status: ok', '    to: b', '  - to: c')).toEqual({ branch: { on_status: { ok: 'b' }, default: 'c' } });
    expect(routingOf('routing:', '  - to: b', '  - to: c')).toEqual({ branch: { on_status: {}, default: 'c' } });
  });

  it('falls back to Custom for mixed lists', () => {
    expect(routingOf('routing:', '  - status: ok', '    to: b', '  - out: true')).toEqual({ custom: [{ status: 'ok', to: 'b' }, { out: true }] });
  });

  it('checks targets of conditional routes at compile time, including the literal out', () => {
    const text = flow(...header, 'nodes:', '  a:', '    qa.process: {}', '    routing:', '      - condition: x == "1"', '        to: out');
    const error = firstError(compileFlow(text).diagnostics);
    expect(error).toMatchObject({ kind: 'MissingNode', message: "Missing node 'out' referenced in routing from 'a' at nodes.a.routing" });
  });
});

describe('node compilation (flow-format §10.1)', () => {
  it('wraps component ops in component.exec with the op key as operation', () => {
    const node = compileFlow(flow(...header, 'nodes:', '  a:', '    qa.process: {welcome: hi}')).flow?.nodes[0];
    expect(node).toEqual({
      id: 'a',
      component: { id: 'component.exec', pack_alias: null, operation: 'qa.process' },
      input: { mapping: { welcome: 'hi' } },
      output: { mapping: {} },
      routing: 'end',
      telemetry: { attributes: {} },
    });
  });

  it('keeps mcp, questions, template and dw.* as their own component ids', () => {
    const text = flow(
      ...header,
      'nodes:',
      '  m:',
      '    mcp: {server: s, tool: t}',
      '    routing: [{to: q}]',
      '  q:',
      '    questions: {fields: []}',
      '    routing: [{to: d}]',
      '  d:',
      '    dw.agent: {user_text: hi}',
      '    operation: support',
    );
    const nodes = compileFlow(text).flow?.nodes ?? [];
    expect(nodes.map((n) => n.component)).toEqual([
      { id: 'mcp', pack_alias: null, operation: null },
      { id: 'questions', pack_alias: null, operation: null },
      { id: 'dw.agent', pack_alias: null, operation: 'support' },
    ]);
  });

  it('reads in_map, out_map, err_map and the operation sibling', () => {
    const text = flow(...header, 'nodes:', '  s:', '    component.exec: {component: c}', '    operation: run', '    in_map: {a: 1}', '    out_map: {b: 2}', '    err_map: {c: 3}');
    const node = compileFlow(text).flow?.nodes[0];
    expect(node).toMatchObject({ component: { id: 'component.exec', operation: 'run' }, input: { mapping: { a: 1 } }, output: { mapping: { b: 2 } }, err_map: { mapping: { c: 3 } } });
  });

  it('takes the last non-mapping key as the op key, like upstream (meta after the op key)', () => {
    const node = compileFlow(flow(...header, 'nodes:', '  a:', '    qa.process: {}', '    meta: {}')).flow?.nodes[0];
    expect(node?.component.operation).toBe('meta');
  });

  it('keeps the op key as component in legacy mode', () => {
    const node = compileFlow(flow(...header, 'schema_version: 1', 'nodes:', '  a:', '    qa.process: {}')).flow?.nodes[0];
    expect(node?.component).toEqual({ id: 'qa.process', pack_alias: null, operation: null });
  });

  it('substitutes parameters.* strings with typed values and reports unknown ones as Internal', () => {
    const base = [...header, 'parameters:', '  days: 3', '  nested: {key: v}', 'nodes:', '  a:', '    qa.process:'];
    const compiled = compileFlow(flow(...base, '      days: parameters.days', '      key: parameters.nested.key', '      keep: in.q_location'));
    expect(compiled.flow?.nodes[0]?.input.mapping).toEqual({ days: 3, key: 'v', keep: 'in.q_location' });
    const error = firstError(compileFlow(flow(...base, '      days: parameters.weeks')).diagnostics);
    expect(error).toMatchObject({ kind: 'Internal', range: { line: 9 } });
    expect(error?.message).toContain('Unknown parameters.weeks at nodes.a.qa.process.days');
  });
});

describe('flow compilation', () => {
  it('maps flow types and rejects those the compiler does not know', () => {
    const kind = (type: string) => compileFlow(flow('id: f', `type: ${type}`, 'nodes:', '  a:', '    qa.process: {}')).flow?.kind;
    expect([kind('messaging'), kind('events'), kind('event'), kind('component-config'), kind('job'), kind('http')]).toEqual([
      'messaging',
      'event',
      'event',
      'component_config',
      'job',
      'http',
    ]);
    const error = firstError(compileFlow(flow('id: f', 'type: webhook', 'nodes:', '  a:', '    qa.process: {}')).diagnostics);
    expect(error).toMatchObject({ kind: 'UnknownFlowType', message: "Unknown flow type 'webhook' at type", range: { line: 2, col: 7 } });
  });

  it('rejects flow ids outside the runtime charset', () => {
    const error = firstError(compileFlow(flow('id: my flow', 'type: messaging', 'nodes:', '  a:', '    qa.process: {}')).diagnostics);
    expect(error).toMatchObject({ kind: 'InvalidIdentifier' });
    expect(error?.message).toContain("Invalid identifier for flow 'my flow'");
  });

  it('adds entrypoints.default from the start rule unless given, and sorts tags', () => {
    const compiled = compileFlow(flow(...header, 'tags: [b, a, b]', 'entrypoints: {telegram: a}', 'nodes:', '  a:', '    qa.process: {}'));
    expect(compiled.flow?.entrypoints).toEqual({ default: 'a', telegram: 'a' });
    expect(compiled.flow?.metadata.tags).toEqual(['a', 'b']);
    const explicit = compileFlow(flow(...header, 'entrypoints: {default: b}', 'nodes:', '  a:', '    qa.process: {}', '  b:', '    qa.process: {}'));
    expect(explicit.flow?.entrypoints).toEqual({ default: 'b' });
  });

  it('carries parameters and slot_schema into metadata.extra', () => {
    const compiled = compileFlow(flow(...header, 'parameters: {k: 1}', 'slot_schema:', '  - {name: city, slot_type: string, pattern: "^[A-Z]"}', 'nodes:', '  a:', '    qa.process: {}'));
    expect(compiled.flow?.metadata.extra).toEqual({ k: 1, 'greentic.slot_schema': [{ name: 'city', slot_type: 'string', pattern: '^[A-Z]' }] });
  });

  it('applies the slot_schema rules of schema and compiler', () => {
    const slots = (...items: string[]) => firstError(compileFlow(flow(...header, 'slot_schema:', ...items.map((i) => `  - ${i}`), 'nodes:', '  a:', '    qa.process: {}')).diagnostics);
    expect(slots('{name: a, slot_type: string}')?.message).toContain("missing required property 'pattern'");
    expect(slots('{name: a, slot_type: string, pattern: ""}')?.message).toContain('shorter than 1 character');
    expect(slots('{name: a, slot_type: enum}')?.message).toContain("missing required property 'enum_values'");
    expect(slots('{name: a, slot_type: enum, enum_values: []}')?.message).toContain('has less than 1 item');
    expect(slots('{name: a, slot_type: number}', '{name: a, slot_type: date}')?.message).toBe("slot_schema[1]: duplicate slot name 'a'");
    expect(slots('{name: a, slot_type: string, pattern: "("}')?.message).toContain("slot_schema[0]: invalid regex pattern for slot 'a'");
    expect(slots('{name: a, slot_type: number}', '{name: b, slot_type: enum, enum_values: [x]}')).toBeUndefined();
  });
});
