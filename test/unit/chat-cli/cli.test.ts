import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './cli-support';
import { repoRoot } from '../../support/conformance';

const sample = path.join(repoRoot, 'resources', 'sample-project');

afterEach(() => {
  process.exitCode = undefined;
});

describe('greentic-studio chat', () => {
  it('holds one session until end of input and prints each reply as a JSON line', async () => {
    const { code, out } = await cli(['chat', sample, '--json'], 'hi\nAda\n/submit {"action":"about"}\n');
    expect(code).toBe(0);
    const replies = out.trim().split('\n').map((line) => JSON.parse(line) as { type: string; text?: string; card?: unknown });
    expect(replies.map((r) => r.type)).toEqual(['text', 'text', 'adaptive_card', 'adaptive_card']);
    expect(replies[0]).toEqual({ type: 'text', text: 'Hello! You said "hi". What\'s your name?' });
    expect(replies[1]).toEqual({ type: 'text', text: 'Nice to meet you, Ada!' });
    expect(JSON.stringify(replies[3]?.card)).toContain('About Greentic Studio');
  });

  it('prints readable replies with the card actions to submit', async () => {
    const { code, out } = await cli(['chat', path.join(sample, 'flows', 'main.ygtc'), '--tenant', 'acme', '--user', 'ada'], 'hi\nAda\n');
    expect(code).toBe(0);
    expect(out).toContain('bot> Nice to meet you, Ada!');
    expect(out).toContain('bot> [card] What would you like to know?');
    expect(out).toContain('[About] /submit {"action":"about"}');
  });

  it('reports a malformed submit line and keeps going', async () => {
    const { code, err, out } = await cli(['chat', sample, '--json'], '/submit nope\nhi\n');
    expect(code).toBe(0);
    expect(err).toContain('a submit line is');
    expect(out).toContain('Hello!');
  });

  it('runs the flow file it is given when another file of the folder has the same id', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'same-id-'));
    const flow = (says: string) => `id: main\ntype: messaging\nnodes:\n  hello:\n    emit.response:\n      text: ${says}\n    routing: out\n`;
    writeFileSync(path.join(folder, 'a.ygtc'), flow('from a'));
    writeFileSync(path.join(folder, 'b.ygtc'), flow('from b'));
    const b = await cli(['chat', path.join(folder, 'b.ygtc'), '--json'], 'hi\n');
    expect(b.code).toBe(0);
    expect(b.out).toContain('from b');
    expect(b.out).not.toContain('from a');
    expect((await cli(['chat', path.join(folder, 'a.ygtc'), '--json'], 'hi\n')).out).toContain('from a');
    const byId = await cli(['chat', folder, '--flow', 'main'], 'hi\n');
    expect(byId.code).toBe(2);
    expect(byId.err).toContain('2 flows have id "main" (a.ygtc, b.ygtc)');
  });

  it('exits 1 when a turn failed, after answering every line', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'failing-'));
    writeFileSync(path.join(folder, 'flow.ygtc'), 'id: broken\ntype: messaging\nnodes:\n  hello:\n    emit.response:\n      text: "{{#if}}"\n    routing: out\n');
    const { code, err } = await cli(['chat', path.join(folder, 'flow.ygtc')], 'hi\nagain\n');
    expect(code).toBe(1);
    expect(err.match(/turn failed/g)).toHaveLength(2);
    expect(err).toContain('2 turns failed');
    const ok = await cli(['chat', sample], 'hi\n');
    expect(ok.code).toBe(0);
  });

  it('takes the turn wall time from --turn-timeout, refusing anything but positive milliseconds', async () => {
    expect((await cli(['chat', sample, '--turn-timeout', '60000', '--json'], 'hi\n')).code).toBe(0);
    for (const bad of ['0', '-5', 'soon', '1.5']) {
      const refused = await cli(['chat', sample, '--turn-timeout', bad], 'hi\n');
      expect(refused.code).toBe(2);
      expect(refused.err).toContain('--turn-timeout must be a positive whole number of milliseconds');
    }
  });

  it('exits 2 for a missing target or an unknown flow id', async () => {
    expect((await cli(['chat', path.join(sample, 'missing')])).code).toBe(2);
    const unknown = await cli(['chat', sample, '--flow', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('no flow with id "nope"');
  });
});

describe('greentic-studio test', () => {
  it('passes the sample project transcripts', async () => {
    const { code, out } = await cli(['test', path.join(sample, 'tests')]);
    expect(out).toContain('PASS');
    // text-tools.yaml goes through the sample's WASM component.
    expect(out).toMatch(/PASS .*text-tools\.yaml/);
    expect(out).toMatch(/3 passed, 0 failed/);
    expect(code).toBe(0);
  });

  it('fails with the turn, expected and actual replies and the trace of that turn', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'transcripts-'));
    const file = path.join(folder, 'wrong.yaml');
    writeFileSync(
      file,
      `flow: ${JSON.stringify(path.join(sample, 'flows', 'main.ygtc'))}
turns:
  - user: hi
    bot:
      - text: /What's your name/
  - user: Ada
    bot:
      - text: "Nice to meet you, Bob!"
`,
    );
    const { code, out } = await cli(['test', file]);
    expect(code).toBe(1);
    expect(out).toContain('FAIL');
    expect(out).toContain('turn 2: user "Ada"');
    expect(out).toContain('reply 1: text differs');
    expect(out).toContain('expected 1 replies, got 2');
    expect(out).toContain('{"text":"Nice to meet you, Ada!"}');
    expect(out).toMatch(/main\/welcome \(emit\.response\)/);
    const json = await cli(['test', file, '--json']);
    expect(JSON.parse(json.out.trim())).toMatchObject({ passed: false, failure: { index: 1, problems: expect.any(Array) } });
  });

  it('reports a malformed transcript as a failure and a missing path as a usage error', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'transcripts-'));
    writeFileSync(path.join(folder, 'bad.yaml'), 'flow: x.ygtc\nturns: []\n');
    writeFileSync(path.join(folder, 'regex.yaml'), `flow: x.ygtc\nturns:\n  - user: hi\n    bot:\n      - text: "/(/"\n`);
    const { code, out } = await cli(['test', folder]);
    expect(code).toBe(1);
    expect(out).toContain('turns: Too small');
    expect(out).toContain('invalid regular expression');
    expect((await cli(['test', path.join(folder, 'none')])).code).toBe(2);
  });
});
