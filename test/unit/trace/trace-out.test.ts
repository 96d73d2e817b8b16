import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseUpstreamTrace, type UpstreamTrace } from '../../../src/shared/trace/upstream-trace';
import { traceHash } from '../../../src/shared/trace/trace-hash';
import { runCliCaptured } from '../../support/cli';
import { upstreamStep, upstreamTrace } from '../../support/trace-fixture';
import { startServe } from '../chat-cli/serve-support';
import { call } from '../webchat/support';

let work: string;
beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'studio-trace-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** A project whose flow renders a greeting, emits it, then calls a component the project does not have. */
function project(): string {
  const root = path.join(work, 'shop');
  mkdirSync(path.join(root, 'flows'), { recursive: true });
  writeFileSync(path.join(root, 'pack.yaml'), 'pack_id: shop\nversion: 2.3.4\nkind: application\npublisher: Tests\ncomponents: []\nflows:\n  - id: main\n    file: flows/main.ygtc\n    entrypoints: [default]\nassets: []\n');
  writeFileSync(
    path.join(root, 'flows', 'main.ygtc'),
    'id: main\ntype: messaging\nstart: greet\nnodes:\n  greet:\n    templating.handlebars:\n      text: "Hi {{in.input.text}}"\n    routing:\n      - to: say\n  say:\n    emit.response:\n      messages:\n        - type: text\n          text: "{{prev.text}}"\n    routing:\n      - to: forecast\n  forecast:\n    weather.forecast:\n      city: "{{in.input.text}}"\n    routing: out\n',
  );
  return root;
}

async function chat(argv: string[], input: string) {
  const stdin = Object.getOwnPropertyDescriptor(process, 'stdin');
  Object.defineProperty(process, 'stdin', { value: Readable.from([input]), configurable: true });
  try {
    return await runCliCaptured('chat', ...argv);
  } finally {
    if (stdin) Object.defineProperty(process, 'stdin', stdin);
  }
}

function readTrace(file: string): UpstreamTrace {
  return parseUpstreamTrace(readFileSync(file, 'utf8'));
}

describe('--trace-out', () => {
  it("writes upstream's trace.json of the turn: steps with blake3 hashes, the failing step's error", async () => {
    const root = project();
    const file = path.join(work, 'trace.json');
    const run = await chat([root, '--trace-out', file], 'Ada\n');
    expect(run.code).toBe(1);
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(raw)).toEqual(['trace_version', 'runner_version', 'pack', 'flow', 'steps']);
    const trace = readTrace(file);
    expect(trace.trace_version).toBe(1);
    expect(trace.pack).toEqual({ pack_ref: root });
    expect(trace.flow).toEqual({ id: 'main', version: '2.3.4' });
    expect(trace.steps.map((step) => [step.node_id, step.component_id, step.operation])).toEqual([
      ['greet', 'component.exec', 'templating.handlebars'],
      ['say', 'component.exec', 'emit.response'],
      ['forecast', 'component.exec', 'weather.forecast'],
    ]);
    const [greet, , forecast] = trace.steps;
    expect(Object.keys((raw.steps as Record<string, unknown>[])[0] ?? {})).toEqual(['node_id', 'component_id', 'operation', 'input_hash', 'output_hash', 'duration_ms']);
    expect(greet?.input_hash).toEqual(traceHash({ text: 'Hi Ada' }));
    expect(greet?.output_hash).toEqual(traceHash({ text: 'Hi Ada' }));
    expect(greet?.input_hash.value).toMatch(/^[0-9a-f]{64}$/);
    expect(greet?.invocation_json).toBeUndefined();
    expect(forecast?.output_hash).toBeUndefined();
    expect(forecast?.error).toEqual({ code: 'node_error', message: expect.stringContaining('weather') as string, details: { code: 'component_unavailable' } });
  });

  it('records the invocations with --trace-capture-inputs, and GREENTIC_TRACE_OUT names the file without the flag', async () => {
    const root = project();
    const file = path.join(work, 'env-trace.json');
    process.env.GREENTIC_TRACE_OUT = file;
    try {
      await chat([root, '--trace-capture-inputs'], 'Bo\n');
    } finally {
      delete process.env.GREENTIC_TRACE_OUT;
    }
    const [greet] = readTrace(file).steps;
    expect(greet?.invocation_json).toEqual({ component_id: 'component.exec', operation: 'templating.handlebars', payload: { text: 'Hi Bo' } });
    expect(greet?.output_json).toEqual({ text: 'Hi Bo' });
  });

  it('refuses a trace file in a folder that does not exist, and a capture flag without a file (exit 2)', async () => {
    const root = project();
    const missing = await chat([root, '--trace-out', path.join(work, 'no', 'trace.json')], 'x\n');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--trace-out: no such folder');
    const alone = await chat([root, '--trace-capture-inputs'], 'x\n');
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--trace-capture-inputs needs --trace-out <file>');
  });

  it('test writes the trace of its turns too', async () => {
    const root = project();
    writeFileSync(path.join(root, 'hello.test.yaml'), 'flow: flows/main.ygtc\nturns:\n  - user: Cy\n    bot:\n      - text: Hi Cy\n');
    const file = path.join(work, 'test-trace.json');
    const run = await runCliCaptured('test', path.join(root, 'hello.test.yaml'), '--trace-out', file, '--trace-capture-inputs', 'on');
    expect(run.code).toBe(1);
    const trace = readTrace(file);
    expect(trace.steps.at(-1)?.node_id).toBe('forecast');
    expect(trace.steps[0]?.invocation_json?.payload).toEqual({ text: 'Hi Cy' });
  });
});

