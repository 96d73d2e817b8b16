import { createHash } from 'node:crypto';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArchive } from '../../../src/runtime/pack/archive/zip-reader';
import { encodeCbor } from '../../../src/runtime/pack/cbor/encode';
import { decodePackLock, type LockedComponent } from '../../../src/runtime/pack/registry/lock';
import type { ComponentDescriber } from '../../../src/runtime/pack/registry/lock-contract';
import { resolvePack, ResolveError } from '../../../src/runtime/pack/registry/resolve';
import { runCliCaptured as run } from '../../support/cli';
import { conformancePath, hasConformance } from '../../support/conformance';

const SAMPLE_WASM = path.resolve('resources/sample-project/components/text-tools/component.wasm');
const CARD_ID = 'ai.greentic.component-adaptive-card';

let work = '';
const previousCache = process.env.GREENTIC_STUDIO_CACHE_DIR;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'gs-resolve-describe-'));
  process.env.GREENTIC_STUDIO_CACHE_DIR = path.join(work, 'cache');
});

afterAll(async () => {
  if (previousCache === undefined) delete process.env.GREENTIC_STUDIO_CACHE_DIR;
  else process.env.GREENTIC_STUDIO_CACHE_DIR = previousCache;
  await rm(work, { recursive: true, force: true });
});

/** A pack project whose one flow binds `componentId` to a local wasm, through a resolve summary as upstream writes it. */
async function projectBinding(name: string, componentId: string, wasm: Uint8Array): Promise<string> {
  const project = path.join(work, name);
  await mkdir(path.join(project, 'flows'), { recursive: true });
  await mkdir(path.join(project, 'components'), { recursive: true });
  await writeFile(path.join(project, 'components/component.wasm'), wasm);
  await writeFile(path.join(project, 'pack.yaml'), 'pack_id: test.resolve\nversion: 0.1.0\nkind: application\npublisher: Test\ncomponents: []\nflows:\n- id: main\n  file: flows/main.ygtc\n');
  const digest = `sha256:${createHash('sha256').update(wasm).digest('hex')}`;
  const summary = { schema_version: 1, flow: 'main.ygtc', nodes: { step: { component_id: componentId, source: { kind: 'local', path: '../components/component.wasm' }, digest } } };
  await writeFile(path.join(project, 'flows/main.ygtc.resolve.summary.json'), JSON.stringify(summary));
  return project;
}

/** A copy of a corpus folder that resolve may write into (the corpus itself is read-only). */
async function writableCopy(source: string, target: string): Promise<void> {
  await cp(source, target, { recursive: true });
  const walk = async (dir: string): Promise<void> => {
    await chmod(dir, 0o755);
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else await chmod(full, 0o644);
    }
  };
  await walk(target);
}

async function lockOf(project: string): Promise<Record<string, LockedComponent>> {
  return decodePackLock(new Uint8Array(await readFile(path.join(project, 'pack.lock.cbor')))).components;
}

/** What upstream derives from describe(): the fields `pack resolve` must write as it does. */
function contractFields(entry: LockedComponent | undefined) {
  return {
    resolved_digest: entry?.resolved_digest,
    abi_version: entry?.abi_version,
    describe_hash: entry?.describe_hash,
    operations: entry?.operations,
    role: entry?.role,
    component_version: entry?.component_version,
  };
}

describe.skipIf(!hasConformance)('pack resolve: describe hashes as upstream computes them', () => {
  it('locks a real component by its component-descriptor describe(), as the lock greentic-pack wrote beside it', { timeout: 120_000 }, async () => {
    const archive = await readArchive(
      { path: conformancePath('packs/archives/deflated-quickstart.gtpack') },
      { hashAll: false, retain: (entry) => entry === `components/${CARD_ID}.wasm` || entry === 'pack.lock.cbor' },
    );
    const upstream = decodePackLock(archive.retained.get('pack.lock.cbor')!).components[CARD_ID];
    expect(upstream?.role).toBe('tool');
    const project = await projectBinding('card', CARD_ID, archive.retained.get(`components/${CARD_ID}.wasm`)!);

    const resolved = await run('pack', 'resolve', project);
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(resolved.stderr).not.toContain('warning');
    const locked = (await lockOf(project))[CARD_ID];
    expect(contractFields(locked)).toEqual(contractFields(upstream));
    expect(locked?.operations.map((op) => op.operation_id)).toEqual(['card']);
  });

  it('falls back to the .describe.cbor cache beside an artifact that cannot run, as greentic-pack did for valid-minimal', async () => {
    const project = path.join(work, 'valid-minimal');
    await writableCopy(conformancePath('packs/sources/valid-minimal'), project);
    const upstream = (await lockOf(project))['dev.local.component'];
    expect(upstream?.describe_hash).toMatch(/^[0-9a-f]{64}$/);
    await rm(path.join(project, 'pack.lock.cbor'));

    const result = await resolvePack(project);
    expect(result.warnings).toEqual([]);
    expect(contractFields(result.lock.components['dev.local.component'])).toEqual(contractFields(upstream));
  });
});

describe('pack resolve: a component that cannot be described', () => {
  it('keeps upstream\'s fallback for a component without a component-descriptor export, and says so', async () => {
    const wasm = new Uint8Array(await readFile(SAMPLE_WASM));
    const project = await projectBinding('node-only', 'studio.sample.text-tools', wasm);
    const resolved = await run('pack', 'resolve', project);
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(resolved.stderr).toContain('warning: component studio.sample.text-tools: describe() could not run (it exports no component-descriptor interface); locked with its digest as describe hash, no operations and role unknown');
    const digest = createHash('sha256').update(wasm).digest('hex');
    expect((await lockOf(project))['studio.sample.text-tools']).toMatchObject({ describe_hash: digest, operations: [], role: 'unknown', component_version: '0.0.0' });
  });

  it('names why describe() could not run', async () => {
    const project = await projectBinding('broken', 'test.broken', new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0xff]));
    const result = await resolvePack(project);
    expect(result.warnings).toEqual([expect.stringMatching(/^component test\.broken: describe\(\) could not run \(.*could not be transpiled: .* malformed section id .*\); locked with its digest/)]);
    expect(result.lock.components['test.broken']).toMatchObject({ role: 'unknown', operations: [] });
  });

  it('fails the resolve when describe() answers for another component, as upstream does', async () => {
    const describe = encodeCbor({
      info: { id: 'someone.else', version: '1.0.0', role: 'tool', display_name: null },
      provided_capabilities: [],
      required_capabilities: [],
      metadata: {},
      operations: [],
      config_schema: { type: 'object' },
    });
    const describer: ComponentDescriber = { describeCbor: () => Promise.resolve(describe), close: () => Promise.resolve() };
    const project = await projectBinding('mismatch', 'test.mine', new Uint8Array([1, 2, 3]));
    const failure = await resolvePack(project, { describer }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ResolveError);
    expect((failure as Error).message).toBe('component test.mine describe id mismatch: someone.else');
  });
});
