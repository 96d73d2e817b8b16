import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_HTTP_POLICY } from '../../../src/runtime/components/wasm/services/http-client';
import { MemorySecretsStore } from '../../../src/runtime/components/wasm/services/secrets';
import { JsonStateLayer } from '../../../src/runtime/components/wasm/services/state';
import { MemoryStateStore } from '../../../src/runtime/sessions/state-store';
import { locateFile } from '../../../src/runtime/components/wasm/sources';
import { WasmComponentHost } from '../../../src/runtime/components/wasm/wasm-host';
import { DEFAULT_LIMITS, limitsFor } from '../../../src/runtime/components/wasm/grants';
import type { ComponentManifest } from '../../../src/runtime/components/wasm/manifest';
import { encode } from 'cbor-x';
import { fixtureId, type FixtureName } from '../../fixtures/components/build';
import { invocation, tempDir, tenantCtx, testComponents } from './support';

const cacheDir = tempDir();
const secrets = new MemorySecretsStore();
const flowState = new MemoryStateStore();
let server: Server;
let origin: string;
let host: WasmComponentHost;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.pathname === '/cbor') {
      res.writeHead(200, { 'content-type': 'application/cbor' }).end(encode({ served: true, path: url.pathname }));
    } else if (url.pathname === '/slow') {
      setTimeout(() => res.writeHead(200).end(encode('late')), 2000).unref();
    } else if (url.pathname === '/huge') {
      res.writeHead(200).end(Buffer.alloc(2 * 1024 * 1024, 1));
    } else if (url.pathname === '/redirect-out') {
      res.writeHead(302, { location: `http://localhost:${(server.address() as AddressInfo).port}/cbor` }).end();
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await secrets.put('acme', 'api_token', new TextEncoder().encode('acme-token'));
  const paths = await testComponents();
  host = new WasmComponentHost({
    cacheDir: cacheDir.dir,
    poolSize: 2,
    http: { ...DEFAULT_HTTP_POLICY, allow: [`127.0.0.1:${(server.address() as AddressInfo).port}`], timeoutMs: 300, maxResponseBytes: 1024 * 1024 },
    secrets,
    state: new JsonStateLayer(flowState),
  });
  host.setLocations(await Promise.all((Object.keys(paths) as FixtureName[]).map((name) => locateFile(paths[name]))));
});

afterAll(async () => {
  await host.close();
  await new Promise((resolve) => server.close(resolve));
  cacheDir.cleanup();
});

const id = fixtureId;

