import { createUser } from '@nats-io/nkeys';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { natsProfileInput, type NatsProfileInput } from '../../../src/shared/api/nats';
import { fileNatsProfileStore } from '../../../src/runtime/connections/file-store';
import type { NatsProfileStore } from '../../../src/runtime/connections/nats-profiles';
import { generateCertificates, type TestCertificates } from '../../support/certificates';
import { createOperatorSetup } from '../../support/nats-operator';

const server = 'nats://127.0.0.1:4222';
const input = (value: unknown): NatsProfileInput => natsProfileInput.parse(value);

describe('NATS connection profiles with an encrypted secret store', () => {
  let dir: string;
  let store: NatsProfileStore;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'gs-nats-profiles-'));
    store = fileNatsProfileStore(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const allFiles = () => ['nats-profiles.json', 'secrets.json'].map((name) => readFileSync(path.join(dir, name), 'utf8')).join('\n');

  it('keeps the password out of the summary and out of every file, encrypted with an owner-only key', async () => {
    const summary = await store.save(input({ name: 'prod', servers: [server], auth: { mode: 'userpass', user: 'gw', password: 'hunter2-secret' } }));
    expect(summary).toEqual({
      name: 'prod',
      servers: [server],
      auth: { mode: 'userpass', user: 'gw', hasSecret: true },
      tls: { enabled: false, hasCa: false, hasClientCert: false, hasClientKey: false },
    });
    expect(JSON.stringify(await store.list())).not.toContain('hunter2');
    expect(allFiles()).not.toContain('hunter2');
    expect(statSync(path.join(dir, 'secrets.key')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect((await store.resolve('prod')).auth).toEqual({ mode: 'userpass', user: 'gw', password: 'hunter2-secret' });
    // A second store over the same files (the next start of the app) reads it back.
    expect((await fileNatsProfileStore(dir).resolve('prod')).auth).toMatchObject({ password: 'hunter2-secret' });
  });

  it('keeps a stored secret when an edit leaves it out, and asks for one when the mode changes', async () => {
    await store.save(input({ name: 'p', servers: [server], auth: { mode: 'token', token: 'tok-1' } }));
    await store.save(input({ name: 'p', servers: [server, 'tls://10.0.0.2:4222'], auth: { mode: 'token' } }));
    expect(await store.resolve('p')).toMatchObject({ servers: [server, 'tls://10.0.0.2:4222'], auth: { mode: 'token', token: 'tok-1' } });
    await expect(store.save(input({ name: 'p', servers: [server], auth: { mode: 'nkey' } }))).rejects.toMatchObject({
      code: 'bad_request',
      message: 'NATS profile "p" needs a seed for nkey authentication',
    });
    await store.save(input({ name: 'p', servers: [server], auth: { mode: 'none' } }));
    expect(readFileSync(path.join(dir, 'secrets.json'), 'utf8')).not.toContain('nats-profile/p/token');
  });

  it('checks an NKEY seed and a credentials file when saved and shows their public keys', async () => {
    const user = createUser();
    const seed = new TextDecoder().decode(user.getSeed());
    expect((await store.save(input({ name: 'n', servers: [server], auth: { mode: 'nkey', seed: `${seed}\n` } }))).auth).toEqual({
      mode: 'nkey',
      hasSecret: true,
      publicKey: user.getPublicKey(),
    });
    expect((await store.resolve('n')).auth).toEqual({ mode: 'nkey', seed });
    await expect(store.save(input({ name: 'n', servers: [server], auth: { mode: 'nkey', seed: 'SUNOTASEED' } }))).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/not a valid NKEY seed/),
    });

    const operator = await createOperatorSetup();
    const creds = await store.save(input({ name: 'c', servers: [server], auth: { mode: 'creds', creds: operator.creds } }));
    expect(creds.auth.publicKey).toBe(operator.userPublicKey);
    await expect(store.save(input({ name: 'c2', servers: [server], auth: { mode: 'creds', creds: 'garbage' } }))).rejects.toMatchObject({
      message: 'the credentials file has no "BEGIN NATS USER JWT" block',
    });
  });

  describe('TLS material', () => {
    let certs: TestCertificates;
    beforeEach(() => {
      certs = generateCertificates();
    });
    afterEach(() => certs.dispose());

    it('stores CA and certificate in the clear and the client key sealed; cert and key go together', async () => {
      const tls = { enabled: true, ca: certs.ca.pem, cert: certs.client.cert.pem, key: certs.client.key.pem };
      const summary = await store.save(input({ name: 't', servers: [server], auth: { mode: 'none' }, tls }));
      expect(summary.tls).toEqual({ enabled: true, hasCa: true, hasClientCert: true, hasClientKey: true });
      expect(allFiles()).not.toContain(certs.client.key.pem.split('\n')[1]);
      expect((await store.resolve('t')).tls).toEqual({ ca: certs.ca.pem, cert: certs.client.cert.pem, key: certs.client.key.pem });

      await expect(store.save(input({ name: 't', servers: [server], auth: { mode: 'none' }, tls: { enabled: true, key: null } }))).rejects.toMatchObject({
        message: 'NATS profile "t": a TLS client certificate and its key go together',
      });
      const plain = await store.save(input({ name: 't', servers: [server], auth: { mode: 'none' }, tls: { enabled: true, cert: null, key: null } }));
      expect(plain.tls).toEqual({ enabled: true, hasCa: true, hasClientCert: false, hasClientKey: false });
    });
  });

  it('deletes a profile with its secrets', async () => {
    await store.save(input({ name: 'gone', servers: [server], auth: { mode: 'token', token: 'tok' } }));
    expect(await store.remove('gone')).toBe(true);
    expect(await store.remove('gone')).toBe(false);
    expect(await store.list()).toEqual([]);
    expect(readFileSync(path.join(dir, 'secrets.json'), 'utf8')).not.toContain('gone');
    await expect(store.resolve('gone')).rejects.toMatchObject({ code: 'not_found', message: 'there is no NATS profile named "gone"' });
  });

  it('says clearly when the secret store cannot be read', async () => {
    await store.save(input({ name: 'p', servers: [server], auth: { mode: 'token', token: 'tok' } }));
    writeFileSync(path.join(dir, 'secrets.key'), Buffer.alloc(32, 7));
    await expect(fileNatsProfileStore(dir).resolve('p')).rejects.toMatchObject({
      code: 'io_error',
      message: expect.stringMatching(/"nats-profile\/p\/token" cannot be decrypted/),
    });
    writeFileSync(path.join(dir, 'nats-profiles.json'), '{ not json');
    await expect(fileNatsProfileStore(dir).list()).rejects.toMatchObject({ code: 'io_error', message: expect.stringMatching(/not valid JSON/) });
  });

  it('rejects profile input a user could get wrong at the contract boundary', () => {
    expect(natsProfileInput.safeParse({ name: 'x', servers: ['nats://user:pass@host:4222'], auth: { mode: 'none' } }).success).toBe(false);
    expect(natsProfileInput.safeParse({ name: 'x', servers: [], auth: { mode: 'none' } }).success).toBe(false);
    expect(natsProfileInput.safeParse({ name: 'x/y', servers: [server], auth: { mode: 'none' } }).success).toBe(false);
    expect(natsProfileInput.safeParse({ name: 'x', servers: [server], auth: { mode: 'kerberos' } }).success).toBe(false);
    expect(natsProfileInput.safeParse({ name: 'x', servers: [server], auth: { mode: 'none' }, tls: { enabled: true, ca: 'not pem' } }).success).toBe(false);
  });
});
