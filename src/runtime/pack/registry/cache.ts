import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../fs/atomic';
import { defaultCacheDir } from '../../components/wasm/user-dirs';

/**
 * Pulled components by resolved digest, as upstream's distributor caches them:
 * `<cache>/components/<sha256 hex>/component.wasm`, the `component.manifest.json` layer when the
 * artifact has one, and `metadata.json` (reference, digest, media type, size, time).
 */
export interface CachedComponent {
  digest: string;
  wasmPath: string;
  manifestPath: string | null;
  metadata: CacheMetadata;
}

export interface CacheMetadata {
  original_reference: string;
  resolved_digest: string;
  media_type: string;
  size_bytes: number;
  fetched_at: string;
}

export function componentCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(defaultCacheDir(env), 'components');
}

export class ComponentCache {
  constructor(readonly root: string = componentCacheRoot()) {}

  folderOf(digest: string): string {
    const hex = /^sha256:([0-9a-f]{64})$/.exec(digest)?.[1];
    if (!hex) throw new Error(`not a sha256 digest: ${digest}`);
    return path.join(this.root, hex);
  }

  async get(digest: string): Promise<CachedComponent | null> {
    const folder = this.folderOf(digest);
    const wasmPath = path.join(folder, 'component.wasm');
    const metadata = await readJson(path.join(folder, 'metadata.json'));
    if (!metadata || !(await fs.stat(wasmPath).catch(() => null))?.isFile()) return null;
    const manifestPath = path.join(folder, 'component.manifest.json');
    const hasManifest = (await fs.stat(manifestPath).catch(() => null))?.isFile() === true;
    return { digest, wasmPath, manifestPath: hasManifest ? manifestPath : null, metadata: metadata as CacheMetadata };
  }

  async put(digest: string, wasm: Uint8Array, manifest: Uint8Array | null, metadata: CacheMetadata): Promise<CachedComponent> {
    const folder = this.folderOf(digest);
    await fs.mkdir(folder, { recursive: true });
    await writeFileAtomic(path.join(folder, 'component.wasm'), wasm);
    if (manifest) await writeFileAtomic(path.join(folder, 'component.manifest.json'), manifest);
    // metadata last: its presence is what makes an entry a hit.
    await writeFileAtomic(path.join(folder, 'metadata.json'), `${JSON.stringify(metadata, null, 2)}\n`);
    const cached = await this.get(digest);
    if (!cached) throw new Error(`the cache entry for ${digest} vanished while it was written`);
    return cached;
  }
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
  } catch {
    return null;
  }
}
