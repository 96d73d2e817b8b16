import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/conformance';
import { CHILD_FLOW, PARENT_FLOW } from '../debug/nested-flows';
import { cli } from './cli-support';

const sample = path.join(repoRoot, 'resources', 'sample-project');

/** A folder with a flow calling another one. */
function nestedFolder(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'chat-debug-'));
  writeFileSync(path.join(folder, 'parent.ygtc'), PARENT_FLOW);
  writeFileSync(path.join(folder, 'child.ygtc'), CHILD_FLOW);
  return folder;
}

function jsonLines(out: string): Array<Record<string, unknown>> {
  return out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('greentic-studio chat --break', () => {
  it('prints each pause as one JSON line, takes :print and :set, and runs the node with the edit', async () => {
    const input = ['hi', ':print /input', ':set /input/text "Hi there"', ':print /input/text', ':c', 'Ada', ':n', ':c', ''].join('\n');
    const { code, out, err } = await cli(['chat', sample, '--break', 'greet,welcome', '--json'], input);
    expect(code).toBe(0);
    const lines = jsonLines(out);
    expect(Object.keys(lines[0] ?? {})).toEqual(['event', 'node', 'input', 'state']);
    expect(lines[0]).toMatchObject({ event: 'paused', node: 'greet', input: { text: 'Hello! You said "hi". What\'s your name?' }, state: { nodes: {}, vars: {} } });
    expect(((lines[0]?.state as { entry: { input: { text: string } } }).entry.input.text)).toBe('hi');
    expect(lines[1]).toEqual({ text: 'Hello! You said "hi". What\'s your name?' });
    expect(lines[2]).toBe('Hi there');
    expect(lines[3]).toEqual({ type: 'text', text: 'Hi there' });
    expect(lines[4]).toMatchObject({ event: 'paused', node: 'welcome' });
    expect(Object.keys((lines[4]?.state as { nodes: object }).nodes)).toEqual(['greet', 'say_hello', 'wait_for_name']);
    expect(lines[5]).toMatchObject({ event: 'paused', node: 'menu' });
    expect(lines[6]).toEqual({ type: 'text', text: 'Nice to meet you, Ada!' });
    expect(lines[7]).toMatchObject({ type: 'adaptive_card' });
    expect(lines).toHaveLength(8);
    expect(err).toContain('set /input/text; node greet runs with it');
  });

  it('prints a readable block without --json', async () => {
    const { code, out } = await cli(['chat', path.join(sample, 'flows', 'main.ygtc'), '--break', 'say_hello'], 'hi\n:continue\n');
    expect(code).toBe(0);
    expect(out).toContain('paused before main/say_hello (emit.response): breakpoint\n');
    expect(out).toContain('  input: {"messages":[{"type":"text","text":"Hello! You said \\"hi\\". What\'s your name?"}]}\n');
    expect(out).toContain('  earlier nodes: greet; vars: {}\n');
    expect(out).toContain(':c continue  :n next  :s step in  :out step out  :stop');
    expect(out.indexOf('paused before')).toBeLessThan(out.indexOf('bot> Hello!'));
  });

  it('steps into a called flow and out again, with the call stack', async () => {
    const folder = nestedFolder();
    const { code, out } = await cli(['chat', path.join(folder, 'parent.ygtc'), '--break', 'call'], 'go\n:s\n:out\n:c\n');
    expect(code).toBe(0);
    const pauses = out.split('\n').filter((l) => l.startsWith('paused'));
    expect(pauses).toEqual([
      'paused before parent/call (flow.call): breakpoint',
      'paused before child/work (templating.handlebars): step',
      'paused before parent/after (templating.handlebars): step',
    ]);
    expect(out).toContain('  call stack: parent/call > child/work\n');
    expect(out).toContain('bot> after more child 7 / one go');
  });

  it('sets and clears breakpoints with :break and :clear, in other flows with FLOW/NODE', async () => {
    const folder = nestedFolder();
    const input = [':break child/work', 'one', ':c', ':clear child/work', ':break after', 'two', ':c', ':clear nope', ''].join('\n');
    const { code, out, err } = await cli(['chat', path.join(folder, 'parent.ygtc'), '--json'], input);
    expect(code).toBe(0);
    expect(jsonLines(out).map((l) => (l.event === 'paused' ? `paused ${String(l.node)}` : String(l.text)))).toEqual([
      'paused work',
      'after more child 7 / one one',
      'paused after',
      'after more child 7 / one two',
    ]);
    expect(err).toContain('breakpoint set on child/work');
    expect(err).toContain('breakpoint on child/work cleared');
    expect(err).toContain('flow parent has no node "nope" (its nodes: first, call, after)');
  });

  it('explains what it cannot do, and keeps the turn paused', async () => {
    const input = [':print', 'hi', 'a message while paused', ':set /input/text Hi', ':set /nowhere 1', ':print /input/nope', ':frobnicate', ':stop', ':c', ''].join('\n');
    const { code, out, err } = await cli(['chat', sample, '--break', 'greet', '--json'], input);
    expect(code).toBe(0);
    expect(err).toContain('nothing is paused: the debugger commands work while a turn is paused at a breakpoint');
    expect(err).toContain('the turn is paused at node greet: use :continue, :next, :step, :out or :stop first');
    expect(err).toContain(':set needs a JSON value after the pointer (strings in double quotes)');
    expect(err).toContain(':set changes /input/... or /state/..., not /nowhere');
    expect(err).toContain('nothing at /input/nope');
    expect(err).toContain('unknown debugger command :frobnicate');
    expect(err).toContain('turn stopped: stopped in the debugger at node greet (flow main); the session is as it was before the turn');
    // The stopped turn sent nothing; the message typed while paused was not sent.
    expect(jsonLines(out).map((l) => l.event)).toEqual(['paused']);
  });

  it('stops a turn still paused at the end of input, which is no failure', async () => {
    const { code, out, err } = await cli(['chat', sample, '--break', 'greet', '--json'], 'hi\n');
    expect(code).toBe(0);
    expect(jsonLines(out)).toHaveLength(1);
    expect(err).toContain('turn stopped');
  });

  it('breaks at a failing node with --break-on-error', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'chat-debug-error-'));
    writeFileSync(path.join(folder, 'flow.ygtc'), 'id: broken\ntype: messaging\nnodes:\n  lookup:\n    acme.crm.find: { who: "{{in.input.text}}" }\n    routing: out\n');
    const { code, out, err } = await cli(['chat', path.join(folder, 'flow.ygtc'), '--break-on-error'], 'Ada\n:c\n');
    expect(code).toBe(1);
    expect(out).toContain('paused at broken/lookup (acme.crm.find): failed: component_unavailable: node `lookup` needs component `acme.crm`');
    expect(out).toContain('  input: {"who":"Ada"}');
    expect(err).toContain('turn failed (component_unavailable)');
  });

  it('refuses a breakpoint on a node or flow that does not exist, and a bad --pause-timeout', async () => {
    const unknownNode = await cli(['chat', sample, '--break', 'greet,nope'], 'hi\n');
    expect(unknownNode.code).toBe(2);
    expect(unknownNode.err).toContain('flow main has no node "nope" (its nodes: greet, say_hello');
    const unknownFlow = await cli(['chat', sample, '--break', 'other/greet'], 'hi\n');
    expect(unknownFlow.code).toBe(2);
    expect(unknownFlow.err).toContain('no flow with id "other" for the breakpoint other/greet');
    const badTimeout = await cli(['chat', sample, '--pause-timeout', 'soon'], 'hi\n');
    expect(badTimeout.code).toBe(2);
    expect(badTimeout.err).toContain('--pause-timeout must be a positive whole number of milliseconds');
  });
});
