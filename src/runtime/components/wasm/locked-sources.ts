import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ComponentCache } from '../../pack/registry/cache';
import { decodePackLock, type PackLockV1 } from '../../pack/registry/lock';
import { parseManifest } from './manifest';
import type { ComponentLocation } from './sources';

/**
 * The registry components a project's `pack.lock.cbor` pins, as the cache holds them (a pinned
 * component the cache lacks is left out: `pack resolve` pulls it).
 */
export async function lockedComponents(root: string, cache = new ComponentCache()): Promise<ComponentLocation[]> {
  const lock = await readLock(root);
  if (!lock) return [];
  const found: ComponentLocation[] = [];
  for (const entry of Object.values(lock.components)) {
    if (!entry.ref?.startsWith('oci://')) continue;
    const cached = await cache.get(entry.resolved_digest).catch(() => null);
    if (!cached) continue;
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

/** The project's lock, or null when it has none or it cannot be read. */
export async function readLock(root: string): Promise<PackLockV1 | null> {
  try {
    return decodePackLock(new Uint8Array(await fs.readFile(path.join(root, 'pack.lock.cbor'))));
  } catch {
    return null;
  }
}
