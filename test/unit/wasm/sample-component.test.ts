import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decode } from 'cbor-x';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createComponentHandlers } from '../../../src/runtime/components/wasm/handlers';
import { DEFAULT_HTTP_POLICY } from '../../../src/runtime/components/wasm/services/http-client';
import { MemorySecretsStore } from '../../../src/runtime/components/wasm/services/secrets';
import { JsonStateLayer } from '../../../src/runtime/components/wasm/services/state';
import { packComponents } from '../../../src/runtime/components/wasm/sources';
import { WasmComponentHost } from '../../../src/runtime/components/wasm/wasm-host';
import { buildPack } from '../../../src/runtime/pack/builder/build';
import { MemoryStateStore } from '../../../src/runtime/sessions/state-store';
import { buildSampleComponents, sampleProjectDir } from '../../../scripts/wasm/sample-components';
import { invocation, tempDir } from './support';

const ID = 'studio.sample.text-tools';
const dirs = tempDir('sample-component-');
const secrets = new MemorySecretsStore();
let host: WasmComponentHost;
let built: Awaited<ReturnType<typeof buildSampleComponents>>;

beforeAll(async () => {
  built = await buildSampleComponents();
  host = new WasmComponentHost({ cacheDir: dirs.dir, poolSize: 1, http: DEFAULT_HTTP_POLICY, secrets, state: new JsonStateLayer(new MemoryStateStore()) });
});

afterAll(async () => {
  await host.close();
  dirs.cleanup();
});

const handlers = () => createComponentHandlers({ host, secrets, projectRoot: async () => sampleProjectDir });

describe('the sample project component (components/text-tools)', () => {
  it('is built from source into the sample project, and a second build changes nothing', async () => {
    expect(built).toEqual([{ id: ID, wasm: path.join(sampleProjectDir, 'components', 'text-tools', 'component.wasm'), written: expect.any(Boolean) }]);
    expect(await buildSampleComponents()).toEqual([{ id: ID, wasm: built[0]!.wasm, written: false }]);
  });

  it('is listed with the operations its describe() reports, for the palette and the inspector', async () => {
    const [summary] = await handlers().listComponents({});
    expect(summary).toMatchObject({
      id: ID,
      origin: 'components/text-tools/component.wasm',
      abi: '0.6',
      version: '0.1.0',
      imports: [{ name: 'greentic:telemetry/logger-api', served: true }],
      error: null,
      limits: { wallTimeMs: 2000, memoryMb: 16 },
    });
    expect(summary?.operations.map((op) => [op.name, op.inputSchema])).toEqual([
      ['stats', { type: 'string' }],
      ['shout', { type: 'string' }],
    ]);
    expect(summary?.operations[0]?.outputSchema).toMatchObject({ required: ['words', 'characters'] });
  });

  it('counts words and characters, and logs what it did through telemetry', async () => {
    expect(await host.invoke(invocation(ID, 'stats', ' héllo  wasm\tworld\n'))).toEqual({
      ok: true,
      output: { words: 3, characters: 19 },
      logs: [{ source: 'telemetry', text: 'op=stats words=3 characters=19', fields: [['op', 'stats'], ['words', '3'], ['characters', '19']] }],
    });
    expect(await host.invoke(invocation(ID, 'stats', ''))).toMatchObject({ ok: true, output: { words: 0, characters: 0 } });
    expect(await host.invoke(invocation(ID, 'stats', 'x'.repeat(70_000)))).toMatchObject({ ok: true, output: { words: 1, characters: 70_000 } });
  });

  it('shouts ASCII and Latin-1 letters and leaves everything else as it is', async () => {
    const shouted = await host.invoke(invocation(ID, 'shout', 'grüße aus zürich, ß ÷ ÿ ok'));
    expect(shouted).toMatchObject({ ok: true, output: { text: 'GRÜßE AUS ZÜRICH, ß ÷ ÿ OK' } });
  });

  it('fails the node on anything but a text, and on an unknown operation', async () => {
    expect(await host.invoke(invocation(ID, 'shout', { text: 'hi' }))).toEqual({ ok: false, error: { code: 'invalid_input', message: 'the input must be a text', retryable: false } });
    expect(await host.invoke(invocation(ID, 'stats', null))).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await host.invoke(invocation(ID, 'whisper', 'hi'))).toEqual({ ok: false, error: { code: 'unknown_op', message: 'whisper', retryable: false } });
  });

  it('is pinned by the lock and goes into the pack built from the sample project, which runs it', async () => {
    const wasm = readFileSync(built[0]!.wasm);
    const lock = decode(readFileSync(path.join(sampleProjectDir, 'pack.lock.cbor'))) as { version: number; components: Record<string, Record<string, unknown>> };
    expect(lock.version).toBe(1);
    expect(lock.components[ID]).toMatchObject({
      component_id: ID,
      abi_version: '0.6.0',
      resolved_digest: `sha256:${createHash('sha256').update(wasm).digest('hex')}`,
      describe_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      operations: [
        { operation_id: 'shout', schema_hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
        { operation_id: 'stats', schema_hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      ],
    });

    const pack = await buildPack(sampleProjectDir);
    expect(pack.manifest.components.map((component) => component.id)).toEqual([ID]);
    expect(pack.manifest.capabilities.map((capability) => capability.name)).toContain('host:telemetry');
    const file = path.join(dirs.dir, 'sample.gtpack');
    writeFileSync(file, pack.bytes);
    const [location] = await packComponents(file);
    expect(location?.id).toBe(ID);
    const fromPack = new WasmComponentHost({ cacheDir: dirs.dir, poolSize: 1, http: DEFAULT_HTTP_POLICY, secrets, state: new JsonStateLayer(new MemoryStateStore()) });
    try {
      fromPack.setLocations([location!]);
      expect(await fromPack.invoke(invocation(ID, 'shout', 'from the pack'))).toMatchObject({ ok: true, output: { text: 'FROM THE PACK' } });
    } finally {
      await fromPack.close();
    }
  });
});
