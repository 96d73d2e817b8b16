import { createHash } from 'node:crypto';
import { answerChallenge, causeOf, parseChallenge, type RegistryCredentials } from './auth';
import { RegistryError } from './errors';
import { MANIFEST_MEDIA_TYPES } from './media-types';
import { registryBaseUrl } from './reference';

/** Bytes received so far of one download, for progress reports. */
export type ProgressListener = (received: number, total: number | null) => void;

export interface RegistryClientOptions {
  credentials?: RegistryCredentials | null;
  fetch?: typeof fetch;
}

export interface FetchedManifest {
  mediaType: string;
  /** `sha256:<hex>` of the manifest bytes (what a pinned reference names). */
  digest: string;
  bytes: Uint8Array;
  json: unknown;
}

const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * One repository of one registry, through the OCI distribution API (`/v2/<name>/manifests|blobs`):
 * a request that gets 401 is answered from the registry's WWW-Authenticate challenge (Basic, or a
 * Bearer token from its realm) and retried once.
 */
export class RegistryClient {
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;
  private authorization: string | null = null;

  constructor(
    readonly registry: string,
    readonly repository: string,
    private readonly options: RegistryClientOptions = {},
  ) {
    this.base = registryBaseUrl(registry);
    this.fetchImpl = options.fetch ?? fetch;
  }

