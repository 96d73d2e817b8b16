import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/runtime/dispatch';
import { EventBus } from '../../../src/runtime/events';
import { buildPack } from '../../../src/runtime/pack/builder/build';
import { parsePackConfig } from '../../../src/runtime/pack/builder/pack-config';
import { openPack } from '../../../src/runtime/pack/open';
import { createStudioPackHandlers } from '../../../src/runtime/pack/service';
import { createPackWorkspaceHandlers } from '../../../src/runtime/pack/workspace/handlers';
import { PackUploads } from '../../../src/runtime/pack/workspace/uploads';
import type { StudioHandlers } from '../../../src/shared/api';
import { PACK_UPLOAD_MAX_BYTES } from '../../../src/shared/api/pack';
import { compileFlow } from '../../../src/shared/flow';
import { conformancePath, hasConformance } from '../../support/conformance';
import { writeSampleProject } from './support/fixtures';
import { rawZip } from './support/raw-zip';

const scratch = mkdtempSync(path.join(tmpdir(), 'pack-workspace-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
function fresh(name: string): string {
  return path.join(scratch, `${name}-${++counter}`);
}

/** The pack domain and the workspace methods as the studio composes them, with their own settings folder. */
function studioPacks(project: string, uploads?: PackUploads) {
  const configDir = fresh('config');
  const pack = createStudioPackHandlers({ configDir, events: new EventBus(), projectRoot: async () => project });
  return { ...pack, ...createPackWorkspaceHandlers({ configDir, projectRoot: async () => project, inspectPack: pack.inspectPack, trustKey: pack.trustKey, ...(uploads ? { uploads } : {}) }) };
}

async function builtSample(project = writeSampleProject()): Promise<string> {
  const out = fresh('sample') + '.gtpack';
  writeFileSync(out, (await buildPack(project)).bytes);
  return out;
}

const COMMENTED_PACK_YAML = [
  '# The sample pack. Bump the version on every release.',
  'pack_id: studio.sample',
  'version: "1.2.3" # released to the store',
  'kind: application',
  'publisher: Sample Publisher',
  '',
  'flows: # one flow for now',
  '  - id: main',
  '    file: flows/main.ygtc',
  '',
].join('\n');

describe('the version in pack.yaml', () => {
  it('bumps only the version characters: comments, quoting, order and blank lines stay', async () => {
    const project = writeSampleProject({ 'pack.yaml': COMMENTED_PACK_YAML });
    const packs = studioPacks(project);
    expect(await packs.readPackVersion({})).toEqual({ root: project, pack_id: 'studio.sample', version: '1.2.3' });
    expect(await packs.setPackVersion({ bump: 'minor' })).toEqual({ pack_id: 'studio.sample', previous: '1.2.3', version: '1.3.0' });
    expect(readFileSync(path.join(project, 'pack.yaml'), 'utf8')).toBe(COMMENTED_PACK_YAML.replace('"1.2.3"', '"1.3.0"'));
    await packs.setPackVersion({ version: '2.0.0-rc.1' });
    await packs.setPackVersion({ bump: 'major' });
    expect(readFileSync(path.join(project, 'pack.yaml'), 'utf8')).toBe(COMMENTED_PACK_YAML.replace('"1.2.3"', '"2.0.0"'));
  });

  it('writes a plain version plainly, and the project still builds with it', async () => {
    const project = writeSampleProject();
    const packs = studioPacks(project);
    await packs.setPackVersion({ bump: 'patch' });
    expect(readFileSync(path.join(project, 'pack.yaml'), 'utf8')).toContain('\nversion: 1.2.4\n');
    expect((await buildPack(project)).manifest.version).toBe('1.2.4');
  });

  it('refuses what is not a semantic version, in the contract and in the back end, and leaves the file alone', async () => {
    const project = writeSampleProject({ 'pack.yaml': COMMENTED_PACK_YAML });
    const packs = studioPacks(project);
    const viaContract = await dispatch(packs as unknown as StudioHandlers, 'setPackVersion', { version: '1.2' });
    expect(viaContract).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('semantic version') } });
    expect(await dispatch(packs as unknown as StudioHandlers, 'setPackVersion', { version: '1.0.0', bump: 'patch' })).toMatchObject({ ok: false });
    await expect(packs.setPackVersion({ version: '01.2.3' })).rejects.toMatchObject({ code: 'bad_request' });
    expect(readFileSync(path.join(project, 'pack.yaml'), 'utf8')).toBe(COMMENTED_PACK_YAML);

    const broken = writeSampleProject({ 'pack.yaml': 'pack_id: x\nversion: soon\n' });
    await expect(studioPacks(broken).setPackVersion({ bump: 'patch' })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('not a semantic version') });
    await expect(studioPacks(fresh('no-project')).readPackVersion({})).rejects.toMatchObject({ message: expect.stringContaining('pack.yaml not found') });
  });
});