describe('the WASM component host', () => {
  it('knows components by their manifest id and describes them', async () => {
    expect(host.supports(id('echo'))).toBe(true);
    expect(host.supports('unknown.component')).toBe(false);
    const description = await host.describe(id('stateful'));
    expect(description?.operations.map((op) => op.name)).toEqual(['put', 'get', 'delete']);
  });

  it('stops a component that runs past its wall time, and keeps serving other calls meanwhile', async () => {
    const started = Date.now();
    const loop = host.invoke(invocation(id('looping'), 'spin', null, { ctx: tenantCtx({ sessionId: 'loop' }) }));
    const echo = await host.invoke(invocation(id('echo'), 'echo', { still: 'served' }, { ctx: tenantCtx({ sessionId: 'other' }) }));
    expect(echo).toEqual({ ok: true, output: { still: 'served' } });
    const outcome = await loop;
    expect(outcome).toMatchObject({ ok: false, error: { code: 'component_timeout' } });
    expect(outcome.ok || outcome.error.message).toContain('400 ms');
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(await host.invoke(invocation(id('echo'), 'echo', 1))).toEqual({ ok: true, output: 1 });
  });

  it('stops a cancelled call', async () => {
    const controller = new AbortController();
    const loop = host.invoke(invocation(id('looping'), 'spin', null, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 20);
    expect(await loop).toMatchObject({ ok: false, error: { code: 'component_cancelled' } });
  });

  it('holds a component to its memory limit inside the worker', async () => {
    expect(await host.invoke(invocation(id('hungry'), 'eat', null))).toMatchObject({ ok: false, error: { code: 'component_memory_limit' } });
  });

  it('routes a trap as a node error', async () => {
    expect(await host.invoke(invocation(id('trapping'), 'trap', null))).toMatchObject({ ok: false, error: { code: 'component_trap' } });
  });

  it('makes real HTTP requests to allowed hosts', async () => {
    expect(await host.invoke(invocation(id('http-caller'), 'get', `${origin}/cbor`))).toEqual({ ok: true, output: { served: true, path: '/cbor' } });
  });

  it('refuses hosts outside the allow-list, also when a redirect leads there', async () => {
    const outside = await host.invoke(invocation(id('http-caller'), 'get', 'http://example.invalid/'));
    expect(outside).toMatchObject({ ok: false, error: { code: 'denied' } });
    const redirected = await host.invoke(invocation(id('http-caller'), 'get', `${origin}/redirect-out`));
    expect(redirected).toMatchObject({ ok: false, error: { code: 'denied', message: expect.stringContaining('localhost') } });
  });

  it('bounds HTTP by time and size', async () => {
    expect(await host.invoke(invocation(id('http-caller'), 'get', `${origin}/slow`))).toMatchObject({ ok: false, error: { code: 'timeout' } });
    expect(await host.invoke(invocation(id('http-caller'), 'get', `${origin}/huge`))).toMatchObject({ ok: false, error: { code: 'response_too_large' } });
    expect(await host.invoke(invocation(id('http-caller'), 'get', 'ftp://127.0.0.1/'))).toMatchObject({ ok: false, error: { code: 'invalid_url' } });
  });

  it('reads declared secrets of the calling tenant only', async () => {
    expect(await host.invoke(invocation(id('secret-reader'), 'read', 'api_token'))).toEqual({ ok: true, output: 'acme-token' });
    const otherTenant = await host.invoke(invocation(id('secret-reader'), 'read', 'api_token', { ctx: tenantCtx({ tenant: 'globex' }) }));
    expect(otherTenant).toEqual({ ok: false, error: { code: 'secrets_error', message: 'not-found', retryable: false } });
    const undeclared = await host.invoke(invocation(id('secret-reader'), 'read', 'other_key'));
    expect(undeclared).toMatchObject({ ok: false, error: { code: 'secrets_error', message: 'denied', retryable: false } });
    const invalid = await host.invoke(invocation(id('secret-reader'), 'read', '../api_token'));
    expect(invalid).toEqual({ ok: false, error: { code: 'secrets_error', message: 'invalid-key', retryable: false } });
  });

  it('keeps state in the flow state of the calling tenant, as JSON', async () => {
    const a = tenantCtx({ sessionId: 'state-a' });
    expect(await host.invoke(invocation(id('stateful'), 'put', '{"count": 1}', { ctx: a }))).toEqual({ ok: true, output: true });
    expect(await flowState.get({ env: 'dev', tenant: 'acme' }, 'value')).toEqual({ found: true, value: { count: 1 } });
    expect(await host.invoke(invocation(id('stateful'), 'get', null, { ctx: a }))).toEqual({ ok: true, output: '{"count":1}' });
    // Another conversation of the tenant shares the entry, as state.get nodes do; another tenant does not.
    const otherSession = await host.invoke(invocation(id('stateful'), 'get', null, { ctx: tenantCtx({ sessionId: 'state-b' }) }));
    expect(otherSession).toEqual({ ok: true, output: '{"count":1}' });
    const otherTenant = await host.invoke(invocation(id('stateful'), 'get', null, { ctx: tenantCtx({ sessionId: 'state-a', tenant: 'globex' }) }));
    expect(otherTenant).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const otherEnv = await host.invoke(invocation(id('stateful'), 'get', null, { ctx: tenantCtx({ env: 'prod' }) }));
    expect(otherEnv).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await host.invoke(invocation(id('stateful'), 'delete', null, { ctx: a }))).toEqual({ ok: true, output: true });
    expect(await host.invoke(invocation(id('stateful'), 'get', null, { ctx: a }))).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await flowState.get({ env: 'dev', tenant: 'acme' }, 'value')).toEqual({ found: false, value: null });
  });

  it('reads what a flow stored, and stores bytes that are not JSON as text', async () => {
    await flowState.set({ env: 'dev', tenant: 'acme' }, 'value', { from: 'flow', list: [1, 'two'] });
    expect(await host.invoke(invocation(id('stateful'), 'get', null))).toEqual({ ok: true, output: '{"from":"flow","list":[1,"two"]}' });
    expect(await host.invoke(invocation(id('stateful'), 'put', 'plain words'))).toEqual({ ok: true, output: true });
    expect(await flowState.get({ env: 'dev', tenant: 'acme' }, 'value')).toEqual({ found: true, value: 'plain words' });
    expect(await host.invoke(invocation(id('stateful'), 'get', null))).toEqual({ ok: true, output: '"plain words"' });
  });

  it('returns what a component logged with its outcome', async () => {
    expect(await host.invoke(invocation(id('chatty'), 'chat', null))).toEqual({
      ok: true,
      output: false,
      logs: [
        { source: 'stdout', text: 'chatty starts\n' },
        { source: 'telemetry', text: 'event=invoked op=chat', fields: [['event', 'invoked'], ['op', 'chat']] },
        { source: 'stderr', text: 'chatty is done\n' },
      ],
    });
  });

  it('notes a refused host call in the logs, whatever the guest makes of the error', async () => {
    const outside = await host.invoke(invocation(id('http-caller'), 'get', 'http://example.invalid/'));
    expect(outside.logs).toEqual([{ source: 'host', text: expect.stringMatching(/^http\.send refused: example\.invalid is not in the HTTP allow-list/) }]);
    const undeclared = await host.invoke(invocation(id('secret-reader'), 'read', 'other_key'));
    expect(undeclared.logs).toEqual([{ source: 'host', text: 'secrets.get "other_key" refused: the component\'s manifest does not declare this secret' }]);
  });

  it('answers an unknown component with a node error, and describes it as null, instead of throwing', async () => {
    expect(await host.invoke(invocation('nope', 'x', null))).toMatchObject({ ok: false, error: { code: 'component_unavailable' } });
    expect(await host.describe('nope')).toBeNull();
  });
});

