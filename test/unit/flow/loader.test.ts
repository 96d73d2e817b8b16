import { describe, expect, it } from 'vitest';
import { compileFlow, decodeFlowBytes, loadFlow } from '../../../src/shared/flow';
import { flow, upstreamError } from './helpers';

const header = ['id: demo', 'type: messaging'];

describe('upstream load rules', () => {
  it('reports a missing type as Schema with upstream text, pointer and position', () => {
    const error = upstreamError(flow('id: x', 'nodes:', '  a:', '    qa.process: {}'));
    expect(error).toMatchObject({ kind: 'Schema', pointer: '/type', message: "<inline>/type: missing required property 'type'" });
  });

  it('treats a document that is not a mapping as missing its type, as upstream does', () => {
    expect(upstreamError('- a\n- b\n')?.kind).toBe('Schema');
    expect(upstreamError('')?.message).toContain("missing required property 'type'");
  });

  it('rejects two op keys with NodeComponentShape at the node id, but accepts component.exec with pack_alias', () => {
    const error = upstreamError(flow(...header, 'nodes:', '  x:', '    qa.process: {}', '    emit.log: {}'));
    expect(error).toMatchObject({ kind: 'NodeComponentShape', range: { line: 4, col: 3 } });
    expect(error?.message).toContain("Node 'x' must contain exactly one component key");
    expect(upstreamError(flow(...header, 'nodes:', '  x:', '    component.exec: {component: c}', '    pack_alias: p'))).toBeUndefined();
  });

  it('rejects a node with only reserved keys', () => {
    expect(upstreamError(flow(...header, 'nodes:', '  x:', '    routing: out'))?.kind).toBe('NodeComponentShape');
  });

  it('skips the shape and schema checks in legacy mode (schema_version 1)', () => {
    const legacy = flow(...header, 'schema_version: 1', 'nodes:', '  x:', '    qa.process: {}', '    emit.log: {}');
    expect(upstreamError(legacy)).toBeUndefined();
  });

  it('loads an empty nodes map without schema validation (skeletons)', () => {
    expect(upstreamError(flow(...header, 'nodes: {}'))).toBeUndefined();
    expect(upstreamError(flow(...header))).toBeUndefined();
  });

  it('reports schema violations with pointer, jsonschema-style message and the position of the value', () => {
    const error = upstreamError(flow(...header, 'nodes:', '  a:', '    qa.process: {}', '    telemetry:', '      span_name: 5'));
    expect(error).toMatchObject({ kind: 'Schema', pointer: '/nodes/a/telemetry/span_name', range: { line: 7, col: 18 } });
    expect(error?.message).toBe('<inline>/nodes/a/telemetry/span_name: 5 is not of type "string"');
  });

  it('rejects node ids the schema does not allow, naming the key', () => {
    const error = upstreamError(flow(...header, 'nodes:', '  1st:', '    qa.process: {}'));
    expect(error?.message).toContain("Additional properties are not allowed ('1st' was unexpected)");
    expect(error?.range).toMatchObject({ line: 4, col: 3 });
  });

  it('rejects the old mcp:server/tool op key through the schema', () => {
    expect(upstreamError(flow(...header, 'nodes:', '  a:', '    mcp:github/get_issue: {}'))?.kind).toBe('Schema');
  });

  it('rejects a routing shorthand other than out/reply (schema first, Routing in legacy mode)', () => {
    const text = (version: number) => flow(...header, `schema_version: ${version}`, 'nodes:', '  a:', '    qa.process: {}', '    routing: sideways');
    expect(upstreamError(text(2))?.kind).toBe('Schema');
    const legacy = upstreamError(text(1));
    expect(legacy?.kind).toBe('Routing');
    expect(legacy?.message).toContain("invalid routing shorthand 'sideways'");
  });

  it("rejects 'next:' in a route as Schema with our message and a quick fix", () => {
    const text = flow(...header, 'nodes:', '  a:', '    qa.process: {}', '    routing:', '      - next: b', '  b:', '    qa.process: {}');
    const error = upstreamError(text);
    expect(error).toMatchObject({ kind: 'Schema', code: 'route_key_typo', pointer: '/nodes/a/routing/0/next' });
    expect(error?.message).toContain("route key 'next' is not supported; use 'to'");
    const [edit] = error?.fix?.edits ?? [];
    const fixed = edit ? text.slice(0, edit.offset) + edit.text + text.slice(edit.endOffset) : text;
    expect(loadFlow(fixed).ok).toBe(true);
  });

  it('checks the MCP payload in upstream order: object, server, tool, arguments, output', () => {
    const mcp = (...payload: string[]) => upstreamError(flow(...header, 'nodes:', '  m:', '    mcp:', ...payload.map((l) => `      ${l}`)));
    expect(mcp('server: gh', 'tool: t', 'output: 5')?.message).toBe("Invalid MCP node 'm' at nodes.m: MCP node config 'output' must be a string");
    expect(mcp('server: gh', 'tool: t', 'arguments: [1]')?.message).toContain("'arguments' must be an object");
    expect(mcp('server: ""', 'tool: t')?.message).toContain("'server' must be a non-empty string");
    expect(mcp('server: gh')?.message).toContain("'tool' must be a non-empty string");
    expect(upstreamError(flow(...header, 'nodes:', '  m:', '    mcp: text'))?.message).toContain('MCP node config must be an object');
    expect(mcp('server: gh', 'tool: t', 'arguments: {a: 1}', 'output: issue')).toBeUndefined();
  });

  it('reports every missing route target with the position of the target, except the literal out', () => {
    const loaded = loadFlow(flow(...header, 'nodes:', '  a:', '    qa.process: {}', '    routing:', '      - to: out', '      - to: ghost', '      - to: phantom'), { lints: false });
    expect(loaded.diagnostics.map((d) => [d.kind, d.range.line])).toEqual([
      ['MissingNode', 8],
      ['MissingNode', 9],
    ]);
  });

  it('reports every error it can, in pipeline order, so the first is upstream’s', () => {
    const loaded = loadFlow(flow('id: demo', 'nodes:', '  a:', '    qa.process: {}', '    emit.log: {}', '    routing:', '      - to: ghost'), { lints: false });
    expect(loaded.diagnostics.map((d) => d.kind)).toEqual(['Schema', 'NodeComponentShape', 'MissingNode']);
  });

  it('applies the start rule: start, else a node named in, else the first node', () => {
    const nodes = ['nodes:', '  first:', '    qa.process: {}', '  in:', '    qa.process: {}'];
    expect(loadFlow(flow(...header, 'start: first', ...nodes)).ir?.resolvedStart).toBe('first');
    expect(loadFlow(flow(...header, ...nodes)).ir?.resolvedStart).toBe('in');
    expect(loadFlow(flow(...header, 'nodes:', '  b:', '    qa.process: {}', '  c:', '    qa.process: {}')).ir?.resolvedStart).toBe('b');
  });
});