describe('serve --trace-out', () => {
  it('writes the trace of a Direct Line turn', async () => {
    const root = project();
    const file = path.join(work, 'serve-trace.json');
    const serve = startServe([root, '--trace-out', file]);
    const ready = await serve.ready();
    const token = await call(ready.directline, 'POST', '/tokens/generate', { bearer: ready.secret });
    const opened = await call(ready.directline, 'POST', '/conversations', { bearer: token.json.token as string });
    expect(opened.status).toBe(201);
    // Opening the conversation runs the flow once (the webchat join), which fails at `forecast`.
    await expect.poll(() => readFileSync(file, 'utf8').includes('"node_id": "forecast"'), { timeout: 10_000 }).toBe(true);
    expect(readTrace(file).steps.map((step) => step.node_id)).toEqual(['greet', 'say', 'forecast']);
    expect(await serve.stop()).toBe(0);
  });
});

describe('greentic-studio replay', () => {
  it('runs the steps again up to the failing one, which fails again (exit 1)', async () => {
    const root = project();
    const file = path.join(work, 'trace.json');
    await chat([root, '--trace-out', file, '--trace-capture-inputs'], 'Ada\n');
    const run = await runCliCaptured('replay', file);
    expect(run.stdout.split('\n')).toEqual([
      'step 1: component.exec templating.handlebars',
      '  output hash matches',
      'step 2: component.exec emit.response',
      // Upstream does not run emit, flow.call or session.wait again: their output counts as null.
      `  divergence: expected output hash ${traceHash({ messages: [{ type: 'text', text: 'Hi Ada' }] }).value}, got ${traceHash(null).value}`,
      'step 3: component.exec weather.forecast',
      '',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('replay failed at step 3: component invoke failed: component `weather` (operation `forecast`) is not in the pack');
  });

  it('says which steps it cannot replay or compare, runs one step with --step, and stops at the failing step', async () => {
    const root = project();
    const step = (nodeId: string, extra: Record<string, unknown>) => upstreamStep(nodeId, 'templating.handlebars', extra);
    // As upstream's runner writes it, with input capture on for the steps that have an invocation.
    const trace = upstreamTrace('shop', { id: 'main', version: '2.3.4' }, [
        step('a', {}),
        step('b', { invocation_json: { component_id: 'component.exec', operation: 'templating.handlebars', payload: { text: 'x' } } }),
        step('c', { invocation_json: { component_id: 'component.exec', operation: 'templating.handlebars', payload: { text: 'y' } }, output_hash: traceHash({ text: 'x' }) }),
        step('d', { invocation_json: { component_id: 'component.exec', operation: 'templating.handlebars', payload: { text: 'z' } }, output_hash: traceHash({ text: 'z' }), error: { code: 'node_error', message: 'boom', details: null } }),
        step('e', { invocation_json: { component_id: 'component.exec', operation: 'templating.handlebars', payload: { text: 'e' } } }),
    ]);
    const file = path.join(work, 'upstream-trace.json');
    writeFileSync(file, JSON.stringify(trace));
    // pack_ref `shop` is relative: found beside the trace.
    const all = await runCliCaptured('replay', file, '--until-failure');
    expect(all.code).toBe(0);
    expect(all.stdout.split('\n')).toEqual([
      'step 1: component.exec templating.handlebars',
      '  missing invocation_json; skipping replay',
      'step 2: component.exec templating.handlebars',
      '  output hash missing; skipping compare',
      'step 3: component.exec templating.handlebars',
      `  divergence: expected output hash ${traceHash({ text: 'x' }).value}, got ${traceHash({ text: 'y' }).value}`,
      'step 4: component.exec templating.handlebars',
      '  output hash matches',
      '  stopping at failing step',
      '',
    ]);
    const one = await runCliCaptured('replay', file, '--step', '3', '--pack', root);
    expect(one.stdout.split('\n')[0]).toBe('step 3: component.exec templating.handlebars');
    expect(one.stdout).not.toContain('step 4');
    expect((await runCliCaptured('replay', file, '--step', '9')).stderr).toContain('--step 9: the trace has 5 steps');
  });

  it('is a usage error (exit 2) for an unreadable trace or a pack that is not there', async () => {
    const bad = path.join(work, 'bad.json');
    writeFileSync(bad, '{"trace_version":1,"pack":{"pack_ref":"x"},"flow":{"id":"f","version":"1"},"steps":[{"node_id":"n"}]}');
    const parsed = await runCliCaptured('replay', bad);
    expect(parsed.code).toBe(2);
    expect(parsed.stderr).toContain('steps[0].component_id: expected a string');
    const nopack = path.join(work, 'nopack.json');
    writeFileSync(nopack, JSON.stringify({ trace_version: 1, pack: { pack_ref: 'gone.gtpack' }, flow: { id: 'f', version: '1' }, steps: [] }));
    const missing = await runCliCaptured('replay', nopack);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('pack path not found; provide --pack (trace pack_ref was gone.gtpack)');
    expect((await runCliCaptured('replay', path.join(work, 'none.json'))).stderr).toContain('failed to read trace');
  });
});
