import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioError } from '../../../src/shared/api/define';
import { createComponentHandlers } from '../../../src/runtime/components/wasm/handlers';
import { DEFAULT_HTTP_POLICY } from '../../../src/runtime/components/wasm/services/http-client';
import { MemorySecretsStore } from '../../../src/runtime/components/wasm/services/secrets';
import { JsonStateLayer } from '../../../src/runtime/components/wasm/services/state';
import { MemoryStateStore } from '../../../src/runtime/sessions/state-store';
import { parseComponentSpec, projectComponents } from '../../../src/runtime/components/wasm/sources';
import { WasmComponentHost } from '../../../src/runtime/components/wasm/wasm-host';
import { tempDir, testComponents } from './support';

const dirs = tempDir();
const project = path.join(dirs.dir, 'project');
const secrets = new MemorySecretsStore();
let host: WasmComponentHost;

/** A config flow as greentic-component generates one: ask, then emit the step. */
const CONFIG_DEV_FLOWS = {
  custom: {
    format: 'flow-ir-json',
    graph: {
      id: 'demo.custom',
      kind: 'component-config',
      nodes: {
        ask_config: { questions: { fields: [{ id: 'title', prompt: 'Title:', type: 'string' }] }, routing: [{ to: 'emit_config' }] },
        emit_config: { template: '{"node_id": "demo", "node": {"echo": {"input": {"title": "{{state.title}}"}}, "routing": [{"to": "NEXT_NODE_PLACEHOLDER"}]}}' },
      },
    },
  },
};

