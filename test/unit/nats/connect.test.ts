import { createUser } from '@nats-io/nkeys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NatsConnection } from '@nats-io/transport-node';
import type { NatsAuth, NatsTls, ResolvedNatsProfile } from '../../../src/runtime/connections/nats-profile';
import { NatsConnectError, openNatsConnection } from '../../../src/runtime/channels/nats/connect';
import { generateCertificates, type TestCertificates } from '../../support/certificates';
import { NatsServer, type ServerAuth } from '../../support/nats-server';
import { createOperatorSetup, type OperatorSetup } from '../../support/nats-operator';

function profile(server: NatsServer | string, auth: NatsAuth, tls: NatsTls | null = null): ResolvedNatsProfile {
  return { name: 'test', servers: [typeof server === 'string' ? server : server.url], auth, tls };
}

/** Connects, proves the connection carries messages, closes. */
async function roundTrip(target: ResolvedNatsProfile): Promise<void> {
  const nc: NatsConnection = await openNatsConnection(target, { timeoutMs: 3_000 });
  try {
    const sub = nc.subscribe('probe', { max: 1 });
    nc.publish('probe', 'ping');
    for await (const msg of sub) expect(msg.string()).toBe('ping');
  } finally {
    await nc.close();
  }
}

async function failure(target: ResolvedNatsProfile): Promise<NatsConnectError> {
  const error = await openNatsConnection(target, { timeoutMs: 3_000 }).then(
    async (nc) => {
      await nc.close();
      return null;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NatsConnectError);
  return error as NatsConnectError;
}

describe('NATS auth modes against a real nats-server', () => {
  const nkey = createUser();
  const seed = new TextDecoder().decode(nkey.getSeed());
  const servers: NatsServer[] = [];
  let operator: OperatorSetup;
  const start = async (auth: ServerAuth) => {
    const server = await NatsServer.start({ auth });
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    operator = await createOperatorSetup();
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.dispose()));
  });

  it('connects without auth', async () => {
    await roundTrip(profile(await start({ mode: 'none' }), { mode: 'none' }));
  });

  it('user/password: right credentials connect, a wrong password is an auth error', async () => {
    const server = await start({ mode: 'userpass', user: 'gateway', password: 's3cret' });
    await roundTrip(profile(server, { mode: 'userpass', user: 'gateway', password: 's3cret' }));
    const error = await failure(profile(server, { mode: 'userpass', user: 'gateway', password: 'wrong' }));
    expect(error.problem.kind).toBe('auth');
    expect(error.message).toMatch(/rejected the credentials/);
  });

  it('token: right token connects, a wrong one is an auth error', async () => {
    const server = await start({ mode: 'token', token: 'tok-123' });
    await roundTrip(profile(server, { mode: 'token', token: 'tok-123' }));
    expect((await failure(profile(server, { mode: 'token', token: 'nope' }))).problem.kind).toBe('auth');
    expect((await failure(profile(server, { mode: 'none' }))).problem.kind).toBe('auth');
  });

  it('NKEY: the seed of the configured key connects, another seed is an auth error', async () => {
    const server = await start({ mode: 'nkey', publicKey: nkey.getPublicKey() });
    await roundTrip(profile(server, { mode: 'nkey', seed }));
    const other = new TextDecoder().decode(createUser().getSeed());
    expect((await failure(profile(server, { mode: 'nkey', seed: other }))).problem.kind).toBe('auth');
  });

  it('credentials file: a user of the trusted account connects, a foreign account is an auth error', async () => {
    const server = await start(operator.server);
    await roundTrip(profile(server, { mode: 'creds', creds: operator.creds }));
    expect((await failure(profile(server, { mode: 'creds', creds: operator.foreignCreds }))).problem.kind).toBe('auth');
  });

  it('a port nobody listens on is a refused connection', async () => {
    const server = await start({ mode: 'none' });
    const url = server.url;
    await server.stop();
    const error = await failure(profile(url, { mode: 'none' }));
    expect(error.problem.kind).toBe('refused');
    expect(error.message).toContain(url);
  });
});

describe('NATS over TLS against a real nats-server', () => {
  let certs: TestCertificates;
  let server: NatsServer;
  let mutual: NatsServer;

  beforeAll(async () => {
    certs = generateCertificates();
    server = await NatsServer.start({ tls: { certFile: certs.server.cert.file, keyFile: certs.server.key.file } });
    mutual = await NatsServer.start({
      tls: { certFile: certs.server.cert.file, keyFile: certs.server.key.file, caFile: certs.ca.file, verifyClients: true },
    });
  });
  afterAll(async () => {
    await Promise.all([server?.dispose(), mutual?.dispose()]);
    certs?.dispose();
  });

  it('verifies the server with the profile CA', async () => {
    await roundTrip(profile(server, { mode: 'none' }, { ca: certs.ca.pem }));
  });

  it('an untrusted server certificate is a TLS error', async () => {
    const error = await failure(profile(server, { mode: 'none' }, { ca: certs.stranger.ca.pem }));
    expect(error.problem.kind).toBe('tls');
  });

  it('a server that requires TLS refuses a plain client with a TLS error', async () => {
    expect((await failure(profile(server, { mode: 'none' }))).problem.kind).toBe('tls');
  });

  it('mutual TLS: the client certificate authenticates, a missing or foreign one is refused', async () => {
    await roundTrip(profile(mutual, { mode: 'none' }, { ca: certs.ca.pem, cert: certs.client.cert.pem, key: certs.client.key.pem }));
    const missing = await failure(profile(mutual, { mode: 'none' }, { ca: certs.ca.pem }));
    expect(missing.problem.kind).toBe('tls');
    expect(missing.message).toMatch(/certificate/i);
    const foreign = await failure(profile(mutual, { mode: 'none' }, { ca: certs.ca.pem, cert: certs.stranger.cert.pem, key: certs.stranger.key.pem }));
    expect(foreign.problem.kind).toBe('tls');
  });
});
