import { describe, expect, it } from 'vitest';
import type { NatsProfileSummary } from '../../../src/shared/api';
import { natsProfileInput } from '../../../src/shared/api/nats';
import { authSummary, draftOf, keepsStoredSecret, profileInputOf, type ProfileDraft } from '../../../src/renderer/src/nats/profile-draft';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

const stored: NatsProfileSummary = {
  name: 'prod',
  servers: ['tls://a:4222', 'tls://b:4222'],
  auth: { mode: 'userpass', user: 'ops', hasSecret: true },
  tls: { enabled: true, hasCa: true, hasClientCert: true, hasClientKey: true },
};

function draft(patch: Partial<ProfileDraft>): ProfileDraft {
  return { ...draftOf(null), name: 'local', ...patch };
}

/** What the back end receives must pass the contract, which rejects unknown and undefined-valued keys alike. */
function input(patch: Partial<ProfileDraft>) {
  const result = profileInputOf(draft(patch));
  expect(natsProfileInput.parse(result)).toEqual(result);
  return result;
}

describe('the NATS profile form', () => {
  it('sends the secret of each auth mode under its contract field', () => {
    expect(input({ mode: 'none', secret: 'ignored' }).auth).toEqual({ mode: 'none' });
    expect(input({ mode: 'userpass', user: ' ops ', secret: 'pw' }).auth).toEqual({ mode: 'userpass', user: 'ops', password: 'pw' });
    expect(input({ mode: 'token', secret: 't0ken' }).auth).toEqual({ mode: 'token', token: 't0ken' });
    expect(input({ mode: 'nkey', secret: 'SUAseed' }).auth).toEqual({ mode: 'nkey', seed: 'SUAseed' });
    expect(input({ mode: 'creds', secret: 'creds text' }).auth).toEqual({ mode: 'creds', creds: 'creds text' });
  });

  it('splits the servers on commas, spaces and new lines', () => {
    expect(input({ servers: 'nats://a:4222, nats://b:4222\ntls://c:4222 ' }).servers).toEqual(['nats://a:4222', 'nats://b:4222', 'tls://c:4222']);
  });

  it('opens a stored profile with every secret empty, and leaves an untouched secret out so the stored one is kept', () => {
    const editing = draftOf(stored);
    expect(editing).toMatchObject({ name: 'prod', servers: 'tls://a:4222, tls://b:4222', mode: 'userpass', user: 'ops', secret: '', ca: '', cert: '', key: '' });
    expect(keepsStoredSecret(editing, stored)).toBe(true);
    const result = profileInputOf(editing);
    expect(result.auth).toEqual({ mode: 'userpass', user: 'ops' });
    expect(result.tls).toEqual({ enabled: true });

    // Another auth mode has no stored secret to keep.
    expect(keepsStoredSecret({ ...editing, mode: 'token' }, stored)).toBe(false);
    expect(keepsStoredSecret(editing, null)).toBe(false);
  });

  it('sends new TLS texts, null for the ones to remove, and nothing for the ones to keep', () => {
    const result = input({ tls: true, ca: PEM, cert: '  ', removeCert: false, key: '', removeKey: true });
    expect(result.tls).toEqual({ enabled: true, ca: PEM, key: null });
  });

  it('sums a profile up in one line without its secrets', () => {
    expect(authSummary(stored)).toBe('user ops · TLS with client certificate');
    expect(authSummary({ ...stored, auth: { mode: 'nkey', hasSecret: true, publicKey: 'UABCDEFGHIJKLMNOP' }, tls: { ...stored.tls, enabled: false } })).toBe('NKEY UABCDEFG…');
    expect(authSummary({ ...stored, auth: { mode: 'token', hasSecret: false }, tls: { ...stored.tls, hasClientCert: false } })).toBe('token · secret missing · TLS');
  });
});