beforeAll(async () => {
  const paths = await testComponents();
  mkdirSync(path.join(project, 'components', 'secrets'), { recursive: true });
  // A loose component with its manifest beside it.
  cpSync(paths.echo, path.join(project, 'components', 'echo.wasm'));
  const echoManifest = JSON.parse(readFileSync(paths.echo.replace('.wasm', '.manifest.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(path.join(project, 'components', 'echo.manifest.json'), JSON.stringify({ ...echoManifest, dev_flows: CONFIG_DEV_FLOWS }));
  // A manifest without its WASM built yet: the inspector still asks its questions.
  mkdirSync(path.join(project, 'components', 'unbuilt'), { recursive: true });
  writeFileSync(path.join(project, 'components', 'unbuilt', 'component.manifest.json'), JSON.stringify({ id: 'acme.unbuilt', dev_flows: CONFIG_DEV_FLOWS }));
  // A component folder with component.manifest.json naming its wasm.
  cpSync(paths['secret-reader'], path.join(project, 'components', 'secrets', 'reader.wasm'));
  writeFileSync(
    path.join(project, 'components', 'secrets', 'component.manifest.json'),
    JSON.stringify({ id: 'acme.secret-reader', version: '1.2.3', artifacts: { component_wasm: 'reader.wasm' }, capabilities: { host: { secrets: { required: [{ key: 'api_token' }, { key: 'optional_key', required: false }] } } } }),
  );
  // A pack.yaml entry (its fields are the manifest), and one that tries to leave the project.
  cpSync(paths['json-echo'], path.join(project, 'legacy.wasm'));
  writeFileSync(
    path.join(project, 'pack.yaml'),
    'pack_id: test.project\ncomponents:\n  - id: acme.legacy\n    version: 0.0.9\n    wasm: legacy.wasm\n  - id: acme.escape\n    wasm: ../outside.wasm\n',
  );
  // Bytes that are not a component: listed, with the reason it cannot run.
  writeFileSync(path.join(project, 'components', 'broken.wasm'), 'not wasm');
  host = new WasmComponentHost({ cacheDir: path.join(dirs.dir, 'cache'), poolSize: 1, http: DEFAULT_HTTP_POLICY, secrets, state: new JsonStateLayer(new MemoryStateStore()) });
});

afterAll(async () => {
  await host.close();
  dirs.cleanup();
});

describe('finding components', () => {
  it('reads pack.yaml entries, component folders and loose files, and never leaves the project', async () => {
    const ids = (await projectComponents(project)).map((location) => location.id).sort();
    expect(ids).toEqual(['acme.legacy', 'acme.secret-reader', 'broken', 'test.fixture.echo']);
  });

  it('parses component arguments of the CLI', () => {
    expect(parseComponentSpec('dir/app.gtpack#ai.x.y')).toEqual({ kind: 'pack', pack: 'dir/app.gtpack', id: 'ai.x.y' });
    expect(parseComponentSpec('c.wasm')).toEqual({ kind: 'file', file: 'c.wasm' });
    expect(() => parseComponentSpec('app.gtpack')).toThrow(/name the component as app.gtpack#<component-id>/);
    expect(() => parseComponentSpec('app.gtpack#')).toThrow(/names no component/);
  });
});

describe('the components contract', () => {
  const handlers = () => createComponentHandlers({ host, secrets, projectRoot: async () => project });

  it('lists the project components with operations, schemas, secrets and errors for the palette', async () => {
    const list = await handlers().listComponents({ tenant: 'acme' });
    const byId = Object.fromEntries(list.map((summary) => [summary.id, summary]));
    expect(byId['test.fixture.echo']).toMatchObject({
      origin: 'components/echo.wasm',
      abi: '0.6',
      version: '0.1.0',
      error: null,
      limits: { wallTimeMs: 10000, memoryMb: 256 },
    });
    expect(byId['test.fixture.echo']?.operations[0]).toEqual({ name: 'echo', inputSchema: { type: 'object' }, outputSchema: { type: 'object' } });
    expect(byId['test.fixture.echo']?.devFlows).toEqual(CONFIG_DEV_FLOWS);
    expect(byId['acme.legacy']?.devFlows).toBeNull();
    expect(byId['acme.legacy']).toMatchObject({ abi: '0.5', version: '0.2.0', operations: [{ name: 'echo' }] });
    // What the binary says about itself (describe()) wins over what a manifest declares.
    expect(byId['acme.secret-reader']).toMatchObject({
      version: '0.1.0',
      imports: [{ name: 'greentic:secrets-store/secrets-store', served: true }],
      secrets: [
        { key: 'api_token', required: true, set: false },
        { key: 'optional_key', required: false, set: false },
      ],
    });
    expect(byId.broken).toMatchObject({ abi: null, error: expect.stringContaining('not a WebAssembly file') });
  });

  it('sets and clears dev secrets, reporting only whether they are set', async () => {
    const status = await handlers().setComponentSecret({ tenant: 'acme', key: 'api_token', value: 'tok' });
    expect(status).toEqual({ tenant: 'acme', key: 'api_token', set: true });
    expect(JSON.stringify(await handlers().describeComponent({ id: 'acme.secret-reader', tenant: 'acme' }))).not.toContain('tok"');
    expect((await handlers().describeComponent({ id: 'acme.secret-reader', tenant: 'acme' })).secrets[0]).toEqual({ key: 'api_token', required: true, set: true });
    expect((await handlers().describeComponent({ id: 'acme.secret-reader', tenant: 'globex' })).secrets[0]?.set).toBe(false);
    expect(await handlers().clearComponentSecret({ tenant: 'acme', key: 'api_token' })).toEqual({ tenant: 'acme', key: 'api_token', set: false });
  });

  it("runs a config flow of a component's dev_flows, from a manifest alone or from the component's own", async () => {
    const emitted = { nodeId: 'demo', operation: 'echo', payload: { input: { title: 'Hi' } } };
    expect(await handlers().runConfigFlow({ component: 'acme.unbuilt', flow: 'custom', answers: { title: 'Hi' } })).toEqual(emitted);
    expect(await handlers().runConfigFlow({ component: 'test.fixture.echo', flow: 'custom', answers: { title: 'Hi' } })).toEqual(emitted);
    const missing = await handlers().runConfigFlow({ component: 'acme.unbuilt', flow: 'custom', answers: {} }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'bad_request', message: "missing answer for 'title'" });
    const noFlow = await handlers().runConfigFlow({ component: 'acme.unbuilt', flow: 'default', answers: {} }).catch((e: unknown) => e);
    expect(noFlow).toMatchObject({ code: 'not_found', message: 'component acme.unbuilt: manifest missing dev_flows.default.graph' });
    expect(await handlers().runConfigFlow({ component: 'nobody', flow: 'custom', answers: {} }).catch((e: unknown) => (e as StudioError).code)).toBe('not_found');
  });

  it('answers an unknown component with not_found', async () => {
    const error = await handlers().describeComponent({ id: 'missing' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StudioError);
    expect((error as StudioError).code).toBe('not_found');
  });
});