describe('YAML robustness', () => {
  it('turns syntax errors into Yaml diagnostics with line and column', () => {
    const loaded = loadFlow('id: x\ntype: [unclosed\n');
    expect(loaded.ok).toBe(false);
    expect(loaded.ir).toBeNull();
    expect(loaded.diagnostics[0]).toMatchObject({ kind: 'Yaml', code: 'yaml_syntax' });
    expect(loaded.diagnostics[0]?.range.line).toBeGreaterThan(0);
  });

  it('bounds alias expansion (billion laughs) with a Yaml diagnostic', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i += 1) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const loaded = loadFlow(flow(...lines));
    expect(loaded.diagnostics[0]).toMatchObject({ kind: 'Yaml', code: 'yaml_alias_limit' });
  });

  it('refuses texts above the size limit without parsing them', () => {
    const loaded = loadFlow('#'.repeat(8 * 1024 * 1024 + 1));
    expect(loaded.diagnostics[0]).toMatchObject({ kind: 'Yaml', code: 'yaml_too_large' });
  });

  it('survives deep nesting', () => {
    const loaded = loadFlow(`id: x\ntype: messaging\nnodes: ${'['.repeat(20000)}${']'.repeat(20000)}\n`);
    expect(loaded.diagnostics.length).toBeGreaterThan(0);
  });

  it('refuses a repeated key with upstream\'s message and both positions, the first repeat first', () => {
    const loaded = loadFlow(flow(...header, 'type: messaging', 'nodes:', '  a:', '    qa.process: {}', '    qa.process: {}'), { sourceName: 'f.ygtc' });
    expect(loaded.ok).toBe(false);
    const repeats = loaded.diagnostics.filter((d) => d.code === 'yaml_duplicate_key');
    expect(repeats.map((d) => [d.severity, d.kind, d.range.line, d.range.col])).toEqual([
      ['error', 'Yaml', 3, 1],
      ['error', 'Yaml', 7, 5],
    ]);
    expect(loaded.diagnostics[0]?.message).toBe('YAML parse error at f.ygtc:3:1: duplicate entry with key "type" (first defined at line 2 column 1) at line 3 column 1');
    expect(compileFlow(flow(...header, 'nodes: {}', 'nodes: {}')).flow).toBeNull();
    const keys = loadFlow(flow(...header, 'nodes: {}', 'x:', '  1: a', '  1: b', '  true: a', '  true: b', '  ~: a', '  ~: b', '  "q\\"t": a', '  "q\\"t": b'));
    expect(keys.diagnostics.filter((d) => d.code === 'yaml_duplicate_key').map((d) => d.message.replace(/^.*duplicate entry (.*) \(first.*$/, '$1'))).toEqual([
      'with key 1',
      'with key `true`',
      'with null key',
      'with key "q\\"t"',
    ]);
    expect(loadFlow(flow(...header, 'nodes: {}', 'x:', '  "1": a', '  1: b')).diagnostics.some((d) => d.code === 'yaml_duplicate_key')).toBe(false);
  });

  it('handles a BOM and tabs as upstream: a leading BOM is skipped, tabs may not indent', () => {
    const text = flow(...header, 'nodes:', '  a:', '    emit.response: { text: "tab\there" }', '    routing: out');
    expect(loadFlow(`\uFEFF${text}`).ok).toBe(true);
    expect(loadFlow(text.replace('id: demo', 'id:\tdemo')).ok).toBe(true);
    const indented = loadFlow(text.replace('    routing', '\trouting'));
    expect(indented.ok).toBe(false);
    expect(indented.diagnostics[0]).toMatchObject({ kind: 'Yaml', message: expect.stringMatching(/Tabs are not allowed as indentation/) });
  });

  it('refuses bytes that are not UTF-8, saying where the first one is', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('id: x\ntype: messaging\ntitle: caf'), 0xe9, 0x0a]);
    const decoded = decodeFlowBytes(bytes, 'f.ygtc');
    expect(decoded).toMatchObject({
      problem: { severity: 'error', kind: 'Internal', code: 'invalid_utf8', range: { line: 3, col: 11 } },
    });
    expect('problem' in decoded && decoded.problem.message).toBe('failed to read f.ygtc: stream did not contain valid UTF-8 (byte 0xe9 at line 3 column 11)');
    for (const bad of [[0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]]) {
      expect(decodeFlowBytes(new Uint8Array([0x61, ...bad]), 'f')).toMatchObject({ problem: { range: { col: 2 } } });
    }
    expect(decodeFlowBytes(new TextEncoder().encode('\uFEFFid: é ✓ 😀'), 'f')).toEqual({ text: '\uFEFFid: é ✓ 😀' });
  });

  it('treats keys such as constructor and __proto__ as data', () => {
    const loaded = loadFlow(flow(...header, 'nodes:', '  constructor:', '    __proto__: {}', '    routing:', '      - toString: x'));
    expect(loaded.ok).toBe(false);
    expect(loaded.diagnostics.some((d) => d.message.includes("'toString' was unexpected"))).toBe(true);
  });
});
