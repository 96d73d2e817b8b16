import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The installed package's root folder, found upward from this module, whether it runs from the built
 * bundle (out/cli) or from source under a test runner.
 */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'greentic-studio') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the greentic-studio package folder');
    dir = parent;
  }
}

/** The built renderer (index.html and assets), or null when `npm run build` has not run. */
export function rendererDir(): string | null {
  const dir = path.join(packageRoot(), 'out', 'renderer');
  return existsSync(path.join(dir, 'index.html')) ? dir : null;
}

export function sampleProjectDir(): string {
  return path.join(packageRoot(), 'resources', 'sample-project');
}
