import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotMessage } from '../../../src/shared/api';
import { openServedPack } from '../../../src/runtime/chat/pack-project';
import { assemblePack } from '../../../src/runtime/pack/assemble';
import { buildPack } from '../../../src/runtime/pack/builder/build';
import { StudioService } from '../../../src/runtime/studio';
import { sampleProject } from '../webchat/support';

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
