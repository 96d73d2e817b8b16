import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../src/shared/flow/compiled';
import type { HostBridge } from '../../../src/runtime/components/wasm/host-calls';
import { ComponentRunner, type CallHost, type RunnableComponent } from '../../../src/runtime/components/wasm/runner';
import { TranspileCache } from '../../../src/runtime/components/wasm/transpile';
import type { FixtureName } from '../../fixtures/components/build';
import { CBOR_DOCUMENT, JSON_ECHO_MANIFEST } from '../../fixtures/components/build';
import { tempDir, tenantCtx, testComponents } from './support';

const cacheDir = tempDir();
afterAll(() => cacheDir.cleanup());

const refuseAll: HostBridge = () => ({ ok: false, error: { code: 'unavailable', message: 'no host services in this test' } }) as never;
const host: CallHost = { bridge: refuseAll, shouldCancel: () => false };

let components: Record<FixtureName, RunnableComponent>;
beforeAll(async () => {
  const paths = await testComponents();
  const cache = new TranspileCache(cacheDir.dir);
  const entries = await Promise.all(
    Object.entries(paths).filter(([name]) => name !== 'no-node').map(async ([name, file]) => {
      const transpiled = await cache.load(readFileSync(file), name);
      return [name, { transpiled, memoryLimitBytes: 16 * 1048576, env: {} }] as const;
    }),
  );
  components = Object.fromEntries(entries) as Record<FixtureName, RunnableComponent>;
});

function request(operation: string, input: JsonValue, extra: { config?: JsonValue; ctx?: Parameters<typeof tenantCtx>[0] } = {}) {
  return { componentId: 'test.component', operation, input, config: extra.config ?? null, ctx: tenantCtx(extra.ctx), deadlineMs: 0 };
}

describe('running components in-process', () => {
  const runner = new ComponentRunner();

  it('round-trips the input through CBOR (0.6 echo)', async () => {
    const input = { text: 'héllo', n: 3, big: 2 ** 40, list: [1, null, true], nested: { a: [] } };
    const { result } = await runner.invoke(components.echo, request('echo', input), 's1', host);
    expect(result).toEqual({ ok: true, output: input });
  });

  it('builds the tenant context itself: a flow cannot forge it through the input', async () => {
    const forged = { ctx: { tenantId: 'evil' }, tenant: 'evil', flow_id: 'other' };
    const { result } = await runner.invoke(components.echo, request('ctx', forged, { ctx: { user: 'u-7', attempt: 2 } }), 's1', host);
    expect(result).toEqual({
      ok: true,
      output: ['acme', 'dev', 'trace-1', 'session-1', 'en', 'main', 'step', 'test.component', 'session-1:step:2', 'u-7', 2],
    });
  });

  it('passes the node config in the metadata CBOR, and none when there is none', async () => {
    const withConfig = await runner.invoke(components.echo, request('metadata', {}, { config: { mode: 'fast' } }), 's1', host);
    expect(withConfig.result).toEqual({ ok: true, output: { config: { mode: 'fast' }, metadata: null } });
    const without = await runner.invoke(components.echo, request('metadata', {}), 's1', host);
    expect(without.result).toEqual({ ok: true, output: null });
  });

  it('decodes a CBOR document the component made itself', async () => {
    const { result } = await runner.invoke(components.cbor, request('document', null), 's1', host);
    expect(result).toEqual({ ok: true, output: CBOR_DOCUMENT });
  });

  it('returns a node-error as the component reported it', async () => {
    const { result } = await runner.invoke(components.failing, request('fail', null), 's1', host);
    expect(result).toEqual({ ok: false, error: { code: 'fixture_failure', message: 'the fixture always fails', retryable: true } });
  });

  it('turns a trap into a node error and serves the next call from a fresh instance', async () => {
    const trapped = await runner.invoke(components.trapping, request('trap', null), 's1', host);
    expect(trapped.result).toMatchObject({ ok: false, error: { code: 'component_trap', retryable: false } });
    expect(trapped.result.ok || trapped.result.error.message).toContain('unreachable');
    const again = await runner.invoke(components.trapping, request('trap', null), 's1', host);
    expect(again.result).toMatchObject({ ok: false, error: { code: 'component_trap' } });
  });

  it('stops a component at its memory limit', async () => {
    const { result } = await runner.invoke(components.hungry, request('eat', null), 's1', host);
    expect(result).toMatchObject({ ok: false, error: { code: 'component_memory_limit' } });
    expect(result.ok || result.error.message).toContain('16 MB');
  });

  it('collects stdout, telemetry logs and stderr into the call, in order, and answers control.should-cancel', async () => {
    const cancelling: CallHost = { bridge: refuseAll, shouldCancel: () => true };
    const { result, logs } = await runner.invoke(components.chatty, request('chat', null), 's1', cancelling);
    expect(result).toEqual({ ok: true, output: true });
    expect(logs).toEqual([
      { source: 'stdout', text: 'chatty starts\n' },
      { source: 'telemetry', text: 'event=invoked op=chat', fields: [['event', 'invoked'], ['op', 'chat']] },
      { source: 'stderr', text: 'chatty is done\n' },
    ]);
  });

  it('hands host errors to the guest, which reports them as node errors', async () => {
    const { result } = await runner.invoke(components.stateful, request('get', null), 's1', host);
    expect(result).toEqual({ ok: false, error: { code: 'unavailable', message: 'no host services in this test', retryable: false } });
  });

  it('speaks the JSON world (0.5): input as JSON text, err(node-error) with JSON details', async () => {
    const ok = await runner.invoke(components['json-echo'], request('echo', { q: [1, 'x'] }), 's1', host);
    expect(ok.result).toEqual({ ok: true, output: { q: [1, 'x'] } });
    const failed = await runner.invoke(components['json-echo'], request('fail', {}), 's1', host);
    expect(failed.result).toEqual({ ok: false, error: { code: 'json_failure', message: 'asked to fail', retryable: false, details: { stopped: true } } });
  });

  it('describes operations from describe() (0.6) and get-manifest (0.5)', async () => {
    const echo = await runner.describe(components.echo, 'test.echo', host);
    expect(echo?.version).toBe('0.1.0');
    expect(echo?.operations.map((op) => op.name)).toEqual(['echo', 'metadata', 'ctx']);
    expect(echo?.operations[0]?.inputSchema).toEqual({ type: 'object' });
    const json = await runner.describe(components['json-echo'], 'test.json-echo', host);
    expect(json).toEqual({
      id: 'test.json-echo',
      version: JSON_ECHO_MANIFEST.version,
      operations: [{ name: 'echo', inputSchema: { type: 'object' }, outputSchema: { type: 'object' } }],
    });
  });
});
