import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../../src/runtime/events';
import { KeyRing } from '../../../src/runtime/keys/key-ring';
import { PassphraseFileVault } from '../../../src/runtime/keys/key-vault';
import { TrustStore } from '../../../src/runtime/keys/trust-store';
import { createPackHandlers } from '../../../src/runtime/pack/service';
import { StudioError, type ProgressEvent } from '../../../src/shared/api';
import { writeSampleProject } from './support/fixtures';

const dir = mkdtempSync(path.join(tmpdir(), 'pack-service-'));
const project = writeSampleProject();
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(project, { recursive: true, force: true });
});

function service() {
  const events = new EventBus();
  const progress: ProgressEvent[] = [];
  events.subscribe((name, payload) => {
    if (name === 'progress') progress.push(payload as ProgressEvent);
  });
  const handlers = createPackHandlers({
    events,
    keys: new KeyRing(path.join(dir, 'keys.json'), new PassphraseFileVault(path.join(dir, 'vault'))),
    trust: new TrustStore(path.join(dir, 'trust.json')),
    projectRoot: async () => project,
  });
  return { handlers, progress };
}

describe('pack handlers (the contract the inspector and export dialog use)', () => {
  it('creates a key, builds a signed pack with progress, and the written file verifies and inspects', async () => {
    const { handlers, progress } = service();
    const key = await handlers.createSigningKey({ label: 'Release', passphrase: 'a long passphrase' });
    expect(JSON.stringify(await handlers.listSigningKeys({}))).not.toMatch(/PRIVATE KEY/);
    const out = path.join(dir, 'out', 'sample.gtpack');
    const built = await handlers.buildPack({ out, signingKeyId: key.id, passphrase: 'a long passphrase' });
    expect(built).toMatchObject({ path: out, pack_id: 'studio.sample', signed: true });
    expect(progress.at(-1)).toMatchObject({ task: 'pack.build', done: progress.at(-1)?.total });
    // The user's own keys count as trusted.
    expect(await handlers.verifyPack({ path: out })).toMatchObject({ ok: true, intact: true });
    const inspection = await handlers.inspectPack({ path: out });
    expect(inspection.signatures.map((s) => s.status)).toEqual(['valid', 'valid']);
    expect(inspection.flow_details[0]?.flow?.nodes.map((n) => n.id)).toEqual(['hello']);
    const card = await handlers.readPackEntry({ path: out, entry: 'assets/cards/welcome.json' });
    expect(JSON.parse(card.text ?? '')).toMatchObject({ type: 'AdaptiveCard' });
  });

  it('failures cross the contract as StudioErrors with stable codes', async () => {
    const { handlers } = service();
    await expect(handlers.inspectPack({ path: path.join(dir, 'nope.gtpack') })).rejects.toMatchObject({ code: 'io_error' });
    await expect(handlers.signPack({ path: path.join(dir, 'nope.gtpack'), signingKeyId: 'missing' })).rejects.toMatchObject({ code: 'not_found' });
    const error = await handlers.buildPack({ out: path.join(dir, 'x.gtpack'), project: path.join(dir, 'empty') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StudioError);
    expect(error).toMatchObject({ code: 'bad_request', details: { code: 'config_invalid' } });
  });

  it('trusts and untrusts public keys', async () => {
    const { handlers } = service();
    const key = await handlers.createSigningKey({ label: 'Other', passphrase: 'a long passphrase' });
    const trusted = await handlers.trustKey({ publicKeyPem: key.public_key_pem, label: 'Colleague' });
    expect((await handlers.listTrustedKeys({})).map((k) => k.fingerprint)).toEqual([trusted.fingerprint]);
    expect(await handlers.untrustKey({ fingerprint: trusted.fingerprint })).toEqual({ removed: true });
  });
});