describe('the studio caps what a manifest asks for', () => {
  it('holds a component asking for 2,000,000,000 ms and a terabyte to the studio limits, without a timer overflow', async () => {
    const paths = await testComponents();
    const looping = await locateFile(paths.looping);
    const greedy = {
      id: 'greedy.looping',
      origin: looping.origin,
      read: async () => {
        const source = await looping.read();
        return { ...source, id: 'greedy.looping', manifest: source.manifest && { ...source.manifest, id: 'greedy.looping', limits: { wall_time_ms: 2_000_000_000, memory_mb: 1_048_576 } } };
      },
    };
    const capped = new WasmComponentHost({
      cacheDir: cacheDir.dir,
      poolSize: 1,
      http: DEFAULT_HTTP_POLICY,
      secrets,
      state: new JsonStateLayer(flowState),
      defaultLimits: { wallTimeMs: 300, memoryLimitBytes: 32 * 1048576 },
    });
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      capped.setLocations([greedy]);
      expect((await capped.prepare('greedy.looping')).limits).toEqual({ wallTimeMs: 300, memoryLimitBytes: 32 * 1048576 });
      const outcome = await capped.invoke(invocation('greedy.looping', 'spin', null));
      expect(outcome).toMatchObject({ ok: false, error: { code: 'component_timeout', message: expect.stringContaining('300 ms') } });
    } finally {
      process.off('warning', onWarning);
      await capped.close();
    }
    expect(warnings).not.toContain('TimeoutOverflowWarning');
  });

  it('gives a component without a manifest the studio ceiling, and one asking less what it asks', () => {
    expect(limitsFor(null)).toEqual(DEFAULT_LIMITS);
    expect(DEFAULT_LIMITS.wallTimeMs).toBeLessThan(30_000);
    expect(limitsFor({ id: 'x', limits: { wall_time_ms: 250.5, memory_mb: 8 } } as ComponentManifest)).toEqual({ wallTimeMs: 251, memoryLimitBytes: 8 * 1048576 });
    expect(limitsFor({ id: 'x', limits: { wall_time_ms: 1e12 } } as ComponentManifest).wallTimeMs).toBe(DEFAULT_LIMITS.wallTimeMs);
  });
});