  async getManifest(target: string): Promise<FetchedManifest> {
    const response = await this.request('GET', `manifests/${target}`, 'pull', { headers: { accept: MANIFEST_MEDIA_TYPES.join(', ') } });
    await this.expectOk(response, `${this.repository}:${target}`);
    const bytes = await readBounded(response, MAX_MANIFEST_BYTES, `the manifest of ${this.repository}:${target}`);
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      throw new RegistryError('protocol', `the manifest of ${this.repository}:${target} is not JSON`);
    }
    const declared = (json as { mediaType?: unknown }).mediaType;
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim() || (typeof declared === 'string' ? declared : '');
    const digest = sha256Digest(bytes);
    if (target.startsWith('sha256:') && digest !== target) {
      throw new RegistryError('digest_mismatch', `digest mismatch for ${this.repository}: expected ${target}, the registry sent ${digest}`);
    }
    return { mediaType, digest, bytes, json };
  }

  /** A blob, verified against its digest. */
  async getBlob(digest: string, maxBytes: number, onProgress?: ProgressListener): Promise<Uint8Array> {
    const response = await this.request('GET', `blobs/${digest}`, 'pull');
    await this.expectOk(response, `${this.repository}@${digest}`);
    const bytes = await readBounded(response, maxBytes, `blob ${digest} of ${this.repository}`, onProgress);
    const actual = sha256Digest(bytes);
    if (actual !== digest) throw new RegistryError('digest_mismatch', `digest mismatch for a layer of ${this.repository}: expected ${digest}, received ${actual}`);
    return bytes;
  }

  /** Uploads a blob unless the registry has it already (monolithic upload: POST, then PUT with the digest). */
  async pushBlob(bytes: Uint8Array): Promise<string> {
    const digest = sha256Digest(bytes);
    const head = await this.request('HEAD', `blobs/${digest}`, 'pull,push');
    if (head.ok) return digest;
    const started = await this.request('POST', 'blobs/uploads/', 'pull,push');
    await this.expectStatus(started, 202, 'starting an upload');
    const location = started.headers.get('location');
    if (!location) throw new RegistryError('protocol', `registry ${this.registry} started an upload without a Location`);
    const url = new URL(location, `${this.base}/`);
    url.searchParams.set('digest', digest);
    const put = await this.request('PUT', url, 'pull,push', {
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.byteLength) },
      body: bytes,
    });
    await this.expectStatus(put, 201, `uploading blob ${digest}`);
    return digest;
  }

  async putManifest(tag: string, bytes: Uint8Array, mediaType: string): Promise<string> {
    const response = await this.request('PUT', `manifests/${tag}`, 'pull,push', { headers: { 'content-type': mediaType }, body: bytes });
    await this.expectStatus(response, 201, `writing the manifest ${this.repository}:${tag}`);
    return sha256Digest(bytes);
  }

  private async request(method: string, pathOrUrl: string | URL, actions: string, init: { headers?: Record<string, string>; body?: Uint8Array } = {}): Promise<Response> {
    const url = typeof pathOrUrl === 'string' ? `${this.base}/v2/${this.repository}/${pathOrUrl}` : pathOrUrl;
    const send = (authorization: string | null) =>
      this.send(url, { method, headers: { ...init.headers, ...(authorization ? { authorization } : {}) }, ...(init.body ? { body: init.body as unknown as BodyInit } : {}) });
    let response = await send(this.authorization);
    if (response.status !== 401) return response;
    const header = response.headers.get('www-authenticate');
    await response.body?.cancel();
    const challenge = header ? parseChallenge(header) : null;
    if (!challenge) throw new RegistryError('unauthorized', `registry ${this.registry} refused access to ${this.repository} (401) without saying how to authenticate`);
    this.authorization = await answerChallenge(challenge, `repository:${this.repository}:${actions}`, this.options.credentials ?? null, this.registry, this.fetchImpl);
    response = await send(this.authorization);
    if (response.status === 401) {
      await response.body?.cancel();
      const refusal = this.options.credentials ? 'refused the credentials' : 'needs credentials';
      throw new RegistryError('unauthorized', `registry ${this.registry} ${refusal} for ${this.repository} (401)`);
    }
    return response;
  }

  private async send(url: string | URL, init: RequestInit): Promise<Response> {
    try {
      return await this.fetchImpl(url, { ...init, redirect: 'follow' });
    } catch (error) {
      throw new RegistryError('unreachable', `cannot reach registry ${this.registry} (${this.base}): ${causeOf(error)}`);
    }
  }

  private async expectOk(response: Response, what: string): Promise<void> {
    if (response.ok) return;
    const detail = await errorDetail(response);
    if (response.status === 404) throw new RegistryError('not_found', `${this.registry}/${what} not found${detail}`);
    if (response.status === 403) throw new RegistryError('unauthorized', `registry ${this.registry} denied access to ${what} (403)${detail}`);
    throw new RegistryError('protocol', `registry ${this.registry} answered ${response.status} for ${what}${detail}`);
  }

  private async expectStatus(response: Response, status: number, doing: string): Promise<void> {
    if (response.status === status || (status !== 202 && response.ok)) {
      await response.body?.cancel();
      return;
    }
    const detail = await errorDetail(response);
    if (response.status === 403) throw new RegistryError('unauthorized', `registry ${this.registry} denied ${doing} (403)${detail}`);
    throw new RegistryError('protocol', `registry ${this.registry} answered ${response.status} while ${doing}${detail}`);
  }
}

/** `: MANIFEST_UNKNOWN manifest unknown` from the distribution API's error body, when there is one. */
async function errorDetail(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const errors = (JSON.parse(text) as { errors?: Array<{ code?: string; message?: string }> }).errors;
    const first = errors?.[0];
    if (first) return `: ${[first.code, first.message].filter(Boolean).join(' ')}`;
  } catch {
    // not the API's JSON error body
  }
  return '';
}

async function readBounded(response: Response, maxBytes: number, what: string, onProgress?: ProgressListener): Promise<Uint8Array> {
  const lengthHeader = response.headers.get('content-length');
  const total = lengthHeader ? Number(lengthHeader) : null;
  if (total !== null && total > maxBytes) {
    await response.body?.cancel();
    throw new RegistryError('too_large', `${what} is ${total} bytes, above the ${maxBytes}-byte limit`);
  }
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel();
      throw new RegistryError('too_large', `${what} is above the ${maxBytes}-byte limit`);
    }
    chunks.push(value);
    onProgress?.(received, total);
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
