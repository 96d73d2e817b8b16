import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { generateKeyPair, privateKeyToPem } from '../../../src/runtime/keys/ed25519';
import { openPack } from '../../../src/runtime/pack/open';
import { verifyOpenedPack } from '../../../src/runtime/pack/verify';
import { signingTime } from '../../../src/runtime/pack/signing/signing-time';
import { PackError } from '../../../src/runtime/pack/errors';
import { repoRoot } from '../../support/conformance';
import { writeSampleProject } from './support/fixtures';

const run = promisify(execFile);
const work = mkdtempSync(path.join(tmpdir(), 'reproducible-'));
const project = writeSampleProject();
const keyFile = path.join(work, 'key.pem');
const key = generateKeyPair();
writeFileSync(keyFile, privateKeyToPem(key.seed));

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(project, { recursive: true, force: true });
});

/** Builds the project signed in a fresh Node process with this environment; returns the pack's bytes. */
async function buildIn(name: string, env: Record<string, string | undefined>): Promise<Buffer> {
  const out = path.join(work, `${name}.gtpack`);
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
  await run(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test', 'support', 'build-signed-pack.ts'), project, keyFile, out], { cwd: repoRoot, env: childEnv });
  return readFileSync(out);
}

describe('reproducible signed packs', () => {
  it('with SOURCE_DATE_EPOCH, two signed builds in different time zones are byte-identical and verify', async () => {
    const epoch = '1700000000';
    const [east, west] = await Promise.all([
      buildIn('east', { TZ: 'Pacific/Kiritimati', SOURCE_DATE_EPOCH: epoch }),
      buildIn('west', { TZ: 'America/Los_Angeles', SOURCE_DATE_EPOCH: epoch }),
    ]);
    expect(east.equals(west)).toBe(true);
    const opened = await openPack({ bytes: east }, { retain: (entry) => entry === 'signatures/pack.sig' });
    const envelope = JSON.parse(Buffer.from(opened.contents.retained.get('signatures/pack.sig') ?? []).toString('utf8')) as { signed_at_utc: string };
    expect(envelope.signed_at_utc).toBe('2023-11-14T22:13:20.000Z');
    expect((await verifyOpenedPack(await openPack({ bytes: east }), { givenKeys: [key.publicKey] })).ok).toBe(true);
  }, 120_000);

  it('without it, signing takes the clock; a malformed value is refused', () => {
    const now = new Date('2030-01-02T03:04:05.678Z');
    expect(signingTime({}, () => now)).toBe(now);
    expect(signingTime({ SOURCE_DATE_EPOCH: '0' })).toEqual(new Date(0));
    for (const bad of ['-1', '1.5', 'yesterday', '1e9', '999999999999']) expect(() => signingTime({ SOURCE_DATE_EPOCH: bad })).toThrow(PackError);
  });
});
