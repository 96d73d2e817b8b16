import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WasmComponentError } from '../errors';

/** What `new Worker()` is given: a file URL, or code to evaluate. */
export interface WorkerScript {
  url: URL | string;
  eval: boolean;
}

/** The entry the builds emit beside the bundle that holds the pool (electron.vite.config.ts, vite.cli.config.ts). */
export const WORKER_FILE = 'wasm-worker.js';

/**
 * The pool worker's entry, for a pool module at `moduleUrl`:
 * - the TypeScript source under a TypeScript loader (tests, benchmarks): evaluated code that registers
 *   the loader in the worker (a worker does not inherit it) and imports worker-main.ts;
 * - a build (the CLI in out/cli, the desktop app in out/main): `wasm-worker.js` beside the bundle, or
 *   beside its chunks folder;
 * - a packaged desktop app, where the bundle sits inside `app.asar`: a worker thread cannot load its
 *   modules from the archive, so electron-builder unpacks the worker and what it imports (asarUnpack in
 *   electron-builder.yml) into `app.asar.unpacked`, and the worker is started from there.
 */
export function resolveWorkerScript(moduleUrl: string, exists: (file: string) => boolean = existsSync): WorkerScript {
  if (moduleUrl.endsWith('.ts')) {
    const entry = JSON.stringify(new URL('./worker-main.ts', moduleUrl).href);
    return { url: `import('tsx/esm/api').then(({ register }) => { register(); return import(${entry}); });`, eval: true };
  }
  const tried: string[] = [];
  for (const candidate of [`./${WORKER_FILE}`, `../${WORKER_FILE}`]) {
    const url = outsideAsar(new URL(candidate, moduleUrl));
    const file = fileURLToPath(url);
    if (exists(file)) return { url, eval: false };
    tried.push(file);
  }
  throw new WasmComponentError('io_error', `the WASM worker script is missing from this build (looked for ${tried.join(' and ')})`);
}

/** `…/app.asar/…` becomes `…/app.asar.unpacked/…`, where electron-builder puts unpacked files; other URLs stay. */
export function outsideAsar(url: URL): URL {
  return new URL(url.href.replace(/\/([^/]+\.asar)\//, '/$1.unpacked/'));
}
