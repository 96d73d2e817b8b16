import { concatBytes } from '../../../fs/bytes';
import type { HostError, HostReply, HttpOptions, HttpRequest } from '../host-calls';

/** Where components may send HTTP requests, and within which bounds. */
export interface HttpPolicy {
  /**
   * Hosts components may reach: `example.com`, `*.example.com` (any subdomain), `host:port`, or `*`
   * for any host. Checked against every URL a request visits, redirects included.
   */
  allow: string[];
  /** Where the user extends the allow-list, for the refusal message (`--allow-host`, a settings file). */
  allowHint?: string;
  /**
   * Origins to send elsewhere, for development against local stand-ins: a request to a key origin
   * (`https://api.example.com`) goes to the value origin (`http://127.0.0.1:8080`) instead. The
   * allow-list applies to the URL the component asked for.
   */
  rewrites?: Record<string, string>;
  timeoutMs: number;
  maxResponseBytes: number;
  maxRequestBytes: number;
}

export const DEFAULT_HTTP_POLICY: HttpPolicy = {
  allow: [],
  timeoutMs: 30_000,
  maxResponseBytes: 16 * 1024 * 1024,
  maxRequestBytes: 16 * 1024 * 1024,
};

const MAX_REDIRECTS = 5;

export async function sendHttp(request: HttpRequest, options: HttpOptions, policy: HttpPolicy): Promise<HostReply<'http.send'>> {
  if (request.body && request.body.length > policy.maxRequestBytes) {
    return failure('request_too_large', `request body of ${request.body.length} bytes exceeds the ${policy.maxRequestBytes}-byte limit`);
  }
  const timeoutMs = Math.min(options.timeoutMs ?? policy.timeoutMs, policy.timeoutMs);
  const signal = AbortSignal.timeout(timeoutMs);
  let url = request.url;
  let method = request.method.toUpperCase();
  let body = request.body;
  try {
    for (let hop = 0; ; hop += 1) {
      const target = checkUrl(url, policy);
      if ('code' in target) return { ok: false, error: target };
      const response = await fetch(target.href, {
        method,
        headers: request.headers,
        ...(body && method !== 'GET' && method !== 'HEAD' ? { body: Uint8Array.from(body) } : {}),
        redirect: 'manual',
        signal,
      });
      const location = response.headers.get('location');
      if (isRedirect(response.status) && location && options.followRedirects !== false) {
        if (hop >= MAX_REDIRECTS) return failure('too_many_redirects', `more than ${MAX_REDIRECTS} redirects from ${request.url}`);
        await response.body?.cancel();
        url = new URL(location, url).href;
        if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
        }
        continue;
      }
      const bytes = await readBounded(response, policy.maxResponseBytes);
      if (!bytes) return failure('response_too_large', `response from ${url} exceeds the ${policy.maxResponseBytes}-byte limit`);
      const headers: Array<[string, string]> = [];
      response.headers.forEach((value, name) => headers.push([name, value]));
      return { ok: true, value: { status: response.status, headers, ...(bytes.length > 0 ? { body: bytes } : {}) } };
    }
  } catch (error) {
    if (signal.aborted) return failure('timeout', `request to ${url} took longer than ${timeoutMs} ms`);
    return failure('unavailable', `request to ${url} failed: ${describeNetworkError(error)}`);
  }
}

/** The URL to fetch (after rewrites), or why the request may not be sent. */
function checkUrl(raw: string, policy: HttpPolicy): URL | HostError {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { code: 'invalid_url', message: `${JSON.stringify(raw)} is not an absolute URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { code: 'invalid_url', message: `only http and https URLs may be requested, not ${url.protocol}` };
  }
  if (!isAllowed(url, policy.allow)) {
    return { code: 'denied', message: `${url.host} is not in the HTTP allow-list${policy.allowHint ? ` (${policy.allowHint})` : ''}` };
  }
  const rewrite = policy.rewrites?.[url.origin];
  return rewrite ? new URL(`${url.pathname}${url.search}`, rewrite) : url;
}

export function isAllowed(url: URL, allow: readonly string[]): boolean {
  const host = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return allow.some((entry) => {
    const rule = entry.trim().toLowerCase();
    if (rule === '*') return true;
    const [pattern = '', rulePort] = rule.split(':');
    if (rulePort !== undefined && rulePort !== port) return false;
    if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
    return host === pattern;
  });
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

async function readBounded(response: Response, limit: number): Promise<Uint8Array | null> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > limit) {
    await response.body?.cancel();
    return null;
  }
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    size += next.value.length;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(next.value);
  }
  return concatBytes(chunks);
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? cause.message : error.message;
  }
  return String(error);
}

function failure(code: string, message: string): HostReply<'http.send'> {
  return { ok: false, error: { code, message } };
}
