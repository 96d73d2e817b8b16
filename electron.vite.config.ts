import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY } from './src/shared/csp';

const { version, optionalDependencies } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
  optionalDependencies: { electron: string };
};

// electron-vite targets the Node and Chrome of the installed Electron. Where npm left Electron out (its
// binary could not be downloaded), the build targets the version package.json asks for.
try {
  createRequire(import.meta.url).resolve('electron/package.json');
} catch {
  process.env.ELECTRON_MAJOR_VER ??= optionalDependencies.electron.split('.')[0];
}
/** The page's CSP meta tag carries the same policy the servers send (frame-ancestors only works as a header). */
const cspMetaTag: Plugin = {
  name: 'studio-csp-meta',
  transformIndexHtml: (html) =>
    html.replace('%STUDIO_CSP%', CONTENT_SECURITY_POLICY.split('; ').filter((d) => !d.startsWith('frame-ancestors')).join('; ')),
};

const define = { __STUDIO_VERSION__: JSON.stringify(version) };

export default defineConfig({
  main: {
    define,
    build: {
      outDir: 'out/main',
      // The WASM component worker is its own entry: the pool starts it as `wasm-worker.js` beside the bundle.
      rollupOptions: { input: { index: 'src/main/index.ts', 'wasm-worker': 'src/runtime/components/wasm/worker/worker-main.ts' } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot load modules: bundle everything it uses, as CommonJS.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: 'src/preload/index.ts' },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    define,
    plugins: [react(), cspMetaTag],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: 'src/renderer/index.html' },
    },
  },
});
