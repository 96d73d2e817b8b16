import { MAX_COMPONENT_BYTES } from '../../components/wasm/transpile';
import type { RegistryCredentials } from './auth';
import { ComponentCache, type CachedComponent } from './cache';
import { RegistryClient, type FetchedManifest } from './client';
import { RegistryError } from './errors';
import { COMPONENT_LAYER_PREFERENCE, COMPONENT_MANIFEST_LAYER, COMPONENT_MANIFEST_V1_LAYER, DOCKER_MANIFEST_LIST, OCI_IMAGE_INDEX } from './media-types';
import { formatOciReference, parseOciReference } from './reference';

export interface PullProgress {
  reference: string;
  phase: 'manifest' | 'layer' | 'cached' | 'done';
  received?: number;
  total?: number | null;
}

export interface PullOptions {
  cache?: ComponentCache;
  credentials?: RegistryCredentials | null;
  fetch?: typeof fetch;
  onProgress?: (progress: PullProgress) => void;
}

export interface PulledComponent extends CachedComponent {
  /** The reference as given. */
  reference: string;
  /** The reference pinned to the resolved digest. */
  pinned: string;
  /** The id the component's manifest gives it, else the repository's last segment. */
  componentId: string;
  manifest: Record<string, unknown> | null;
  fromCache: boolean;
}

interface Layer {
  mediaType: string;
  digest: string;
  size?: number;
}

const MAX_MANIFEST_LAYER_BYTES = 1024 * 1024;
const MANIFEST_LAYERS = new Set([COMPONENT_MANIFEST_LAYER, COMPONENT_MANIFEST_V1_LAYER]);

/**
 * Pulls a component artifact as upstream's distributor does: the manifest, the preferred layer (a
 * WASM component) verified by digest, and the `component.manifest.json` layer when present; the
 * resolved digest is the manifest's. A pinned reference already in the cache needs no network.
 */
export async function pullComponent(reference: string, options: PullOptions = {}): Promise<PulledComponent> {
  const ref = parseOciReference(reference);
  const cache = options.cache ?? new ComponentCache();
  const report = (progress: Omit<PullProgress, 'reference'>) => options.onProgress?.({ reference, ...progress });
  if (ref.digest) {
    const hit = await cache.get(ref.digest);
    if (hit) {
      report({ phase: 'cached' });
      return describe(reference, formatOciReference(ref), hit, ref.repository, true);
    }
  }
  const client = new RegistryClient(ref.registry, ref.repository, { credentials: options.credentials ?? null, ...(options.fetch ? { fetch: options.fetch } : {}) });
  report({ phase: 'manifest' });
  const top = await client.getManifest(ref.target);
  if (ref.digest && top.digest !== ref.digest) {
    throw new RegistryError('digest_mismatch', `digest mismatch for ${reference}: expected ${ref.digest}, the registry has ${top.digest}`);
  }
  const image = await imageManifest(client, top, reference);
  const layers = layersOf(image.json, reference);
  const chosen = chooseLayer(layers);
  if (!chosen || MANIFEST_LAYERS.has(chosen.mediaType)) {
    throw new RegistryError('not_a_component', `${reference} is not a component: it has no WebAssembly layer (layers: ${layers.map((l) => l.mediaType).join(', ') || 'none'})`);
  }
  const wasm = await client.getBlob(chosen.digest, MAX_COMPONENT_BYTES, (received, total) => report({ phase: 'layer', received, total }));
  if (!isWasmComponent(wasm)) {
    throw new RegistryError('not_a_component', `${reference} is not a component: its ${chosen.mediaType} layer is not a WebAssembly component binary`);
  }
  const manifestLayer = layers.find((layer) => MANIFEST_LAYERS.has(layer.mediaType));
  const manifestBytes = manifestLayer ? await client.getBlob(manifestLayer.digest, MAX_MANIFEST_LAYER_BYTES) : null;
  if (manifestBytes) parseManifestLayer(manifestBytes, reference);
  const cached = await cache.put(top.digest, wasm, manifestBytes, {
    original_reference: reference,
    resolved_digest: top.digest,
    media_type: chosen.mediaType,
    size_bytes: wasm.byteLength,
    fetched_at: new Date().toISOString(),
  });
  report({ phase: 'done' });
  return describe(reference, formatOciReference(ref, top.digest), cached, ref.repository, false);
}

async function describe(reference: string, pinned: string, cached: CachedComponent, repository: string, fromCache: boolean): Promise<PulledComponent> {
  const { promises: fs } = await import('node:fs');
  const manifest = cached.manifestPath ? parseManifestLayer(await fs.readFile(cached.manifestPath), reference) : null;
  const componentId = typeof manifest?.id === 'string' && manifest.id ? manifest.id : repository.split('/').pop()!;
  return { ...cached, reference, pinned, componentId, manifest, fromCache };
}

/** An index (multi-platform list) stands for its first manifest, as a WASM artifact has no platforms to choose among. */
async function imageManifest(client: RegistryClient, top: FetchedManifest, reference: string): Promise<FetchedManifest> {
  const mediaType = top.mediaType || String((top.json as { mediaType?: unknown }).mediaType ?? '');
  if (mediaType !== OCI_IMAGE_INDEX && mediaType !== DOCKER_MANIFEST_LIST) return top;
  const first = (top.json as { manifests?: Array<{ digest?: unknown }> }).manifests?.[0]?.digest;
  if (typeof first !== 'string') throw new RegistryError('not_a_component', `${reference} is an empty image index`);
  return client.getManifest(first);
}

function layersOf(json: unknown, reference: string): Layer[] {
  const value = json as { layers?: unknown; blobs?: unknown };
  const list = Array.isArray(value.layers) ? value.layers : Array.isArray(value.blobs) ? value.blobs : null;
  if (!list) throw new RegistryError('not_a_component', `${reference} is not a component: its manifest lists no layers`);
  return list.flatMap((item: unknown): Layer[] => {
    const layer = item as { mediaType?: unknown; digest?: unknown; size?: unknown };
    if (typeof layer.mediaType !== 'string' || typeof layer.digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(layer.digest)) return [];
    return [{ mediaType: layer.mediaType, digest: layer.digest, ...(typeof layer.size === 'number' ? { size: layer.size } : {}) }];
  });
}

/** The layer of the most preferred media type; the first layer when none is known. */
function chooseLayer(layers: Layer[]): Layer | undefined {
  let best: Layer | undefined;
  let bestRank = Number.POSITIVE_INFINITY;
  for (const layer of layers) {
    const rank = COMPONENT_LAYER_PREFERENCE.indexOf(layer.mediaType);
    if (rank >= 0 && rank < bestRank) {
      best = layer;
      bestRank = rank;
    }
  }
  return best ?? layers[0];
}

/** `\0asm` with the component-model layer field (a core module has version 1, layer 0). */
function isWasmComponent(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d && bytes[6] === 1 && bytes[7] === 0;
}

function parseManifestLayer(bytes: Uint8Array, reference: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new RegistryError('not_a_component', `${reference} is not a component: its component manifest layer is not a JSON object`);
}
