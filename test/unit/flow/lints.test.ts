import { describe, expect, it } from 'vitest';
import { applyTextEdits, checkCondition, loadFlow } from '../../../src/shared/flow';
import { MAX_NODE_ID_LENGTH } from '../../../src/shared/flow/identifiers';
import { codes, flow } from './helpers';

const header = ['id: demo', 'type: messaging'];

describe('condition subset (runtime.md §5.3)', () => {
  it('accepts path == value and path != value, trimming double quotes', () => {
    expect(checkCondition('response.action == "about"')).toEqual({ ok: true, condition: { path: ['response', 'action'], operator: '==', value: 'about' } });
    expect(checkCondition('in.text!=hi')).toEqual({ ok: true, condition: { path: ['in', 'text'], operator: '!=', value: 'hi' } });
  });

  it('explains what the runtime would evaluate as false', () => {
    const reason = (expression: string) => {
      const check = checkCondition(expression);
      return check.ok ? '' : check.reason;
    };
    expect(reason('prev.confidence >= 0.8')).toContain("operator '>=' is not supported");
    expect(reason('flag')).toContain('no == or != comparison');
    expect(reason('items[0] == "a"')).toContain('not a dotted path');
    expect(reason('a == "x" && b == "y"')).toContain('only one comparison');
    expect(reason("a == 'x'")).toContain('single quotes');
  });
});

describe('studio lints', () => {
  it('reports start_node_exists as an error with upstream text, while load and compile pass', () => {
    const loaded = loadFlow(flow(...header, 'start: missing', 'nodes:', '  entry:', '    qa.process: {}'));
    const error = loaded.diagnostics.find((d) => d.code === 'start_node_exists');
    expect(error).toMatchObject({ severity: 'error', kind: 'start_node_exists', message: "start_node_exists: start node 'missing' not found in nodes", range: { line: 3, col: 8 } });
  });

  it('warns about unreachable nodes but counts entrypoints as reachable', () => {
    const text = flow(...header, 'entrypoints: {http: side}', 'nodes:', '  a:', '    qa.process: {}', '  side:', '    qa.process: {}', '  lost:', '    qa.process: {}');
    const unreachable = loadFlow(text).diagnostics.filter((d) => d.code === 'unreachable_node');
    expect(unreachable.map((d) => d.message)).toEqual(["node 'lost' is unreachable: no route from the start node or an entrypoint leads to it"]);
    expect(unreachable[0]?.severity).toBe('warning');
  });

  it('warns about a session.wait that routes nowhere', () => {
    expect(codes(flow(...header, 'nodes:', '  w:', '    session.wait: {reason: r}', '    routing: out'))).toContain('wait_without_successor');
    expect(codes(flow(...header, 'nodes:', '  w:', '    session.wait: {reason: r}', '    routing: [{to: n}]', '  n:', '    qa.process: {}'))).not.toContain('wait_without_successor');
  });

  it('checks flow.call / flow.goto targets against the project, after parameter substitution', () => {
    const text = flow(...header, 'parameters: {sub: answers}', 'nodes:', '  c:', '    flow.call: {flow_id: parameters.sub}', '    routing: [{to: g}]', '  g:', '    flow.goto: {flow: elsewhere}');
    const unknown = loadFlow(text, { knownFlowIds: ['demo', 'answers'] }).diagnostics.filter((d) => d.code === 'unknown_flow');
    expect(unknown.map((d) => [d.message, d.range.line])).toEqual([["node 'g' calls flow 'elsewhere', which is not in the project", 9]]);
    expect(codes(text)).not.toContain('unknown_flow');
  });

  it('warns about parameters.x that names no parameter, at the string', () => {
    const loaded = loadFlow(flow(...header, 'parameters: {a: 1}', 'nodes:', '  n:', '    qa.process:', '      x: parameters.a', '      y: parameters.b'));
    const found = loaded.diagnostics.filter((d) => d.code === 'unknown_parameter');
    expect(found.map((d) => [d.range.line, d.range.col])).toEqual([[8, 10]]);
    expect(loaded.ok).toBe(true);
  });

  it('warns about conditions outside the runtime subset, at the condition', () => {
    const loaded = loadFlow(flow(...header, 'nodes:', '  n:', '    qa.process: {}', '    routing:', '      - condition: prev.confidence >= 0.8', '        to: m', '  m:', '    qa.process: {}'));
    expect(loaded.diagnostics.find((d) => d.code === 'unsupported_condition')?.range).toMatchObject({ line: 7, col: 20 });
  });

  it('suggests routing for a mistyped routing key', () => {
    const text = flow(...header, 'nodes:', '  n:', '    qa.process: {}', '    routes: [{to: m}]', '  m:', '    qa.process: {}');
    const hint = loadFlow(text).diagnostics.find((d) => d.code === 'node_key_typo');
    expect(hint?.message).toContain("key 'routes' looks like a typo of 'routing'");
    const edit = hint?.fix?.edits[0];
    expect(edit && text.slice(0, edit.offset) + edit.text + text.slice(edit.endOffset)).toContain('    routing: [{to: m}]');
  });

  it('warns when a reserved key after the op key would become the compiled operation', () => {
    expect(codes(flow(...header, 'nodes:', '  n:', '    qa.process: {}', '    retry: {}'))).toContain('key_taken_as_operation');
    expect(codes(flow(...header, 'nodes:', '  n:', '    retry: {}', '    qa.process: {}'))).not.toContain('key_taken_as_operation');
  });

  it('warns about entrypoints that name no node', () => {
    expect(codes(flow(...header, 'entrypoints: {default: nowhere}', 'nodes:', '  n:', '    qa.process: {}'))).toContain('entrypoint_missing');
  });

  it('warns about template roots the runtime does not provide', () => {
    const text = flow(...header, 'nodes:', '  n:', '    emit.response:', '      text: "{{ in.text }} {{ flow.owner }} {{#if prev}}x{{/if}}"');
    const found = loadFlow(text).diagnostics.filter((d) => d.code === 'unknown_template_root');
    expect(found.map((d) => d.message)).toEqual([`'{{flow.owner}}' reads 'flow', which the runtime's template context does not have (entry, in, prev, node, state); it renders as ""`]);
  });

  it('notes that status routes are not evaluated', () => {
    expect(codes(flow(...header, 'nodes:', '  n:', '    qa.process: {}', '    routing: [{status: ok, to: m}, {to: m}]', '  m:', '    qa.process: {}'), 'info')).toEqual(['status_not_evaluated']);
  });
});

