import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockedComponents } from '../../../src/runtime/components/wasm/locked-sources';
import { ComponentCache } from '../../../src/runtime/pack/registry/cache';
import { RegistryClient, sha256Digest } from '../../../src/runtime/pack/registry/client';
import { RegistryError } from '../../../src/runtime/pack/registry/errors';
import { decodePackLock } from '../../../src/runtime/pack/registry/lock';
import { COMPONENT_MANIFEST_LAYER, GTPACK_LAYER, WASM_COMPONENT_LAYER } from '../../../src/runtime/pack/registry/media-types';
import { pullComponent } from '../../../src/runtime/pack/registry/pull-component';
import { pushArtifact } from '../../../src/runtime/pack/registry/push';
import { runCliCaptured as run } from '../../support/cli';
import { DockerRegistry } from '../../support/docker-registry';
import { freePort } from '../../support/redis-server';
import { RegistryTokenServer } from '../../support/registry-token-server';

const SAMPLE = path.resolve('resources/sample-project');
const COMPONENT_DIR = path.join(SAMPLE, 'components/text-tools');
const USER = { name: 'designer', password: 's3cret-pass' };

let open: DockerRegistry;
let locked: DockerRegistry;
let work = '';
let wasm: Uint8Array;
let manifest: Uint8Array;
let pushedDigest = '';
const previousCache = process.env.GREENTIC_STUDIO_CACHE_DIR;

function componentLayers() {
  return [
    { mediaType: WASM_COMPONENT_LAYER, bytes: wasm, title: 'component.wasm' },
    { mediaType: COMPONENT_MANIFEST_LAYER, bytes: manifest, title: 'component.manifest.json' },
  ];
}

async function failure(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RegistryError);
  return error as RegistryError;
}

beforeAll(async () => {
  [open, locked] = await Promise.all([DockerRegistry.start(), DockerRegistry.start({ user: USER })]);
  work = await mkdtemp(path.join(tmpdir(), 'gs-oci-'));
  process.env.GREENTIC_STUDIO_CACHE_DIR = path.join(work, 'cache');
  wasm = new Uint8Array(await readFile(path.join(COMPONENT_DIR, 'component.wasm')));
  // The sample's own manifest, with a wall-time limit that leaves room for a first (compiling) call on a busy machine.
  const sampleManifest = JSON.parse(await readFile(path.join(COMPONENT_DIR, 'component.manifest.json'), 'utf8')) as { limits: Record<string, number> };
  manifest = new TextEncoder().encode(JSON.stringify({ ...sampleManifest, limits: { ...sampleManifest.limits, wall_time_ms: 30_000 } }));
  pushedDigest = (await pushArtifact(`oci://${open.host}/components/text-tools:0.1.0`, WASM_COMPONENT_LAYER, componentLayers())).digest;
}, 60_000);

afterAll(async () => {
  if (previousCache === undefined) delete process.env.GREENTIC_STUDIO_CACHE_DIR;
  else process.env.GREENTIC_STUDIO_CACHE_DIR = previousCache;
  await Promise.all([open?.dispose(), locked?.dispose()]);
  await rm(work, { recursive: true, force: true });
});

