import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../support/cli';
import type { PackInspection, PackVerification } from '../../../src/shared/api/pack';
import { conformancePath, hasConformance } from '../../support/conformance';
import { writeSampleProject } from './support/fixtures';

const run = runCliCaptured;

let dir = '';
let project = '';
const file = (name: string) => path.join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pack-cli-'));
  project = writeSampleProject();
  expect((await run('keys', 'generate', '--private', file('me.pem'), '--public', file('me.pub'))).code).toBe(0);
  expect((await run('keys', 'generate', '--private', file('other.pem'), '--public', file('other.pub'))).code).toBe(0);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(project, { recursive: true, force: true });
});

describe('greentic-studio keys generate', () => {
  it('writes PKCS#8 and SPKI PEM and refuses to overwrite them', async () => {
    expect(await readFile(file('me.pem'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(await readFile(file('me.pub'), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const again = await run('keys', 'generate', '--private', file('me.pem'), '--public', file('me.pub'));
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
  });
});

describe('greentic-studio pack', () => {
  it('builds, signs and verifies: 0 for the signer key, 1 for another key, 0 with --any-signer', async () => {
    const built = await run('pack', 'build', project, '--out', file('signed.gtpack'), '--key', file('me.pem'), '--key-id', 'release');
    expect(built).toMatchObject({ code: 0 });
    expect(built.stdout).toMatch(/studio\.sample 1\.2\.3.*signed/);

    const mine = await run('pack', 'verify', file('signed.gtpack'), '--key', file('me.pub'), '--json');
    expect(mine.code).toBe(0);
    const report = JSON.parse(mine.stdout) as PackVerification & { status: string };
    expect(report.status).toBe('verified');
    expect(report.signatures.map((s) => [s.scheme, s.status])).toEqual([
      ['embedded', 'valid'],
      ['envelope', 'valid'],
    ]);
    expect((await run('pack', 'verify', file('signed.gtpack'), '--key', file('other.pub'))).code).toBe(1);
    expect((await run('pack', 'verify', file('signed.gtpack'), '--any-signer')).code).toBe(0);
    // The words the studio's Pack workspace and export dialog use for the same statuses.
    expect((await run('pack', 'verify', file('signed.gtpack'), '--key', file('me.pub'))).stdout).toContain('embedded: valid, trusted signer [valid]');
    expect((await run('pack', 'inspect', file('signed.gtpack'))).stdout).toContain('embedded: valid, untrusted signer [untrusted]');
  });

  it('takes --key before the pack and repeated: the option never swallows the pack path', async () => {
    const first = await run('pack', 'verify', '--key', file('me.pub'), file('signed.gtpack'));
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const either = await run('pack', 'verify', '--key', file('other.pub'), '--key', file('me.pub'), file('signed.gtpack'), '--json');
    expect(either.code).toBe(0);
    expect((JSON.parse(either.stdout) as { status: string }).status).toBe('verified');
    expect((await run('pack', 'verify', '--key', file('other.pub'), file('signed.gtpack'))).code).toBe(1);
  });

  it('an unsigned pack does not verify (exit 1), and signing it makes it verify', async () => {
    expect((await run('pack', 'build', project, '--out', file('plain.gtpack'))).code).toBe(0);
    const unsigned = await run('pack', 'verify', file('plain.gtpack'), '--any-signer');
    expect(unsigned.code).toBe(1);
    expect(unsigned.stdout).toMatch(/the pack is not signed/);
    expect((await run('pack', 'sign', file('plain.gtpack'), '--key', file('other.pem'))).code).toBe(0);
    expect((await run('pack', 'verify', file('plain.gtpack'), '--key', file('other.pub'))).code).toBe(0);
  });

  it('usage and I/O errors exit 2', async () => {
    expect((await run('pack', 'verify', file('missing.gtpack'))).code).toBe(2);
    expect((await run('pack', 'build', file('no-such-folder'), '--out', file('x.gtpack'))).code).toBe(2);
    await writeFile(file('not-a-key.pem'), 'nope');
    expect((await run('pack', 'sign', file('signed.gtpack'), '--key', file('not-a-key.pem'))).code).toBe(2);
    expect((await run('pack', 'verify')).code).toBe(2);
  });

  it('a corrupt archive is a negative result with a JSON error', async () => {
    await writeFile(file('garbage.gtpack'), 'not a zip');
    const result = await run('pack', 'verify', file('garbage.gtpack'), '--json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'failed', error: { code: 'corrupt_archive' } });
  });

  it.skipIf(!hasConformance)('inspect --json prints the documented fields for a real archive', async () => {
    const result = await run('pack', 'inspect', conformancePath('packs/archives/canonical-incident-demo.gtpack'), '--json');
    expect(result.code).toBe(0);
    const inspection = JSON.parse(result.stdout) as PackInspection;
    expect(inspection).toMatchObject({
      layout: 'canonical',
      pack_id: 'incident-demo.pack',
      version: '0.1.0',
      kind: 'application',
      publisher: 'Greentic',
      flows: ['incident_create', 'main'],
      components: ['ai.greentic.component-betterstack-incident.create-incident'],
      sbom: { ok: true, problems: [] },
      signatures: [],
    });
    expect(inspection.entries[0]).toMatchObject({ path: 'manifest.cbor', media_type: 'application/cbor', sbom_status: 'ok' });
    expect(inspection.entries[0]?.blake3).toMatch(/^[0-9a-f]{64}$/);
  });
});
