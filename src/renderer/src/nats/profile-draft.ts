import type { NatsAuthMode, NatsProfileInput, NatsProfileSummary } from '../../../shared/api';

/**
 * A connection profile as the form edits it. Secrets (password, token, seed, credentials, client
 * key) start empty: the UI never learns a stored secret, and an empty field keeps the stored one.
 */
export interface ProfileDraft {
  name: string;
  /** Server URLs separated by commas, spaces or new lines. */
  servers: string;
  mode: NatsAuthMode;
  user: string;
  /** The password, token, NKEY seed or credentials text of `mode`. */
  secret: string;
  tls: boolean;
  ca: string;
  cert: string;
  key: string;
  removeCa: boolean;
  removeCert: boolean;
  removeKey: boolean;
}

export const AUTH_MODE_LABELS: Record<NatsAuthMode, string> = {
  none: 'No authentication',
  userpass: 'User and password',
  token: 'Token',
  nkey: 'NKEY seed',
  creds: 'Credentials file (JWT and NKEY)',
};

export const SECRET_LABELS: Record<Exclude<NatsAuthMode, 'none'>, string> = {
  userpass: 'Password',
  token: 'Token',
  nkey: 'NKEY seed',
  creds: 'Credentials',
};

export function draftOf(profile: NatsProfileSummary | null): ProfileDraft {
  return {
    name: profile?.name ?? '',
    servers: profile?.servers.join(', ') ?? 'nats://127.0.0.1:4222',
    mode: profile?.auth.mode ?? 'none',
    user: profile?.auth.user ?? '',
    secret: '',
    tls: profile?.tls.enabled ?? false,
    ca: '',
    cert: '',
    key: '',
    removeCa: false,
    removeCert: false,
    removeKey: false,
  };
}

/** Whether saving without typing the secret keeps a stored one (same profile, same auth mode). */
export function keepsStoredSecret(draft: ProfileDraft, profile: NatsProfileSummary | null): boolean {
  return profile !== null && profile.auth.mode === draft.mode && profile.auth.hasSecret;
}

/** The contract's input for a draft: empty secret and PEM fields are left out, so the stored ones stay. */
export function profileInputOf(draft: ProfileDraft): NatsProfileInput {
  const secret = draft.secret === '' ? undefined : draft.secret;
  const pem = (text: string, remove: boolean) => (text.trim() !== '' ? text : remove ? null : undefined);
  const tls = {
    enabled: draft.tls,
    ...definedOnly({ ca: pem(draft.ca, draft.removeCa), cert: pem(draft.cert, draft.removeCert), key: pem(draft.key, draft.removeKey) }),
  };
  return {
    name: draft.name.trim(),
    servers: draft.servers.split(/[\s,]+/).filter((server) => server !== ''),
    auth: authOf(draft.mode, draft.user.trim(), secret),
    tls,
  };
}

function authOf(mode: NatsAuthMode, user: string, secret: string | undefined): NatsProfileInput['auth'] {
  switch (mode) {
    case 'none':
      return { mode };
    case 'userpass':
      return { mode, user, ...definedOnly({ password: secret }) };
    case 'token':
      return { mode, ...definedOnly({ token: secret }) };
    case 'nkey':
      return { mode, ...definedOnly({ seed: secret }) };
    case 'creds':
      return { mode, ...definedOnly({ creds: secret }) };
  }
}

/** The contract's objects are strict: a key that is present but undefined would not mean "keep". */
function definedOnly<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** One line about a profile's authentication and TLS, for the list. */
export function authSummary(profile: NatsProfileSummary): string {
  const { auth, tls } = profile;
  const parts: string[] = [];
  if (auth.mode === 'userpass') parts.push(`user ${auth.user ?? ''}`);
  else if (auth.mode === 'nkey' || auth.mode === 'creds') parts.push(`${auth.mode === 'nkey' ? 'NKEY' : 'credentials'} ${shortKey(auth.publicKey)}`);
  else parts.push(auth.mode === 'token' ? 'token' : 'no auth');
  if (auth.mode !== 'none' && !auth.hasSecret) parts.push('secret missing');
  if (tls.enabled) parts.push(tls.hasClientCert ? 'TLS with client certificate' : 'TLS');
  return parts.join(' · ');
}

function shortKey(publicKey: string | undefined): string {
  return publicKey ? `${publicKey.slice(0, 8)}…` : '';
}
