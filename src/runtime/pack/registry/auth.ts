import { RegistryError } from './errors';

/** What a user gave for one registry: a user name and password (or personal token), or a bearer token to send as is. */
export interface RegistryCredentials {
  username?: string;
  password?: string;
  token?: string;
}

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** `WWW-Authenticate: Bearer realm="...",service="...",scope="..."` (RFC 7235 auth-params). */
export function parseChallenge(header: string): Challenge | null {
  const match = /^\s*([A-Za-z]+)\s*(.*)$/s.exec(header);
  if (!match) return null;
  const params: Record<string, string> = {};
  const pattern = /([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (const param of match[2]!.matchAll(pattern)) params[param[1]!.toLowerCase()] = (param[2] ?? param[3] ?? '').replace(/\\(.)/g, '$1');
  return { scheme: match[1]!.toLowerCase(), params };
}

export function basicAuthorization(credentials: RegistryCredentials): string | null {
  if (credentials.username === undefined || credentials.password === undefined) return null;
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/**
 * The Authorization header that answers `challenge`: the credentials themselves for Basic, else a
 * token from the realm of a Bearer challenge (anonymous when no credentials are known).
 */
export async function answerChallenge(
  challenge: Challenge,
  scope: string,
  credentials: RegistryCredentials | null,
  registry: string,
  fetchImpl: typeof fetch,
): Promise<string> {
  if (credentials?.token) return `Bearer ${credentials.token}`;
  if (challenge.scheme === 'basic') {
    const basic = credentials ? basicAuthorization(credentials) : null;
    if (!basic) throw new RegistryError('unauthorized', `registry ${registry} needs a user name and password (it answered 401 with Basic auth)`);
    return basic;
  }
  if (challenge.scheme !== 'bearer' || !challenge.params.realm) {
    throw new RegistryError('protocol', `registry ${registry} asks for an authentication scheme the studio does not speak: ${challenge.scheme}`);
  }
  const url = new URL(challenge.params.realm);
  if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
  url.searchParams.set('scope', challenge.params.scope ?? scope);
  const basic = credentials ? basicAuthorization(credentials) : null;
  let response: Response;
  try {
    response = await fetchImpl(url, { headers: basic ? { authorization: basic } : {} });
  } catch (error) {
    throw new RegistryError('unreachable', `cannot reach the token service of ${registry} (${url.origin}): ${causeOf(error)}`);
  }
  if (response.status === 401 || response.status === 403) {
    throw new RegistryError('unauthorized', `the token service of ${registry} refused ${basic ? 'the credentials' : 'anonymous access'} for ${scope} (${response.status})`);
  }
  if (!response.ok) throw new RegistryError('protocol', `the token service of ${registry} answered ${response.status}`);
  const body = (await response.json().catch(() => null)) as { token?: unknown; access_token?: unknown } | null;
  const token = typeof body?.token === 'string' ? body.token : typeof body?.access_token === 'string' ? body.access_token : null;
  if (!token) throw new RegistryError('protocol', `the token service of ${registry} returned no token`);
  return `Bearer ${token}`;
}

/** The low-level reason of a failed fetch (`connect ECONNREFUSED 127.0.0.1:5000`). */
export function causeOf(error: unknown): string {
  const cause = (error as { cause?: { message?: string; code?: string } }).cause;
  return cause?.message ?? cause?.code ?? (error instanceof Error ? error.message : String(error));
}