describe('pulling components from a registry', () => {
  it('pulls a tag, verifies and caches it under the manifest digest, then serves the pinned reference from the cache', async () => {
    const cache = new ComponentCache(path.join(work, 'pull-cache'));
    const progress: string[] = [];
    const pulled = await pullComponent(`oci://${open.host}/components/text-tools:0.1.0`, { cache, onProgress: (p) => progress.push(p.phase) });
    expect(pulled).toMatchObject({ componentId: 'studio.sample.text-tools', digest: pushedDigest, fromCache: false });
    expect(pulled.pinned).toBe(`oci://${open.host}/components/text-tools:0.1.0@${pushedDigest}`);
    expect(Buffer.from(await readFile(pulled.wasmPath)).equals(Buffer.from(wasm))).toBe(true);
    expect(progress).toContain('layer');
    const again = await pullComponent(pulled.pinned, { cache, fetch: () => Promise.reject(new Error('no network needed')) });
    expect(again).toMatchObject({ fromCache: true, digest: pushedDigest, componentId: 'studio.sample.text-tools' });
  });

  it('names what went wrong: unreachable, not found, not a component, digest mismatch', async () => {
    const cache = new ComponentCache(path.join(work, 'error-cache'));
    const port = await freePort();
    expect((await failure(pullComponent(`oci://127.0.0.1:${port}/x/y:1`, { cache }))).code).toBe('unreachable');
    expect((await failure(pullComponent(`oci://${open.host}/components/missing:1`, { cache }))).message).toMatch(/not found.*MANIFEST_UNKNOWN|not found.*NAME_UNKNOWN/);

    await pushArtifact(`oci://${open.host}/docs/readme:1`, 'text/markdown', [{ mediaType: 'text/markdown', bytes: new TextEncoder().encode('# hi') }]);
    const notComponent = await failure(pullComponent(`oci://${open.host}/docs/readme:1`, { cache }));
    expect(notComponent.code).toBe('not_a_component');
    expect(notComponent.message).toMatch(/not a WebAssembly component/);

    const wrongPin = `oci://${open.host}/components/text-tools:0.1.0@sha256:${'0'.repeat(64)}`;
    expect((await failure(pullComponent(wrongPin, { cache }))).code).toMatch(/not_found|digest_mismatch/);

    // A registry whose stored layer no longer matches its digest: the pull refuses the bytes.
    await pushArtifact(`oci://${open.host}/components/tampered:1`, WASM_COMPONENT_LAYER, [{ mediaType: WASM_COMPONENT_LAYER, bytes: wasm.slice(0, wasm.length - 1) }]);
    const blobHex = sha256Digest(wasm.slice(0, wasm.length - 1)).slice(7);
    const blobFile = path.join(open.storage, 'docker/registry/v2/blobs/sha256', blobHex.slice(0, 2), blobHex, 'data');
    await writeFile(blobFile, wasm.slice(1));
    const mismatch = await failure(pullComponent(`oci://${open.host}/components/tampered:1`, { cache }));
    expect(mismatch.code).toBe('digest_mismatch');
    expect(mismatch.message).toContain(`expected sha256:${blobHex}`);
  });

  it('answers the registry\'s Basic challenge with credentials and names a refusal', async () => {
    const ref = `oci://${locked.host}/private/text-tools:1.0.0`;
    const denied = await failure(pushArtifact(ref, WASM_COMPONENT_LAYER, componentLayers()));
    expect(denied.code).toBe('unauthorized');
    expect(denied.message).toMatch(/needs a user name and password/);
    const credentials = { username: USER.name, password: USER.password };
    await pushArtifact(ref, WASM_COMPONENT_LAYER, componentLayers(), { credentials });
    const cache = new ComponentCache(path.join(work, 'auth-cache'));
    const wrong = await failure(pullComponent(ref, { cache, credentials: { username: USER.name, password: 'nope' } }));
    expect(wrong).toMatchObject({ code: 'unauthorized' });
    expect(wrong.message).toMatch(/refused the credentials/);
    expect((await pullComponent(ref, { cache, credentials })).componentId).toBe('studio.sample.text-tools');
  });
});

