import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotMessage } from '../../../src/shared/api';
import { openServedPack } from '../../../src/runtime/chat/pack-project';
import { assemblePack } from '../../../src/runtime/pack/assemble';
import { buildPack } from '../../../src/runtime/pack/builder/build';
import { StudioService } from '../../../src/runtime/studio';
import { sampleProject } from '../webchat/support';
import { conformancePath, hasConformance } from '../../support/conformance';
import { testComponents } from '../wasm/support';
import { EMPTY_CORE_MODULE, legacyPackBytes } from './legacy-pack-fixture';

const texts = (replies: BotMessage[]) => replies.map((reply) => (reply.type === 'text' ? reply.text : JSON.stringify(reply.card)));

describe('a pack served as the runner project', () => {
  let dir: string;
  let compiledOnly: string;
  let withSources: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'served-pack-'));
    const built = await buildPack(sampleProject);
    compiledOnly = path.join(dir, 'sample.gtpack');
    writeFileSync(compiledOnly, built.bytes);
    // The --dev layout: the archive also carries each flow's source, which the runner prefers.
    const source = `id: main\ntype: messaging\nnodes:\n  hello:\n    templating.handlebars:\n      text: "from the source: {{in.input.text}}"\n`;
    withSources = path.join(dir, 'dev.gtpack');
    writeFileSync(
      withSources,
      await assemblePack(built.manifest, [{ path: 'flows/main/flow.ygtc', bytes: new TextEncoder().encode(source), mediaType: 'application/yaml' }]),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function serve(pack: Awaited<ReturnType<typeof openServedPack>>) {
    return new StudioService({ projectFolder: null, configDir: path.join(dir, 'config'), servedPack: pack });
  }

  it('runs the compiled flows of the manifest, with card assets from the archive', async () => {
    const pack = await openServedPack(compiledOnly);
    expect(pack.label).toBe('studio.sample@0.1.0');
    expect(pack.flowPaths).toContain('manifest.cbor#main');
    const { handlers } = serve(pack);
    const { conversationId } = await handlers.startConversation({ flowPath: 'manifest.cbor#main' });
    expect(texts((await handlers.sendMessage({ conversationId, text: 'hi' })).replies)).toEqual(['Hello! You said "hi". What\'s your name?']);
    await handlers.sendMessage({ conversationId, text: 'Ada' });
    const about = await handlers.sendMessage({ conversationId, submit: { action: 'about' } });
    expect(texts(about.replies)[0]).toContain('About Greentic Studio');
  });

  it('runs the flow sources the archive carries rather than their compiled form', async () => {
    const pack = await openServedPack(withSources);
    expect(pack.flowPaths).toContain('flows/main/flow.ygtc');
    expect(pack.flowPaths).not.toContain('manifest.cbor#main');
    const { handlers } = serve(pack);
    const { conversationId } = await handlers.startConversation({ flowPath: 'flows/main/flow.ygtc' });
    expect(texts((await handlers.sendMessage({ conversationId, text: 'hi' })).replies)).toEqual(['from the source: hi']);
  });

  it('is read-only: no project to open, no pins or transcripts written, each refusal saying why', async () => {
    const { handlers } = serve(await openServedPack(compiledOnly));
    expect(await handlers.getProject({})).toBeNull();
    await expect(handlers.openProject({})).rejects.toThrow(/serves the pack studio\.sample@0\.1\.0 \(sample\.gtpack\), read-only/);
    expect(await handlers.getPinnedOutputs({ flowPath: 'manifest.cbor#main' })).toEqual({});
    await expect(handlers.setPinnedOutput({ flowPath: 'manifest.cbor#main', nodeId: 'greet', output: { text: 'x' } })).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/sample\.gtpack is a pack, served read-only/),
    });
    const { conversationId } = await handlers.startConversation({ flowPath: 'manifest.cbor#main' });
    await handlers.sendMessage({ conversationId, text: 'hi' });
    await expect(handlers.saveTranscript({ conversationId, path: 'tests/x.yaml' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('names what is wrong with a file that is not a pack', async () => {
    const broken = path.join(dir, 'broken.gtpack');
    writeFileSync(broken, 'not a zip');
    await expect(openServedPack(broken)).rejects.toMatchObject({ code: 'invalid_pack', message: expect.stringMatching(/broken\.gtpack is not a readable pack: /) });
    await expect(openServedPack(path.join(dir, 'missing.gtpack'))).rejects.toMatchObject({ code: 'not_found' });
  });
});

/** Greets, echoes the text through a WASM component, parks, then calls a component that is not one. */
const LEGACY_FLOW = `id: hello
type: messaging
start: greet
nodes:
  greet:
    emit.response:
      messages:
        - type: text
          text: legacy hello
    routing:
      - to: shout
  shout:
    component.exec:
      component: acme.echo
      operation: echo
      input:
        said: "{{in.input.text}}"
    routing:
      - to: reply
  reply:
    emit.response:
      messages:
        - type: text
          text: "echo: {{prev.said}}"
    routing:
      - to: wait
  wait:
    session.wait:
      reason: waiting for more
    routing:
      - to: demo
  demo:
    component.exec:
      component: demo.component
      operation: run
      input: {}
    routing: out
`;

describe('a legacy-layout pack served as the runner project', () => {
  let dir: string;
  let echo: { wasm: Uint8Array; manifest: Record<string, unknown> };
  const studios: StudioService[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'served-legacy-'));
    const paths = await testComponents();
    const manifest = JSON.parse(readFileSync(paths.echo.replace(/\.wasm$/, '.manifest.json'), 'utf8')) as Record<string, unknown>;
    echo = { wasm: readFileSync(paths.echo), manifest: { ...manifest, id: 'acme.echo' } };
  });
  afterAll(async () => {
    await Promise.all(studios.map((studio) => studio.components.host.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function legacyPack(name: string, hash?: string): Promise<string> {
    const file = path.join(dir, `${name}.gtpack`);
    const components = [
      { name: 'acme.echo', version: '0.1.0', wasm: echo.wasm, manifest: echo.manifest, ...(hash ? { hash } : {}) },
      { name: 'demo.component', version: '1.0.0', wasm: EMPTY_CORE_MODULE },
    ];
    writeFileSync(file, await legacyPackBytes('acme.legacy', [{ id: 'hello', yaml: LEGACY_FLOW }], components));
    return file;
  }

  function serveLegacy(pack: Awaited<ReturnType<typeof openServedPack>>) {
    const studio = new StudioService({ projectFolder: null, configDir: path.join(dir, 'config'), servedPack: pack });
    studios.push(studio);
    return studio.handlers;
  }

  it('runs a flow from its YAML source, with its components from components/<name>@<version>/, as far as they can run', async () => {
    const pack = await openServedPack(await legacyPack('legacy'));
    expect(pack.label).toBe('acme.legacy@0.1.0');
    expect(pack.flowPaths).toEqual(['flows/hello/flow.ygtc']);
    expect(pack.unrunnable).toEqual([]);
    expect(pack.components.map((component) => component.id)).toEqual(['acme.echo', 'demo.component']);
    const handlers = serveLegacy(pack);

    const { conversationId } = await handlers.startConversation({});
    const first = await handlers.sendMessage({ conversationId, text: 'hi' });
    expect(first.status).toBe('waiting');
    expect(texts(first.replies)).toEqual(['legacy hello', 'echo: hi']);

    const second = await handlers.sendMessage({ conversationId, text: 'go on' });
    expect(second.status).toBe('failed');
    const trace = await handlers.getTrace({ conversationId });
    const error = trace.find((event) => event.type === 'node_error' && event.turnId === second.turnId);
    expect(error).toMatchObject({
      nodeId: 'demo',
      code: 'component_unavailable',
      message: expect.stringMatching(/legacy\.gtpack#components\/demo\.component@1\.0\.0\/component\.wasm is a core WebAssembly module, not a component/),
    });
    expect(second.error).toContain((error as { message: string }).message);
  });

  it('refuses to run a component whose bytes do not match the hash the pack manifest gives them', async () => {
    const pack = await openServedPack(await legacyPack('tampered', '0'.repeat(64)));
    const echoLocation = pack.components.find((component) => component.id === 'acme.echo');
    await expect(echoLocation?.read()).rejects.toMatchObject({
      code: 'invalid_source',
      message: expect.stringMatching(/acme\.echo@0\.1\.0\/component\.wasm does not match the hash the pack manifest gives it \(0{64}, the file has [0-9a-f]{64}\)/),
    });
    const handlers = serveLegacy(pack);
    const { conversationId } = await handlers.startConversation({});
    const turn = await handlers.sendMessage({ conversationId, text: 'hi' });
    expect(turn.status).toBe('failed');
    expect(turn.error).toMatch(/does not match the hash the pack manifest gives it/);
  });

  it.skipIf(!hasConformance)('says why the flow of the corpus legacy pack cannot run, and still offers its component', async () => {
    const file = conformancePath('packs/archives/legacy-signed-demo.gtpack');
    const pack = await openServedPack(file);
    expect(pack.label).toBe('ai.greentic.runner.example@0.1.0');
    expect(pack.unrunnable).toEqual([{ path: 'flows/qa/flow.yaml', problem: expect.any(String) }]);
    const problem = pack.unrunnable[0]?.problem ?? '';
    // The loader's own words for the missing `type` sit in the parentheses.
    expect(problem).toMatch(/^legacy flow qa: its source flows\/qa\/flow\.yaml does not load as a flow \(.*missing required property 'type'\), /);
    expect(problem).toMatch(
      /, and its compiled form flows\/qa\/flow\.json \(kind flow\/v1, 0 nodes, entry "start"\) is not run: the studio does not execute the legacy compiled flow model \(the pack format does not specify its nodes\)$/,
    );
    expect(pack.components.map((component) => component.id)).toEqual(['demo.component']);
    expect([...((await pack.components[0]?.read())?.bytes ?? [])]).toEqual([...EMPTY_CORE_MODULE]);

    const handlers = serveLegacy(pack);
    await expect(handlers.startConversation({})).rejects.toMatchObject({ message: `the project has no flow that compiles: flows/qa/flow.yaml: ${problem}` });
    await expect(handlers.startConversation({ flowPath: 'flows/qa/flow.yaml' })).rejects.toMatchObject({ code: 'invalid_flow', message: expect.stringContaining(problem) });
  });
});