describe('open as project', () => {
  it('refuses a folder that is not empty and writes nothing into it', async () => {
    const folder = fresh('busy');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'notes.txt'), 'mine');
    const packs = studioPacks(scratch);
    await expect(packs.unpackPackToProject({ path: await builtSample(), folder })).rejects.toMatchObject({ code: 'conflict' });
    expect(readdirSync(folder)).toEqual(['notes.txt']);
    await expect(packs.unpackPackToProject({ path: await builtSample(), folder: 'relative/folder' })).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('writes the flows, assets and a pack.yaml that builds back to the same flows', async () => {
    const pack = await builtSample();
    const folder = fresh('unpacked');
    const result = await studioPacks(scratch).unpackPackToProject({ path: pack, folder });
    expect(result.flows).toEqual(['flows/main.ygtc']);
    expect(result.files).toEqual(expect.arrayContaining(['pack.yaml', 'flows/main.ygtc', 'assets/cards/welcome.json', 'pack.lock.cbor']));
    const original = await openPack({ path: pack });
    const unpackedFlow = compileFlow(readFileSync(path.join(folder, 'flows/main.ygtc'), 'utf8')).flow;
    expect(original.decoded.model === 'pack-v1' && original.decoded.manifest.flows[0]?.flow).toEqual(unpackedFlow);
    expect(readFileSync(path.join(folder, 'assets/cards/welcome.json'), 'utf8')).toBe('{"type":"AdaptiveCard","version":"1.5","body":[]}');
    const config = parsePackConfig(readFileSync(path.join(folder, 'pack.yaml'), 'utf8'));
    expect(config).toMatchObject({ pack_id: 'studio.sample', version: '1.2.3', kind: 'application', flows: [{ id: 'main', file: 'flows/main.ygtc', tags: ['default'] }] });
    const rebuilt = await buildPack(folder);
    expect(rebuilt.manifest.flows).toEqual(original.decoded.manifest.flows);
  });

  it.runIf(hasConformance)('keeps a corpus pack\'s concrete components through a resolve summary, so the rebuild names them again', async () => {
    const archive = conformancePath('packs/archives/deflated-quickstart.gtpack');
    const folder = fresh('quickstart');
    const result = await studioPacks(scratch).unpackPackToProject({ path: archive, folder });
    const summary = JSON.parse(readFileSync(path.join(folder, 'flows/main.ygtc.resolve.summary.json'), 'utf8'));
    expect(summary.nodes.show_about_card).toMatchObject({ component_id: 'ai.greentic.component-adaptive-card', digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(existsSync(path.join(folder, 'components/ai.greentic.component-adaptive-card.wasm'))).toBe(true);
    expect(result.files).toContain('assets/assets/cards/about_card.json');
    const original = await openPack({ path: archive });
    const rebuilt = await buildPack(folder);
    expect(rebuilt.manifest.flows).toEqual(original.decoded.manifest.flows);
  });

  it('a hostile archive fails with its typed error and leaves no folder behind', async () => {
    const hostile = fresh('hostile') + '.gtpack';
    writeFileSync(hostile, rawZip([{ name: '../escape.txt', data: new TextEncoder().encode('x') }]));
    const folder = fresh('never');
    await expect(studioPacks(scratch).unpackPackToProject({ path: hostile, folder })).rejects.toMatchObject({ code: 'invalid_pack', details: { code: 'unsafe_path' } });
    expect(existsSync(folder)).toBe(false);
    expect(existsSync(path.join(scratch, 'escape.txt'))).toBe(false);
  });
});

describe('packs uploaded as bytes (web mode drag and drop)', () => {
  const chunks = (bytes: Uint8Array, size: number) => Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));

  it('arrive in order into a file that opens like any other pack', async () => {
    const bytes = readFileSync(await builtSample());
    const packs = studioPacks(scratch);
    let upload: string | undefined;
    let finished: string | null = null;
    let offset = 0;
    for (const chunk of chunks(bytes, 700)) {
      const step = await packs.uploadPack({ ...(upload ? { upload } : {}), name: 'dropped.gtpack', total: bytes.length, offset, data: Buffer.from(chunk).toString('base64') });
      upload = step.upload;
      offset = step.received;
      finished = step.path;
    }
    expect(finished).not.toBeNull();
    expect(path.basename(finished as string)).toBe('dropped.gtpack');
    expect(readFileSync(finished as string)).toEqual(bytes);
    expect((await packs.inspectPack({ path: finished as string })).pack_id).toBe('studio.sample');
  });

  it('are bounded: the announced size, the bytes actually sent, and the order', async () => {
    const uploads = new PackUploads(scratch, 1000);
    const data = Buffer.alloc(600).toString('base64');
    await expect(uploads.receive({ name: 'big.gtpack', total: 1001, offset: 0, data })).rejects.toMatchObject({ code: 'bad_request' });
    const first = await uploads.receive({ name: 'a.gtpack', total: 1000, offset: 0, data });
    await expect(uploads.receive({ upload: first.upload, name: 'a.gtpack', total: 1000, offset: 0, data })).rejects.toMatchObject({ code: 'conflict' });
    await expect(uploads.receive({ upload: first.upload, name: 'a.gtpack', total: 1000, offset: 600, data })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('more bytes') });
    // The overflowing upload was dropped with its file.
    await expect(uploads.receive({ upload: first.upload, name: 'a.gtpack', total: 1000, offset: 600, data: '' })).rejects.toMatchObject({ code: 'not_found' });

    const packs = studioPacks(scratch);
    const tooBig = await dispatch(packs as unknown as StudioHandlers, 'uploadPack', { name: 'x.gtpack', total: PACK_UPLOAD_MAX_BYTES + 1, offset: 0, data: '' });
    expect(tooBig).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });
});

