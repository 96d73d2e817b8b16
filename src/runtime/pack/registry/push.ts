import type { RegistryCredentials } from './auth';
import { RegistryClient } from './client';
import { RegistryError } from './errors';
import { GTPACK_LAYER, OCI_EMPTY_CONFIG, OCI_IMAGE_MANIFEST } from './media-types';
import { formatOciReference, parseOciReference } from './reference';

export interface PushLayer {
  mediaType: string;
  bytes: Uint8Array;
  /** `org.opencontainers.image.title`, the file name a puller may save the layer as. */
  title?: string;
}

export interface PushOptions {
  credentials?: RegistryCredentials | null;
  fetch?: typeof fetch;
}

export interface PushResult {
  /** The manifest digest the tag now points at. */
  digest: string;
  /** `oci://host/repo:tag@sha256:...` */
  pinned: string;
}

const EMPTY_CONFIG = new TextEncoder().encode('{}');

/**
 * Pushes an OCI artifact: its layers as blobs (byte for byte), an empty config, and an image manifest
 * with `artifactType`, tagged as the reference says.
 */
export async function pushArtifact(reference: string, artifactType: string, layers: PushLayer[], options: PushOptions = {}): Promise<PushResult> {
  const ref = parseOciReference(reference);
  if (ref.digest) throw new RegistryError('invalid_reference', `push to a tag, not a digest: ${reference}`);
  const tag = ref.tag ?? 'latest';
  const client = new RegistryClient(ref.registry, ref.repository, { credentials: options.credentials ?? null, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const configDigest = await client.pushBlob(EMPTY_CONFIG);
  const descriptors = [];
  for (const layer of layers) {
    const digest = await client.pushBlob(layer.bytes);
    descriptors.push({
      mediaType: layer.mediaType,
      digest,
      size: layer.bytes.byteLength,
      ...(layer.title ? { annotations: { 'org.opencontainers.image.title': layer.title } } : {}),
    });
  }
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_IMAGE_MANIFEST,
    artifactType,
    config: { mediaType: OCI_EMPTY_CONFIG, digest: configDigest, size: EMPTY_CONFIG.byteLength },
    layers: descriptors,
  };
  const digest = await client.putManifest(tag, new TextEncoder().encode(JSON.stringify(manifest)), OCI_IMAGE_MANIFEST);
  return { digest, pinned: formatOciReference({ ...ref, tag }, digest) };
}

/** A `.gtpack` as one layer, so the registry holds the archive byte for byte. */
export function pushPack(reference: string, packBytes: Uint8Array, fileName: string, options: PushOptions = {}): Promise<PushResult> {
  return pushArtifact(reference, GTPACK_LAYER, [{ mediaType: GTPACK_LAYER, bytes: packBytes, title: fileName }], options);
}
