import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateKeyPair, publicKeyToPem } from '../../../src/runtime/keys/ed25519';
import { readArchive } from '../../../src/runtime/pack/archive/zip-reader';
import { buildPack } from '../../../src/runtime/pack/builder/build';
import { PackError } from '../../../src/runtime/pack/errors';
import { encodeUnsignedPackManifest } from '../../../src/runtime/pack/manifest';
import { openPack } from '../../../src/runtime/pack/open';
import { envelopeDigest } from '../../../src/runtime/pack/signing/scheme-a';
import { signPackArchive } from '../../../src/runtime/pack/sign';
import { verifyOpenedPack } from '../../../src/runtime/pack/verify';
import { repoRoot } from '../../support/conformance';
import { writeSampleProject } from './support/fixtures';

const projects: string[] = [];
function project(files?: Record<string, string | Uint8Array>): string {
  const root = writeSampleProject(files);
  projects.push(root);
  return root;
}
afterAll(() => {
  for (const root of projects) rmSync(root, { recursive: true, force: true });
});

async function buildError(root: string): Promise<PackError> {
  try {
    await buildPack(root);
  } catch (error) {
    if (error instanceof PackError) return error;
    throw error;
  }
  throw new Error('the build succeeded');
}

describe('building a pack project', () => {
  it('writes the canonical layout in packc order, without studio sidecars', async () => {
    const built = await buildPack(project());
    const contents = await readArchive({ bytes: built.bytes });
    // As packc: listed assets under assets/, root files remapped to assets/, root folders copied as-is.
    expect(contents.entries.map((e) => e.path)).toEqual(['manifest.cbor', 'assets/README.md', 'assets/cards/welcome.json', 'cards/welcome.json', 'pack.lock.cbor', 'sbom.cbor']);
    expect(contents.entries.every((entry) => entry.method === 'stored')).toBe(true);
    expect(built.manifest).toMatchObject({ pack_id: 'studio.sample', version: '1.2.3', kind: 'application', publisher: 'Sample Publisher' });
    expect(built.manifest.flows.map((entry) => [entry.id, entry.flow.nodes.map((node) => node.id)])).toEqual([['main', ['hello']]]);
  });

  it('gives the same bytes in every time zone', () => {
    // The DOS timestamps are the only time-dependent bytes; build in two far-apart zones.
    const root = project();
    const script = path.join(root, '..', `build-${path.basename(root)}.mts`);
    writeFileSync(
      script,
      `import { createHash } from 'node:crypto';\nimport { buildPack } from ${JSON.stringify(path.join(repoRoot, 'src/runtime/pack/builder/build.ts'))};\n` +
        `const built = await buildPack(${JSON.stringify(root)});\nprocess.stdout.write(createHash('sha256').update(built.bytes).digest('hex'));\n`,
    );
    projects.push(script);
    const run = (tz: string) => execFileSync(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot, env: { ...process.env, TZ: tz }, encoding: 'utf8' });
    const auckland = run('Pacific/Auckland');
    expect(auckland).toMatch(/^[0-9a-f]{64}$/);
    expect(run('America/Los_Angeles')).toBe(auckland);
  }, 60_000);

  it('is deterministic in process too, and timestamps are 1980-01-01 with mode 0644', async () => {
    const root = project();
    const [first, second] = [await buildPack(root), await buildPack(root)];
    expect(createHash('sha256').update(first.bytes).digest('hex')).toBe(createHash('sha256').update(second.bytes).digest('hex'));
    const bytes = Buffer.from(first.bytes);
    const central = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    expect(bytes.readUInt16LE(central + 12)).toBe(0x0000);
    expect(bytes.readUInt16LE(central + 14)).toBe((0 << 9) | (1 << 5) | 1);
    expect(bytes.readUInt32LE(central + 38) >>> 16).toBe(0o100644);
  });

  it('reports a broken pack.yaml with the field', async () => {
    const error = await buildError(project({ 'pack.yaml': 'pack_id: "bad id!"\nversion: 1.0.0\nkind: application\npublisher: x\n' }));
    expect(error).toMatchObject({ code: 'config_invalid' });
    expect(error.message).toMatch(/pack\.yaml: pack_id: must be non-empty/);
  });

  it('reports YAML that does not parse', async () => {
    expect((await buildError(project({ 'pack.yaml': 'pack_id: [unclosed\n' }))).code).toBe('config_invalid');
  });

  it('reports a flow that does not validate, naming the file', async () => {
    const error = await buildError(project({ 'flows/main.ygtc': 'id: main\ntype: not-a-kind\nnodes: {}\n' }));
    expect(error.code).toBe('flow_invalid');
    expect(error.message).toMatch(/flows\/main\.ygtc does not validate/);
  });

  it('reports a missing component wasm', async () => {
    const yaml = [
      'pack_id: studio.sample',
      'version: 1.0.0',
      'kind: application',
      'publisher: P',
      'components:',
      '  - id: my.component',
      '    version: 0.1.0',
      '    world: greentic:component/component@0.6.0',
      '    wasm: components/missing.wasm',
      '',
    ].join('\n');
    const error = await buildError(project({ 'pack.yaml': yaml, 'pack.lock.cbor': new Uint8Array([0xa0]) }));
    expect(error).toMatchObject({ code: 'component_missing' });
    expect(error.message).toMatch(/component my\.component: wasm not found: components\/missing\.wasm/);
  });

  it('bundles a component with its canonical manifest and the manifests extension', async () => {
    const yaml = [
      'pack_id: studio.sample',
      'version: 1.0.0',
      'kind: application',
      'publisher: P',
      'components:',
      '  - id: my.component',
      '    version: 0.1.0',
      '    world: greentic:component/component@0.6.0',
      '    supports: [messaging]',
      '    capabilities: {host: {http: {client: true}, secrets: {required: []}}, wasi: {clocks: true}}',
      '    wasm: components/my.wasm',
      '',
    ].join('\n');
    const built = await buildPack(project({ 'pack.yaml': yaml, 'pack.lock.cbor': new Uint8Array([0xa0]), 'components/my.wasm': new Uint8Array([0, 0x61, 0x73, 0x6d]) }));
    const paths = (await readArchive({ bytes: built.bytes })).entries.map((e) => e.path);
    expect(paths.slice(0, 3)).toEqual(['manifest.cbor', 'components/my.component.wasm', 'components/my.component.manifest.cbor']);
    expect(built.manifest.capabilities.map((c) => c.name)).toEqual(['host:secrets', 'host:http', 'wasi:clocks']);
    expect(Object.keys(built.manifest.components[0]?.capabilities.host as object)).toEqual(['secrets', 'http']);
    expect(built.manifest.extensions?.['greentic.pack.component_manifests@v1']?.inline).toMatchObject({ entries: [{ component_id: 'my.component', encoding: 'cbor' }] });
  });

  it('refuses an asset path that leaves the project', async () => {
    const yaml = 'pack_id: a\nversion: 1.0.0\nkind: application\npublisher: P\nassets:\n  - path: ../../etc/passwd\n';
    expect((await buildError(project({ 'pack.yaml': yaml }))).code).toBe('config_invalid');
  });
});

