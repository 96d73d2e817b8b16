import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../support/cli';
import { flow } from './helpers';

const run = runCliCaptured;

const valid = flow('id: main', 'type: messaging', 'start: hello', 'nodes:', '  hello: # greets', '    emit.response: {text: hi}', '    routing: [{to: bye}]', '  bye:', '    emit.response: {text: bye}', '    routing: out');
const invalid = flow('id: broken', 'type: messaging', 'nodes:', '  a:', '    qa.process: {}', '    routing:', '      - to: ghost');

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'flow-cli-'));
  await writeFile(path.join(dir, 'main.ygtc'), valid);
  await writeFile(path.join(dir, 'broken.ygtc'), invalid);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('greentic-studio validate', () => {
  it('exits 0 for valid flows and prints one line per file', async () => {
    const result = await run('validate', path.join(dir, 'main.ygtc'));
    expect(result).toMatchObject({ code: 0, stdout: `${path.join(dir, 'main.ygtc')}: ok\n` });
  });

  it('exits 1 when a flow is invalid, printing path:line:col severity code message', async () => {
    const file = path.join(dir, 'broken.ygtc');
    const result = await run('validate', dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${file}: invalid (1 error)\n`);
    expect(result.stdout).toContain(`${file}:7:13 error missing_node Missing node 'ghost' referenced in routing from 'a' at ${file}::nodes.a.routing\n`);
  });

  it('prints one JSON document with --json', async () => {
    const result = await run('validate', dir, '--json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { ok: boolean; files: Array<{ path: string; ok: boolean; flow_id: string; diagnostics: unknown[] }> };
    expect(report.ok).toBe(false);
    expect(report.files.map((f) => [path.basename(f.path), f.ok, f.flow_id])).toEqual([
      ['broken.ygtc', false, 'broken'],
      ['main.ygtc', true, 'main'],
    ]);
    expect(report.files[0]?.diagnostics[0]).toEqual({
      severity: 'error',
      kind: 'MissingNode',
      code: 'missing_node',
      message: `Missing node 'ghost' referenced in routing from 'a' at ${path.join(dir, 'broken.ygtc')}::nodes.a.routing`,
      line: 7,
      col: 13,
    });
  });

  it('refuses two flows with one id in a folder, naming the other file', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'same-id-'));
    await writeFile(path.join(folder, 'a.ygtc'), valid);
    await writeFile(path.join(folder, 'b.ygtc'), valid);
    const result = await run('validate', folder);
    expect(result.code).toBe(1);
    const [a, b] = [path.join(folder, 'a.ygtc'), path.join(folder, 'b.ygtc')];
    expect(result.stdout).toContain(`${b}:1:5 error duplicate_flow_id flow id 'main' is also the id of ${a}: flow ids must be unique in a project\n`);
    expect(result.stdout).toContain(`${a}:1:5 error duplicate_flow_id flow id 'main' is also the id of ${b}`);
    expect((await run('validate', a)).code).toBe(0);
    await rm(folder, { recursive: true, force: true });
  });

  it('reports a flow file that is not UTF-8 as invalid, at the first bad byte, and checks the others', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'latin1-'));
    await writeFile(path.join(folder, 'a.ygtc'), Buffer.concat([Buffer.from('id: a\ntitle: caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    await writeFile(path.join(folder, 'b.ygtc'), valid);
    const result = await run('validate', folder);
    expect(result.code).toBe(1);
    const a = path.join(folder, 'a.ygtc');
    expect(result.stdout).toContain(`${a}:2:11 error invalid_utf8 failed to read ${a}: stream did not contain valid UTF-8 (byte 0xe9 at line 2 column 11)\n`);
    expect(result.stdout).toContain(`${path.join(folder, 'b.ygtc')}: ok\n`);
    await rm(folder, { recursive: true, force: true });
  });

  it('exits 2 for a path that cannot be read', async () => {
    const result = await run('validate', path.join(dir, 'absent.ygtc'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no such file or folder');
  });
});

describe('greentic-studio flow', () => {
  it('add-step prints the edited flow', async () => {
    const result = await run('flow', 'add-step', path.join(dir, 'main.ygtc'), '--after', 'hello', '--id', 'log', '--op', 'emit.log', '--payload', '{"text":"x"}');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('  hello: # greets\n    emit.response: {text: hi}\n    routing:\n      - to: log\n  log:\n    emit.log:\n      text: x\n    routing:\n      - to: bye\n');
  });

  it('rejects a payload that is not JSON as a usage error, and a missing anchor as a refusal', async () => {
    expect((await run('flow', 'add-step', path.join(dir, 'main.ygtc'), '--after', 'hello', '--id', 'x', '--op', 'a.b', '--payload', '{')).code).toBe(2);
    const refused = await run('flow', 'add-step', path.join(dir, 'main.ygtc'), '--after', 'ghost', '--id', 'x', '--op', 'a.b');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("NODE_MISSING: node 'ghost' does not exist");
  });

  it('rename-step --write rewrites the flow and its sidecars atomically', async () => {
    const file = path.join(dir, 'rename.ygtc');
    await writeFile(file, valid);
    await writeFile(`${file}.resolve.json`, JSON.stringify({ schema_version: 1, flow: 'rename.ygtc', nodes: { hello: { source: { kind: 'repo', ref: 'repo://x' } } } }));
    await writeFile(`${file}.layout.json`, JSON.stringify({ version: 1, nodes: { hello: { x: 1, y: 2 }, bye: { x: 3, y: 4 } } }));
    const result = await run('flow', 'rename-step', file, '--step', 'hello', '--to', 'greet', '--write');
    expect(result.code).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(valid.replace('start: hello', 'start: greet').replace('  hello: # greets', '  greet: # greets'));
    expect(JSON.parse(await readFile(`${file}.resolve.json`, 'utf8')).nodes).toEqual({ greet: { source: { kind: 'repo', ref: 'repo://x' } } });
    expect(JSON.parse(await readFile(`${file}.layout.json`, 'utf8')).nodes).toEqual({ greet: { x: 1, y: 2 }, bye: { x: 3, y: 4 } });
  });

  it('delete-step --write splices and rejects an unknown strategy', async () => {
    const file = path.join(dir, 'delete.ygtc');
    await writeFile(file, valid);
    expect((await run('flow', 'delete-step', file, '--step', 'bye', '--strategy', 'sideways')).code).toBe(2);
    expect((await run('flow', 'delete-step', file, '--step', 'bye', '--write')).code).toBe(0);
    const text = await readFile(file, 'utf8');
    expect(text).toContain('  hello: # greets\n    emit.response: {text: hi}\n    routing: out\n');
    expect(text).not.toContain('bye');
  });
});
