import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ComponentCache, type CachedComponent } from '../../pack/registry/cache';
import { decodePackLock, type LockedComponent, type PackLockV1 } from '../../pack/registry/lock';
import { parseManifest } from './manifest';
import type { ComponentLocation } from './sources';

/**
 * The registry components a project's `pack.lock.cbor` pins, as the cache holds them (a pinned
 * component the cache lacks is left out: `pack resolve` pulls it).
 */
export async function lockedComponents(root: string, cache = new ComponentCache()): Promise<ComponentLocation[]> {
  const found: ComponentLocation[] = [];
  for (const { entry, cached } of await lockedInCache(root, cache)) {
    const id = entry.component_id;
    const origin = `${entry.ref} (${cached.wasmPath})`;
    found.push({
      id,
      origin,
      async read() {
        const bytes = new Uint8Array(await fs.readFile(cached.wasmPath));
        const manifest = cached.manifestPath ? parseManifest(await fs.readFile(cached.manifestPath, 'utf8'), cached.manifestPath) : null;
        return { id, origin, bytes, manifest };
      },
    });
  }
  return found;
}

export interface LockedInCache {
  entry: LockedComponent;
  cached: CachedComponent;
}

/** The lock's oci:// entries the cache holds. */
export async function lockedInCache(root: string, cache = new ComponentCache()): Promise<LockedInCache[]> {
  const lock = await readLock(root);
  if (!lock) return [];
  const found: LockedInCache[] = [];
  for (const entry of Object.values(lock.components)) {
    if (!entry.ref?.startsWith('oci://')) continue;
    const cached = await cache.get(entry.resolved_digest).catch(() => null);
    if (cached) found.push({ entry, cached });
  }
  return found;
}

/** The project's lock, or null when it has none or it cannot be read. */
export async function readLock(root: string): Promise<PackLockV1 | null> {
  try {
    return decodePackLock(new Uint8Array(await fs.readFile(path.join(root, 'pack.lock.cbor'))));
  } catch {
    return null;
  }
}