describe('signed builds verify in the studio and with Node crypto', () => {
  it('both signatures of a signed build verify with Node as an independent Ed25519 implementation', async () => {
    const signer = generateKeyPair();
    const built = await buildPack(project(), { signer: { ...signer, keyId: 'release' } });
    const opened = await openPack({ bytes: built.bytes });
    expect(await verifyOpenedPack(opened, { givenKeys: [signer.publicKey] })).toMatchObject({ ok: true, intact: true });
    if (opened.decoded.model !== 'pack-v1' || !opened.sbom) throw new Error('expected a canonical pack with an SBOM');

    const key = createPublicKey(publicKeyToPem(signer.publicKey));
    const embedded = opened.decoded.manifest.signatures[0];
    expect(embedded).toMatchObject({ key_id: 'release', algorithm: 'ed25519' });
    const message = encodeUnsignedPackManifest(opened.decoded.manifest);
    expect(nodeVerify(null, message, key, Buffer.from(embedded?.signature ?? '', 'base64'))).toBe(true);

    const envelope = JSON.parse(new TextDecoder().decode(opened.contents.retained.get('signatures/pack.sig'))) as { sig: string; digest: string };
    const digest = await envelopeDigest(opened.manifestBytes, opened.sbom.bytes, opened.sbom.value.files);
    expect(Buffer.from(digest).toString('hex')).toBe(envelope.digest);
    expect(nodeVerify(null, digest, key, Buffer.from(envelope.sig, 'base64url'))).toBe(true);
  });

  it('every changed byte of every entry makes verification fail and names the entry', async () => {
    const signer = generateKeyPair();
    const bytes = (await buildPack(project(), { signer })).bytes;
    const contents = await readArchive({ bytes }, { retain: () => true });
    for (const entry of contents.entries) {
      const data = Uint8Array.from(contents.retained.get(entry.path) as Uint8Array);
      const middle = Math.floor(data.length / 2);
      data[middle] = (data[middle] ?? 0) ^ 0x01;
      const { rawZip } = await import('./support/raw-zip');
      const tampered = rawZip(contents.entries.map((e) => ({ name: e.path, data: e.path === entry.path ? data : (contents.retained.get(e.path) as Uint8Array) })));
      let result;
      try {
        result = await verifyOpenedPack(await openPack({ bytes: tampered }), { givenKeys: [signer.publicKey] });
      } catch (error) {
        // A changed manifest, SBOM or envelope may not even parse: that is a refusal too.
        expect(error).toBeInstanceOf(PackError);
        continue;
      }
      expect(result.ok, entry.path).toBe(false);
      const said = [...result.problems, ...result.signatures.map((s) => s.message ?? '')].join('\n');
      expect(said.length, entry.path).toBeGreaterThan(0);
      if (!entry.path.startsWith('signatures/') && entry.path !== 'sbom.cbor') expect(said, entry.path).toContain(entry.path);
    }
  });

  it('re-signing keeps earlier embedded signatures valid and replaces the envelope', async () => {
    const first = generateKeyPair();
    const second = generateKeyPair();
    const signedOnce = (await buildPack(project(), { signer: { ...first, keyId: 'first' } })).bytes;
    const signedTwice = await signPackArchive({ bytes: signedOnce }, { ...second, keyId: 'second' });
    const result = await verifyOpenedPack(await openPack({ bytes: signedTwice }), { givenKeys: [first.publicKey, second.publicKey] });
    expect(result.ok).toBe(true);
    expect(result.signatures.map((s) => [s.scheme, s.key_id, s.status])).toEqual([
      ['embedded', 'first', 'valid'],
      ['embedded', 'second', 'valid'],
      ['envelope', result.signatures[2]?.fingerprint, 'valid'],
    ]);
  });
});