describe('recent packs and trusting a pack\'s signer', () => {
  it('remembers opened packs, newest first', async () => {
    const packs = studioPacks(scratch);
    const a = await builtSample();
    const b = await builtSample();
    await packs.openPackFile({ path: a });
    await packs.openPackFile({ path: b });
    expect((await packs.recentPacks({})).map((entry) => [entry.path, entry.name])).toEqual([
      [b, 'studio.sample 1.2.3'],
      [a, 'studio.sample 1.2.3'],
    ]);
  });

  it('trusts the key of the signing certificate, after which its signatures are valid', async () => {
    const project = writeSampleProject();
    const author = studioPacks(project);
    const key = await author.createSigningKey({ label: 'Author', passphrase: 'a long passphrase' });
    const out = fresh('signed') + '.gtpack';
    await author.buildPack({ out, signingKeyId: key.id, passphrase: 'a long passphrase' });

    const reader = studioPacks(scratch);
    expect((await reader.inspectPack({ path: out })).signatures.map((s) => s.status)).toEqual(['untrusted', 'untrusted']);
    await expect(reader.trustPackSigner({ path: out, fingerprint: '0'.repeat(64), label: 'Wrong' })).rejects.toMatchObject({ code: 'conflict' });
    const trusted = await reader.trustPackSigner({ path: out, fingerprint: key.fingerprint, label: 'Author' });
    expect(trusted.fingerprint).toBe(key.fingerprint);
    expect((await reader.inspectPack({ path: out })).signatures.map((s) => s.status)).toEqual(['valid', 'valid']);
  });
});