describe('greentic-studio flow add-step --component, pack resolve and pack push', () => {
  it('binds a step to a registry component, pins it, locks it as upstream does and runs it from the cache', { timeout: 120_000 }, async () => {
    const project = path.join(work, 'project');
    await cp(SAMPLE, project, { recursive: true });
    await rm(path.join(project, 'components'), { recursive: true });
    await writeFile(path.join(project, 'pack.yaml'), (await readFile(path.join(project, 'pack.yaml'), 'utf8')).replace(/components:\n(  .*\n|    .*\n)*/, 'components: []\n'));
    const flow = path.join(project, 'flows/main.ygtc');
    const ref = `oci://${open.host}/components/text-tools:0.1.0`;
    const added = await run('flow', 'add-step', flow, '--after', 'count', '--id', 'stats_again', '--op', 'studio.sample.text-tools.stats', '--payload', '{"input": "two words"}', '--component', ref, '--pin', '--write');
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const sidecar = JSON.parse(await readFile(`${flow}.resolve.json`, 'utf8')) as { flow: string; nodes: Record<string, { source: unknown }> };
    expect(sidecar.flow).toBe('main.ygtc');
    expect(sidecar.nodes.stats_again?.source).toEqual({ kind: 'oci', ref, digest: pushedDigest });

    const transcript = path.join(project, 'tests/text-tools.yaml');
    expect((await run('test', transcript)).code, 'the component is not in the project before it is resolved').toBe(1);

    const resolved = await run('pack', 'resolve', project);
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(resolved.stdout).toContain(`locked studio.sample.text-tools ${pushedDigest}`);
    // The sample exports node@0.6.0 only, no component-descriptor: upstream's fallback, said out loud.
    expect(resolved.stderr).toContain('warning: component studio.sample.text-tools: describe() could not run (it exports no component-descriptor interface)');
    const lock = decodePackLock(new Uint8Array(await readFile(path.join(project, 'pack.lock.cbor'))));
    expect(lock.components['studio.sample.text-tools']).toEqual({
      component_id: 'studio.sample.text-tools',
      ref,
      abi_version: '0.6.0',
      resolved_digest: pushedDigest,
      describe_hash: pushedDigest.slice(7),
      operations: [],
      world: 'greentic:component/component@0.6.0',
      component_version: '0.1.0',
      role: 'unknown',
    });
    const json = JSON.parse(await readFile(path.join(project, 'pack.lock.json'), 'utf8')) as unknown;
    expect(json).toEqual(lock);
    const summary = JSON.parse(await readFile(`${flow}.resolve.summary.json`, 'utf8')) as { nodes: Record<string, unknown> };
    expect(summary.nodes.stats_again).toEqual({ component_id: 'studio.sample.text-tools', source: { kind: 'oci', ref }, digest: pushedDigest });

    const locations = await lockedComponents(project);
    expect(locations.map((l) => l.id)).toEqual(['studio.sample.text-tools']);
    const source = await locations[0]!.read();
    expect(Buffer.from(source.bytes).equals(Buffer.from(wasm))).toBe(true);

    // The first call compiles the component into a cache that is empty here: give the turn room on a busy machine.
    const turnTimeout = process.env.GREENTIC_STUDIO_TURN_TIMEOUT_MS;
    process.env.GREENTIC_STUDIO_TURN_TIMEOUT_MS = '60000';
    const tested = await run('test', transcript, '--json').finally(() => {
      if (turnTimeout === undefined) delete process.env.GREENTIC_STUDIO_TURN_TIMEOUT_MS;
      else process.env.GREENTIC_STUDIO_TURN_TIMEOUT_MS = turnTimeout;
    });
    expect(tested.code, tested.stdout.replace(/,"trace".*/s, '') + tested.stderr).toBe(0);
  });

  it('pushes a built pack as one layer that the registry returns byte for byte', async () => {
    const packFile = path.join(work, 'sample.gtpack');
    expect((await run('pack', 'build', SAMPLE, '--out', packFile)).code).toBe(0);
    const ref = `oci://${locked.host}/packs/sample:0.1.0`;
    const anonymous = await run('pack', 'push', packFile, ref);
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toMatch(/unauthorized: .*needs a user name and password/);
    const pushed = await run('pack', 'push', packFile, ref, '--user', `${USER.name}:${USER.password}`);
    expect(pushed.code, pushed.stderr).toBe(0);
    const client = new RegistryClient(locked.host, 'packs/sample', { credentials: { username: USER.name, password: USER.password } });
    const fetched = await client.getManifest('0.1.0');
    expect(pushed.stdout).toContain(`@${fetched.digest}`);
    const layers = (fetched.json as { layers: Array<{ mediaType: string; digest: string }> }).layers;
    expect(layers.map((l) => l.mediaType)).toEqual([GTPACK_LAYER]);
    const bytes = await client.getBlob(layers[0]!.digest, 64 * 1024 * 1024);
    expect(Buffer.from(bytes).equals(await readFile(packFile))).toBe(true);
  });

  it('refuses a malformed reference as a usage error', async () => {
    const result = await run('pack', 'push', path.join(work, 'sample.gtpack'), 'oci://Bad Host/x');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/invalid OCI reference/);
    expect(await readdir(work)).toContain('sample.gtpack');
  });
});

describe('a registry behind a token service', () => {
  it('fetches a bearer token from the realm of the challenge, with the credentials, and names an anonymous refusal', async () => {
    const tokens = await RegistryTokenServer.start(USER);
    const registry = await DockerRegistry.start({ token: { realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootCertBundle: tokens.rootCertBundle } });
    try {
      const ref = `oci://${registry.host}/team/text-tools:2.0.0`;
      const credentials = { username: USER.name, password: USER.password };
      const anonymous = await failure(pushArtifact(ref, WASM_COMPONENT_LAYER, componentLayers()));
      expect(anonymous).toMatchObject({ code: 'unauthorized' });
      expect(anonymous.message).toMatch(/needs credentials/);
      const pushed = await pushArtifact(ref, WASM_COMPONENT_LAYER, componentLayers(), { credentials });
      const pulled = await pullComponent(ref, { cache: new ComponentCache(path.join(work, 'token-cache')), credentials });
      expect(pulled).toMatchObject({ digest: pushed.digest, componentId: 'studio.sample.text-tools' });
      // The registry names the scope it needs in its challenge (its actions in any order).
      const granted = tokens.requests.filter((r) => r.authenticated).map((r) => r.scope ?? '');
      expect(granted.some((scope) => scope.startsWith('repository:team/text-tools:') && scope.includes('push'))).toBe(true);
    } finally {
      await registry.dispose();
      await tokens.dispose();
    }
  });
});
