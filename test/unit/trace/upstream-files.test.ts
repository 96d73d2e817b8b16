/** Traces greentic-runner itself wrote (see test/fixtures/upstream-traces/README.md): read, replayed, and matched field for field. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { firstFailingStep, parseUpstreamTrace } from '../../../src/shared/trace/upstream-trace';
import { runCliCaptured } from '../../support/cli';

const FIXTURES = fileURLToPath(new URL('../../fixtures/upstream-traces/', import.meta.url));
const fixture = (name: string) => path.join(FIXTURES, name);

let work: string;
beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'studio-upstream-trace-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe("traces written by upstream's runner", () => {
  it('are read with every field upstream wrote, down to the failing step and its null details', () => {
    const trace = parseUpstreamTrace(readFileSync(fixture('missing-component.trace.json'), 'utf8'));
    expect(trace).toMatchObject({
      trace_version: 1,
      runner_version: '1.3.0-research.0',
      pack: { pack_ref: 'runner.components', resolved_digest: 'sha256:a3195ff0a9befb0192ef4fa7f5aa7fea944c9a9fa58aa25a4e80e9e80b5c36c1' },
      flow: { id: 'demo.flow', version: '0.1.0' },
    });
    expect(trace.steps).toEqual([
      {
        node_id: 'qa',
        component_id: 'component.exec',
        operation: 'invoke',
        input_hash: { algorithm: 'blake3', value: '5e4c9a35118f2302b2941921b16c46633d9f36ca64faf6eab9c0aca799c8f985' },
        duration_ms: 0,
        error: { code: 'node_error', message: "component 'component' not found in pack", details: null },
      },
    ]);
    expect(firstFailingStep(trace)).toBe(0);

    const flowError = parseUpstreamTrace(readFileSync(fixture('missing-node.trace.json'), 'utf8'));
    expect(flowError.pack).toEqual({ pack_ref: 'run.outcome.emission' });
    expect(flowError.steps[0]?.error).toEqual({ code: 'flow_error', message: 'flow wait.flow has no node `no_such_node`', details: null });
  });

  it('replay names the pack it cannot find, and with --pack says which steps it cannot run again', async () => {
    const missing = await runCliCaptured('replay', fixture('missing-component.trace.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('pack path not found; provide --pack (trace pack_ref was runner.components)');

    const root = path.join(work, 'components');
    mkdirSync(path.join(root, 'flows'), { recursive: true });
    writeFileSync(path.join(root, 'pack.yaml'), 'pack_id: runner.components\nversion: 0.1.0\nkind: application\npublisher: Tests\ncomponents: []\nflows:\n  - id: demo.flow\n    file: flows/demo.ygtc\n    entrypoints: [default]\nassets: []\n');
    writeFileSync(path.join(root, 'flows', 'demo.ygtc'), 'id: demo.flow\ntype: messaging\nstart: qa\nnodes:\n  qa:\n    component.exec:\n      component: component\n      operation: invoke\n      input: {}\n    routing: out\n');
    // Upstream recorded no invocation (inputs were not captured), so there is nothing to run again.
    const run = await runCliCaptured('replay', fixture('missing-component.trace.json'), '--pack', root);
    expect(run.stdout.split('\n')).toEqual(['step 1: component.exec invoke', '  missing invocation_json; skipping replay', '']);
    expect(run.code).toBe(0);
  });
});