describe('what the runner would silently skip', () => {
  const messages = (text: string, code: string) => loadFlow(text).diagnostics.filter((d) => d.code === code).map((d) => d.message);

  it('warns that out: true beside a conditional route ends nothing, and fixes it to to: out', () => {
    const text = flow(...header, 'nodes:', '  a:', '    emit.log: {text: y}', '    routing:', '      - condition: in.x == "1"', '        to: b', '      - out: true', '  b:', '    emit.log: {text: y}');
    const warning = loadFlow(text).diagnostics.find((d) => d.code === 'ignored_route');
    expect(warning).toMatchObject({ severity: 'warning', range: { line: 9 }, message: expect.stringContaining("'out: true' does nothing") });
    const fixed = loadFlow(applyTextEdits(text, warning?.fix?.edits ?? []));
    expect(fixed.ir?.nodes[0]?.routes.map((r) => r.doc)).toEqual([{ condition: 'in.x == "1"', to: 'b' }, { to: 'out' }]);
    expect(fixed.diagnostics.filter((d) => d.code === 'ignored_route')).toEqual([]);
  });

  it('warns about routes after an unconditional one, and all but the last of plain targets', () => {
    const shadowed = flow(...header, 'nodes:', '  a:', '    emit.log: {text: y}', '    routing:', '      - to: a', '      - condition: in.x == "1"', '        to: a');
    expect(messages(shadowed, 'ignored_route')).toEqual(["node 'a': route 2 is never reached: the route before it to 'a' has no condition and is always taken"]);
    const plain = flow(...header, 'nodes:', '  a:', '    emit.log: {text: y}', '    routing:', '      - to: a', '      - to: b', '  b:', '    emit.log: {text: y}');
    expect(messages(plain, 'ignored_route')).toEqual(["node 'a': route 1 is never taken: in a list of plain targets the runner follows the last one ('b')"]);
    const single = flow(...header, 'nodes:', '  a:', '    emit.log: {text: y}', '    routing:', '      - out: true');
    expect(messages(single, 'ignored_route')).toEqual([]);
  });

  it('warns about a flow without nodes and about node ids too long to read', () => {
    expect(messages(flow(...header, 'nodes: {}'), 'no_start_node')).toEqual(["flow 'demo' has no nodes, so it has no start node: running it fails with 'flow demo has no start node'"]);
    const long = 'n'.repeat(MAX_NODE_ID_LENGTH + 1);
    expect(messages(flow(...header, 'nodes:', `  ${long}:`, '    emit.log: {text: y}'), 'node_id_too_long')).toHaveLength(1);
    expect(messages(flow(...header, 'nodes:', `  ${'n'.repeat(MAX_NODE_ID_LENGTH)}:`, '    emit.log: {text: y}'), 'node_id_too_long')).toEqual([]);
  });
});

describe('resolve sidecar checks', () => {
  const text = flow(...header, 'nodes:', '  a:', '    qa.process: {}', '    routing: [{to: b}]', '  b:', '    qa.process: {}');
  const sidecar = (nodes: string) => ({ text: `{"schema_version": 1, "flow": "main.ygtc", "nodes": {${nodes}}}`, file: 'main.ygtc.resolve.json', flowFileName: 'main.ygtc' });

  it('reports missing, unused and invalid entries', () => {
    const loaded = loadFlow(text, {
      resolveSidecar: sidecar('"a": {"source": {"kind": "oci", "ref": "oci://localhost/x"}}, "gone": {"source": {"kind": "repo", "ref": "repo://x"}}'),
    });
    const found = loaded.diagnostics.filter((d) => d.code.startsWith('sidecar')).map((d) => [d.code, d.message]);
    expect(found).toEqual([
      ['sidecar_invalid', 'invalid sidecar entries: a: oci:// references must use a public registry host'],
      ['sidecar_missing_entry', 'missing sidecar entries for nodes: b'],
      ['sidecar_unused_entry', 'unused sidecar entries: gone'],
    ]);
    expect(loaded.diagnostics.find((d) => d.code === 'sidecar_unused_entry')?.file).toBe('main.ygtc.resolve.json');
  });

  it('checks local paths and ref prefixes', () => {
    const messages = (entry: string) =>
      loadFlow(text, { resolveSidecar: sidecar(`"a": ${entry}, "b": ${entry}`) }).diagnostics.filter((d) => d.code === 'sidecar_invalid').map((d) => d.message);
    expect(messages('{"source": {"kind": "local", "path": "/abs/x.wasm"}}')[0]).toContain("local component path for node 'a' must be relative");
    expect(messages('{"source": {"kind": "local", "path": "file://../x.wasm", "digest": "sha256:' + 'a'.repeat(64) + '"}}')).toEqual([]);
    expect(messages('{"source": {"kind": "repo", "ref": "oci://x"}}')[0]).toContain('repo reference must start with repo://');
    expect(messages('{"source": {"kind": "local", "path": ""}}')[0]).toContain('local wasm path is empty');
  });
});
