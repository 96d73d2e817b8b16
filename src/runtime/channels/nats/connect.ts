import {
  connect,
  credsAuthenticator,
  nkeyAuthenticator,
  type NatsConnection,
  type NodeConnectionOptions,
} from '@nats-io/transport-node';
import type { NatsProblem } from '../../../shared/api';
import type { ResolvedNatsProfile } from '../../connections/nats-profile';
import { probeTls } from './tls-probe';

export interface ConnectTuning {
  /** Shown by the server's monitoring for this client. */
  clientName?: string;
  /** Handshake bound of the first connect, in ms. */
  timeoutMs?: number;
  /** Pause between reconnect attempts, in ms. */
  reconnectWaitMs?: number;
}

/** Client options for a profile: servers, the auth mode's authenticator, TLS, and reconnect forever. */
export function natsConnectionOptions(profile: ResolvedNatsProfile, tuning: ConnectTuning = {}): NodeConnectionOptions {
  const encode = (text: string) => new TextEncoder().encode(text);
  const options: NodeConnectionOptions = {
    servers: profile.servers,
    name: tuning.clientName ?? 'greentic-studio',
    timeout: tuning.timeoutMs ?? 10_000,
    reconnectTimeWait: tuning.reconnectWaitMs ?? 2_000,
    // A bridge must outlive a server restart however long it takes; the status events tell the user.
    maxReconnectAttempts: -1,
    waitOnFirstConnect: false,
    // The client otherwise builds two Error objects (stack traces) for every request, JetStream
    // acknowledgements included: a sixth of the bridge's CPU per reply. Our errors are classified
    // by name and message, never by stack.
    noAsyncTraces: true,
  };
  const { auth } = profile;
  switch (auth.mode) {
    case 'none':
      break;
    case 'userpass':
      options.user = auth.user;
      options.pass = auth.password;
      break;
    case 'token':
      options.token = auth.token;
      break;
    case 'nkey':
      options.authenticator = nkeyAuthenticator(encode(auth.seed.trim()));
      break;
    case 'creds':
      options.authenticator = credsAuthenticator(encode(auth.creds));
      break;
  }
  if (profile.tls) {
    const { ca, cert, key } = profile.tls;
    options.tls = { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
  }
  return options;
}

/** Opens a connection for a profile; a failure becomes a `NatsConnectError` that says which kind it is. */
export async function openNatsConnection(profile: ResolvedNatsProfile, tuning: ConnectTuning = {}): Promise<NatsConnection> {
  try {
    return await connect(natsConnectionOptions(profile, tuning));
  } catch (error) {
    const problem = describeNatsError(error, profile.servers);
    const first = profile.servers[0];
    if (problem.kind === 'timeout' && profile.tls && first) {
      const tlsError = await probeTls(first, profile.tls);
      if (tlsError) throw new NatsConnectError({ kind: 'tls', message: `TLS with the NATS server at ${first} failed: ${tlsError}` });
    }
    throw new NatsConnectError(problem);
  }
}

export class NatsConnectError extends Error {
  constructor(readonly problem: NatsProblem) {
    super(problem.message);
    this.name = 'NatsConnectError';
  }
}

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(VERIFY|GET)_)/;

/** Sorts a client error into auth / refused / tls / timeout / protocol, with a message a user can act on. */
export function describeNatsError(error: unknown, servers: string[]): NatsProblem {
  const where = servers.join(', ');
  const chain = causes(error);
  const names = chain.map((e) => e.name);
  const codes = chain.map((e) => (e as NodeJS.ErrnoException).code ?? '');
  const text = chain.map((e) => e.message).join(': ');

  if (names.includes('AuthorizationError') || names.includes('UserAuthenticationExpiredError') || /authorization violation|authentication/i.test(text)) {
    return { kind: 'auth', message: `the NATS server at ${where} rejected the credentials (${firstLine(text)})` };
  }
  if (codes.some((code) => TLS_CODES.test(code)) || /\btls\b|ssl|certificate/i.test(text)) {
    return { kind: 'tls', message: `TLS with the NATS server at ${where} failed: ${firstLine(text)}` };
  }
  if (codes.includes('ECONNREFUSED') || /connection refused/i.test(text)) {
    return { kind: 'refused', message: `nothing accepts NATS connections at ${where} (connection refused)` };
  }
  if (codes.includes('ENOTFOUND') || codes.includes('EAI_AGAIN')) {
    return { kind: 'refused', message: `the NATS server host in ${where} cannot be resolved` };
  }
  if (names.includes('TimeoutError') || /timeout/i.test(text)) {
    return { kind: 'timeout', message: `the NATS server at ${where} did not complete the handshake in time` };
  }
  if (names.includes('ProtocolError')) return { kind: 'protocol', message: `the NATS server at ${where} sent an error: ${firstLine(text)}` };
  return { kind: 'other', message: `cannot connect to NATS at ${where}: ${firstLine(text) || 'unknown error'}` };
}

function causes(error: unknown): Error[] {
  const chain: Error[] = [];
  let current: unknown = error;
  while (current instanceof Error && chain.length < 5) {
    chain.push(current);
    current = current.cause;
  }
  if (chain.length === 0) chain.push(new Error(String(error)));
  return chain;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
