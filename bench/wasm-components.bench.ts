/**
 * WASM component costs: transpiling (cold and from the cache), instantiating, and the overhead of one
 * call of a trivial 0.6.0 component in-process and through the worker pool, for a small component and
 * one of about 500 KB. The pooled figure is also given relative to a bare worker postMessage round trip
 * measured in the same run, the floor of any thread-based design (the machine's load moves both).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TenantCtx } from '../src/runtime/components/host';
import type { InvokeRequest } from '../src/runtime/components/wasm/envelope';
import { instantiateComponent, loadComponentCode } from '../src/runtime/components/wasm/instance';
import { ComponentRunner, type CallHost, type RunnableComponent } from '../src/runtime/components/wasm/runner';
import { HostServices } from '../src/runtime/components/wasm/services/host-services';
import { DEFAULT_HTTP_POLICY } from '../src/runtime/components/wasm/services/http-client';
import { MemorySecretsStore } from '../src/runtime/components/wasm/services/secrets';
import { JsonStateLayer } from '../src/runtime/components/wasm/services/state';
import { MemoryStateStore } from '../src/runtime/sessions/state-store';
import { TranspileCache } from '../src/runtime/components/wasm/transpile';
import { WorkerPool } from '../src/runtime/components/wasm/worker/pool';
import { buildTestComponents } from '../test/fixtures/components/build';
import { medianMs, percentile, printFigure } from './report';

const CALLS = 5000;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'wasm-bench-'));
const ctx: TenantCtx = { env: 'local', tenant: 'bench', flowId: 'bench', nodeId: 'echo', traceId: 't', sessionId: 's', i18nId: 'en', attempt: 1 };
const request: InvokeRequest = { componentId: 'bench.echo', operation: 'echo', input: { text: 'hello', n: 1 }, config: null, ctx, deadlineMs: 0 };
const noHost: CallHost = { bridge: () => ({ ok: false, error: { code: 'unavailable', message: 'none' } }) as never, shouldCancel: () => false };
const grants = { http: false, secrets: [], stateRead: false, stateWrite: false, env: [] };

let run = 0;
const freshRoot = () => path.join(scratch, `root-${run++}`);
const echo = echoWorker();

try {
  const paths = await buildTestComponents();
  for (const [label, file] of [['small', paths.echo], ['500 KB', paths['echo-large']]] as const) {
    const bytes = readFileSync(file);
    const size = `${label}, ${Math.round(statSync(file).size / 1024)} KB`;

    const cold = await medianMs(() => new TranspileCache(freshRoot()).load(bytes, file), 5, 1);
    printFigure({ name: `transpile cold (${size})`, value: cold, unit: 'ms' });

    // A cached load as a new process sees it: hash, read the entry, compile the core modules, import
    // the generated JS (a fresh copy each time, so Node's module cache does not hide the import).
    const primed = freshRoot();
    const transpiled = await new TranspileCache(primed).load(bytes, file);
    const loads: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      const root = freshRoot();
      cpSync(primed, root, { recursive: true });
      const start = performance.now();
      const entry = await new TranspileCache(root).load(bytes, file);
      await loadComponentCode(entry, 256 * 1048576);
      if (i >= 2) loads.push(performance.now() - start);
    }
    const cached = percentile(loads, 50);
    printFigure({ name: `cached load incl. compile and import (${size})`, value: cached, unit: 'ms', goal: { max: 100 } });

    const code = await loadComponentCode(transpiled, 256 * 1048576);
    const instantiate = await medianMs(() => instantiateComponent(code, { ...noHost, env: {}, log: () => {} }), 20, 3);
    printFigure({ name: `instantiate (${size})`, value: instantiate, unit: 'ms' });

    const component: RunnableComponent = { transpiled, memoryLimitBytes: 256 * 1048576, env: {} };
    const runner = new ComponentRunner();
    await runner.invoke(component, request, 's', noHost);
    const inProcess = await perCallUs(() => runner.invoke(component, request, 's', noHost));
    printFigure({ name: `per call in-process (${size})`, value: inProcess, unit: 'µs', goal: { max: 60 } });

    const pool = new WorkerPool({ services: new HostServices({ http: DEFAULT_HTTP_POLICY, secrets: new MemorySecretsStore(), state: new JsonStateLayer(new MemoryStateStore()) }), size: 1 });
    const job = { component, request, instanceKey: 's', scope: { ctx, componentId: 'bench.echo', grants }, wallTimeMs: 30_000 };
    await pool.invoke(job);
    // The floor of any worker design: one message there and one back, of the pool's shapes.
    const bare = await perCallUs(() => echo.roundTrip());
    printFigure({ name: `bare worker postMessage round trip (${size} run)`, value: bare, unit: 'µs' });
    const pooled = await perCallUs(() => pool.invoke(job));
    printFigure({ name: `per call through the worker pool (${size})`, value: pooled, unit: 'µs', goal: { max: 150 }, baseline: bare });
    await pool.close();
  }
} finally {
  await echo.close();
  rmSync(scratch, { recursive: true, force: true });
}

/** A worker that sends back what it receives: a job-shaped message goes, an outcome-shaped one returns. */
function echoWorker(): { roundTrip(): Promise<{ result: { ok: boolean } }>; close(): Promise<number> } {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     parentPort.on('message', (job) => parentPort.postMessage({ type: 'invoked', jobId: job.jobId, outcome: { result: { ok: true, output: job.request.input }, logs: [] } }));`,
    { eval: true },
  );
  let pending: ((reply: { outcome: { result: { ok: boolean } } }) => void) | null = null;
  worker.on('message', (reply) => pending?.(reply));
  let jobId = 0;
  return {
    roundTrip: () =>
      new Promise((resolve) => {
        pending = (reply) => resolve(reply.outcome);
        worker.postMessage({ type: 'invoke', jobId: ++jobId, component: { key: 'bench' }, request, instanceKey: 's' });
      }),
    close: () => worker.terminate(),
  };
}

/** Mean of many sequential calls after a warm-up, in microseconds: the figure is per call overhead. */
async function perCallUs(call: () => Promise<{ result: { ok: boolean } }>): Promise<number> {
  for (let i = 0; i < 500; i += 1) await call();
  const samples: number[] = [];
  for (let round = 0; round < 5; round += 1) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < CALLS; i += 1) {
      const { result } = await call();
      if (!result.ok) throw new Error('benchmark call failed');
    }
    samples.push(Number(process.hrtime.bigint() - start) / 1e3 / CALLS);
  }
  return samples.sort((a, b) => a - b)[2]!;
}
