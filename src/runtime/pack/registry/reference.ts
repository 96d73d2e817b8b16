import { RegistryError } from './errors';

/** `oci://host[:port]/repository[:tag][@sha256:<hex>]`, split as the distribution API addresses it. */
export interface OciReference {
  /** `host[:port]` exactly as written. */
  registry: string;
  repository: string;
  tag: string | null;
  digest: string | null;
  /** What the manifest request names: the digest when pinned, else the tag (`latest` when none). */
  target: string;
}

const PREFIX = 'oci://';
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const HOST = /^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:]+\](?::\d{1,5})?$/;

export function isOciReference(text: string): boolean {
  return text.startsWith(PREFIX);
}

export function parseOciReference(text: string): OciReference {
  const fail = (why: string) => new RegistryError('invalid_reference', `invalid OCI reference '${text}': ${why}`);
  if (!text.startsWith(PREFIX)) throw fail('it must start with oci://');
  let rest = text.slice(PREFIX.length);
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw fail('the digest must be sha256:<64 lowercase hex>');
  }
  const slash = rest.indexOf('/');
  if (slash <= 0) throw fail('it needs a registry host and a repository, e.g. oci://ghcr.io/org/component:1.0.0');
  const registry = rest.slice(0, slash);
  if (!HOST.test(registry)) throw fail(`'${registry}' is not a registry host`);
  let repository = rest.slice(slash + 1);
  let tag: string | null = null;
  const colon = repository.lastIndexOf(':');
  if (colon >= 0) {
    tag = repository.slice(colon + 1);
    repository = repository.slice(0, colon);
    if (!TAG.test(tag)) throw fail(`'${tag}' is not a valid tag`);
  }
  if (!REPOSITORY.test(repository)) throw fail(`'${repository}' is not a valid repository name (lowercase letters, digits, separators)`);
  return { registry, repository, tag, digest, target: digest ?? tag ?? 'latest' };
}

/** The reference text again, optionally pinned to `digest` (the tag kept for readers). */
export function formatOciReference(ref: OciReference, digest: string | null = ref.digest): string {
  return `${PREFIX}${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${digest ? `@${digest}` : ''}`;
}

/**
 * Loopback registries are spoken to over plain HTTP, as Docker treats them as insecure registries;
 * every other host over HTTPS.
 */
export function registryBaseUrl(registry: string): string {
  const host = registry.startsWith('[') ? registry.slice(0, registry.indexOf(']') + 1) : registry.split(':')[0]!;
  const loopback = host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]';
  return `${loopback ? 'http' : 'https'}://${registry}`;
}
