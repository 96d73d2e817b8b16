import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunnableComponent } from '../../../src/runtime/components/wasm/runner';
import { HostServices } from '../../../src/runtime/components/wasm/services/host-services';
import { DEFAULT_HTTP_POLICY } from '../../../src/runtime/components/wasm/services/http-client';
import { MemorySecretsStore } from '../../../src/runtime/components/wasm/services/secrets';
import { JsonStateLayer } from '../../../src/runtime/components/wasm/services/state';
import { TranspileCache } from '../../../src/runtime/components/wasm/transpile';
import { WorkerPool, type PoolInvocation } from '../../../src/runtime/components/wasm/worker/pool';
import { MemoryStateStore } from '../../../src/runtime/sessions/state-store';
import { repoRoot } from '../../support/conformance';
import { tempDir, tenantCtx, testComponents } from './support';

const dirs = tempDir('wasm-pool-');
const grants = { http: false, secrets: [], stateRead: false, stateWrite: false, env: [] };
let echo: RunnableComponent;
let looping: RunnableComponent;
let pool: WorkerPool;

beforeAll(async () => {
  const paths = await testComponents();
  const cache = new TranspileCache(dirs.dir);
  echo = { transpiled: await cache.load(readFileSync(paths.echo), 'echo'), memoryLimitBytes: 16 * 1048576, env: {} };
  looping = { transpiled: await cache.load(readFileSync(paths.looping), 'looping'), memoryLimitBytes: 16 * 1048576, env: {} };
  pool = new WorkerPool({ services: new HostServices({ http: DEFAULT_HTTP_POLICY, secrets: new MemorySecretsStore(), state: new JsonStateLayer(new MemoryStateStore()) }), size: 1 });
});

afterAll(async () => {
  await pool.close();
  dirs.cleanup();
});

function job(component: RunnableComponent, operation: string, wallTimeMs: number): PoolInvocation {
  const ctx = tenantCtx();
  return {
    component,
    request: { componentId: 'test.component', operation, input: { n: 1 }, config: null, ctx, deadlineMs: 0 },
    instanceKey: 's',
    scope: { ctx, componentId: 'test.component', grants },
    wallTimeMs,
  };
}

describe('the worker pool', () => {
  it("holds each call to its own wall time, however long the previous call's was", async () => {
    expect((await pool.invoke(job(echo, 'echo', 60_000))).result).toEqual({ ok: true, output: { n: 1 } });
    const started = performance.now();
    const { result } = await pool.invoke(job(looping, 'spin', 300));
    const took = performance.now() - started;
    expect(result).toMatchObject({ ok: false, error: { code: 'component_timeout', message: expect.stringContaining('300 ms') } });
    expect(took).toBeGreaterThanOrEqual(295);
    expect(took).toBeLessThan(5_000);
    // The next call gets a fresh worker, under the long limit again.
    expect((await pool.invoke(job(echo, 'echo', 60_000))).result).toEqual({ ok: true, output: { n: 1 } });
  });

  it("counts a component's wall time from the start of its call, not while a new worker loads it", async () => {
    const fresh = new WorkerPool({ services: new HostServices({ http: DEFAULT_HTTP_POLICY, secrets: new MemorySecretsStore(), state: new JsonStateLayer(new MemoryStateStore()) }), size: 1 });
    try {
      const started = performance.now();
      const first = await fresh.invoke(job(echo, 'echo', 100));
      const loadedAndRan = performance.now() - started;
      expect(first.result).toEqual({ ok: true, output: { n: 1 } });
      // Starting the worker thread and instantiating the component took longer than the call may run.
      expect(loadedAndRan).toBeGreaterThan(100);
      // The limit itself still holds once the call has begun.
      expect((await fresh.invoke(job(looping, 'spin', 100))).result).toMatchObject({ ok: false, error: { code: 'component_timeout' } });
    } finally {
      await fresh.close();
    }
  });

  it('keeps the process alive while a call runs and lets it exit once the pool is idle', () => {
    const script = path.join(dirs.dir, 'lifetime.mts');
    const module = (relative: string) => JSON.stringify(pathToFileURL(path.join(repoRoot, relative)).href);
    writeFileSync(
      script,
      `import { WorkerPool } from ${module('src/runtime/components/wasm/worker/pool.ts')};
       import { HostServices } from ${module('src/runtime/components/wasm/services/host-services.ts')};
       const components = ${JSON.stringify({ looping, echo })};
       const ctx = ${JSON.stringify(tenantCtx())};
       const grants = ${JSON.stringify(grants)};
       const pool = new WorkerPool({ services: new HostServices({ http: { allow: [], timeoutMs: 1000, maxResponseBytes: 1, maxRequestBytes: 1 } }), size: 1 });
       const call = (component, operation, wallTimeMs) => pool.invoke({ component, request: { componentId: 'c', operation, input: 1, config: null, ctx, deadlineMs: 0 }, instanceKey: 's', scope: { ctx, componentId: 'c', grants }, wallTimeMs });
       // Nothing else holds the event loop: only a busy worker keeps the process alive until its call ends.
       void call(components.echo, 'echo', 60000).then(({ result }) => {
         process.stdout.write(JSON.stringify(result) + '\\n');
         return call(components.looping, 'spin', 700);
       }).then(({ result }) => process.stdout.write(result.error.code + '\\n'));`,
    );
    const started = Date.now();
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot, encoding: 'utf8', timeout: 20_000 });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('{"ok":true,"output":1}\ncomponent_timeout\n');
    expect(run.status).toBe(0);
    // It exits right away afterwards, not when a 60-second watchdog would have fired.
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
